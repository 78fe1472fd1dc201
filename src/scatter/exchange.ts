/**
 * One HTTP exchange through the shared dispatcher: the request, with this source's retry policy
 * and redirect guard attached; the body, read within its size limit; and the verdict (ok, an HTTP
 * error, rate limited, not JSON). It never throws: failures come back as outcomes.
 */
import { createRequire } from 'node:module';
import type { Dispatcher } from 'undici';
import { formatSize } from '../config/size.js';
import { BodyTooLargeError, requestText, type TextResponse } from './body.js';
import { withDefaultHeaders } from './default-headers.js';
import { describeError, plainTextMessage, vendorMessage } from './describe.js';
import { MAX_REDIRECTS, ON_ATTEMPT } from './dispatcher.js';
import { HELD_LIMIT } from './keep-reading.js';
import { isRateLimited, retryAfterWait, retryHint } from './rate-limit.js';
import { REDIRECT_GUARD, type RedirectGuardState } from './redirect-guard.js';
import type { BuiltRequest } from './request.js';
import { RETRY_WAIT, type RetryWait, retryPolicy } from './retry.js';

/** What an exchange found, before timing and attempts are added. */
export interface ExchangeOutcome {
  status: 'ok' | 'error' | 'cancelled';
  httpStatus?: number;
  body?: unknown;
  error?: string;
  rateLimited?: true;
  retryAfterMs?: number;
  /** The URL the answer came from, when a redirect moved it: what a relative link in it is relative to. */
  redirectedTo?: string;
  /** A 2xx answer's Retry-After, in ms: how long the vendor asks a poll to wait before the next (poll.ts). */
  nextAfterMs?: number;
}

/** The limits and hooks of one exchange. */
interface ExchangeOptions {
  readonly retries: number;
  readonly idempotent: boolean;
  readonly maxBytes: number;
  readonly secretHeaders: readonly string[];
  /** shared/clock.ts's `now()` by which the source must be done; retries that would end later are not tried. */
  readonly deadlineAt: number;
  readonly signal: AbortSignal;
  /**
   * Called as each attempt (the request, a retry, a hop) is handed to the dispatcher, with the request as
   * its errors name it: it may then wait in the origin's queue until `onSent`.
   */
  readonly onAttempt: (target: string) => void;
  /**
   * Called when the server answers (any response headers: a 429 the retry policy waits out, a
   * redirect, the final response) or a retry wait begins: the hedge's cue to send no duplicate.
   */
  readonly onAnswer?: () => void;
  /**
   * Called when the request (or a retry, or a hop) is written to a connection rather than queued
   * (body.ts), with the request as its errors name it: `GET <url>`, or `GET <url> → <hop>` after a redirect.
   */
  readonly onSent?: (target: string) => void;
  /**
   * Called with the status and headers of each answer as they arrive, before its body is read: the
   * final one, and one about to be retried (its body is read and dropped first).
   */
  readonly onHeaders?: (statusCode: number, headers: TextResponse['headers']) => void;
}

/** Sends `req` once (plus retries and redirect hops) and reads its answer. */
export async function exchange(
  dispatcher: Dispatcher,
  req: BuiltRequest,
  opts: ExchangeOptions,
): Promise<ExchangeOutcome> {
  const target = `${req.method} ${req.url}`;
  let responded = false;
  // A connection failure a GET would have been retried after: a POST's row says how to allow it.
  let methodRefused = false;
  let httpStatus: number | undefined;
  let headers: TextResponse['headers'] = {};
  let res: TextResponse;
  const methodHint = (): string => (methodRefused ? ` (a ${req.method} is retried only with idempotent: true)` : '');
  // Parsed apart from the exchange: an invalid URL past this point is a redirect's Location (describe.ts).
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    return { status: 'error', error: `invalid URL: ${target}` };
  }
  const guard: RedirectGuardState = { origin: url.origin, secretHeaders: opts.secretHeaders };
  // After a redirect the answer, or the failure, is the last hop's: `HTTP 404: GET <the source's URL>`
  // sent the user to a URL that answers with a redirect, so the hop is named too.
  const asked = `${url.origin}${url.pathname}${url.search}`;
  const where = (): string => {
    const hop = guard.refusedTo ?? guard.sentTo;
    return hop && hop !== asked ? `${target} → ${hop}` : target;
  };
  try {
    // undici sends the origin and path only: `user:pass@` would be dropped in silence, and the vendor's
    // 401 would blame a key that never left. (WHATWG fetch refuses such a URL too.)
    if (url.username || url.password) {
      return {
        status: 'error',
        error: `credentials in a URL (user:pass@) are not sent; use an Authorization header: ${target}`,
      };
    }
    const wait: RetryWait = { signal: opts.signal };
    const onMethodRefused = (): void => {
      methodRefused = true;
    };
    const options = {
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: req.method as Dispatcher.HttpMethod,
      // With agg's Accept-Encoding, User-Agent and Accept where the file set none (default-headers.ts).
      headers: withDefaultHeaders(req.headers),
      body: req.body,
      // Read by the interceptors in dispatcher.ts; custom keys travel with every retry and hop.
      retryOptions: {
        retry: retryPolicy({ method: req.method, ...opts, wait, responded: () => responded, onMethodRefused }),
      },
      [ON_ATTEMPT]: () => opts.onAttempt(where()),
      [RETRY_WAIT]: wait,
      [HELD_LIMIT]: opts.maxBytes,
      [REDIRECT_GUARD]: guard,
    };
    res = await requestText(dispatcher, options as Dispatcher.DispatchOptions, {
      maxBytes: opts.maxBytes,
      signal: opts.signal,
      ...(opts.onSent ? { onSent: () => opts.onSent?.(where()) } : {}),
      onResponse: (status, answered) => {
        responded = true;
        httpStatus = status;
        headers = answered;
        opts.onAnswer?.();
        opts.onHeaders?.(status, answered);
      },
    });
  } catch (err) {
    if (err instanceof BodyTooLargeError) {
      return { status: 'error', httpStatus, error: `response larger than ${formatSize(opts.maxBytes)}: ${where()}` };
    }
    // undici reads no body after a 204 or 304 (RFC 9110 §6.4.5, §15.4.5), then fails the answer when its
    // headers declared one: it came whole, and stands as the same status without a Content-Length does.
    if (bodiless(httpStatus) && (err as { code?: unknown } | null)?.code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') {
      return verdict({ statusCode: httpStatus, headers }, '', where(), target);
    }
    // A failure after the headers (a reset mid-body) keeps the status that was sent, and so does a
    // redirect undici would not follow (a loop, a bad Location) or the guard refused.
    if (httpStatus !== undefined) return { ...failed(err, opts.signal, where(), cutOff(err)), httpStatus };
    const redirected = guard.status;
    // A keep-alive connection the server closes as it is reused fails a POST now and then. It is not sent
    // again on its own (RFC 9110 §9.2.2): whether the server read it first is not known.
    const outcome = failed(err, opts.signal, `${where()}${methodHint()}`);
    return { ...outcome, ...(redirected === undefined ? {} : { httpStatus: redirected }) };
  }
  const outcome = verdict(res, res.text, where(), target, methodHint());
  return guard.sentTo && guard.sentTo !== asked ? { ...outcome, redirectedTo: guard.sentTo } : outcome;
}

function failed(err: unknown, signal: AbortSignal, target: string, why = describeError(err)): ExchangeOutcome {
  // An abort is send()'s to describe: it knows whether it was the time limit, the run or a lost race.
  if (signal.aborted) return { status: 'cancelled' };
  return { status: 'error', error: `${why}: ${target}` };
}

/**
 * A failure inside the body, in words. On a keep-alive connection undici says only that the socket
 * closed (`connection closed by the server`), where the same cut under `connection: close` reads
 * `response cut off before its last chunk` or `response shorter than its content-length`.
 */
function cutOff(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (e?.code === 'UND_ERR_SOCKET' && e.message === 'other side closed') {
    return 'response cut off: connection closed by the server before its end';
  }
  return describeError(err);
}

/** Statuses whose answer never has a body, whatever its headers say. */
const bodiless = (status: number | undefined): status is 204 | 304 => status === 204 || status === 304;

// Statuses undici's redirect interceptor follows when they carry a Location.
const REDIRECTS = new Set([300, 301, 302, 303, 307, 308]);

/**
 * `target` names where the answer came from (the last hop); `asked`, the source's own request. `hint` ends
 * an HTTP error's line: why a retryable one was not retried.
 */
function verdict(
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

/**
 * The outcome of a rate-limited answer (see isRateLimited), with the vendor's hint of when to come
 * back; `more` is said after the hint (a body that did not come whole in time, say).
 */
export function rateLimited(
  httpStatus: number,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  tail: string,
  more = '',
): ExchangeOutcome {
  const retryAfterMs = retryHint(headers);
  // A hint of now (`Retry-After: 0`, or a date past) says no more than none: `retry after 0s` read as a riddle.
  const hint = retryAfterMs ? `, retry after ${formatWait(retryAfterMs)}` : '';
  return {
    status: 'error',
    httpStatus,
    rateLimited: true,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    error: `rate limited (${statusLabel(httpStatus)}${hint}${more}): ${tail}`,
  };
}

const statusLabel = (status: number): string => {
  const text = statusTextOf(status);
  return `HTTP ${status}${text ? ` ${text}` : ''}`;
};

// node:http is required for an error's status text only: loaded at start, it cost every run ~3.5 ms (issue #7).
const require = createRequire(import.meta.url);
const statusTextOf = (status: number): string | undefined =>
  (require('node:http') as typeof import('node:http')).STATUS_CODES[status];

/** A wait in words: `30s`, `1.5s`, `2m 5s`. */
export function formatWait(ms: number): string {
  const s = Math.ceil(ms / 100) / 10;
  if (s < 60) return `${s}s`;
  // Whole seconds before the minutes are split off: 3599.7 s is `60m`, never `59m 60s`.
  const whole = Math.round(s);
  const m = Math.floor(whole / 60);
  const rest = whole - m * 60;
  if (m < 120) return rest ? `${m}m ${rest}s` : `${m}m`;
  // A daily quota's reset: hours, or days and hours; the seconds no longer matter.
  const h = Math.round(whole / 3600);
  return h < 48 ? `${h}h` : `${Math.floor(h / 24)}d${h % 24 ? ` ${h % 24}h` : ''}`;
}
