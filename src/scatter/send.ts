/**
 * Sends one HTTP request through the shared dispatcher and settles with a row, never a throw.
 * One AbortSignal per request joins the run's signal (take-first, deadline, Ctrl-C) with the
 * request's own time limit, which covers connect, headers, the whole body, retries and hedges.
 * Multi-request flows call send() once per request, so each gets every bound here.
 */

import type { Dispatcher } from 'undici';
import { now } from '../shared/clock.js';
import type { Redactor } from '../shared/redact.js';
import { cleanText } from '../shared/sanitize.js';
import { truncate } from '../shared/truncate.js';
import type { Status } from '../types.js';
import { type Answer, abortOutcome, type Queued, SourceTimeout } from './abort-outcome.js';
import { DEFAULT_MAX_BYTES } from './body.js';
import { describeError } from './describe.js';
import { type ExchangeOutcome, exchange } from './exchange.js';
import { type HedgeBudget, hedged } from './hedge.js';
import type { BuiltRequest } from './request.js';
import { requestLine } from './request-line.js';
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

/** Sends `req` and resolves with its outcome once it ends or is aborted, whichever is first. */
export async function send(name: string, req: BuiltRequest, opts: SendOptions, ctx: SendContext): Promise<Fetched> {
  const started = now();
  const target = `${req.method} ${req.url}`;
  // The request last written, as a time limit names it: after a redirect the hop that did not answer
  // (`GET <url> → <hop>`), as every other error after a redirect names it (exchange.ts).
  let sentTarget = target;
  let attempts = 0;
  let wasHedged = false;
  // The proxy the request last went through, for the --verbose line.
  let via: string | undefined;
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
    // Settled before the log line goes out: a library caller's log that aborts the run (stop once this
    // source answered) comes back into finish() through the run's abort, which must find this answer.
    done = out;
    ctx.log?.(requestLine(name, target, req.body, out, ctx.redact, via));
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
      onRoute: (proxy) => {
        via = proxy;
      },
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
