/**
 * What a request ended before its answer (by its own time limit, the run's deadline, take-first or
 * Ctrl-C) settles as: whether the vendor saw it, what it had answered, and what was still queued.
 */
import { formatDuration } from '../config/duration.js';
import { now } from '../shared/clock.js';
import { isRateLimited } from './rate-limit.js';
import { rateLimited } from './rate-limited-outcome.js';
import type { Fetched, RunAbort } from './send.js';

/** The reason a request's own time limit aborts it with, told apart from the run's RunAbort. */
export class SourceTimeout {}

/** An answer's status and headers, before its body. */
export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** A retry or a redirect's hop handed to the dispatcher after the request went out, and not yet written. */
export interface Queued {
  readonly kind: 'retry' | 'redirect';
  /** As errors name it: `GET <url>`, or `GET <url> → <hop>`. */
  readonly target: string;
}

/** The outcome of a request aborted with `reason` (a SourceTimeout or a RunAbort), in the words its row says. */
export function abortOutcome(
  reason: unknown,
  timeoutMs: number,
  sentTarget: string,
  wasSent: boolean,
  answer: Answer | undefined,
  next: Queued | undefined,
  queuedAt: number,
): Omit<Fetched, 'ms' | 'attempts'> {
  // A retry or hop waiting for a connection is named, not the request the vendor answered: a 503 read in
  // 5 ms whose retry waited behind another source read `HTTP 503, body not complete within 2s`.
  const target = next?.target ?? sentTarget;
  const after = answer ? `, after HTTP ${answer.status}` : '';
  const headersStatus = answer?.status;
  const waitedMs = Math.round(now() - queuedAt);
  const unsentFor = { unsent: { waitedMs } };
  // The vendor did answer, and its status is kept: a 200 whose body stalls, or a 500 whose error page never ends.
  const answered = headersStatus === undefined ? {} : { httpStatus: headersStatus };
  if (reason instanceof SourceTimeout) {
    // Queued behind the origin's other requests the whole time, the vendor never saw it: `no response`
    // would blame a vendor that may answer in 10 ms. Nor is it `no response` once the headers came.
    const within = formatDuration(timeoutMs);
    // A rate limit is said in the headers: a longer time limit would bring only the body's words.
    if (answer && isRateLimited(answer.status, answer.headers, '')) {
      const cut = next
        ? `${next.kind} not sent within ${within}, ${waitedFor(waitedMs, true)}`
        : `body not complete within ${within}`;
      return { ...rateLimited(answer.status, answer.headers, target, `; ${cut}`), ...(next ? unsentFor : {}) };
    }
    // Queued the whole limit, the request's own wait is the limit already said.
    const why = !wasSent
      ? `not sent within ${within}: ${WAITING}`
      : next
        ? `${next.kind} not sent within ${within}${after}: ${waitedFor(waitedMs)}`
        : headersStatus === undefined
          ? `no response within ${within}`
          : `HTTP ${headersStatus}, body not complete within ${within}`;
    return { status: 'timeout', ...answered, error: `${why}: ${target}`, ...(!wasSent || next ? unsentFor : {}) };
  }
  const run = reason as Partial<RunAbort> | undefined;
  const status = run?.status ?? 'cancelled';
  // A flow's limit is the source's `timeout` by default, due just before the request's own: its headers
  // said it all there too. A paged or OAuth2 source's trickling 429 read `time limit 5s passed`, a timeout
  // with no `rateLimited`, where the same answer to a plain source was the rate limit it is.
  if (run?.ownLimit && answer && isRateLimited(answer.status, answer.headers, '')) {
    const cut = next
      ? `${run.reason}, ${next.kind} not sent, ${waitedFor(waitedMs, true)}`
      : `body not complete: ${run.reason}`;
    return { ...rateLimited(answer.status, answer.headers, target, `; ${cut}`), ...(next ? unsentFor : {}) };
  }
  // Past the deadline or a flow's limit, as past the source's own: queued the whole time, the vendor was
  // not slow (`deadline 2s passed: GET …` with 0 attempts read as one).
  const unsent =
    status !== 'timeout'
      ? ''
      : !wasSent
        ? `, not sent: ${waitedFor(waitedMs)}`
        : next
          ? `, ${next.kind} not sent${after}: ${waitedFor(waitedMs)}`
          : '';
  return {
    status,
    ...(status === 'timeout' ? answered : {}),
    error: `${run?.reason ?? 'aborted'}${unsent}: ${target}`,
    ...(unsent ? unsentFor : {}),
  };
}

/** Why a request was never written: its origin's connections were all taken. */
const BUSY = '(all of defaults.connections busy, or connecting)';
const WAITING = `waiting for a connection to its origin ${BUSY}`;

/**
 * The same, with how long it waited when that is not the limit just named: the run's end can land as a
 * request is handed over, and `queued 2ms` says so where the bare words blamed busy connections.
 * `short`: inside a rate limit's parentheses.
 */
export function waitedFor(ms: number, short = false): string {
  // Tenths past a second: `queued 1003ms` claims a precision the timer does not have.
  const waited = ms < 1000 ? `${ms}ms` : `${(ms / 1000).toFixed(1)}s`;
  return `queued ${waited} for a connection to its origin${short ? '' : ` ${BUSY}`}`;
}
