/**
 * Vendor text is untrusted: before it reaches a terminal, make inert what a terminal would act on,
 * in a form the reader can still see (issue 5: show it, don't drop it). C0 controls and DEL become
 * their Unicode Control Pictures (ESC is `␛`, BEL `␇`), so an escape sequence prints as harmless text
 * like `␛[2J`. C1 controls (0x9b is a one-byte CSI) and the bidi overrides behind "Trojan Source"
 * (CVE-2021-42574), which can reorder what a table shows, become `<U+202E>`, as `less` shows them.
 * Line breaks and tabs become one space: a table row or a log line stays one line.
 */

/**
 * What a terminal acts on beyond C0 (`\x00-\x1f`), as character-class bodies: DEL, C1 and the bidi
 * controls (marks, embeddings and overrides, isolates, the Arabic letter mark); and the line and
 * paragraph separators. One list, so that the JSON escaper (render/json.ts) and this cleaner agree.
 */
export const CONTROLS_ABOVE_C0 = '\\x7f-\\x9f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';
export const LINE_SEPARATORS = '\\u2028\\u2029';

const WHITESPACE_CONTROLS = new RegExp(`[\\t\\n\\v\\f\\r\\u0085${LINE_SEPARATORS}]+`, 'g');
const CONTROLS = new RegExp(`[\\x00-\\x1f${CONTROLS_ABOVE_C0}]`, 'g');
// Every pattern above matches one of these; most vendor text has none, and one scan settles it.
const ANY_UNSAFE = new RegExp(`[\\x00-\\x1f${CONTROLS_ABOVE_C0}${LINE_SEPARATORS}]`);

/** Values nested deeper than this are refused: no vendor needs it, and recursion must stay bounded. */
const MAX_DEPTH = 100;

function visible(ch: string): string {
  const code = ch.charCodeAt(0);
  // U+2400–U+241F picture C0 one to one; U+2421 is DEL's picture.
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
}

/**
 * One line of printable text: line breaks and tabs turned to spaces, other controls shown as visible
 * symbols, and half a surrogate pair as U+FFFD.
 */
export function cleanText(text: string): string {
  // A lone surrogate (a vendor that cut an emoji in two, or sent `"\ud800"`) is no character: a terminal
  // and CSV show U+FFFD, but JSON and NDJSON wrote `"\ud800"`, which strict parsers (Rust's serde_json,
  // I-JSON) refuse, and which Python reads but cannot print: one title made the whole output unreadable.
  const whole = text.isWellFormed() ? text : text.toWellFormed();
  if (!ANY_UNSAFE.test(whole)) return whole;
  return whole.replace(WHITESPACE_CONTROLS, ' ').replace(CONTROLS, visible);
}

const tooDeep = (): RangeError => new RangeError(`a value is nested deeper than ${MAX_DEPTH} levels`);

/** Cleans every string inside a JSON-like value, keys included; throws RangeError past MAX_DEPTH. */
export function cleanValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return cleanText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) throw tooDeep();
  if (Array.isArray(value)) return value.map((v) => cleanValue(v, depth + 1));
  // fromEntries defines own data properties: a vendor's `__proto__` key stays a key.
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [cleanText(k), cleanValue(v, depth + 1)]));
}

/**
 * Throws cleanValue's RangeError when a JSON-like value is nested deeper than MAX_DEPTH, and else
 * nothing: for a value sent on as it is (a poll request's `{{ $response.id }}`), whose text must not change.
 */
export function checkDepth(value: unknown, depth = 0): void {
  if (typeof value !== 'object' || value === null) return;
  if (depth >= MAX_DEPTH) throw tooDeep();
  for (const v of Object.values(value)) checkDepth(v, depth + 1);
}

/**
 * Characters that print as nothing, or as a plain space: a zero-width or no-break space pasted from a
 * web page, a byte order mark from files joined with `cat`. Each is shown as `<U+200B>`.
 */
const INVISIBLE = /(?! )[\p{Cf}\p{Zs}]/gu;

/** `text` with each invisible character shown as `<U+200B>`, as cleanText shows a bidi control. */
export const showInvisible = (text: string): string =>
  text.replace(INVISIBLE, (ch) => `<U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}>`);
