/**
 * A `--where` that compares a field with text in another case than the offers': `carrier = "lh"` (IATA
 * codes are capitals) or `condition = "new"` left out every offer, and the run read `No offers: --where
 * left out all 48.` alone, as when the vendors had no such flight. JSONata's `=` is exact.
 */

import { truncate } from '../shared/truncate.js';
import type { Offer } from '../types.js';
import { fieldAgainstText, fieldTextKey } from './where-compared.js';
import { walkOfferScope } from './where-scope.js';

/** One comparison of an offer field with text by `=`: `carrier = "lh"`. */
export interface TextEquality {
  readonly field: string;
  readonly text: string;
}

/** What the offers judged had of each comparison: a value equal to its text, and one equal but for case. */
export interface CaseTally {
  readonly matched: Set<string>;
  readonly cased: Map<string, string>;
}

/** A tally of nothing judged yet. */
export const emptyCaseTally = (): CaseTally => ({ matched: new Set(), cased: new Map() });

const keyOf = (e: TextEquality): string => fieldTextKey(e.field, e.text);

/** Where `ast` (a predicate's own) compares one of the offer's fields with text by `=`, either side. */
export function textEqualities(ast: unknown): TextEquality[] {
  const found = new Map<string, TextEquality>();
  walkOfferScope(ast, (n) => {
    if (n.value !== '=') return;
    // Text with no letter has no case to get wrong.
    const compared = fieldAgainstText(n, (text) => text.toLowerCase() !== text.toUpperCase());
    if (compared === undefined) return;
    const { field, text } = compared;
    found.set(keyOf({ field, text }), { field, text });
  });
  return [...found.values()];
}

/** Records, of each comparison, whether an offer's value equals its text, or equals it but for case. */
export function noteCases(judged: readonly Offer[], equalities: readonly TextEquality[], tally: CaseTally): void {
  for (const e of equalities) {
    const key = keyOf(e);
    if (tally.matched.has(key)) continue;
    const lower = e.text.toLowerCase();
    for (const o of judged) {
      const value = Object.hasOwn(o, e.field) ? (o as unknown as Record<string, unknown>)[e.field] : undefined;
      if (typeof value !== 'string') continue;
      if (value === e.text) {
        tally.matched.add(key);
        break;
      }
      if (!tally.cased.has(key) && value.toLowerCase() === lower) tally.cased.set(key, value);
    }
  }
}

/** Joins a source's tally into the run's, the first value of each kept. */
export function joinCases(into: CaseTally, from: CaseTally): void {
  for (const key of from.matched) into.matched.add(key);
  for (const [key, value] of from.cased) if (!into.cased.has(key)) into.cased.set(key, value);
}

/** One warning for each comparison no offer met that one would have met in another case. */
export function caseWarnings(equalities: readonly TextEquality[], tally: CaseTally, name: string): string[] {
  return equalities.flatMap((e) => {
    const key = keyOf(e);
    const value = tally.cased.get(key);
    if (value === undefined || tally.matched.has(key)) return [];
    const [text, near] = [JSON.stringify(truncate(e.text, 30)), JSON.stringify(truncate(value, 30))];
    return [
      `${name} compares \`${e.field}\` = ${text}, which no offer has: offers have ${near}, and = is exact about case; write ${near}, or $lowercase(${e.field}) = ${JSON.stringify(truncate(e.text.toLowerCase(), 30))}`,
    ];
  });
}
