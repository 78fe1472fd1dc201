/**
 * Sends one HTTP request through the shared dispatcher and settles with a row, never a throw.
 * One AbortSignal per request joins the run's signal (take-first, deadline, Ctrl-C) with the
 * request's own time limit, which covers connect, headers, the whole body, retries and hedges.
 * Multi-request flows call send() once per request, so each gets every bound here.
 */

import type { Dispatcher } from 'undici';
import { formatDuration } from '../config/duration.js';
import { now } from '../shared/clock.js';
import { type Redactor, redactJsonFields } from '../shared/redact.js';
import { cleanText } from '../shared/sanitize.js';
import type { Status } from '../types.js';
import { DEFAULT_MAX_BYTES } from './body.js';
import { describeError } from './describe.js';
import { type ExchangeOutcome, exchange, rateLimited } from './exchange.js';
import { type HedgeBudget, hedged } from './hedge.js';
import { isRateLimited } from './rate-limit.js';
import type { BuiltRequest } from './request.js';
import { mayHedge } from './retry.js';
import { listenForAbort } from './run-abort.js';

/** Why the run aborted a request: stored as the run signal's reason. */
export interface RunAbort {
  readonly status: Extract<Status, 'cancelled' | 'timeout'>;
  /** Like `deadline 3s passed` or `cancelled: ebay answered first`. */
  readonly reason: string;
  /**
   * Ctrl-C (an abort from outside the run): unlike take-first, what had arrived is still wanted, so
   * a flow with responses in hand ends incomplete with them (issue 4: "print what has arrived").
   */
  readonly interrupted?: true;
  /** The process exits next: settle the requests it ends, and leave their connections to the exit (body.ts). */
  readonly leaveOpen?: true;
  /** The source's own time limit (a flow's, flow.ts), not the run's: told apart as the request's own limit is. */
  readonly ownLimit?: true;
}

/** A request's outcome before mapping. */
export interface Fetched {
  status: Exclude<Status, 'skipped'>;
  httpStatus?: number;
  ms: number;
  /** Every request sent: retries, redirect hops and a hedge's duplicate included. */
  attempts: number;
  body?: unknown;
  error?: string;
  /** A duplicate request was sent (see hedge.ts). */
  hedged?: true;
  /** HTTP 429, or a 403 about a quota. */
  rateLimited?: true;
  /** The vendor's hint of when to try again, in ms. */
  retryAfterMs?: number;
  /** The URL the answer came from, when a redirect moved it (pages.ts resolves a relative `next` against it). */
  redirectedTo?: string;
  /** A 2xx answer's Retry-After, in ms, for the flow's next poll (poll.ts); never on a row itself. */
  nextAfterMs?: number;
  /**
   * Ended while it (or its retry, or a redirect's hop) waited for a connection to its origin: the vendor
   * never saw it, after `waitedMs` in the queue. For a flow's row, which names its own limit (pages.ts,
   * poll.ts); never on a row itself.
   */
  unsent?: { readonly waitedMs: number };
}

/** One request's limits: what a source (or a step of a flow) configures. */
interface SendOptions {
  /** Covers connect, headers, the whole body, retries and hedges. */
  readonly timeoutMs: number;
  /** Extra attempts on 429/502/503/504 and connection errors, for idempotent requests. */
  readonly retries: number;
  /** Allows retrying and hedging a POST or PATCH. */
  readonly idempotent?: boolean;
  /** Send one duplicate when the server has not answered after this many ms (GET/HEAD or idempotent only). */
  readonly hedgeMs?: number;
  /** Largest body, counted after decompression; default 10 MiB. */
  readonly maxBytes?: number;
  /** Lowercase header names dropped on a redirect to another origin. */
  readonly secretHeaders?: readonly string[];
}

/** What `send` needs from the run. */
export interface SendContext {
  readonly dispatcher: Dispatcher;
  /** Aborted with a RunAbort reason. */
  readonly signal: AbortSignal;
  readonly redact: Redactor;
  readonly log?: (line: string) => void;
  /** The run's duplicates left; no hedging without one. */
  readonly hedges?: HedgeBudget;
  /** `now()` of the run's deadline: no retry wait may run past it. */
  readonly deadlineAt?: number;
}

class SourceTimeout {}

/** The most of a request body a --verbose line shows. */
const MAX_BODY_SHOWN = 200;

/**
 * The most of a request's method and URL a --verbose line shows: more than any URL a server takes whole
 * (8 KB is a common limit), but a query of 100,000 ids no longer writes a line of 1.2 MB to stderr.
 */
const MAX_TARGET_SHOWN = 4_096;

/** Error text past this is cut, after redaction, so that a cut never splits a secret. */
const MAX_ERROR_LENGTH = 300;

/** Sends `req` and resolves with its outcome once it ends or is aborted, whichever is first. */
export async function send(name: string, req: BuiltRequest, opts: SendOptions, ctx: SendContext): Promise<Fetched> {
  const started = now();
  const target = `${req.method} ${req.url}`;
  // The request last written, as a time limit names it: after a redirect the hop that did not answer
  // (`GET <url> → <hop>`), as every other error after a redirect names it (exchange.ts).
  let sentTarget = target;
  let attempts = 0;
  let wasHedged = false;
  let dispatched = false;
  // Written to a connection: until then the request waits for one (all `connections` to its origin busy, or opening).
  let wasSent = false;
  // Attempts handed to the dispatcher and not yet written: a retry or a redirect's hop after the request
  // went out waits in the origin's queue as the request itself may, and the vendor has not seen it.
  let queued = 0;
  let queuedNext: Queued | undefined;
  // When the attempt now waiting was handed over: a request queued 2 ms before the deadline read as one
  // that had waited for a busy origin all along (`all of defaults.connections busy`).
  let queuedAt = started;
  // The latest answer's status and headers, until the next request is sent: a time limit that passes
  // after them cut a body short (a final one, or a 429 read to its end before its retry).
  let answer: Answer | undefined;
  // The first outcome is the answer: an abort and a response that race each other are logged once.
  let done: Fetched | undefined;
  const finish = (f: Omit<Fetched, 'ms' | 'attempts'>): Fetched => {
    if (done) return done;
    // A request the run or its time limit ended before it was sent (take-first's answer came first, or
    // it waited for a connection) made no attempt; one that failed to connect did.
    // A retry or hop still queued when the time limit or the run ends it was not sent either: after a
    // 429 too, whose row is an error (rate limited) that counted the retry it never sent as an attempt.
    const unsent = f.status === 'ok' || (f.status === 'error' && !f.unsent) ? 0 : queued;
    const made =
      dispatched && (wasSent || f.status === 'error' || f.status === 'ok') ? Math.max(1, attempts - unsent) : 0;
    const out: Fetched = { ...f, ms: Math.round(now() - started), attempts: made };
    if (wasHedged) out.hedged = true;
    if (out.error) out.error = truncate(cleanText(ctx.redact(out.error)));
    const tries = `${out.attempts} attempt${out.attempts === 1 ? '' : 's'}${wasHedged ? ', hedged' : ''}`;
    // Settled before the log line goes out: a library caller's log that aborts the run (stop once this
    // source answered) comes back into finish() through the run's abort, which must find this answer.
    done = out;
    // The name is the file's, left whole: a learnt token (`https`) is hidden only in what the vendor saw or said.
    // With the body it sent, secrets hidden, then cut: a vendor's `400 … must be a number` was about a
    // `"2"` the line did not show (params are text).
    const sent =
      req.body === undefined
        ? ''
        : ` · body ${truncate(cleanText(redactJsonFields(ctx.redact(req.body))), MAX_BODY_SHOWN)}`;
    const shown = cutSaying(cleanText(ctx.redact(target)), MAX_TARGET_SHOWN);
    ctx.log?.(
      `${cleanText(name)}: ${shown} → ${cleanText(`${out.httpStatus ?? out.status} · ${out.ms}ms · ${tries}`)}${sent}`,
    );
    return out;
  };
  // One signal per request, aborted by its time limit or by the run (with the run's reason). Linked
  // by hand rather than with AbortSignal.any, whose weak references and finalizers cost GC time at
  // N = 1,000 (issue #7); the run's listener is removed once the request is over.
  const limit = new AbortController();
  const { signal } = limit;
  // With a duplicate out, the first request can fail while hedged() waits on for the duplicate. If the
  // time limit or the run then ends that wait, the first request's failure is the answer (an HTTP 500,
  // a rate limit), not `no response within 5s`: the vendor did respond.
  let firstFailed: Omit<Fetched, 'ms' | 'attempts'> | undefined;
  const stopped = (reason: unknown): Omit<Fetched, 'ms' | 'attempts'> =>
    firstFailed ??
    abortOutcome(reason, opts.timeoutMs, sentTarget, wasSent, answer, queued > 0 ? queuedNext : undefined, queuedAt);
  const aborted = (): Fetched => finish(stopped(signal.reason));
  // Never queued either (`wasSent` true): the run or the flow's limit ended before it, not a wait for a connection.
  if (ctx.signal.aborted)
    return finish(abortOutcome(ctx.signal.reason, opts.timeoutMs, target, true, undefined, undefined, started));
  // Settle as soon as the signal fires, without waiting for undici to unwind: take-first must not
  // wait for the sources it cancels.
  let onSignal: (() => void) | undefined;
  let settle: ((f: Fetched) => void) | undefined;
  const onAbort = new Promise<Fetched>((resolve) => {
    settle = resolve;
    onSignal = () => resolve(aborted());
    signal.addEventListener('abort', onSignal, { once: true });
  });
  // When the run ends (take-first, the deadline, Ctrl-C), the outcome is settled first, then the request
  // is aborted at once: a hedge or a retry due in the same turn must see it, or it would still go out.
  const onRunAbort = (): void => {
    const reason: unknown = ctx.signal.reason;
    settle?.(finish(stopped(reason)));
    limit.abort(reason);
  };
  const stopListening = listenForAbort(ctx.signal, onRunAbort);
  const timer = setTimeout(() => limit.abort(new SourceTimeout()), opts.timeoutMs);
  const deadlineAt = Math.min(started + opts.timeoutMs, ctx.deadlineAt ?? Number.POSITIVE_INFINITY);
  let sent = 0;
  const attempt = (attemptSignal: AbortSignal, onAnswer: () => void, onSent: () => void): Promise<ExchangeOutcome> => {
    // hedged() starts the first request first; a duplicate only ever stands in for it.
    const first = sent++ === 0;
    // A duplicate counts (as an attempt, and as the hedge) once it is written: queued behind the origin's
    // other requests, it may be aborted before it ever leaves, and the vendor never sees it.
    let out = first;
    let waiting = false;
    const written = (): void => {
      if (waiting) queued--;
      waiting = false;
    };
    return exchange(ctx.dispatcher, req, {
      retries: opts.retries,
      idempotent: opts.idempotent ?? false,
      maxBytes: opts.maxBytes ?? DEFAULT_MAX_BYTES,
      secretHeaders: opts.secretHeaders ?? [],
      deadlineAt,
      signal: attemptSignal,
      onAttempt: (to) => {
        if (!out) return;
        attempts++;
        if (!waiting) {
          queued++;
          queuedAt = now();
        }
        waiting = true;
        // After the request went out, a dispatch to the same target is a retry; to another, a redirect's hop.
        if (wasSent) queuedNext = { kind: to === sentTarget ? 'retry' : 'redirect', target: to };
      },
      onSent: (to) => {
        written();
        wasSent = true;
        sentTarget = to;
        answer = undefined;
        if (!out) {
          out = true;
          attempts++;
          wasHedged = true;
        }
        onSent();
      },
      onAnswer,
      onHeaders: (status, headers) => {
        answer = { status, headers };
      },
    })
      .catch((err: unknown) => ({ status: 'error', error: `${describeError(err)}: ${target}` }) as ExchangeOutcome)
      .then((outcome) => {
        written();
        if (first && outcome.status === 'error') firstFailed = outcome as Omit<Fetched, 'ms' | 'attempts'>;
        return outcome;
      });
  };
  const canHedge = opts.hedgeMs !== undefined && mayHedge(req.method, opts.idempotent ?? false);
  dispatched = true;
  try {
    return await Promise.race([
      onAbort,
      hedged(attempt, {
        delayMs: canHedge ? opts.hedgeMs : undefined,
        budget: ctx.hedges,
        signal,
      }).then(({ outcome }) => {
        if (signal.aborted) return onAbort;
        if (outcome.status === 'cancelled') return finish({ status: 'error', error: `aborted: ${target}` });
        return finish(outcome as Omit<Fetched, 'ms' | 'attempts'>);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    stopListening();
    if (onSignal) signal.removeEventListener('abort', onSignal);
  }
}

/**
 * Cuts text to `max` characters (an error line, by default); call it after redaction, so that a cut never leaves half a secret.
 * Nor half an emoji: a lone high surrogate prints as U+FFFD.
 */
export const truncate = (text: string, max = MAX_ERROR_LENGTH): string => {
  if (text.length <= max) return text;
  const end = max - 1;
  const code = text.charCodeAt(end - 1);
  return `${text.slice(0, code >= 0xd800 && code <= 0xdbff ? end - 1 : end)}…`;
};

/** `text` cut to `max` characters as truncate() cuts it, saying how many more there were. */
const cutSaying = (text: string, max: number): string => {
  if (text.length <= max) return text;
  const kept = truncate(text, max).slice(0, -1);
  return `${kept}… (${(text.length - kept.length).toLocaleString('en-US')} more characters)`;
};

/** An answer's status and headers, before its body. */
interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** A retry or a redirect's hop handed to the dispatcher after the request went out, and not yet written. */
interface Queued {
  readonly kind: 'retry' | 'redirect';
  /** As errors name it: `GET <url>`, or `GET <url> → <hop>`. */
  readonly target: string;
}

function abortOutcome(
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
