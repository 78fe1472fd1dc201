/**
 * What `--sort` compares: a field's value as a number, a duration, a date-time or text whose runs of
 * digits compare as numbers, in that order of groups, each compared within its group.
 */
import { asciiDigits } from '../shared/ascii-digits.js';
import { durationSeconds } from '../shared/duration-text.js';

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
export interface TextKey {
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
export function instantOf(text: string): number | undefined {
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
export function sortValue(v: unknown): number | TextKey | null | undefined {
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
export const groupOf = (v: number | TextKey): number =>
  typeof v === 'number' ? 0 : v.seconds !== undefined ? 1 : v.instant !== undefined ? 2 : 3;

/** Two values of one group: numbers by value; text piece by piece, its numbers by value. */
export function compareValues(a: number | TextKey, b: number | TextKey): number {
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
