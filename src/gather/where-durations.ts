/**
 * A `--where` that orders a duration as text. JSONata's `<` compares two strings letter by letter, so
 * `duration < "PT8H"` kept an 11-hour `PT11H20M` (`1` comes before `8`) and `duration < "8h"` kept none,
 * each without a word, where `--sort duration` and the table read the same text as a length.
 */

import { durationSeconds } from '../shared/duration-text.js';
import { fieldAgainstText, SWAPPED_ORDER } from './where-compared.js';
import { walkOfferScope } from './where-scope.js';

/** One comparison of an offer field with duration text: `duration < "PT8H"`, as the field's side first. */
export interface DurationTextComparison {
  readonly field: string;
  readonly op: string;
  readonly text: string;
}

/** Where `ast` (a predicate's own) orders one of the offer's fields against a duration written as text. */
export function durationTextComparisons(ast: unknown): DurationTextComparison[] {
  const found = new Map<string, DurationTextComparison>();
  walkOfferScope(ast, (n) => {
    if (typeof n.value !== 'string' || !(n.value in SWAPPED_ORDER)) return;
    const compared = fieldAgainstText(n, (text) => durationSeconds(text) !== undefined);
    if (compared === undefined) return;
    const { field, op, text } = compared;
    // Once each: `(a and duration < "PT8H") or (b and duration < "PT8H")` printed the one warning twice.
    found.set(`${field}\u0000${op}\u0000${text}`, { field, op, text });
  });
  return [...found.values()];
}

/** Minutes as a person writes them: whole, or to two decimals. */
const minutesText = (text: string): string => String(Math.round(((durationSeconds(text) ?? 0) / 60) * 100) / 100);

/** One warning a comparison, with the predicate that compares lengths: `$minutes(duration) < 480`. */
export function durationTextWarnings(found: readonly DurationTextComparison[], name: string): string[] {
  return found.map(
    ({ field, op, text }) =>
      `${name} compares \`${field}\` ${op} ${JSON.stringify(text)} as text, letter by letter (so "PT11H20M" is less than "PT8H"): write \`$minutes(${field}) ${op} ${minutesText(text)}\` to compare lengths`,
  );
}

/**
 * A hint for JSONata's T2009 (`The values "PT8H" and 480 either side of operator "<" must be of the same
 * data type`) when one of the two is duration text: `duration < 480` cannot compare the text as minutes.
 */
export function durationTypeHint(err: unknown): string {
  const e = (err ?? {}) as { code?: unknown; value?: unknown; value2?: unknown };
  if (e.code !== 'T2009') return '';
  const isDuration = (v: unknown): boolean => typeof v === 'string' && durationSeconds(v) !== undefined;
  return isDuration(e.value) || isDuration(e.value2)
    ? '; a duration is text: `$minutes(duration)` reads it as minutes to compare with a number'
    : '';
}
