/**
 * The forms in which a secret's value may reach text: as written, trimmed, JSON-escaped, cleaned,
 * percent-, strictly-, form- and URL-encoded, in either case, and with any run of whitespace.
 */
import { cleanText } from './sanitize.js';
import { isSecretValue } from './secret-value.js';

/** A form to look for: a plain string (fast), or a pattern where only some letters may change case. */
export type Matcher = string | RegExp;

/**
 * `form` as a pattern in which the hex digits of each `%XX` escape match either case (RFC 3986 §2.1:
 * `%2f` and `%2F` are the same octet, and .NET writes the lower case); the rest of the secret keeps
 * its case. A plain string, which is faster, when no escape holds a letter.
 */
function anyCaseHex(form: string): Matcher {
  if (!/%(?:[A-F][0-9A-F]|[0-9][A-F])/.test(form)) return form;
  const hex = (d: string): string => (/[A-F]/.test(d) ? `[${d}${d.toLowerCase()}]` : d);
  const pattern = escapeRegExp(form).replace(
    /%([0-9A-F])([0-9A-F])/g,
    (_, a: string, b: string) => `%${hex(a)}${hex(b)}`,
  );
  return oneRegExp(pattern, 'g') ?? form;
}

/**
 * `m` with each run of spaces in it matching any run of whitespace: a message is redacted before it is
 * cleaned, and cleanText makes a tab, a line break or U+2028 one space, so `Bearer<TAB>sk-…` echoed by
 * a vendor would otherwise come out as the secret `Bearer sk-…` once cleaned.
 */
function anyWhitespace(m: Matcher): Matcher {
  const source = typeof m === 'string' ? escapeRegExp(m) : m.source;
  // A form of spaces only (a value of spaces, or one a tab cleans to a space) stays as it is: as any
  // whitespace it would take every space of every text.
  if (!source.includes(' ') || source.trim() === '') return m;
  const pattern = source.replace(/ +/g, WHITESPACE_RUN);
  // A leading run is matched from where the text's run starts only: tried at each of its characters, a
  // long run of whitespace (an indented page a vendor sends) took time quadratic in its length.
  return oneRegExp(source.startsWith(' ') ? `(?<![\\s\\u0085])${pattern}` : pattern, 'g') ?? m;
}

const WHITESPACE_RUN = '[\\s\\u0085]+';

/** `form` lower-cased but for its `%XX` escapes, which anyCaseHex matches in either case from upper. */
const lowerKeepingEscapes = (form: string): string =>
  form.toLowerCase().replace(/%[0-9a-f]{2}/g, (hex) => hex.toUpperCase());

/** encodeURIComponent, or the value itself where it has a lone surrogate and cannot be encoded. */
function percentEncoded(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return value;
  }
}

/** As RFC 3986 encoders write it (Python's `quote(safe='')`, Go's PathEscape): `!'()*` escaped too. */
const strictlyEncoded = (value: string): string =>
  percentEncoded(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * As a URL writes it in its path and in its query (WHATWG URL, as undici sends it and as a `next`
 * link resolved against the request's URL is printed): a `${VAR}` goes into a URL as written, and
 * the URL escapes only some of it (a space, `"`, `é`), keeping what encodeURIComponent escapes (`/`, `+`, `=`).
 */
function urlEncoded(value: string): string[] {
  const url = new URL('http://h/');
  url.pathname = `/${value}`;
  url.search = `?${value}`;
  return [url.pathname.slice(1), url.search.slice(1)];
}

/** As an `application/x-www-form-urlencoded` body writes it: `+` for a space, `%7E` for `~`, … */
const formEncoded = (value: string): string => new URLSearchParams([['', value]]).toString().slice(1);

/**
 * The forms of every env secret (value → variable name) to look for, longest first, so that a secret
 * containing another is hidden whole; none for a value too short to be one (isSecretValue).
 */
export function secretMatchers(secretNames: Readonly<Record<string, string>>): Matcher[] {
  const forms = new Map<string, Matcher>();
  // A value with spaces around it (`KEY=" sk-123 "`) goes out without them in a header, where HTTP
  // trims them, and map/offer.ts trims a currency: so it is looked for trimmed too. And with each `+` a space:
  // a `${VAR}` goes into a URL as written, and a vendor reads a base64 key's `+` in its query string as
  // a space, and echoes it so (`invalid key: Zk9 q/Lm…`).
  const values = new Set(Object.keys(secretNames).flatMap((value) => [value, value.trim(), ...asQueryReads(value)]));
  for (const value of values) {
    if (!isSecretValue(value)) continue;
    const written = [value, JSON.stringify(value).slice(1, -1), cleanText(value)];
    const encoded = [percentEncoded(value), strictlyEncoded(value), formEncoded(value), ...urlEncoded(value)];
    // Upper-cased: map/offer.ts upper-cases a currency code, so a secret a vendor echoes as its currency comes
    // out so (and in the warning about its rate). Lower-cased: a URL's origin lower-cases its host, so a
    // secret a vendor puts there comes out so in "next page on another origin".
    for (const form of [...written, ...encoded]) {
      for (const cased of [form, form.toUpperCase(), lowerKeepingEscapes(form)]) {
        // A form may be empty or short where the value is not: a URL path resolves `../..` to nothing,
        // and '' hid the gap between every two characters (`e***x***p***e***c***t***e***d`).
        if (!forms.has(cased) && isSecretValue(cased)) forms.set(cased, anyWhitespace(anyCaseHex(cased)));
      }
    }
  }
  return [...forms].sort((a, b) => b[0].length - a[0].length).map(([, matcher]) => matcher);
}

/**
 * The pattern, or undefined past V8's size limit: every form of a 50,000-character `${VAR}` in one
 * pattern threw `Regular expression too large`, and the run ended as an internal error (exit 70). A
 * form's own pattern that is too large falls back to the form as written.
 */
export function oneRegExp(source: string, flags = ''): RegExp | undefined {
  try {
    const pattern = new RegExp(source, flags);
    // V8 compiles a pattern when it first runs, and only then finds it too large.
    pattern.test('');
    return pattern;
  } catch {
    return undefined;
  }
}

/**
 * `value` with each `+` a space, when that differs and is still a secret without its spaces: `+++a` read
 * as `   a` would hide every ` a` of every message.
 */
function asQueryReads(value: string): string[] {
  const spaced = value.replaceAll('+', ' ');
  return spaced !== value && isSecretValue(spaced.trim()) ? [spaced] : [];
}

/** `text` as a pattern that matches it literally. */
export const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
