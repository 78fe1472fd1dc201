/**
 * When and how long to wait before a retry: the `retry` function undici's retry interceptor calls
 * after a failed attempt. Ours, rather than undici's default, because it must (a) clear its back-off
 * timer on abort, so a cancelled source holds nothing open; (b) add jitter, so sources rate-limited
 * together do not retry together; (c) honour Retry-After only when it fits the time left; and
 * (d) retry a POST only when the source says it is idempotent, or when it was never sent.
 *
 * The policy decides at once and the wait happens between attempts (`waitBeforeRetry`), not inside
 * the policy: undici's retry interceptor pauses the failed response until the policy answers, and a
 * server that closes the connection meanwhile (a 429 or 503 with no body and `Connection: close`)
 * made undici's client assert that its parser was not paused, an uncaught error that ended the process.
 */

import type { Dispatcher, RetryHandler } from 'undici';
import { now } from '../shared/clock.js';
import { refusedAnswer } from './describe.js';
import { retryAfterWait } from './rate-limit.js';

/** "Try again later" statuses. 500 is not one: it is usually a bug that a retry repeats. */
const RETRY_STATUSES: readonly number[] = [429, 502, 503, 504];

/** Connection failures worth another try. ENOTFOUND is not: a name that does not resolve will not. */
export const RETRY_CODES: readonly string[] = [
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENETDOWN',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EHOSTUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
];

/**
 * Connection failures that may come after the request was written: the server may have read it. A POST
 * is not sent again after one (RFC 9110 §9.2.2); its row says that `idempotent: true` would allow it.
 */
const AFTER_WRITE_CODES: readonly string[] = ['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET'];

/**
 * Connection failures before a connection was open: nothing was sent, so even a POST may go again. Not
 * ETIMEDOUT or the unreachables, which an open connection can get too, after its request was written.
 */
const BEFORE_SEND_CODES: readonly string[] = ['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'EAI_AGAIN'];

/** Idempotent by definition (RFC 9110 §9.2.2): sending one twice does no harm. */
const IDEMPOTENT_METHODS: readonly string[] = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'];

/** Back-off before retry n is up to 250 ms × 2^(n-1), at most 2 s, with jitter. */
const MIN_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 2000;

/** True when a failed `method` request may be sent again. */
export const mayRetry = (method: string, idempotent: boolean): boolean =>
  idempotent || IDEMPOTENT_METHODS.includes(method.toUpperCase());

/**
 * True when a slow `method` request may get a duplicate while the first is still out: only reads
 * (GET, HEAD) unless the source says so, since two live PUTs or DELETEs may race on the vendor's side.
 */
export const mayHedge = (method: string, idempotent: boolean): boolean =>
  idempotent || ['GET', 'HEAD'].includes(method.toUpperCase());

/** Everything a retry decision depends on, for one exchange. */
interface RetryPlan {
  readonly method: string;
  readonly retries: number;
  readonly idempotent: boolean;
  /** The exchange's signal: an abort ends any wait at once. */
  readonly signal: AbortSignal;
  /** Where the policy puts the wait for `waitBeforeRetry`; travels in the dispatch options under RETRY_WAIT. */
  readonly wait: RetryWait;
  /** shared/clock.ts's `now()` by which the source must be done: a wait that ends later is not started. */
  readonly deadlineAt: number;
  /** True once a response reached the caller: a failure mid-body is then not retried. */
  readonly responded: () => boolean;
  /**
   * Called when response headers arrive (any status, even a 429 about to be waited out) and when a
   * retry wait begins: the hedge's cue that this request must not get a duplicate (see hedge.ts).
   */
  readonly onAnswer?: () => void;
  /**
   * Called with an answer's status and headers when the policy is asked about it: one it retries is
   * read to its end first, and a time limit that passes meanwhile still knows what the vendor said.
   */
  readonly onHeaders?: (statusCode: number, headers: Readonly<Record<string, string | string[] | undefined>>) => void;
  /**
   * Called when a retryable answer (a 503, a 429) or a connection failure after the request may have
   * been written (a reset, a close) is not retried only because the method may not be sent twice.
   */
  readonly onMethodRefused?: () => void;
  readonly random?: () => number;
}

/** "Equal jitter": half the back-off is fixed, half random, so waits stay spread but never vanish. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(base / 2 + (random() * base) / 2);
}

type RetryFn = NonNullable<RetryHandler.RetryOptions['retry']>;

/** Builds the `retry` function for one exchange. */
export function retryPolicy(plan: RetryPlan): RetryFn {
  return (err, { state }, cb) => {
    const { statusCode, code, headers } = err as Error & {
      statusCode?: number;
      code?: string;
      headers?: Record<string, string | string[] | undefined>;
    };
    // A status means the server answered. A duplicate now would double the load on a vendor that
    // just said "slow down", and a wait for Retry-After must not read as a slow, hedgeable request.
    if (statusCode !== undefined) {
      plan.onAnswer?.();
      plan.onHeaders?.(statusCode, headers ?? {});
    }
    const retryable =
      statusCode !== undefined && code === 'UND_ERR_REQ_RETRY'
        ? RETRY_STATUSES.includes(statusCode)
        : code !== undefined && RETRY_CODES.includes(code) && refusedAnswer(err) === undefined;
    if (plan.signal.aborted || !retryable || plan.responded() || state.counter > plan.retries) {
      cb(err);
      return;
    }
    const neverSent = statusCode === undefined && code !== undefined && BEFORE_SEND_CODES.includes(code);
    // Retry-After: seconds or an HTTP date (RFC 9110 §10.2.3). A wait past the time left would only
    // turn an honest "rate limited, retry in 30s" into a vague timeout, so the answer stands instead.
    const hinted = statusCode === undefined ? undefined : retryAfterWait(headers?.['retry-after']);
    // `Retry-After: 0`, or a date already past, means now: it asks for no wait, so the back-off's jitter
    // stands, or every source the vendor limited at once would come back at once (and did, at 0 ms).
    const wait = hinted || backoffMs(state.counter, plan.random);
    const inTime = now() + wait < plan.deadlineAt;
    if (!mayRetry(plan.method, plan.idempotent) && !neverSent) {
      // Said where the method alone kept a retry from going out: a 503 to a POST with `retries: 2` read
      // `HTTP 503 …` with 1 attempt, and no word of why there was no other.
      if (inTime && (statusCode !== undefined || (code !== undefined && AFTER_WRITE_CODES.includes(code))))
        plan.onMethodRefused?.();
      cb(err);
      return;
    }
    if (!inTime) {
      cb(err);
      return;
    }
    // A connection failure has no headers, but a request being retried has had its second chance:
    // a vendor failing to connect gets no hedge on top of the retry.
    plan.onAnswer?.();
    // Retry, once `waitBeforeRetry` has waited: the failed response is read to its end (and dropped)
    // meanwhile, so no connection is held paused through the wait.
    plan.wait.until = now() + wait;
    cb(null);
  };
}

/** Dispatch-option key for the per-exchange RetryWait; custom keys travel with every retry. */
export const RETRY_WAIT = 'aggRetryWait';

/** When the next attempt of one exchange may go out; set by its retry policy, read by `waitBeforeRetry`. */
export interface RetryWait {
  /** shared/clock.ts's `now()` before which the retry is not sent; cleared when it goes out. */
  until?: number;
  /** The exchange's signal: an abort ends the wait at once, and the retry is never sent. */
  readonly signal: AbortSignal;
}

/** What the retry interceptor is told when an abort ends a wait: aborted, so the failure is passed on as it is. */
const abortedController = (reason: unknown): Dispatcher.DispatchController => ({
  aborted: true,
  paused: false,
  reason: reason as Error,
  abort: () => {},
  pause: () => {},
  resume: () => {},
});

/**
 * Holds a retry back until its policy's wait is over: composed just inside undici's retry
 * interceptor, it sees each retry's dispatch. The timer is cleared on abort, so a cancelled source
 * holds nothing open, and the retry is not sent.
 */
export const waitBeforeRetry: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
  const wait = (opts as { [RETRY_WAIT]?: RetryWait })[RETRY_WAIT];
  if (wait?.until === undefined) return dispatch(opts, handler);
  const ms = wait.until - now();
  wait.until = undefined;
  const { signal } = wait;
  if (signal.aborted) {
    handler.onResponseError?.(abortedController(signal.reason), signal.reason as Error);
    return true;
  }
  const onAbort = (): void => {
    clearTimeout(timer);
    handler.onResponseError?.(abortedController(signal.reason), signal.reason as Error);
  };
  const timer = setTimeout(
    () => {
      signal.removeEventListener('abort', onAbort);
      try {
        dispatch(opts, handler);
      } catch (err) {
        handler.onResponseError?.(abortedController(err), err as Error);
      }
    },
    Math.max(0, ms),
  );
  signal.addEventListener('abort', onAbort, { once: true });
  return true;
};
