/**
 * How `--where` fared over the run (index.ts): the tally of the offers it judged, kept per source and
 * joined in the file's order, and the warnings for what it threw on. The currency warnings the tally
 * feeds are currency-warnings.ts.
 */

import { MAX_DROPPED_ERROR } from '../map/index.js';
import { truncate } from '../shared/truncate.js';
import type { Offer } from '../types.js';
import { MAX_CODES_NAMED } from './code-list.js';
import { type CaseTally, emptyCaseTally, joinCases, noteCases } from './where-case.js';
import { NO_CHECKS, type WhereChecks } from './where-checks.js';
import { noteDateTexts } from './where-date-text.js';
import { emptyValueTally, joinValues, noteValues, type ValueTally } from './where-values.js';

/**
 * How `--where` fared over the run: offers judged, an error per offer it threw on, and what the offers
 * it judged were, so that the currency warnings speak of every offer, not only of those it kept: the
 * currencies they came in, and the sources of offers with no rate to the ranking currency.
 */
export interface WhereStats {
  tried: number;
  /** Offers it kept, of those the run uses: none, and the values sought but not found are said. */
  kept: number;
  errors: string[];
  currencies: Set<string>;
  unconverted: Map<string, Set<string>>;
  /** Every field of the offers it judged, for a warning about a field none has. */
  fields: Set<string>;
  /** Of the fields it compares with a number, those some offer has as a number. */
  numbers: Set<string>;
  /** Of the fields it compares with a number, the first text value of each that an offer has as text. */
  texts: Map<string, string>;
  /** Of the fields it compares with text by `=`, whether an offer had the text, or had it in another case. */
  cases: CaseTally;
  /** Of each date-time it orders against text (by index), an offer's value it judged otherwise as text than in time. */
  dateTexts: Map<string, string>;
  /** Of the fields it looks for text in (`=`, `in`), whether an offer had it, and the values they had. */
  values: ValueTally;
}

/** A tally of nothing judged yet. */
export const emptyWhereStats = (): WhereStats => ({
  tried: 0,
  kept: 0,
  errors: [],
  currencies: new Set(),
  unconverted: new Map(),
  fields: new Set(),
  numbers: new Set(),
  texts: new Map(),
  cases: emptyCaseTally(),
  dateTexts: new Map(),
  values: emptyValueTally(),
});

/**
 * Each source's tally (by its position in the file) as one, in the file's order. Tallied as the answers
 * came, the warnings named currencies, fields and sources in the order the vendors happened to answer:
 * the same answers read differently from one run to the next, noise in a cron job's diff of its output.
 */
export function inFileOrder(bySource: ReadonlyMap<number, WhereStats>): WhereStats {
  const all = emptyWhereStats();
  for (const [, stats] of [...bySource].sort(([a], [b]) => a - b)) {
    all.tried += stats.tried;
    all.kept += stats.kept;
    // A loop, not push(...): a vendor's hundred thousand offers would overflow push's arguments.
    for (const e of stats.errors) all.errors.push(e);
    for (const code of stats.currencies) all.currencies.add(code);
    for (const [code, sources] of stats.unconverted) {
      const into = all.unconverted.get(code) ?? new Set<string>();
      for (const name of sources) into.add(name);
      all.unconverted.set(code, into);
    }
    for (const field of stats.fields) all.fields.add(field);
    for (const field of stats.numbers) all.numbers.add(field);
    for (const [field, text] of stats.texts) if (!all.texts.has(field)) all.texts.set(field, text);
    joinCases(all.cases, stats.cases);
    for (const [key, value] of stats.dateTexts) if (!all.dateTexts.has(key)) all.dateTexts.set(key, value);
    joinValues(all.values, stats.values);
  }
  return all;
}

/**
 * The errors of a `--where` that threw on some offers: the first few kinds, each cut short, then a count
 * of the offers left. An error quotes the offer's value (`Unable to cast value to a number: "…"`), so
 * each offer's was a line of its own, as long as the vendor made the value: a predicate that threw on
 * 20,000 offers printed 20,000 warnings.
 */
export function whereWarnings(errors: readonly string[], name: string): string[] {
  const cut = errors.map((e) => truncate(e, MAX_DROPPED_ERROR));
  const named = [...new Set(cut)].slice(0, MAX_CODES_NAMED);
  const more = cut.filter((e) => !named.includes(e)).length;
  return more > 0 ? [...named, `${name} threw on ${more} more offer${more === 1 ? '' : 's'}, left out too`] : named;
}

/**
 * Records what `--where` judged of a batch the run keeps: its currencies, which had no rate, and whether
 * each field it compares with a number (`compared`, most often none) was a number or text, whether
 * each field it compares with text by `=` had that text, or had it in another case, and whether a
 * date-time it orders against text was judged otherwise than its time (see WhereChecks).
 */
export function noteJudged(
  judged: readonly Offer[],
  stats: WhereStats,
  where: boolean,
  { compared, equalities, dateTexts, sought }: WhereChecks = NO_CHECKS,
): void {
  if (equalities.length > 0) noteCases(judged, equalities, stats.cases);
  // Said only of a run that kept no offer: once this source kept one, its values are not wanted.
  if (sought.length > 0 && stats.kept === 0) noteValues(judged, sought, stats.values);
  if (dateTexts.length > 0) noteDateTexts(judged, dateTexts, stats.dateTexts);
  for (const o of judged) {
    for (const field of compared) {
      const value = Object.hasOwn(o, field) ? (o as unknown as Record<string, unknown>)[field] : undefined;
      if (typeof value === 'number') stats.numbers.add(field);
      else if (typeof value === 'string' && !stats.texts.has(field)) stats.texts.set(field, value);
    }
    // Only a --where needs them: an Object.keys per offer is no cost every run should pay.
    if (where) {
      for (const k of Object.keys(o)) stats.fields.add(k);
      // The predicate saw an unconverted offer's own amount as these (where.ts, `judged`): without
      // them, `originalCurrency = "JPY"` was warned about as a field no offer has, beside the offer it kept.
      if (o.unconverted) stats.fields.add('originalPrice').add('originalCurrency');
    }
    stats.currencies.add(o.currency);
    if (o.unconverted)
      stats.unconverted.set(o.currency, (stats.unconverted.get(o.currency) ?? new Set()).add(o.source));
  }
}
