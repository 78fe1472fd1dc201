/** The whole result as one JSON document, for scripts and `jq`. */

import { CONTROLS_ABOVE_C0, LINE_SEPARATORS } from '../shared/sanitize.js';
import type { SearchResult, SourceResult } from '../types.js';
import { inKeyOrder } from './fields.js';

// JSON.stringify escapes only C0 controls; DEL, C1, bidi controls and line/paragraph separators would
// reach a terminal raw when someone `cat`s the output. Escaping them keeps the data lossless and inert.
const UNSAFE = new RegExp(`[${CONTROLS_ABOVE_C0}${LINE_SEPARATORS}]`, 'g');
const ANY_UNSAFE = new RegExp(`[${CONTROLS_ABOVE_C0}${LINE_SEPARATORS}]`);

/** JSON.stringify, with terminal-active characters that it leaves raw written as `\uXXXX` escapes. */
export function safeStringify(value: unknown, indent?: number): string {
  const text = JSON.stringify(value, null, indent);
  // replace() copies the text even when nothing matches (6 MB for 20,000 offers); a test scans as fast.
  if (!ANY_UNSAFE.test(text)) return text;
  return text.replace(UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The keys of a source row, in the order every format writes them. */
export const SOURCE_KEYS = [
  'name',
  'status',
  'incomplete',
  'httpStatus',
  'ms',
  'attempts',
  'hedged',
  'offers',
  'dropped',
  'droppedError',
  'duplicates',
  'filteredOut',
  'folded',
  'unfilled',
  'note',
  'rateLimited',
  'retryAfterMs',
  'error',
] as const satisfies readonly (keyof SourceResult)[];

/** A source row with its keys in a fixed order, so output is stable whoever built the object. */
export function orderSource(s: SourceResult): Record<string, unknown> {
  return Object.fromEntries(SOURCE_KEYS.map((key) => [key, s[key]]));
}

/** One pretty-printed document (2-space indent, trailing newline) with a fixed key order. */
export function renderJson(result: SearchResult): string {
  return [...jsonParts(result)].join('');
}

/** Offers per part of jsonParts: about 100 KB of text. */
const OFFERS_PER_PART = 256;
// Top-level keys are the only lines indented by exactly two spaces; a string cannot hold a raw newline.
const EMPTY_OFFERS = '\n  "offers": []';
const WRAPPER_HEAD = '{\n  "offers": [';
const WRAPPER_TAIL = '\n  ]\n}';

/**
 * renderJson's text in parts, the offers a few hundred at a time, so that writing 20,000 offers
 * never holds the whole document in memory twice (as a string and as the Buffer written).
 */
export function* jsonParts(result: SearchResult): Generator<string> {
  const doc = {
    query: result.query,
    strategy: result.strategy,
    currency: result.currency,
    offers: [],
    sources: result.sources.map(orderSource),
    partial: result.partial,
    elapsedMs: result.elapsedMs,
    warnings: result.warnings,
  };
  const text = `${safeStringify(doc, 2)}\n`;
  const at = text.indexOf(EMPTY_OFFERS) + EMPTY_OFFERS.length - 1;
  if (result.offers.length === 0) {
    yield text;
    return;
  }
  yield text.slice(0, at);
  for (let i = 0; i < result.offers.length; i += OFFERS_PER_PART) {
    // Stringified inside a wrapper that nests them as deep as the document does, so that they come out
    // indented as they would be in one JSON.stringify of the whole; the wrapper's own lines are cut off.
    const offers = result.offers.slice(i, i + OFFERS_PER_PART).map(inKeyOrder);
    const wrapped = safeStringify({ offers }, 2);
    yield `${i > 0 ? ',' : ''}${wrapped.slice(WRAPPER_HEAD.length, -WRAPPER_TAIL.length)}`;
  }
  yield `\n  ${text.slice(at)}`;
}
