/** The renderers: pure functions from a SearchResult to text; the CLI decides where the text goes. */

import type { Format, SearchResult } from '../types.js';
import { renderCsv } from './csv.js';
import { jsonParts, renderJson } from './json.js';
import { renderNdjson } from './ndjson.js';
import { renderTable, type TableOptions, tableParts } from './table.js';

export { renderCsv } from './csv.js';
export { renderJson } from './json.js';
export { shownMoney } from './money.js';
export { ndjsonOffer, ndjsonSource, ndjsonSummary, renderNdjson } from './ndjson.js';
export { renderStatusRows, renderSummary, renderWarnings } from './status.js';
export { renderTable, type TableOptions } from './table.js';

/**
 * Renders the whole result in `format`; `opts` matters only to the table, which without it has no
 * colour and no width limit (a library caller asking for JSON has no table options to give).
 */
export function render(result: SearchResult, format: Format, opts: TableOptions = { color: false }): string {
  switch (format) {
    case 'table':
      return renderTable(result, opts);
    case 'json':
      return renderJson(result);
    case 'csv':
      return renderCsv(result);
    case 'ndjson':
      return renderNdjson(result);
  }
}

/**
 * The same text as render(), in parts to write one after the other: JSON comes a few hundred
 * offers at a time (the largest output agg writes), the table a block of rows at a time, with empty
 * parts while it sizes them (see tableParts); the other formats in one part.
 */
export function renderParts(result: SearchResult, format: Format, opts: TableOptions): Iterable<string> {
  if (format === 'json') return jsonParts(result);
  return format === 'table' ? tableParts(result, opts) : [render(result, format, opts)];
}
