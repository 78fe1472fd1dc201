/**
 * Currency conversion and ordering. Prices are ranked in one currency; an offer that cannot be
 * converted is never ranked as if it were in that currency: it goes after the others, marked.
 */
import { asciiDigits } from './shared/ascii-digits.js';
import { durationSeconds } from './shared/duration-text.js';
import { withoutNoise } from './shared/price-noise.js';
import type { Offer } from './types.js';

/** Rates as in the config: units of `base` per unit of each key. */
export interface Rates {
  readonly base?: string | undefined;
  readonly rates: Readonly<Record<string, number>>;
}

/**
 * Rounds to `digits` decimals, a half up, as Intl writes the price. The scaled amount is read to 15
 * significant digits first: 2.135 × 100 is 213.49999999999997 in binary, and that noise must not
 * round a half down (adding EPSILON only helped below 2: 2.135 came out 2.13).
 */
const roundTo = (x: number, digits: number): number => {
  // From 2^52 up a double is a whole number, with no decimals to round; scaled, it could pass
  // Number.MAX_VALUE: $1.3e308 (£1e308) × 100 was Infinity, and the offer was dropped as too large.
  if (!(Math.abs(x) < 2 ** 52)) return withoutNoise(x);
  const scale = 10 ** digits;
  return Math.round(Number((x * scale).toPrecision(15))) / scale;
};

/** Rounds to cents. */
export const toCents = (x: number): number => roundTo(x, 2);

/**
 * Intl's answer for the codes most searches rank in, known without asking it: the first NumberFormat
 * loads ICU's currency data, about 6 MB and 10 ms that a JSON search otherwise never spends (take-first's
 * peak RSS went 68 → 74 MB once an offer already in USD was written to its minor units). Each is checked
 * against Intl in test/rank.test.ts.
 */
export const KNOWN_MINOR_UNITS: Readonly<Record<string, number>> = {
  USD: 2,
  EUR: 2,
  GBP: 2,
  CAD: 2,
  AUD: 2,
  CHF: 2,
  CNY: 2,
  INR: 2,
  SEK: 2,
  NOK: 2,
  DKK: 2,
  PLN: 2,
  JPY: 0,
  KRW: 0,
};

// Intl knows each ISO code's minor units (JPY 0, KWD 3); looking them up costs a NumberFormat, so once per code.
const minorUnits = new Map<string, number>(Object.entries(KNOWN_MINOR_UNITS));

/** How many decimals an amount in `currency` is written with: Intl's, or 2 for a code it does not know. */
export function decimalsOf(currency: string): number {
  let digits = minorUnits.get(currency);
  if (digits === undefined) {
    try {
      digits =
        new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    minorUnits.set(currency, digits);
  }
  return digits;
}

/**
 * The unrounded price of each converted offer. The offer shows its price rounded to the currency's
 * minor units, as a price is written; ranking compares the unrounded one, or ¥1,499.50 and ¥1,500 would
 * both be $10.05 and tie, and the dearer could come first. Keyed by the offer object, which is
 * immutable from conversion to ranking.
 */
const exactPrices = new WeakMap<Offer, number>();

/**
 * The price an offer is ranked by: the unrounded converted one, or its own, both without binary noise
 * (€3 at 1.1 is 3.3000000000000003, and must tie with a $3.30 listed before it: file order). Mapping
 * already takes the noise out of a vendor's price; an offer a library caller made may still have it.
 */
const rankedPrice = (offer: Offer): number => {
  const exact = exactPrices.get(offer);
  if (exact !== undefined) return exact;
  const x = offer.price;
  return typeof x === 'number' ? withoutNoise(x) : x;
};

/** Units of `to` per unit of `from`, or undefined when no rate connects them. */
export function rateBetween(from: string, to: string, { base, rates }: Rates): number | undefined {
  if (from === to) return 1;
  const perBase = (code: string): number | undefined => (code === base ? 1 : rates[code]);
  const a = perBase(from);
  const b = perBase(to);
  return a === undefined || b === undefined ? undefined : a / b;
}

/** Returns the offer in `target` currency, keeping the vendor's values in `original*`. */
export function convert(offer: Offer, target: string, rates: Rates): Offer {
  if (offer.currency === target) return rounded(offer, target);
  const rate = rateBetween(offer.currency, target, rates);
  if (rate === undefined) return { ...offer, unconverted: true };
  // Free is free at any rate: 0 × an overflowed cross rate (1e300 / 1e-10) is NaN, dropped as too large.
  const exact = offer.price === 0 ? 0 : offer.price * rate;
  const converted = {
    ...offer,
    price: roundTo(exact, decimalsOf(target)),
    currency: target,
    originalPrice: offer.price,
    originalCurrency: offer.currency,
  };
  exactPrices.set(converted, withoutNoise(exact));
  return converted;
}

/**
 * An offer already in `target`, its price written to the currency's minor units as a converted one is,
 * the vendor's amount kept in `original*`. A milli-unit $10.003 stayed whole beside a converted €9.095
 * shown as $10.00 (exact 10.0045): JSON listed 10.003 above 10, and `--where 'price <= 10'` kept the
 * dearer offer and dropped the cheaper. It is still ranked by its exact amount.
 */
function rounded(offer: Offer, target: string): Offer {
  const digits = decimalsOf(target);
  const scale = 10 ** digits;
  // Most prices are written in minor units already: settled without roundTo's toPrecision, once an offer.
  if (Math.round(offer.price * scale) / scale === offer.price) return offer;
  const price = roundTo(offer.price, digits);
  if (price === offer.price || !Number.isFinite(price)) return offer;
  const out = { ...offer, price, originalPrice: offer.price, originalCurrency: offer.currency };
  exactPrices.set(out, withoutNoise(offer.price));
  return out;
}

/** An offer's own field: `--sort constructor` must not read Object.prototype's. */
export const ownField = (offer: Offer, field: string): unknown =>
  Object.hasOwn(offer, field) ? offer[field] : undefined;

/** How offers are ordered: a field, and a direction. */
export interface SortSpec {
  readonly field: string;
  readonly desc: boolean;
}

/** An offer with what sorting asks of it, read once rather than at each of its ~n log n comparisons. */
type Keyed = {
  offer: Offer;
  order: number;
  value: number | TextKey | null | undefined;
  missing: boolean;
  unconverted: boolean;
  price: number;
};

// English collation, made once for the run (localeCompare looks one up per call): `base` compares the
// text between numbers, ignoring case and accents; `full` breaks the ties that leaves.
let collators: { base: Intl.Collator; full: Intl.Collator } | undefined;

/** Text that is a number, as vendors send prices and counts (`"12.50"`, `"3"`): sorted as that number. */
export const NUMERIC_TEXT = /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*$/;

/**
 * Text as it sorts: its runs of digits (with a decimal part: `4.25`) as numbers, and the text between
 * them. Durations, times and ratings sort as they read: `7h10m` before `13h20m`, `9:05` before `10:30`,
 * `4.25 stars` before `4.5 stars`.
 */
interface TextKey {
  readonly text: string;
  readonly pieces: readonly (string | Digits)[];
  /** The length of time a duration text (`PT55M`, `1h10m`) stands for: durations sort by it. */
  readonly seconds?: number;
  /** The instant (ms since the epoch) an ISO 8601 date-time stands for (see instantOf). */
  readonly instant?: number;
}

// An ISO 8601 date-time, with its offset from UTC or not: `2026-12-20T08:30:00-05:00`, `…T13:30Z`, `… 09:05`;
// or a date alone (`2026-12-20`), as its midnight. Compared by its digits, a date beside zoned date-times
// made the order the input's: `2026-12-20` came before `…20T01:00Z` by digits, which came before
// `…19T23:00-05:00` by instant, which came before `2026-12-20` by digits.
const DATE_TIME =
  /^\s*(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d{1,9}))?)?\s*(?:(Z)|([-+])(\d\d):?(\d\d))?)?\s*$/i;

/**
 * The instant a date-time stands for. Its digits read in order only within one offset: 08:30 in New
 * York (-05:00) is after 09:05 in Frankfurt (+01:00). One without an offset is local to somewhere
 * unknown; it is read as if in UTC, which keeps the local ones in the order of their digits, and makes
 * every date-time comparable with every other: compared by digits with some and by instant with others,
 * a field with both would sort in no order at all.
 */
function instantOf(text: string): number | undefined {
  const m = DATE_TIME.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '', , sign, oh = '0', om = '0'] = m;
  // setUTCFullYear, not Date.UTC: that reads years 0–99 as 1900–1999.
  const at = new Date(0);
  at.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  // No date that is none (`2024-00-15`, `2026-02-30`): Date rolls it over into another month, and the
  // field then sorts in no one order. Such a text is other text, after the date-times (groupOf).
  const real = at.getUTCMonth() === Number(mo) - 1 && at.getUTCDate() === Number(d);
  // 24:00 is ISO 8601's end of a day, the next one's midnight; no other time past 23:59.
  const endOfDay = Number(h) === 24 && Number(mi) === 0 && Number(sec) === 0 && Number(frac || '0') === 0;
  const badTime = (Number(h) > 23 && !endOfDay) || Number(mi) > 59 || Number(sec) > 60;
  if (!real || badTime || Number(oh) > 23 || Number(om) > 59) {
    return undefined;
  }
  const offset = (Number(oh) * 60 + Number(om)) * 60_000 * (sign === '-' ? -1 : 1);
  const time = ((Number(h) * 60 + Number(mi)) * 60 + Number(sec)) * 1000;
  return at.getTime() + time - offset + Number(`0.${frac || '0'}`) * 1000;
}

/**
 * A run of digits as a number, compared exactly: its whole part without leading zeros and its decimal
 * part without trailing zeros, in ASCII digits. A double would tie 20-digit references that differ
 * (and put `x99999999999999999999` after `x100000000000000000001`); digits of other scripts (`１０`,
 * `١٠`) are numbers too, as Intl's numeric collation read them.
 */
interface Digits {
  readonly whole: string;
  readonly fraction: string;
  /** As written: compared with the text around numbers when a number meets text. */
  readonly text: string;
}

// A decimal (`4.25`) is one number, but not inside a chain of dots: `1.10.2` and `10.0.0.9` are versions
// and addresses, whose parts compare one by one (1.10.2 after 1.9.3).
const PIECES = /(?<!\p{Nd}\.)\p{Nd}+\.\p{Nd}+(?!\.\p{Nd})|\p{Nd}+|\P{Nd}+/gu;
const DIGIT = /^\p{Nd}$/u;

function digits(text: string): Digits {
  const [whole = '', fraction = ''] = asciiDigits(text).split('.');
  return { whole: whole.replace(/^0+/, ''), fraction: fraction.replace(/0+$/, ''), text };
}

/** Two runs of digits by value: a longer whole part is larger; then digit by digit. */
function compareDigits(a: Digits, b: Digits): number {
  if (a.whole.length !== b.whole.length) return a.whole.length < b.whole.length ? -1 : 1;
  if (a.whole !== b.whole) return a.whole < b.whole ? -1 : 1;
  if (a.fraction !== b.fraction) return a.fraction < b.fraction ? -1 : 1;
  return 0;
}

function textKey(text: string): TextKey {
  const pieces = (text.match(PIECES) ?? []).map((p) => {
    const first = p.codePointAt(0) as number;
    const isDigits = first < 0x80 ? first >= 0x30 && first <= 0x39 : DIGIT.test(String.fromCodePoint(first));
    return isDigits ? digits(p) : p;
  });
  const seconds = durationSeconds(text);
  if (seconds !== undefined) return { text, pieces, seconds };
  const instant = instantOf(text);
  return instant === undefined ? { text, pieces } : { text, pieces, instant };
}

/**
 * A value to sort by: a number, numeric text as its number (so that `"11"` comes after `2` and `"2"`),
 * or any other value as text, cut into pieces once rather than at each comparison; blank text is no
 * value at all, and sorts with the missing ones.
 */
function sortValue(v: unknown): number | TextKey | null | undefined {
  // NaN (a mapping's `0 / 0`) is no value, as JSON writes it null: compared, it is neither below nor
  // above anything, and the sort's order would be arbitrary.
  if (typeof v === 'number' && Number.isNaN(v)) return undefined;
  if (v === undefined || v === null || typeof v === 'number') return v;
  // Not String(v) for an object: a vendor's `{"toString": "x"}` would make it throw.
  const text = typeof v === 'object' ? (JSON.stringify(v) ?? '') : String(v);
  if (typeof v === 'string' && text.trim() === '') return undefined;
  return typeof v === 'string' && NUMERIC_TEXT.test(text) ? Number(text) : textKey(text);
}

/**
 * Numbers, durations, date-times and other values in four groups, in that order whichever the direction:
 * `--desc` reverses the order within each, so that `--sort rating --desc` does not put "N/A" above 4.8.
 * (Comparing a number with text as text would make `2 < "11" < "2"`, and the sort arbitrary.) Durations
 * are a group of their own: compared by length of time with each other, and never with a number, whose
 * unit is unknown. So are date-times, compared by instant: a date that is none (`2026-02-30`) compared by
 * its digits with them came before `2026-03-01T01:00+05:00`, which came before `2026-02-28T22:00Z` by
 * instant, which came before `2026-02-30` by digits, and the order was the input's.
 */
const groupOf = (v: number | TextKey): number =>
  typeof v === 'number' ? 0 : v.seconds !== undefined ? 1 : v.instant !== undefined ? 2 : 3;

/** Two values of one group: numbers by value; text piece by piece, its numbers by value. */
function compareValues(a: number | TextKey, b: number | TextKey): number {
  if (typeof a === 'number') return a === b ? 0 : a < (b as number) ? -1 : 1;
  // Two durations of one length, or date-times of one instant, tie however each is written (`PT7H10M`
  // and `7h 10m`, `22:30Z` and `17:30-05:00`): compared as text, the same flight from two vendors was
  // ordered by notation, a $700 one before the $650 one under --desc, and not cheapest first.
  const s = a.seconds;
  const t = (b as TextKey).seconds;
  if (s !== undefined && t !== undefined) return s === t ? 0 : s < t ? -1 : 1;
  // Two date-times compare as instants (one without an offset as if in UTC: see instantOf).
  const i = a.instant;
  const j = (b as TextKey).instant;
  if (i !== undefined && j !== undefined) return i === j ? 0 : i < j ? -1 : 1;
  const x = a.pieces;
  const y = (b as TextKey).pieces;
  collators ??= { base: new Intl.Collator('en', { sensitivity: 'base' }), full: new Intl.Collator('en') };
  for (let i = 0; i < x.length && i < y.length; i++) {
    const p = x[i] as string | Digits;
    const q = y[i] as string | Digits;
    // Most pieces are the same text (the `h` of `7h10m`): no collator needed for those.
    if (p === q) continue;
    if (typeof p !== 'string' && typeof q !== 'string') {
      const c = compareDigits(p, q);
      if (c !== 0) return c;
      continue;
    }
    const c = collators.base.compare(typeof p === 'string' ? p : p.text, typeof q === 'string' ? q : q.text);
    if (c !== 0) return c;
  }
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return collators.full.compare(a.text, (b as TextKey).text);
}

/**
 * Offers that tie on another `--sort` field, cheapest first whichever the direction: `--sort stops`
 * must not put a $500 non-stop before a $330 one because its source comes first in the file.
 * Unconverted offers go after converted ones, grouped by currency; equal prices keep input order.
 */
function cheaperFirst(x: Keyed, y: Keyed): number {
  const xu = Boolean(x.offer.unconverted);
  const yu = Boolean(y.offer.unconverted);
  if (xu !== yu) return xu ? 1 : -1;
  if (xu && x.offer.currency !== y.offer.currency) return x.offer.currency < y.offer.currency ? -1 : 1;
  return x.price === y.price ? x.order - y.order : x.price < y.price ? -1 : 1;
}

/**
 * Sorts offers and numbers them from 1. Missing values sort last either way, and unconverted
 * offers go after converted ones when sorting by price. Ties on another field (and offers without
 * it) go cheapest first;
 * other ties keep arrival into `offers`, which the caller builds in file order, then item order: the
 * same responses give the same ranking.
 */
export function rank(offers: readonly Offer[], { field, desc }: SortSpec): Offer[] {
  const byPrice = field === 'price';
  const keyed: Keyed[] = offers.map((offer, order) => {
    const value = sortValue(byPrice ? rankedPrice(offer) : ownField(offer, field));
    const unconverted = byPrice && Boolean(offer.unconverted);
    // Only a tie on another field reads it (cheaperFirst); under price the value is the price.
    const price = byPrice ? 0 : rankedPrice(offer);
    return { offer, order, value, missing: value === undefined || value === null, unconverted, price };
  });
  keyed.sort((x, y) => {
    if (x.unconverted || y.unconverted) {
      if (!x.unconverted || !y.unconverted) return x.unconverted ? 1 : -1;
      // Numbers in different currencies don't compare: group unconverted offers by currency.
      if (x.offer.currency !== y.offer.currency) return x.offer.currency < y.offer.currency ? -1 : 1;
    }
    // Offers without the field tie with each other: by price, like any tie on another field.
    if (x.missing || y.missing) {
      if (x.missing !== y.missing) return x.missing ? 1 : -1;
      return byPrice ? x.order - y.order : cheaperFirst(x, y);
    }
    const group = groupOf(x.value as number | TextKey) - groupOf(y.value as number | TextKey);
    if (group !== 0) return group;
    const c = compareValues(x.value as number | TextKey, y.value as number | TextKey);
    if (c !== 0) return desc ? -c : c;
    return byPrice ? x.order - y.order : cheaperFirst(x, y);
  });
  // `rank` first, set after the copy: a key added after a spread costs V8 a slow path per object
  // (22 vs 8 ms for 20,000 offers), and setting it afterwards still overrides any rank the offer had.
  return keyed.map(({ offer }, i) => {
    const ranked = { rank: 0, ...offer };
    ranked.rank = i + 1;
    return ranked;
  });
}
