/**
 * A duration as vendors write one, read as seconds for sorting: ISO 8601's `PT1H10M` (Amadeus),
 * `P1DT2H` or `PT55M`, and `7h10m`, `1h 5m`, `55m`, `55 min`, `1.5h`. Sorted as digits and text,
 * `PT55M` came after `PT2H` (55 > 2) and `55m` after `1h`: a flight under an hour listed as the longest.
 */

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
const UNIT_SECONDS = { d: 86_400, h: 3_600, m: 60, s: 1 } as const;

/** A run of any script's digits (and a decimal part) as a number: Unicode encodes each script's 0–9 in a row. */
function numberOf(text: string): number {
  let ascii = '';
  for (const ch of text) {
    if (ch === '.') {
      ascii += '.';
      continue;
    }
    const cp = ch.codePointAt(0) as number;
    let zero = cp;
    while (/^\p{Nd}$/u.test(String.fromCodePoint(zero - 1))) zero--;
    ascii += String((cp - zero) % 10);
  }
  return Number(ascii);
}

/** The seconds a duration text stands for, or undefined when it is not one (a time of day, `4.5 stars`). */
export function durationSeconds(text: string): number | undefined {
  const trimmed = text.trim();
  const groups = (ISO.exec(trimmed) ?? WRITTEN.exec(trimmed))?.groups;
  if (!groups) return undefined;
  const parts = Object.entries(UNIT_SECONDS).flatMap(([unit, seconds]) => {
    const part = groups[unit];
    return part === undefined ? [] : [numberOf(part) * seconds];
  });
  // `P`, `PT` and the empty text match with no part at all.
  return parts.length === 0 ? undefined : parts.reduce((a, b) => a + b, 0);
}
