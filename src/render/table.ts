/** The human view: a boxed table sized to the terminal, every vendor string made inert first. */

import { isFailure, type SearchResult } from '../types.js';
import { filteredOutOf } from './status.js';
import { blockParts, drawBlock, measuredWidths, ROWS_PER_BLOCK } from './table-blocks.js';
import { type Column, columnsOf, keepEnds } from './table-columns.js';
import { cutForWidth } from './table-cut.js';
import { tableWidth } from './table-fit.js';
import { alsoAtNote, hiddenNote, unconvertedNote } from './table-notes.js';
import { fitWithOriginal } from './table-original.js';

// Kept at this path for its importers (render/sources.ts): how a table of rows is measured, drawn and noted.
export { cellWidths, drawInBlocks } from './table-blocks.js';
export { hiddenNote } from './table-notes.js';

/** How the table is laid out: `width` is the terminal's (none when piped), `color` and `links` are decided by the CLI. */
export interface TableOptions {
  width?: number | undefined;
  color: boolean;
  /**
   * Each title a terminal hyperlink (OSC 8) to its offer's http(s) `url` (see table-links.ts); off when left
   * out. Only for a terminal that shows them: elsewhere the escapes are noise in the text.
   */
  links?: boolean | undefined;
  /**
   * The field the offers were ranked by (`--sort`; price unless given). Only a ranking by price puts the
   * unconverted offers last: under `--sort stops` one listed last is there for its stops, not its currency.
   */
  sortedBy?: string | undefined;
}

/**
 * The table of no offers. `No offers.` alone left a reader (or a cron job's log) to guess whether the
 * vendors had nothing or the filter left out all they had; and, under `-q` (no status rows), whether
 * they had nothing or failed: exit 4's every vendor down read as a search that matched nothing.
 */
function noOffers(sources: SearchResult['sources']): string {
  const filteredOut = filteredOutOf(sources);
  const ran = sources.filter((s) => s.status !== 'skipped').length;
  const failed = sources.filter((s) => isFailure(s.status)).length;
  const filtered =
    filteredOut === 0 ? '' : `--where left out ${filteredOut === 1 ? 'the one there was' : `all ${filteredOut}`}`;
  if (failed === 0) return filtered === '' ? 'No offers.\n' : `No offers: ${filtered}.\n`;
  const failures =
    failed === ran
      ? ran === 1
        ? 'the one source failed'
        : `all ${ran} sources failed`
      : `${failed} of ${ran} sources failed`;
  return filtered === '' ? `No offers: ${failures}.\n` : `No offers: ${filtered}, and ${failures}.\n`;
}

// Characters a cell of a piped table (natural width) shows at most; the rest is cut with `…`.
export const MAX_PIPED_CELL = 1000;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Offers as a table; to fit `width` (when given) it truncates with `…`, then drops extras, never wraps. */
export function renderTable(result: SearchResult, opts: TableOptions): string {
  return [...tableParts(result, opts)].join('');
}

/**
 * renderTable's text in parts, a block of rows each, and an empty part after each block it sizes: 20,000
 * offers are seconds of cli-table3, and the command line lets the event loop turn at each part, so that a
 * Ctrl-C is heard while the table is drawn, not only after it.
 */
export function* tableParts(result: SearchResult, opts: TableOptions): Generator<string> {
  if (result.offers.length === 0) {
    yield noOffers(result.sources);
    return;
  }

  const whole = columnsOf(result.offers, result.fields, opts.links === true);
  let columns: readonly Column[] = whole;
  // The columns as they are before any is dropped for the width: those missing from the table at the end
  // are named under it (see hiddenNote).
  let all: readonly Column[] = whole;
  const width = opts.width !== undefined && opts.width > 0 ? opts.width : undefined;
  if (width === undefined) {
    // Piped, the table has its natural width, but a vendor's 8 MB title is no line a person reads, and
    // cli-table3 measures each cell several times while drawing it: 5 s for one title of 2,000,000 emoji,
    // the block deaf to Ctrl-C. JSON, NDJSON and CSV carry every value whole.
    columns = whole.map((c) =>
      c.kind === 'fixed' || c.cells.every((t) => t.length <= MAX_PIPED_CELL)
        ? c
        : { ...c, cells: c.cells.map((t) => cutForWidth(t, MAX_PIPED_CELL)) },
    );
  } else {
    // `#` and price are never cut (see fitWidths).
    columns = whole.map((c) => {
      if (c.kind === 'fixed' || c.cells.every((t) => t.length <= width)) return c;
      const uncut = c.cells.reduce((n, t) => Math.max(n, t.length), 0) + 2;
      return { ...c, cells: c.cells.map((t) => cutForWidth(t, width)), uncut };
    });
    all = columns;
  }
  const rowCount = result.offers.length;
  const blockOf =
    (shown: readonly Column[]) =>
    (colWidths: number[], from: number, to: number): string =>
      drawBlock(shown, colWidths, opts.color, from, to);
  // The widths cli-table3 gives the columns, widest over all blocks.
  const natural = yield* measuredWidths(columns, opts.color);
  // A table of one block is drawn at the widths cli-table3 chooses, as it always was.
  let widths = rowCount <= ROWS_PER_BLOCK ? [] : natural;
  if (width !== undefined && tableWidth(natural) > width) {
    ({ columns, widths } = fitWithOriginal(columns, natural, whole, width));
    columns = keepEnds(columns, widths);
  }
  // cli-table3 cuts a cell by UTF-16 units: a cut through an emoji leaves half of it, which a terminal
  // shows as U+FFFD. A space takes its place: the one column cli-table3 counted for it. (A part ends at a
  // line's end, so no pair is split between two parts.)
  for (const part of blockParts(rowCount, widths, true, blockOf(columns))) yield part.replace(LONE_SURROGATE, ' ');

  const hidden = all.filter((c) => !columns.includes(c)).map((c) => c.head);
  const notes = [
    unconvertedNote(result, opts),
    alsoAtNote(result, opts),
    width && hidden.length > 0 ? hiddenNote(hidden, width) : '',
  ];
  yield `\n${notes
    .filter(Boolean)
    .map((note) => `${note}\n`)
    .join('')}`;
}
