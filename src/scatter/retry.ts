/**
 * When and how long to wait before a retry: the `retry` function undici's retry interceptor calls
 * after a failed attempt. Ours, rather than undici's default, because it must (a) clear its back-off
 * timer on abort, so a cancelled source holds nothing open; (b) add jitter, so sources rate-limited
 * together do not retry together; (c) honour Retry-After only when it fits the time left; and
 * (d) retry a POST only when the source says it is idempotent.
 */

import type { RetryHandler } from 'undici';
import { now } from '../clock.js';
import { parseRetryAfter } from './rate-limit.js';

/** "Try again later" statuses. 500 is not one: it is usually a bug that a retry repeats. */
export const RETRY_STATUSES: readonly number[] = [429, 502, 503, 504];

/** Connection failures worth another try. ENOTFOUND is not: a name that does not resolve will not. */
const RETRY_CODES: readonly string[] = [
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
export interface RetryPlan {
  readonly method: string;
  readonly retries: number;
  readonly idempotent: boolean;
  /** The exchange's signal: an abort ends any wait at once. */
  readonly signal: AbortSignal;
  /** clock.ts's `now()` by which the source must be done: a wait that ends later is not started. */
  readonly deadlineAt: number;
  /** True once a response reached the caller: a failure mid-body is then not retried. */
  readonly responded: () => boolean;
  /**
   * Called when response headers arrive (any status, even a 429 about to be waited out) and when a
   * retry wait begins: the hedge's cue that this request must not get a duplicate (see hedge.ts).
   */
  readonly onAnswer?: () => void;
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
    if (statusCode !== undefined) plan.onAnswer?.();
    const retryable =
      statusCode !== undefined && code === 'UND_ERR_REQ_RETRY'
        ? RETRY_STATUSES.includes(statusCode)
        : code !== undefined && RETRY_CODES.includes(code);
    if (
      plan.signal.aborted ||
      !retryable ||
      plan.responded() ||
      !mayRetry(plan.method, plan.idempotent) ||
      state.counter > plan.retries
    ) {
      cb(err);
      return;
    }
    // Retry-After: seconds or an HTTP date (RFC 9110 §10.2.3). A wait past the time left would only
    // turn an honest "rate limited, retry in 30s" into a vague timeout, so the answer stands instead.
    const hinted = statusCode === undefined ? undefined : parseRetryAfter(headers?.['retry-after']);
    const wait = hinted ?? backoffMs(state.counter, plan.random);
    if (now() + wait >= plan.deadlineAt) {
      cb(err);
      return;
    }
    // A connection failure has no headers, but a request being retried has had its second chance:
    // a vendor failing to connect gets no hedge on top of the retry.
    plan.onAnswer?.();
    const onAbort = (): void => {
      clearTimeout(timer);
      cb(err);
    };
    const timer = setTimeout(() => {
      plan.signal.removeEventListener('abort', onAbort);
      cb(null);
    }, wait);
    plan.signal.addEventListener('abort', onAbort, { once: true });
  };
}
