/**
 * A duration as vendors write one, read as seconds for sorting: ISO 8601's `PT1H10M` (Amadeus),
 * `P1DT2H` or `PT55M`, and `7h10m`, `1h 5m`, `55m`, `55 min`, `1.5h`. Sorted as digits and text,
 * `PT55M` came after `PT2H` (55 > 2) and `55m` after `1h`: a flight under an hour listed as the longest.
 */

import { asciiDigits } from './ascii-digits.js';

const number = (unit: string) => String.raw`(?<${unit}>\p{Nd}+(?:\.\p{Nd}+)?)`;
// Only days and the time part: ISO's `P1M` before the `T` is a month, a length no calendar fixes.
const ISO = new RegExp(
  `^P(?:${number('d')}D)?(?:T(?:${number('h')}H)?(?:${number('m')}M)?(?:${number('s')}S)?)?$`,
  'iu',
);
// Hours and minutes only: a `1D` or `12s` is as likely a seat or a size as a length of time.
const WRITTEN = new RegExp(
  String.raw`^(?:${number('h')}\s*h(?:ours?|rs?)?\s*)?(?:${number('m')}\s*m(?:in(?:utes?|s)?)?)?$`,
  'iu',
);
/** A part's seconds, or 0 when the text has no such part. */
const seconds = (part: string | undefined, unit: number): number =>
  part === undefined ? 0 : Number(asciiDigits(part)) * unit;

/** The seconds a duration text stands for, or undefined when it is not one (a time of day, `4.5 stars`). */
export function durationSeconds(text: string): number | undefined {
  const trimmed = text.trim();
  const groups = (ISO.exec(trimmed) ?? WRITTEN.exec(trimmed))?.groups;
  if (!groups) return undefined;
  const { d, h, m, s } = groups;
  // `P`, `PT` and the empty text match with no part at all. Summed by hand, not over Object.entries: this
  // runs once per offer under `--sort`, and the entries and arrays tripled rank()'s time for 20,000 offers.
  if (d === undefined && h === undefined && m === undefined && s === undefined) return undefined;
  return seconds(d, 86_400) + seconds(h, 3_600) + seconds(m, 60) + seconds(s, 1);
}
