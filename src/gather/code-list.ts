/** How a warning names currency codes: a few, each cut short, and the rest counted. */
import { truncate } from '../shared/truncate.js';

/** How many codes (or kinds of `--where` error, warnings.ts) a warning names before it counts the rest. */
export const MAX_CODES_NAMED = 5;
const MAX_CODE_SHOWN = 16;

/**
 * Currency codes as a warning names them: each cut short, and past MAX_CODES_NAMED only counted. A
 * mapping that took `currency` from a field that differs on each offer (an id, a title) named 20,000
 * of them, each as long as the vendor made it: one warning line of megabytes.
 */
export function codeList(codes: readonly string[]): string {
  const named = codes.slice(0, MAX_CODES_NAMED).map((c) => truncate(c, MAX_CODE_SHOWN));
  const more = codes.length - named.length;
  return more > 0 ? `${named.join(', ')} and ${more} more` : named.join(', ');
}

/**
 * The warnings for currencies with no rate (`entries`: each code and its sources): one a code while they
 * are few, and past `room` (MAX_CODES_NAMED, less the lines other codes already had) one for them all
 * (`grouped`), naming a few and counting the rest.
 */
export function perCode(
  entries: readonly (readonly [string, ReadonlySet<string>])[],
  say: (named: string, sources: string, grouped: boolean) => string,
  room = MAX_CODES_NAMED,
): string[] {
  if (entries.length > room) {
    const sources = [...new Set(entries.flatMap(([, names]) => [...names]))].join(', ');
    return [say(codeList(entries.map(([code]) => code)), sources, true)];
  }
  return entries.map(([code, names]) => say(codeList([code]), [...names].join(', '), false));
}
