/** The whole result as one JSON document, for scripts and `jq`. */

import type { SearchResult, SourceResult } from '../types.js';
import { orderOffer } from './fields.js';

// JSON.stringify escapes only C0 controls; C1, DEL, line/paragraph separators and bidi overrides would
// reach a terminal raw when someone `cat`s the output. Escaping them keeps the data lossless and inert.
const UNSAFE = /[\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** JSON.stringify, with terminal-active characters that it leaves raw written as `\uXXXX` escapes. */
export function safeStringify(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(
    UNSAFE,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** The keys of a source row, in the order every format writes them. */
const SOURCE_KEYS = [
  'name',
  'status',
  'incomplete',
  'httpStatus',
  'ms',
  'attempts',
  'hedged',
  'offers',
  'dropped',
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
  const doc = {
    query: result.query,
    strategy: result.strategy,
    currency: result.currency,
    offers: result.offers.map(orderOffer),
    sources: result.sources.map(orderSource),
    partial: result.partial,
    elapsedMs: result.elapsedMs,
    warnings: result.warnings,
  };
  return `${safeStringify(doc, 2)}\n`;
}
