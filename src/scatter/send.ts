/**
 * Sends one source's request through the shared dispatcher and settles with a row, never a throw.
 * One AbortSignal per request joins the run's signal (take-first, deadline, Ctrl-C) with the
 * source's own time limit, which covers connect, headers and the whole body.
 */
import { STATUS_CODES } from 'node:http';
import { type Dispatcher, request } from 'undici';
import { formatDuration } from '../config/duration.js';
import type { Redactor } from '../redact.js';
import { cleanText } from '../sanitize.js';
import type { Status } from '../types.js';
import { describeError, vendorMessage } from './describe.js';
import { MAX_RETRY_WAIT_MS, ON_ATTEMPT } from './dispatcher.js';
import type { BuiltRequest } from './request.js';

/** Why the run aborted a request: stored as the run signal's reason. */
export interface RunAbort {
  readonly status: Extract<Status, 'cancelled' | 'timeout'>;
  /** Like `deadline 3s passed` or `cancelled: ebay answered first`. */
  readonly reason: string;
}

/** A request's outcome before mapping. */
export interface Fetched {
  status: Exclude<Status, 'skipped'>;
  httpStatus?: number;
  ms: number;
  attempts: number;
  body?: unknown;
  error?: string;
}

/** What `send` needs from the run. */
export interface SendContext {
  readonly dispatcher: Dispatcher;
  /** Aborted with a RunAbort reason. */
  readonly signal: AbortSignal;
  readonly redact: Redactor;
  readonly log?: (line: string) => void;
}

class SourceTimeout {}

/**
 * The reason `send` gives when it drops its own abort listener. Any reason will do; without one,
 * abort() builds a DOMException with a stack, about 30 µs per request (issue #7's profile at N=1000).
 */
const SETTLED = 'settled';

/** Error text past this is cut, after redaction, so that a cut never splits a secret. */
const MAX_ERROR_LENGTH = 300;

/** Sends `req` and resolves with its outcome once it ends or is aborted, whichever is first. */
export async function send(
  name: string,
  req: BuiltRequest,
  opts: { timeoutMs: number; retries: number },
  ctx: SendContext,
): Promise<Fetched> {
  const started = performance.now();
  const target = `${req.method} ${req.url}`;
  let attempts = 0;
  const finish = (f: Omit<Fetched, 'ms' | 'attempts'>): Fetched => {
    const out: Fetched = { ...f, ms: Math.round(performance.now() - started), attempts: Math.max(1, attempts) };
    if (out.error) out.error = truncate(cleanText(ctx.redact(out.error)));
    const tries = `${out.attempts} attempt${out.attempts > 1 ? 's' : ''}`;
    ctx.log?.(cleanText(ctx.redact(`${name}: ${target} → ${out.httpStatus ?? out.status} · ${out.ms}ms · ${tries}`)));
    return out;
  };
  const limit = new AbortController();
  const timer = setTimeout(() => limit.abort(new SourceTimeout()), opts.timeoutMs);
  const signal = AbortSignal.any([ctx.signal, limit.signal]);
  const aborted = (): Fetched => finish(abortOutcome(signal.reason, opts.timeoutMs, target));
  if (signal.aborted) {
    clearTimeout(timer);
    return aborted();
  }
  // Settle as soon as the signal fires, without waiting for undici to unwind: take-first must not
  // wait for the sources it cancels. `settled` removes the listener once the request is over.
  const settled = new AbortController();
  const onAbort = new Promise<Fetched>((resolve) => {
    signal.addEventListener('abort', () => resolve(aborted()), { once: true, signal: settled.signal });
  });
  const waitMs = Math.min(MAX_RETRY_WAIT_MS, opts.timeoutMs / 2);
  try {
    return await Promise.race([
      onAbort,
      exchange(ctx.dispatcher, req, opts.retries, waitMs, signal, () => attempts++).then(finish, (err: unknown) =>
        signal.aborted ? onAbort : finish({ status: 'error', error: `${describeError(err)}: ${target}` }),
      ),
    ]);
  } finally {
    clearTimeout(timer);
    settled.abort(SETTLED);
  }
}

const truncate = (text: string): string =>
  text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;

function abortOutcome(reason: unknown, timeoutMs: number, target: string): Omit<Fetched, 'ms' | 'attempts'> {
  if (reason instanceof SourceTimeout) {
    return { status: 'timeout', error: `no response within ${formatDuration(timeoutMs)}: ${target}` };
  }
  const run = reason as Partial<RunAbort> | undefined;
  return { status: run?.status ?? 'cancelled', error: `${run?.reason ?? 'aborted'}: ${target}` };
}

async function exchange(
  dispatcher: Dispatcher,
  req: BuiltRequest,
  retries: number,
  retryWaitMs: number,
  signal: AbortSignal,
  onAttempt: () => void,
): Promise<Omit<Fetched, 'ms' | 'attempts'>> {
  const target = `${req.method} ${req.url}`;
  const res = await request(req.url, {
    dispatcher,
    method: req.method as Dispatcher.HttpMethod,
    headers: req.headers,
    body: req.body,
    signal,
    // Read by the interceptors in dispatcher.ts: per-source retries and the attempt counter. A wait
    // longer than half the time limit (a Retry-After of 30 s) is cut short, so a 429 is reported as
    // a 429 rather than as a vague timeout.
    ...({ retryOptions: { maxRetries: retries, maxTimeout: retryWaitMs }, [ON_ATTEMPT]: onAttempt } as object),
  } as Parameters<typeof request>[1]);
  const text = await res.body.text();
  const httpStatus = res.statusCode;
  const contentType = String(res.headers['content-type'] ?? 'no content-type').split(';')[0];
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
  if (httpStatus < 200 || httpStatus >= 300) {
    const said = vendorMessage(body);
    const label = `HTTP ${httpStatus}${STATUS_CODES[httpStatus] ? ` ${STATUS_CODES[httpStatus]}` : ''}`;
    return { status: 'error', httpStatus, error: `${label}: ${target}${said ? ` (${said})` : ''}` };
  }
  if (!parsed) return { status: 'error', httpStatus, error: `response is not JSON (${contentType}): ${target}` };
  return { status: 'ok', httpStatus, body };
}
