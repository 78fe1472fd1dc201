/**
 * A source's requests as one flow: an OAuth2 token first when configured, then the request, then
 * polls or pages. Every request goes through send(). The flow's time limit is an abort joined to
 * the run's signal, with a RunAbort reason, so send() reports it like a deadline.
 */

import { formatDuration } from '../config/duration.js';
import { now } from '../shared/clock.js';
import type { Redactor, Secrets } from '../shared/redact.js';
import { cleanText } from '../shared/sanitize.js';
import { truncate } from '../shared/truncate.js';
import type { CompiledSource, Params } from '../types.js';
import type { ScatterContext } from './index.js';
import { scopeSecrets, type TokenStore, tokenFailure } from './oauth.js';
import { flowLimitMs, sendOptions } from './options.js';
import { followPages } from './pages.js';
import { pollUntilComplete } from './poll.js';
import type { BuiltRequest } from './request.js';
import { type Fetched, type RunAbort, send } from './send.js';

/** What a flow yields: its row data, the bodies to map in order, and whether it stopped early. */
export interface FlowResult {
  /** Status, last HTTP status, total ms and attempts, and the reason when incomplete or failed. */
  readonly fetched: Fetched;
  /** Response bodies whose offers are concatenated (pages), or the one whose offers count (last poll). */
  readonly bodies?: readonly unknown[];
  /** Status `ok`, but polling or paging stopped early; `fetched.error` says why. */
  readonly incomplete?: true;
  /** Status `ok` and whole as configured, with something the user should know (`maxPages` reached). */
  readonly note?: string;
}

/** One flow in progress, as poll and page loops see it. */
export interface Flow {
  readonly source: CompiledSource;
  readonly params: Params;
  /** The flow's signal: run abort, or the flow's own limit. */
  readonly signal: AbortSignal;
  /** clock.ts's `now()` by which the flow must be done: its own limit, or the run's deadline if sooner. */
  readonly deadlineAt: number;
  /** Hides the run's secrets and the source's own learnt ones (its token) from a message. */
  readonly redact: Redactor;
  /** The source's scope, which a poll's rendered credential header is added to (derived-secrets.ts). */
  readonly secrets?: Secrets | undefined;
  /** Sends one request of the flow (with the Bearer token, refreshed once on a 401). */
  call(req: BuiltRequest): Promise<Fetched>;
  /** Offers a response that may not be the last (a poll, a page) for streaming. */
  progress(body: unknown): Promise<void>;
  /**
   * The flow's end with `last` as the final response; `missing` makes it incomplete, and `failed`,
   * the request that ended it early, lends the row its rate limit (`rateLimited`, `retryAfterMs`).
   */
  finish(last: Fetched, bodies: readonly unknown[], missing?: string, failed?: Fetched): FlowResult;
  /** The flow's end on a failure: as the row says, no offers. */
  fail(f: Fetched): FlowResult;
}

/** True when a source needs more than one plain request. */
export const isFlow = (s: CompiledSource): boolean => Boolean(s.oauth2 || s.poll || s.next);

/** Runs `source`'s flow starting with `first`, its rendered request. Settles, never throws. */
export async function runFlow(
  source: CompiledSource,
  params: Params,
  first: BuiltRequest,
  ctx: ScatterContext,
  tokens: TokenStore,
): Promise<FlowResult> {
  const started = now();
  const limitMs = flowLimitMs(source, ctx);
  const limit = new AbortController();
  const why: RunAbort = { status: 'timeout', reason: `time limit ${formatDuration(limitMs)} passed`, ownLimit: true };
  const timer = setTimeout(() => limit.abort(why), limitMs);
  const signal = AbortSignal.any([ctx.signal, limit.signal]);
  // No retry wait may outlast the flow either: a Retry-After past the flow's limit is then reported
  // at once as a rate limit, not as "time limit passed" once the wait has been cut short.
  const deadlineAt = Math.min(ctx.deadlineAt ?? Number.POSITIVE_INFINITY, started + limitMs);
  // Errors and log lines of the flow's requests hide its token too, which other sources' do not.
  const secrets = scopeSecrets(source, ctx.secretsOf);
  const redact = secrets?.redact ?? ctx.redact;
  const flowCtx: ScatterContext = { ...ctx, signal, deadlineAt, redact };
  const opts = sendOptions(source, ctx);
  let attempts = 0;
  // Any request of the flow (the create, a poll, a page) that got a duplicate marks the row.
  let hedged = false;
  let token: string | undefined;
  let refreshed = false;

  const authorize = async (stale?: string): Promise<Fetched | undefined> => {
    const { oauth2 } = source;
    if (!oauth2) return undefined;
    const pending = stale ? tokens.refresh(oauth2, stale, source.name, opts) : tokens.get(oauth2, source.name, opts);
    // The token request is shared, so it runs under the run's signal; this flow stops waiting on its own.
    const settled = new AbortController();
    const got = await Promise.race([pending, abortOf(signal, settled.signal)]).finally(() => settled.abort());
    if ('abort' in got) {
      // Worded as the token request reports the same stop itself (oauth.ts, tokenFailure), whichever of
      // the two hears it first: the flow's limit, due with the request's by default, said only `time
      // limit 5s passed`, naming neither the token nor its endpoint.
      const error = tokenFailure(got.abort.status, `${got.abort.reason}: POST ${oauth2.tokenUrl}`);
      return { status: got.abort.status, ms: 0, attempts: 0, error: truncate(cleanText(redact(error))) };
    }
    if ('failed' in got) return got.failed;
    token = got.token;
    return undefined;
  };
  const sendOnce = async (req: BuiltRequest): Promise<Fetched> => {
    const authed = token ? { ...req, headers: { ...req.headers, authorization: `Bearer ${token}` } } : req;
    const f = await send(source.name, authed, opts, flowCtx);
    attempts += f.attempts;
    if (f.hedged) hedged = true;
    return f;
  };
  const flow: Flow = {
    source,
    params,
    secrets,
    signal,
    deadlineAt,
    redact,
    async call(req) {
      if (source.oauth2 && !token) {
        const failed = await authorize();
        if (failed) return failed;
      }
      const f = await sendOnce(req);
      // A token can expire or be revoked mid-run: fetch a new one, once per flow, and resend. Not when a
      // 401's body was cut short by the time limit or the run (a timeout keeps its status): that request
      // is over, and a refresh after the deadline would report `authentication failed` for it.
      if (f.httpStatus !== 401 || f.status !== 'error' || !token || refreshed) return f;
      refreshed = true;
      const failed = await authorize(token);
      return failed ?? sendOnce(req);
    },
    progress: async (body) => ctx.onFlowProgress?.(source, body),
    finish(last, bodies, missing, failed) {
      const ms = Math.round(now() - started);
      const fetched: Fetched = { status: 'ok', httpStatus: last.httpStatus, ms, attempts: Math.max(1, attempts) };
      if (hedged) fetched.hedged = true;
      if (missing === undefined) return { fetched, bodies };
      fetched.error = truncate(cleanText(redact(missing)));
      if (failed?.rateLimited) fetched.rateLimited = true;
      if (failed?.retryAfterMs !== undefined) fetched.retryAfterMs = failed.retryAfterMs;
      return { fetched, bodies, incomplete: true };
    },
    fail(f) {
      const ms = Math.round(now() - started);
      const { body: _, hedged: __, ...row } = f;
      // Only the source's own requests count (README, Flows): a flow that failed at its token sent none.
      return { fetched: { ...row, ms, attempts, ...(hedged ? { hedged: true } : {}) } };
    },
  };
  try {
    const f = await flow.call(first);
    if (f.status !== 'ok') return flow.fail(f);
    if (source.poll) return await pollUntilComplete(flow, first, f);
    if (source.next) return await followPages(flow, first, f);
    return flow.finish(f, [f.body]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves with the abort's reason once `signal` aborts; `settled` removes the listener when the wait is over. */
function abortOf(signal: AbortSignal, settled: AbortSignal): Promise<{ abort: RunAbort }> {
  const reason = (): { abort: RunAbort } => ({ abort: abortReason(signal) });
  if (signal.aborted) return Promise.resolve(reason());
  return new Promise((resolve) =>
    signal.addEventListener('abort', () => resolve(reason()), { once: true, signal: settled }),
  );
}

/** The RunAbort an aborted flow signal carries (the flow's limit, the deadline, take-first, Ctrl-C). */
export function abortReason(signal: AbortSignal): RunAbort {
  const r = signal.reason as Partial<RunAbort> | undefined;
  return {
    status: r?.status ?? 'cancelled',
    reason: r?.reason ?? 'aborted',
    ...(r?.interrupted ? { interrupted: true } : {}),
  };
}

/**
 * True when a flow stopped by `why` keeps the responses it has, as an incomplete `ok`: a time limit,
 * the deadline or Ctrl-C. Take-first's cancellation is not one: the run's answer is already chosen.
 */
export const keepsWhatArrived = (why: RunAbort): boolean => why.status !== 'cancelled' || why.interrupted === true;
