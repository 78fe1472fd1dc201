/**
 * The verdict on an answer that came whole: ok with its parsed JSON, or an error that says why (an HTTP
 * status with the vendor's words, a rate limit, too many redirects, a body that is not JSON).
 */
import type { TextResponse } from './body.js';
import { plainTextMessage, vendorMessage } from './describe.js';
import { MAX_REDIRECTS } from './dispatcher.js';
import type { ExchangeOutcome } from './exchange.js';
import { isRateLimited, retryAfterWait } from './rate-limit.js';
import { rateLimited } from './rate-limited-outcome.js';
import { statusLabel, statusTextOf } from './status-label.js';

// Statuses undici's redirect interceptor follows when they carry a Location.
const REDIRECTS = new Set([300, 301, 302, 303, 307, 308]);

/**
 * The outcome of an answer read whole. `target` names where the answer came from (the last hop); `asked`,
 * the source's own request. `hint` ends an HTTP error's line: why a retryable one was not retried.
 */
export function verdict(
  res: Omit<TextResponse, 'text'>,
  text: string,
  target: string,
  asked = target,
  hint = '',
): ExchangeOutcome {
  const httpStatus = res.statusCode;
  let body: unknown;
  let parsed = text.trim() === '';
  if (!parsed) {
    try {
      body = JSON.parse(text);
      parsed = true;
    } catch {
      // Reported below: an error page is the usual cause.
    }
  }
  // Past MAX_REDIRECTS the interceptor stops following and hands over the redirect itself. (Not its
  // throwOnMaxRedirect: that fails the response after the fifth hop even when it is the answer.)
  // An empty Location is one the interceptor never follows: that answer is a plain HTTP error.
  if (REDIRECTS.has(httpStatus) && res.headers.location) {
    return { status: 'error', httpStatus, error: `too many redirects (over ${MAX_REDIRECTS}): ${asked}` };
  }
  if (httpStatus < 200 || httpStatus >= 300) {
    const said = parsed
      ? vendorMessage(body)
      : plainTextMessage(res.headers['content-type'], text, statusTextOf(httpStatus));
    // A problem's `{"title": "Not Found"}` says no more than the status line: `HTTP 404 Not Found: … (Not Found)`.
    const news = said !== undefined && said.trim().toLowerCase() !== statusTextOf(httpStatus)?.toLowerCase();
    // The hint before the vendor's words, whose length has no bound: the line is cut at 300 characters (send.ts).
    const tail = `${target}${hint}${said && news ? ` (${said})` : ''}`;
    if (isRateLimited(httpStatus, res.headers, text)) return rateLimited(httpStatus, res.headers, tail);
    return { status: 'error', httpStatus, error: `${statusLabel(httpStatus)}: ${tail}` };
  }
  if (!parsed) return { status: 'error', httpStatus, error: `${notJson(res.headers, text)}: ${target}` };
  // A search still running often answers 202 with Retry-After (RFC 9110 §10.2.3): the next poll waits for it.
  const nextAfterMs = retryAfterWait(res.headers['retry-after']);
  return { status: 'ok', httpStatus, body, ...(nextAfterMs ? { nextAfterMs } : {}) };
}

/**
 * What compressed bytes hold and text does not: C0 and C1 controls other than whitespace, and U+FFFD, which
 * bytes that are not UTF-8 read as.
 */
const BINARY = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\ufffd]/;

/**
 * Why a body did not parse. undici's decompress removes the Content-Encoding of a body it decoded, and
 * passes one in an encoding it does not know (zstd on Node 20, `identity, gzip`) on as it came: such a
 * body read as `response is not JSON (application/json)`, which blamed the vendor's JSON. Only a body
 * that does not read as text is blamed on its encoding: servers label plain text `Content-Encoding:
 * UTF-8`, and a login page in HTML read `response in a content-encoding agg does not decode (UTF-8)`.
 */
function notJson(headers: TextResponse['headers'], text: string): string {
  const encoding = headers['content-encoding'];
  const encoded = (Array.isArray(encoding) ? encoding.join(', ') : (encoding ?? '')).trim();
  if (encoded !== '' && encoded.toLowerCase() !== 'identity' && BINARY.test(text)) {
    return `response in a content-encoding agg does not decode (${encoded})`;
  }
  const contentType = String(headers['content-type'] ?? 'no content-type').split(';')[0];
  return `response is not JSON (${contentType})`;
}
