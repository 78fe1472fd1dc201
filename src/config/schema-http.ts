/**
 * What the sources file may write for HTTP, for the object schemas (schema-*.ts): header names and values that
 * undici will send, and http(s) URLs with a host and no credentials, each with the hint the author needs.
 */
import * as z from 'zod';
import { SINGLE_BRACES_PATTERN } from './single-braces.js';

const PLACEHOLDER = /\{\{.+?\}\}/gs;
// RFC 9110 token characters: anything else cannot be sent as a header name.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

// What undici sends in a header value (its headerCharRegex); anything else fails every request as an
// "invalid request" naming no header. Only the text the file writes is checked: a `{{ }}` value is the query's.
const HEADER_CHAR = '[\\t\\x20-\\x7e\\x80-\\xff]';
const HEADER_TEXT = new RegExp(`^${HEADER_CHAR}*$`);
const headerText = (v: string): string => v.replace(PLACEHOLDER, 'x');
/**
 * The two refines below as one pattern, for the JSON Schema only: an editor passed a `|` block's value, which
 * ends in a line break, and a pasted control character. A `{{ }}` may hold anything, as headerText lets it;
 * `(?=(…))\1` takes a placeholder whole, as PLACEHOLDER does, so no text is read two ways (which, tried
 * every way on a long value, would hang the editor).
 */
const HEADER_VALUE_PATTERN = `^(?:(?=(\\{\\{[\\s\\S]+?\\}\\}))\\1|(?!\\{\\{[\\s\\S]+?\\}\\})${HEADER_CHAR})*$`;
const HeaderValue = z
  .string()
  .refine(
    (v) => !/[\r\n]/.test(headerText(v)),
    // A `${VAR}`'s value is the other usual source: a key read from a .env file with Windows line ends
    // (`KEY=abc\r`) was told only of YAML blocks, which the file does not have.
    `has a line break, which a header cannot carry (a \`|\` or \`>\` block ends in one: write \`>-\`, or a quoted string; so does a \`\${VAR}\` value read from a file with Windows line ends)`,
  )
  .refine(
    (v) => /[\r\n]/.test(headerText(v)) || HEADER_TEXT.test(headerText(v)),
    'has a control character or one past U+00FF, which a header cannot carry',
  )
  .meta({ pattern: HEADER_VALUE_PATTERN, not: { pattern: SINGLE_BRACES_PATTERN } });

// Headers of the connection itself, which undici sets and refuses from a caller: copied from a curl or
// Postman export, each failed every request as `invalid request` (or `expect header not supported`), naming no header.
const CLIENT_HEADERS: readonly string[] = ['transfer-encoding', 'keep-alive', 'upgrade', 'expect'];
/** `name` matched in any case, as a JSON Schema pattern (which has no flag for it): `[Ee][Xx]…`. */
const anyCase = (name: string): string => name.replace(/[a-z]/g, (c) => `[${c.toUpperCase()}${c}]`);
/** The names refused below, for the JSON Schema: an editor passed a curl export's `Content-Length`. */
const REFUSED_HEADER_NAMES = `^(?:${[...CLIENT_HEADERS, 'content-length'].map(anyCase).join('|')})$`;
const HeaderName = z
  .string()
  .regex(HEADER_NAME, 'is not a valid header name')
  .refine(
    (name) => !CLIENT_HEADERS.includes(name.toLowerCase()),
    'is one the HTTP client sets itself and refuses from a request, which would fail every time; leave it out',
  )
  // The body's length, which a template changes with the query: a fixed one (a curl or Postman export's)
  // failed the request as `body length mismatch` when it was sent, naming no header.
  .refine(
    (name) => name.toLowerCase() !== 'content-length',
    "is the body's length, which the HTTP client sets itself from the body it sends; leave it out",
  )
  .meta({ not: { pattern: REFUSED_HEADER_NAMES } });

export const Headers = z.record(HeaderName, HeaderValue);

// The URL parser forgives what a file should not say: `https:///x` (an empty `${HOST}`, say) and
// `https:x` both come out as `https://x/`, a host nobody wrote.
const WRITTEN_HOST = /^https?:\/\/[^/\\?#]/i;

/** True when `url`, with each `{{ }}` placeholder replaced by a dummy value, is an http(s) URL with a host. */
export function isHttpUrl(url: string): boolean {
  const text = url.replace(PLACEHOLDER, 'x');
  try {
    const { protocol } = new URL(text);
    return (protocol === 'http:' || protocol === 'https:') && WRITTEN_HOST.test(text.trim());
  } catch {
    return false;
  }
}

/**
 * True when `url` names a user or password (`https://user:pass@host/`). undici sends only the origin
 * and path, so they would be dropped in silence and the vendor's 401 would blame a key that never left;
 * a search then found it as a row (`credentials in a URL … are not sent`), where it is a mistake in the
 * file. A `{{ }}` cannot put them there: its value is percent-encoded, `@` and `:` included.
 */
export function hasUserInfo(url: string): boolean {
  try {
    const { username, password } = new URL(url.replace(PLACEHOLDER, 'x').trim());
    return username !== '' || password !== '';
  } catch {
    return false;
  }
}

export const userInfoRefused = {
  error:
    'carries `user:pass@`, which is never sent: put the credentials in an `Authorization` header (`headers:`), from the environment',
};

/** `user:pass@` after the scheme, before the host: for the JSON Schema, as hasUserInfo for the loader. */
export const USER_INFO_PATTERN = '^\\s*[A-Za-z][A-Za-z\\d+.-]*://[^/\\\\?#]*@';

/**
 * The start of what isHttpUrl takes, for the JSON Schema only (the refine, with its hints, is the loader's):
 * an editor passed `api.example.com/search` and `{{base}}/search`, which agg refuses. Letters in either case,
 * as `new URL` reads the scheme; a JSON Schema pattern has no flag for it.
 */
export const HTTP_URL_START = '^\\s*[Hh][Tt][Tt][Pp][Ss]?://[^/\\\\?#]';
/** The same for `tokenUrl`, which is no template: a `{{ }}` anywhere in it is refused. */
export const TOKEN_URL_START = `^(?![\\s\\S]*\\{\\{)${HTTP_URL_START.slice(1)}`;

/**
 * `api.example.com/search`: a browser's address bar adds the scheme, and agg does not, so "must be an
 * http(s) URL" alone left the author looking at a URL that opens fine. The host is shown written out.
 */
export const notHttpUrl = {
  error: (iss: { input?: unknown }) => {
    const text = String(iss.input).trim();
    if (/^[a-z][a-z\d+.-]*:\/\//i.test(text) || /^https?:/i.test(text)) return 'must be an http(s) URL';
    // `{{ $response.links.poll }}`, or `{{base}}/search`: "write https:// before the host" led to
    // `https://{{ … }}`, which passes and sends `https://https%3A%2F%2F…`, since every value is encoded.
    if (text.startsWith('{{'))
      return 'must be an http(s) URL, and a `{{ }}` cannot give its scheme: its value is percent-encoded (`https://` goes out as `https%3A%2F%2F`); write `https://` and the host, and a `{{ }}` for a part of the path or query';
    // Only what reads as a host gets it written out: `/search?q=…` has none, and `mailto:x` a scheme.
    const host = /^(?:\/\/)?([\w-]+(?:\.[\w-]+)+(?::\d+)?|localhost(?::\d+)?)(?:[/?#]|$)/i.exec(text)?.[1];
    if (host)
      return `must be an http(s) URL, and has no scheme: write \`https://\` (or \`http://\`) before the host, as \`https://${host}/…\``;
    if (/^[a-z][a-z\d+.-]*:/i.test(text)) return 'must be an http(s) URL';
    return 'must be an http(s) URL, whole: its scheme and host too, as `https://api.example.com/…`';
  },
};
