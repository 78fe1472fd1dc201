/**
 * Turns a failed request into one line that names what happened, the method and the URL,
 * the way ky does (`Request timed out: GET https://…`). The caller redacts and cleans it.
 */

import { describeProxyFailure } from './proxy-errors.js';
import { proxyFailure } from './proxy-marks.js';

/** Error codes from undici and node:net, in words. */
const CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the server',
  EPIPE: 'connection closed by the server',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  ETIMEDOUT: 'connect timed out',
  EHOSTUNREACH: 'host unreachable',
  // Retried as the others are (retry.ts), and as raw: `connect ENETUNREACH 224.0.0.1:80 - Local (0.0.0.0:0)`.
  ENETUNREACH: 'network unreachable',
  ENETDOWN: 'network down',
  EHOSTDOWN: 'host down',
  // Each connection is a file descriptor: past the process's limit (`ulimit -n`, 256 by default on macOS)
  // a connect fails at once, and Node's words were `connect EMFILE 127.0.0.1:8080 - Local (undefined:undefined)`.
  EMFILE: 'too many open files (ulimit -n)',
  ENFILE: 'too many open files in the system',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
  UND_ERR_RES_EXCEEDED_MAX_SIZE: 'response too large',
  // Node's --max-http-header-size: 16 KiB unless set.
  UND_ERR_HEADERS_OVERFLOW: 'response headers too large',
  AGG_REDIRECT_DOWNGRADE: 'redirect from https to http refused',
  AGG_REDIRECT_BODY: 'redirect to another origin with a request body refused',
  // exchange.ts parses the request's own URL before sending: only a redirect's Location is left to fail.
  ERR_INVALID_URL: 'redirect to an invalid URL',
  UND_ERR_REQ_CONTENT_LENGTH_MISMATCH: 'body length mismatch',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'response shorter than its content-length',
  UND_ERR_INVALID_ARG: 'invalid request',
  UND_ERR_INFO: 'invalid response',
  HPE_INVALID_CONSTANT: 'malformed HTTP response',
  HPE_INVALID_HEADER_TOKEN: 'malformed HTTP response header',
  // What an https:// URL gets from a port that speaks plain HTTP (or anything but TLS).
  ERR_SSL_WRONG_VERSION_NUMBER: 'TLS handshake failed: the server does not speak TLS on that port (http, not https?)',
};

/**
 * undici's words for an answer it refuses to parse, and closes the connection on: a `100 Continue` it
 * never asked for (RFC 9110 lets a server send one), or a `101` upgrade. Its code says the socket
 * failed, which read as `connection closed by the server`; the server did no such thing.
 */
const REFUSED_ANSWERS: ReadonlyMap<string, string> = new Map([
  ['bad response', 'invalid response (a 100 Continue that was not asked for)'],
  ['bad upgrade', 'invalid response (a protocol upgrade that was not asked for)'],
]);

/** What was wrong with an answer undici refused, or undefined for any other error; it would be refused again. */
export function refusedAnswer(err: unknown): string | undefined {
  const e = err as { code?: unknown; message?: unknown } | null;
  return e?.code === 'UND_ERR_SOCKET' && typeof e.message === 'string' ? REFUSED_ANSWERS.get(e.message) : undefined;
}

/** zlib's codes (`Z_DATA_ERROR`) and brotli's (`ERR__ERROR_FORMAT_PADDING_1`): the body did not decompress. */
const DECOMPRESSION = /^(Z_|ERR__ERROR_)/;

/** True when `err` says a body did not decompress. */
export const undecodable = (err: unknown): boolean => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && DECOMPRESSION.test(code);
};

/** A message's first letter in lower case, to sit inside a sentence. */
const lower = (text: string): string => text.charAt(0).toLowerCase() + text.slice(1);

/** One line for a transport error, without the URL; a failure at a proxy is said as the proxy's (proxy-errors.ts). */
export function describeError(err: unknown): string {
  const atProxy = proxyFailure(err);
  return atProxy ? describeProxyFailure(err, atProxy, describeDirect) : describeDirect(err);
}

/** One line for a transport error of a request sent direct (or one through a proxy, in the same words). */
function describeDirect(err: unknown): string {
  const e = err as { code?: string; message?: string; cause?: unknown; name?: string };
  const code = e?.code ?? (e?.cause as { code?: string } | undefined)?.code;
  // undici reports a redirect back to a URL already visited as an invalid argument.
  if (e?.message?.startsWith('Redirect loop detected')) return 'redirect loop';
  // A request's own URL is http(s) (checked at load, and a template value cannot change the scheme):
  // only a redirect's Location (ftp:, javascript:, file:) gets undici's refusal.
  if (e?.message?.startsWith('Invalid URL protocol')) return 'redirect to a URL that is not http(s)';
  // undici 7's parser errors carry no code: only the message says what was wrong, after a preamble.
  if (e?.name === 'HTTPParserError') {
    const detail = /\(([^)]*)\)\s*$/.exec(e.message ?? '')?.[1];
    if (!detail) return 'malformed HTTP response';
    // The connection closed inside a chunked body: nothing in it was malformed, its end never came.
    if (detail === 'Invalid EOF state') return 'response cut off before its last chunk';
    return detail.startsWith('Expected HTTP/') ? 'not an HTTP response' : `malformed HTTP response (${lower(detail)})`;
  }
  // undici asserts what it takes an answer to be (a status of at least 100: `HTTP/1.1 000` fails it), and
  // the message was the failing line of its source (`The expression evaluated to a falsy value:`) or, from
  // the bundle, `false == true`: neither says it was the vendor's answer.
  if (code === 'ERR_ASSERTION') return 'invalid response (the HTTP client could not read it)';
  const refused = refusedAnswer(err);
  if (refused) return refused;
  if (code && DECOMPRESSION.test(code)) return `could not decompress the body (${lower(e?.message ?? code)})`;
  if (code && CODES[code]) return CODES[code];
  // OpenSSL's message is its whole error queue entry (`80…:error:0A00010B:SSL routines:ssl3_get_record:
  // <reason>:../deps/openssl/…/ssl3_record.c:350:`); its reason alone is the part a person can read.
  // `?? {}`: a library caller's dispatcher may fail with null or undefined, which no destructuring takes.
  const { library, reason } = (e ?? {}) as { library?: unknown; reason?: unknown };
  if (typeof library === 'string' && typeof reason === 'string' && reason !== '') return `TLS error: ${reason}`;
  if (e?.message && /redirect/i.test(e.message)) return 'too many redirects';
  return (e?.message ?? String(err)).split('\n')[0] ?? 'request failed';
}

// A line of a page, from its first non-space. Unicode's line and paragraph separators and NEL (U+2028,
// U+2029, U+0085) end one as \n does: a page that used them read as one line, its status repeated in it.
const LINE = /[^\s\u0085][^\r\n\u0085\u2028\u2029]*/g;

/**
 * The first line of a plain-text error page (`text/plain`: `slow down`, `Invalid API key`) that says more
 * than its status (`statusText`, as `Bad Request`): the reason a JSON page gives in a field. HTML and other
 * types are left out: a proxy's `<html><head>…` says nothing a person wants on a status row. Not cut here
 * either (send() cuts after redaction).
 */
export function plainTextMessage(contentType: unknown, text: string, statusText = ''): string | undefined {
  const type = String(Array.isArray(contentType) ? contentType[0] : (contentType ?? ''));
  if (!/^\s*text\/plain\s*(;|$)/i.test(type)) return undefined;
  // Many pages open with their status (`Bad Request`, `400 Bad Request`, `HTTP/1.1 500`) and say what is
  // wrong on the next line: the first alone added nothing to the row, and the reason was lost. Only the
  // first few lines are read: the body may be megabytes.
  // A page that only restates its status (`400 Bad Request`) lends nothing: the row names the status already.
  const status = gist(statusText);
  let seen = 0;
  for (const [match] of text.matchAll(LINE)) {
    const words = gist(match);
    if (words !== '' && words !== status) return match.trimEnd();
    if (++seen === 3) break;
  }
  return undefined;
}

/**
 * A line's words, in any script, lower-cased, less `HTTP/1.1`, `Error` and a status code: `Error 400:
 * Bad-Request!` and `Bad Request` are both `bad request`.
 */
const gist = (line: string): string =>
  line
    .toLowerCase()
    .replace(/\bhttp(?:\/[\d.]+)?\b|\berror\b|\b\d{3}\b/g, ' ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/** Pulls a vendor's own error message out of common JSON error shapes, if any. */
export function vendorMessage(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  const first = Array.isArray(b.errors) ? (b.errors[0] as Record<string, unknown> | undefined) : undefined;
  // JSON:API's `source` says what an error is about: Amadeus's `This attribute is required` names no
  // attribute, and only `source.parameter` says it is `adults`.
  const about = first?.source && typeof first.source === 'object' ? (first.source as Record<string, unknown>) : {};
  // A pointer by its last step: `/data/attributes/departure_date` is about `departure_date`.
  const places = [about.parameter, about.pointer, about.field]
    .filter((w): w is string => typeof w === 'string' && w.trim() !== '')
    .map((w) => (w.startsWith('/') ? (w.split('/').filter(Boolean).pop() ?? w) : w));
  const located = (text: unknown): unknown =>
    places[0] && typeof text === 'string' && text.trim() !== '' && !places.some((w) => text.includes(w))
      ? `${places[0]}: ${text}`
      : text;
  const nested = b.error && typeof b.error === 'object' ? (b.error as Record<string, unknown>) : undefined;
  // RFC 6749 §5.2: `error` is a code (`invalid_client`); `error_description` says what is wrong.
  const oauth =
    typeof b.error === 'string' && typeof b.error_description === 'string' && b.error_description.trim() !== ''
      ? `${b.error}: ${b.error_description}`
      : undefined;
  const candidates = [
    b.message,
    oauth,
    typeof b.error === 'string' ? b.error : undefined,
    nested?.message,
    located(first?.detail),
    located(first?.message),
    located(first?.title),
    b.error_description,
    // RFC 9457 problem details (`application/problem+json`, ASP.NET Core's and Spring's default): the
    // `detail` of this occurrence, else its `title`; a 422 read only `HTTP 422 Unprocessable Entity`.
    b.detail,
    b.title,
  ];
  // Not cut here: send() cuts after redaction, so that a cut never leaves half a secret.
  return candidates.find((c): c is string => typeof c === 'string' && c.trim() !== '');
}
