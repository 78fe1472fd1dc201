/**
 * Why a mapping found no items: where `offers` looked and what the answer has there instead, or the
 * failure the answer itself reports (`errors`, GraphQL's way, with HTTP 200).
 */

import { isRecord } from '../shared/is-record.js';
import type { Mapping } from './compile.js';
import type { Mapped } from './index.js';

/**
 * No items: when `offers` found nothing at all (not an empty or `null` list, which is how vendors say
 * "none") in an answer that is an object or a list, the result says where it looked and what is there.
 */
export async function withEmptyReason(
  mapping: Mapping,
  body: unknown,
  bindings: Record<string, unknown>,
): Promise<Mapped> {
  if (mapping.offersText === undefined || typeof body !== 'object' || body === null) return { offers: [], dropped: 0 };
  let found: unknown;
  try {
    found = await mapping.offers.evaluate(body, bindings);
  } catch {
    return { offers: [], dropped: 0 };
  }
  const reported = reportedErrors(body);
  // GraphQL: a request that failed has no `data`, or a null one; errors beside data are partial answers.
  // So are errors beside the list `offers` reads, which a REST answer has with no `data` at all
  // (`{"items": [], "errors": […]}`): a search that found nothing and says why, not a failed source.
  const record = body as Record<string, unknown>;
  const head = PATH_HEAD.exec(mapping.offersText)?.[1]?.split('.')[0];
  const absent = (key: string): boolean => !Object.hasOwn(record, key) || record[key] === null;
  if (reported !== undefined && absent('data') && (head === undefined || absent(head))) {
    return { offers: [], dropped: 0, emptyBecause: reported, failed: true };
  }
  const why = reported ?? (found === undefined ? emptyReason(mapping.offersText, body) : undefined);
  return why === undefined ? { offers: [], dropped: 0 } : { offers: [], dropped: 0, emptyBecause: why };
}

/**
 * GraphQL (and many a REST API) reports a failure with HTTP 200: a top-level `errors` list beside a
 * `data` that is null. `data.search.edges.node` then reached a null, the vendor's "none", so a misspelt
 * field or a rejected key read as `ok` with no offers, without a word of why.
 */
function reportedErrors(body: object): string | undefined {
  const errors = (body as Record<string, unknown>).errors;
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  const first: unknown = errors[0];
  const said = isRecord(first) ? [first.message, first.detail, first.title].find(isText) : first;
  return `the answer has \`errors\`${isText(said) ? `: ${said}` : ''}`;
}

const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

const PLAIN_PATH = /^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/;
/** The plain path an expression starts with, after an optional `$.`: `items` of `$.items[price > 0]`. */
const PATH_HEAD = /^(?:\$\.)?([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)/;
const MAX_KEYS_SHOWN = 8;

/**
 * What `offers` (as written) looked for in `body`, and what the answer has there instead; undefined
 * when a plain path does reach its list and finds it `null` or empty (`{"data": null}` for
 * `data.items`), which is how vendors say "none". A path steps into every item of a list, as JSONata's.
 */
export function emptyReason(offersText: string, body: object): string | undefined {
  const plain = PLAIN_PATH.test(offersText);
  const listHint = (list: unknown[]) =>
    `\`${offersText}\` found nothing: the answer is a list of ${list.length} (\`offers: $\` reads the list itself)`;
  if (!plain) {
    // The path a predicate or function is on (`items` of `items[type = "flight"]`) reaches its list:
    // the list is empty or null, or the filter kept nothing; either is the vendor's "none".
    const head = PATH_HEAD.exec(offersText)?.[1];
    // A function's list (`$filter(items, …)`) may be there and empty: no word is better than a false one.
    if (head === undefined || emptyReason(head, body) === undefined) return undefined;
    return Array.isArray(body)
      ? listHint(body)
      : `\`${offersText}\` found nothing in the answer; it has ${keysOf(body)}`;
  }
  const steps = offersText.split('.');
  // The values the path has reached so far, a list's items stepped into (one level: deeper is no note).
  let here: unknown[] = [body];
  for (let depth = 0; depth < steps.length; depth++) {
    const step = steps[depth] as string;
    const values = here.flatMap((v) => (Array.isArray(v) ? v : [v]));
    const records = values.filter(isRecord);
    const holders = records.filter((r) => Object.hasOwn(r, step));
    if (holders.length > 0) {
      here = holders.map((r) => r[step]);
      continue;
    }
    if (depth === 0 && Array.isArray(body)) return listHint(body);
    const under = steps.slice(0, depth).join('.');
    if (records.length === 0) {
      // Only null, empty lists or plain values where the path reached: null and [] say "none".
      const scalar = values.find((v) => v !== null && typeof v !== 'object');
      return scalar === undefined
        ? undefined
        : `no \`${step}\` under \`${under}\`: \`${under}\` is ${typeof scalar === 'string' ? 'text' : `a ${typeof scalar}`}`;
    }
    return `no \`${step}\` ${under ? `under \`${under}\`` : 'in the answer'}; ${under ? `\`${under}\`` : 'it'} has ${keysOf(records[0] as object)}`;
  }
  return undefined;
}

const keysOf = (o: object): string => {
  let keys = Object.keys(o);
  if (keys.length === 0) return 'no keys';
  // Cut short, the keys that hold a list or an object go first: `offers` reads one of them, and Best Buy's
  // `products`, after eight counts and times, was left in "and 2 more" (`offers: product` never saw it).
  const values = o as Record<string, unknown>;
  const nested = (k: string) => typeof values[k] === 'object' && values[k] !== null;
  if (keys.length > MAX_KEYS_SHOWN) keys = [...keys.filter(nested), ...keys.filter((k) => !nested(k))];
  const shown = keys.slice(0, MAX_KEYS_SHOWN).map((k) => `\`${k}\``);
  return keys.length > MAX_KEYS_SHOWN
    ? `${shown.join(', ')} and ${keys.length - MAX_KEYS_SHOWN} more`
    : shown.join(', ');
};
