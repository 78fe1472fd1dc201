/**
 * Vendor text is untrusted: before it reaches a terminal, drop what a terminal would act on.
 * ECMA-48 escape sequences (CSI, OSC, …), C0 and C1 controls, DEL, and the bidi overrides
 * behind "Trojan Source" (CVE-2021-42574), which can reorder what a table shows.
 */

// OSC/DCS/APC/PM/SOS strings run to BEL or ST; CSI ends at a final byte 0x40–0x7E; other ESC takes one byte.
const ESCAPES = /\x1b(?:[\]P^_X][^\x07\x1b]*(?:\x07|\x1b\\)?|\[[0-?]*[ -/]*[@-~]?|[@-Z\\-_]?)|\x9b[0-?]*[ -/]*[@-~]?/g;
const WHITESPACE_CONTROLS = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;
const CONTROLS = /[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// Every pattern above starts with one of these; most vendor text has none, and one scan settles it.
const ANY_UNSAFE = /[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

/** One line of printable text: escapes removed, line breaks turned to spaces, controls dropped. */
export function cleanText(text: string): string {
  if (!ANY_UNSAFE.test(text)) return text;
  return text.replace(ESCAPES, '').replace(WHITESPACE_CONTROLS, ' ').replace(CONTROLS, '');
}

/** Cleans every string inside a JSON-like value, keys included. */
export function cleanValue(value: unknown): unknown {
  if (typeof value === 'string') return cleanText(value);
  if (Array.isArray(value)) return value.map(cleanValue);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [cleanText(k), cleanValue(v)]));
  }
  return value;
}
