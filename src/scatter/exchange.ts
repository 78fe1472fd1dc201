/**
 * One HTTP exchange through the shared dispatcher: the request, with this source's retry policy
 * and redirect guard attached; the body, read within its size limit; and the verdict (ok, an HTTP
 * error, rate limited, not JSON: verdict.ts). It never throws: failures come back as outcomes.
 */
import type { Dispatcher } from 'undici';
import { formatSize } from '../config/size.js';
import { BodyTooLargeError, requestText, type TextResponse } from './body.js';
import { withDefaultHeaders } from './default-headers.js';
import { describeError } from './describe.js';
import { ON_ATTEMPT } from './dispatcher.js';
import { HELD_LIMIT } from './keep-reading.js';
import { ON_ROUTE } from './proxy-marks.js';
import { REDIRECT_GUARD, type RedirectGuardState } from './redirect-guard.js';
import type { BuiltRequest } from './request.js';
import { RETRY_WAIT, type RetryWait, retryPolicy } from './retry.js';
import { verdict } from './verdict.js';

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
  /** Called as an attempt is sent through a proxy, with the proxy's scheme, host and port (proxy.ts). */
  readonly onRoute?: (proxy: string) => void;
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
      [ON_ROUTE]: opts.onRoute,
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
