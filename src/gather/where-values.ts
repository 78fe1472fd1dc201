/**
 * A `--where` that looks for text no offer has in any case: `carrier = "Lufthansa"` where the offers have
 * IATA codes (`LH`) left out every flight, and the run read `No offers: --where left out all 48.` alone,
 * as when no vendor had one. Such a run is told what the offers do have in that field, most common first.
 *
 * `=` and `in` are checked, not `!=`: text no offer has makes `carrier != "Lufthansa"` keep every offer
 * that has a carrier, so it is never why a run kept none, and the warning is said only of such a run.
 */

import { cleanText } from '../shared/sanitize.js';
import { truncate } from '../shared/truncate.js';
import type { Offer } from '../types.js';
import { fieldAgainstText, fieldTextKey, ownField, stringLiteral } from './where-compared.js';
import { walkOfferScope } from './where-scope.js';

/** Text an offer field is looked for as: `carrier = "Lufthansa"`, or each text of `carrier in ["LH", "BA"]`. */
export interface SoughtText {
  readonly field: string;
  readonly text: string;
}

/** Characters of a value or text a warning shows; a value is tallied as shown, cut there. */
const SHOWN_LENGTH = 30;
/** Values a warning names, and texts sought it names. */
const MAX_NAMED = 8;
/**
 * Distinct values tallied a field: past it, an offer with another value is counted as one more, not
 * kept. Bounds the tally's memory and its Map's size over 100,000 offers of distinct titles.
 */
export const MAX_VALUES_TALLIED = 1000;

/** What the offers judged had in each sought field: texts met, and how many offers had each value. */
export interface ValueTally {
  /** Sought texts some offer had, as `field\0text`. */
  readonly met: Set<string>;
  /** Of each field with a text not yet met, its values as shown (cut), each with its count, first seen first. */
  readonly values: Map<string, Map<string, number>>;
  /** Of each field, the offers whose value was past MAX_VALUES_TALLIED others, so not tallied. */
  readonly untallied: Map<string, number>;
}

/** A tally of nothing judged yet. */
export const emptyValueTally = (): ValueTally => ({ met: new Set(), values: new Map(), untallied: new Map() });

/** The texts of a list literal (`["LH", "BA"]`), or of one text (`in "LH"`); others are not read. */
const listTexts = (node: unknown): string[] => {
  const n = (node ?? {}) as { type?: unknown; value?: unknown; expressions?: unknown };
  const one = stringLiteral(n);
  if (one !== undefined) return [one];
  if (n.type !== 'unary' || n.value !== '[' || !Array.isArray(n.expressions)) return [];
  return n.expressions.map(stringLiteral).filter((t): t is string => t !== undefined);
};

/** Where `ast` (a predicate's own) looks for text in one of the offer's fields, by `=` either side, or `in`. */
export function soughtTexts(ast: unknown): SoughtText[] {
  const found = new Map<string, SoughtText>();
  const add = (field: string | undefined, texts: readonly string[]): void => {
    if (field !== undefined) for (const text of texts) found.set(fieldTextKey(field, text), { field, text });
  };
  walkOfferScope(ast, (n) => {
    const compared = n.value === '=' ? fieldAgainstText(n) : undefined;
    if (compared) add(compared.field, [compared.text]);
    // `"LH" in carriers` asks whether a list has the text: the field's values are not what it names.
    if (n.type === 'binary' && n.value === 'in') add(ownField(n.lhs), listTexts(n.rhs));
  });
  return [...found.values()];
}

/** The sought texts by field, of fields with a text not yet met. */
function pending(sought: readonly SoughtText[], tally: ValueTally): Map<string, Set<string>> {
  const byField = new Map<string, Set<string>>();
  for (const { field, text } of sought) {
    if (tally.met.has(fieldTextKey(field, text))) continue;
    byField.set(field, (byField.get(field) ?? new Set()).add(text));
  }
  return byField;
}

/**
 * Records which sought texts the offers had, and, of a field with a text none had yet, how many offers
 * had each value: a read, a Set lookup and a Map update an offer and field, and no more once every text
 * of the field is met (its values are then no longer wanted).
 */
export function noteValues(judged: readonly Offer[], sought: readonly SoughtText[], tally: ValueTally): void {
  const fields = pending(sought, tally);
  for (const [field, texts] of fields) {
    const counts = tally.values.get(field) ?? new Map<string, number>();
    tally.values.set(field, counts);
    let untallied = 0;
    for (const o of judged) {
      const value = Object.hasOwn(o, field) ? (o as unknown as Record<string, unknown>)[field] : undefined;
      if (typeof value !== 'string') continue;
      if (texts.has(value)) {
        tally.met.add(fieldTextKey(field, value));
        texts.delete(value);
        if (texts.size === 0) break;
      }
      const shown = truncate(value, SHOWN_LENGTH);
      const count = counts.get(shown);
      if (count !== undefined) counts.set(shown, count + 1);
      else if (counts.size < MAX_VALUES_TALLIED) counts.set(shown, 1);
      else untallied++;
    }
    if (texts.size === 0) {
      // Every text met: no warning will name these values.
      tally.values.delete(field);
      tally.untallied.delete(field);
    } else if (untallied > 0) tally.untallied.set(field, (tally.untallied.get(field) ?? 0) + untallied);
  }
}

/** Joins a source's tally into the run's (sources in the file's order), counts added, the cap kept. */
export function joinValues(into: ValueTally, from: ValueTally): void {
  for (const key of from.met) into.met.add(key);
  for (const [field, counts] of from.values) {
    const all = into.values.get(field) ?? new Map<string, number>();
    into.values.set(field, all);
    let untallied = from.untallied.get(field) ?? 0;
    for (const [value, count] of counts) {
      const had = all.get(value);
      if (had !== undefined || all.size < MAX_VALUES_TALLIED) all.set(value, (had ?? 0) + count);
      else untallied += count;
    }
    if (untallied > 0) into.untallied.set(field, (into.untallied.get(field) ?? 0) + untallied);
  }
}

const quoted = (text: string): string => JSON.stringify(truncate(cleanText(text), SHOWN_LENGTH));

/** `"a", "b" and 3 more`: at most MAX_NAMED of `items`, quoted; `and more` when there are more than it has. */
function named(items: readonly string[], join: string, others = false): string {
  const shown = items.slice(0, MAX_NAMED).map(quoted).join(join);
  if (others) return `${shown} and more`;
  return items.length > MAX_NAMED ? `${shown} and ${items.length - MAX_NAMED} more` : shown;
}

/**
 * One warning a field whose sought texts no offer had, in any case (`cased`: the `field\0text` keys a
 * case warning speaks of), naming the values the offers have, most common first. For a run --where left
 * with no offer only: beside offers it kept, the reader has the offers to look at.
 */
export function valueWarnings(
  sought: readonly SoughtText[],
  tally: ValueTally,
  cased: { has(key: string): boolean },
  name: string,
): string[] {
  const missing = new Map<string, string[]>();
  for (const { field, text } of sought) {
    const key = fieldTextKey(field, text);
    if (tally.met.has(key) || cased.has(key) || !tally.values.get(field)?.size) continue;
    missing.set(field, [...(missing.get(field) ?? []), text]);
  }
  return [...missing].map(([field, texts]) => {
    const counts = tally.values.get(field) as Map<string, number>;
    // Most common first; a stable sort keeps the first seen first among equals (the file's order).
    const values = [...counts].sort((a, b) => b[1] - a[1]).map(([value]) => value);
    const untallied = tally.untallied.get(field) ?? 0;
    const total =
      untallied > 0
        ? `over ${counts.size.toLocaleString('en-US')} values`
        : `${counts.size} value${counts.size === 1 ? '' : 's'}`;
    return `${name}: no offer has \`${field}\` = ${named(texts, ' or ')}; offers have ${named(values, ', ', untallied > 0)} (${total})`;
  });
}
