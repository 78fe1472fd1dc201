/**
 * ASCII for any script's digits, shared by the text sort (rank/sort-value.ts) and duration reading (duration-text.ts).
 * Unicode encodes each script's digits 0 to 9 in a row (sets back to back, as the mathematical ones are):
 * a digit's value is how many digits precede it in its run, mod 10.
 */

const ASCII_DIGITS = /^[0-9.]+$/;
const DIGIT = /^\p{Nd}$/u;

/** `text`, a run of digits (and dots), in ASCII digits; ASCII text is returned as it is, at once. */
export function asciiDigits(text: string): string {
  if (ASCII_DIGITS.test(text)) return text;
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    if (cp < 0x80) {
      out += ch;
      continue;
    }
    let before = 0;
    while (DIGIT.test(String.fromCodePoint(cp - before - 1))) before++;
    out += String(before % 10);
  }
  return out;
}
