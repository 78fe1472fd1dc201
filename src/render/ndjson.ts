/** Newline-delimited JSON: one self-describing line per offer, per source, then a summary. */

import type { Offer, SearchResult, SourceResult } from '../types.js';
import { orderOffer } from './fields.js';
import { orderSource, safeStringify } from './json.js';

/** `{"type":"offer",…}` + newline; `type` is set last-wins so a mapped `type` field can't hide the line kind. */
export function ndjsonOffer(offer: Offer): string {
  // Object literal keeps `type` first in key order; the trailing assignment guarantees its value.
  const line: Record<string, unknown> = { type: 'offer', ...orderOffer(offer) };
  line.type = 'offer';
  return `${safeStringify(line)}\n`;
}

/** `{"type":"source",…}` + newline: how one source ended. */
export function ndjsonSource(s: SourceResult): string {
  return `${safeStringify({ type: 'source', ...orderSource(s) })}\n`;
}

/** `{"type":"summary",…}` + newline: always the last line, so a reader knows the stream is complete. */
export function ndjsonSummary(result: SearchResult): string {
  const { strategy, currency, partial, elapsedMs, warnings } = result;
  return `${safeStringify({ type: 'summary', strategy, currency, partial, elapsedMs, warnings })}\n`;
}

/** Every offer line, then every source line, then the summary; for when offers weren't streamed. */
export function renderNdjson(result: SearchResult): string {
  return [...result.offers.map(ndjsonOffer), ...result.sources.map(ndjsonSource), ndjsonSummary(result)].join('');
}
