/**
 * The warnings a run ends with (index.ts): what `--where` threw on, offers in several currencies, and
 * offers with no rate or no currency, listed, cut by the limit, or left out by `--where`.
 */

import { MAX_DROPPED_ERROR } from '../map/index.js';
import { truncate } from '../shared/truncate.js';
import { NO_CURRENCY, type Offer } from '../types.js';

/**
 * How `--where` fared over the run: offers judged, an error per offer it threw on, and what the offers
 * it judged were, so that the currency warnings speak of every offer, not only of those it kept: the
 * currencies they came in, and the sources of offers with no rate to the ranking currency.
 */
export interface WhereStats {
  tried: number;
  errors: string[];
  currencies: Set<string>;
  unconverted: Map<string, Set<string>>;
  /** Every field of the offers it judged, for a warning about a field none has. */
  fields: Set<string>;
  /** Of the fields it compares with a number, those some offer has as a number. */
  numbers: Set<string>;
  /** Of the fields it compares with a number, the first text value of each that an offer has as text. */
  texts: Map<string, string>;
}

/** A tally of nothing judged yet. */
export const emptyWhereStats = (): WhereStats => ({
  tried: 0,
  errors: [],
  currencies: new Set(),
  unconverted: new Map(),
  fields: new Set(),
  numbers: new Set(),
  texts: new Map(),
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
  }
  return all;
}

/**
 * Currency codes as a warning names them: each cut short, and past MAX_CODES_NAMED only counted. A
 * mapping that took `currency` from a field that differs on each offer (an id, a title) named 20,000
 * of them, each as long as the vendor made it: one warning line of megabytes.
 */
const MAX_CODES_NAMED = 5;
const MAX_CODE_SHOWN = 16;
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
function perCode(
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

/** How many offers come in each currency, in the order the currencies first came. */
function currencyCounts(offers: readonly Offer[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const o of offers) counts.set(o.currency, (counts.get(o.currency) ?? 0) + 1);
  return counts;
}

/**
 * With no currency configured, rank in the one most of the listed offers use, and say so when the
 * offers judged (`seen`: the currencies of every offer `--where` judged, or of the listed ones) came in several.
 */
export function commonCurrency(
  listed: readonly Offer[],
  seen: ReadonlySet<string>,
  warnings: string[],
): string | undefined {
  // An offer with no currency at all must not decide the currency of the others.
  const codes = [...seen].filter((code) => code !== NO_CURRENCY);
  if (codes.length > 1) {
    warnings.push(
      `offers come in ${codeList(codes)}; set \`currency\` and \`rates\` in the sources file to rank them together`,
    );
  }
  const counts = [...currencyCounts(listed)].filter(([code]) => code !== NO_CURRENCY);
  return counts.sort((a, b) => b[1] - a[1])[0]?.[0];
}

/**
 * Records what `--where` judged of a batch the run keeps: its currencies, which had no rate, and whether
 * each field it compares with a number (`compared`, most often none) was a number or text.
 */
export function noteJudged(
  judged: readonly Offer[],
  stats: WhereStats,
  where: boolean,
  compared: readonly string[] = [],
): void {
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

/**
 * Says which of the listed offers have no rate. `listedLast` when they come after converted ones: only a
 * ranking by price puts them there (under `--sort stops` an unconverted non-stop still comes first, and a
 * warning saying otherwise would hide it), and only when some offer was converted. A code whose offers the
 * limit (`--limit`, `-s best`) all cut is said to be cut only when it was for its currency (`byPrice`):
 * after the converted offers, or, with none converted, after the codes before it (`-s best --currency
 * CHF` picked €64.50 over $60.99 without a word about the dollar offers). Under `--sort stops` it was cut
 * for its stops, as converted offers are.
 */
export function noteUnconverted(
  listed: readonly Offer[],
  ranked: readonly Offer[],
  currency: string | undefined,
  {
    byPrice,
    listedLast,
    mapsCurrency = new Set(),
  }: { byPrice: boolean; listedLast: boolean; mapsCurrency?: ReadonlySet<string> },
  warnings: string[],
): void {
  const shown = new Set(listed.filter((o) => o.unconverted).map((o) => o.currency));
  const cut = byPrice ? ranked.filter((o) => o.unconverted && !shown.has(o.currency)) : [];
  noteUnconvertedListed(listed, currency, listedLast, mapsCurrency, warnings);
  const byCode = sourcesByCode(cut);
  const why = listedLast
    ? 'come after the others, and the limit left them out'
    : 'are grouped by currency, as amounts in different currencies do not compare, and the limit left them out';
  const missing = byCode.get(NO_CURRENCY);
  if (missing) warnings.push(`${noCurrency([...missing], mapsCurrency)}. Those offers ${why}`);
  const noRate = [...byCode].filter(([code]) => code !== NO_CURRENCY);
  // The listed codes' lines count towards the five: 2 listed and 5 cut were 7 lines, one a code.
  const listedCodes = [...shown].filter((code) => code !== NO_CURRENCY).length;
  const listedLines = listedCodes > MAX_CODES_NAMED ? 1 : listedCodes;
  for (const line of perCode(
    noRate,
    (named) => `no rate for ${named} to ${currency}: those offers ${why}`,
    Math.max(0, MAX_CODES_NAMED - listedLines),
  ))
    warnings.push(line);
}

/**
 * The warning for sources whose offers gave no currency, and its fix. A source that maps `currency` and got
 * nothing has a path that finds nothing (`header.currency` for `$response.header.currency`): told only to
 * set `currency:`, the reader fixed a symptom, and the rates of a vendor that prices in several were lost.
 */
function noCurrency(sources: readonly string[], mapsCurrency: ReadonlySet<string>): string {
  const mapped = sources.filter((s) => mapsCurrency.has(s));
  if (mapped.length === 0) return `${sources.join(', ')} gave no currency; set \`currency:\` on the source`;
  const which = mapped.length === sources.length ? '' : ` of ${mapped.join(', ')}`;
  return `${sources.join(', ')} gave no currency: fields.currency${which} found nothing; is the path right (\`$response\` is the whole answer)? Or set \`currency:\` on the source`;
}

/** The sources of the unconverted offers of each currency code, in the order the codes first came. */
function sourcesByCode(offers: readonly Offer[]): Map<string, Set<string>> {
  const byCode = new Map<string, Set<string>>();
  for (const o of offers) {
    if (!o.unconverted) continue;
    const sources = byCode.get(o.currency) ?? new Set<string>();
    sources.add(o.source);
    byCode.set(o.currency, sources);
  }
  return byCode;
}

/** noteUnconverted's warnings for the offers that are listed. */
function noteUnconvertedListed(
  offers: readonly Offer[],
  currency: string | undefined,
  listedLast: boolean,
  mapsCurrency: ReadonlySet<string>,
  warnings: string[],
): void {
  if (currency === undefined) {
    // No ranking currency: every listed offer came without one, so none is marked unconverted; still say so.
    const sources = [...new Set(offers.filter((o) => o.currency === NO_CURRENCY).map((o) => o.source))];
    if (sources.length > 0) warnings.push(noCurrency(sources, mapsCurrency));
    return;
  }
  // The sources of each code with no rate, from one pass: a pass over every offer per code took 36 s
  // for 20,000 offers whose `currency` was mapped from a field that differs on each (an id, a URL).
  // Every offer of such a code is unconverted: a code has a rate or not, whatever the offer.
  const byCode = sourcesByCode(offers);
  const placed = listedLast ? 'listed after the others, ' : '';
  const noRate = [...byCode].filter(([code]) => code !== NO_CURRENCY);
  const missing = byCode.get(NO_CURRENCY);
  if (missing)
    warnings.push(
      `${noCurrency([...missing], mapsCurrency)}${listedLast ? '. Those offers are listed after the others' : ''}`,
    );
  for (const line of perCode(
    noRate,
    (named) => `no rate for ${named} to ${currency}: those offers are ${placed}unconverted`,
  ))
    warnings.push(line);
}

/**
 * Offers with no rate that `--where` left out, all of a currency: no price in the ranking currency to
 * compare. Said, or a flight's cheapest fare could vanish without a word.
 */
export function noteFilteredOut(
  unconverted: ReadonlyMap<string, ReadonlySet<string>>,
  listed: readonly Offer[],
  currency: string | undefined,
  where: string,
  warnings: string[],
): void {
  const shown = new Set(listed.filter((o) => o.unconverted).map((o) => o.currency));
  const left = [...unconverted].filter(([code]) => !shown.has(code));
  const missing = left.find(([code]) => code === NO_CURRENCY)?.[1];
  if (missing) {
    const from = [...missing].join(', ');
    warnings.push(
      `${from} gave no currency; ${where} left out those offers: they have no ${currency} price to compare`,
    );
  }
  const noRate = left.filter(([code]) => code !== NO_CURRENCY);
  // As noteUnconverted (stopping at the fifth code left the others out without a word).
  const say = (named: string, from: string, grouped: boolean) =>
    `no rate for ${named} to ${currency}: ${where} left out the offers in ${grouped ? 'them' : named} (${from}): they have no ${currency} price to compare`;
  for (const line of perCode(noRate, say)) warnings.push(line);
}
