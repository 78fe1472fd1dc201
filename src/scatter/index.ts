/**
 * Scatter: every planned source's request goes out, the first alone, then ten at a time between turns of
 * the event loop, and outcomes stream back in arrival order, so that gather can act on the fastest answer
 * without waiting for the rest.
 */
import { now } from '../shared/clock.js';
import type { Secrets } from '../shared/redact.js';
import { cleanText } from '../shared/sanitize.js';
import { truncate } from '../shared/truncate.js';
import type { CompiledSource, Params } from '../types.js';
import { learnHeaderSecrets } from './derived-secrets.js';
import { isFlow, runFlow } from './flow.js';
import { createTokenStore, scopeSecrets, type TokenStore } from './oauth.js';
import { sendOptions } from './options.js';
import { buildRequest } from './request.js';
import { type Fetched, type SendContext, send } from './send.js';
import { MissingParamError } from './template.js';

/**
 * One source's raw outcome: fetched, or skipped before sending. A flow (token, polls, pages) adds
 * the bodies to map, in order, and whether it stopped early; without `bodies`, `fetched.body` is mapped.
 */
export type Outcome =
  | {
      readonly source: CompiledSource;
      readonly kind: 'fetched';
      readonly fetched: Fetched;
      readonly bodies?: readonly unknown[];
      readonly incomplete?: true;
      readonly note?: string;
    }
  | { readonly source: CompiledSource; readonly kind: 'skipped'; readonly reason: string };

/** Options for a scatter: the send context plus run-wide overrides of the sources' own limits. */
export interface ScatterContext extends SendContext {
  /** `--timeout`: replaces each source's own limit. */
  readonly timeoutMs?: number;
  /** `--retries`: replaces each source's own count. */
  readonly retries?: number;
  /** `--hedge`: replaces each source's own hedge delay; `off` hedges none, whatever the file says. */
  readonly hedge?: number | 'auto' | 'off';
  /** A source's recorded p95 latency in ms, for `hedge: auto`; undefined while too few are recorded. */
  readonly latencyP95?: (name: string) => number | undefined;
  /**
   * The secrets of one scope (`secretScope`: the sources sharing an OAuth2 client). A value learnt
   * during the run (a token) is added to its scope, and hidden wherever that scope's sources print.
   */
  readonly secretsOf?: (scope: string) => Secrets;
  /** Where sources with `auth.oauth2.cache` keep tokens (`$XDG_CACHE_HOME/agg`); no disk cache without it. */
  readonly tokenCacheDir?: string;
  /** Sees each response of a flow that is not its last (a poll, a page), awaited before the flow goes on. */
  readonly onFlowProgress?: (source: CompiledSource, body: unknown) => Promise<void>;
}

/** Sends every source's request concurrently and yields outcomes as they arrive. */
export async function* scatter(
  sources: readonly CompiledSource[],
  params: Params,
  ctx: ScatterContext,
): AsyncGenerator<Outcome> {
  const arrived: Outcome[] = [];
  let wake: (() => void) | undefined;
  const push = (o: Outcome): void => {
    arrived.push(o);
    wake?.();
  };
  // One store per scatter, that is per run: sources sharing credentials share one token request.
  const tokens = createTokenStore(ctx, sources);
  void startAll(
    sources,
    (source) => {
      const started = now();
      // run() turns every failure into an outcome; this catch is for a bug there, which must not hang the loop.
      run(source, params, ctx, tokens).then(push, (err: unknown) =>
        push({
          source,
          kind: 'fetched',
          fetched: {
            status: 'error',
            ms: Math.round(now() - started),
            attempts: 0,
            error: bugMessage(source, ctx, err),
          },
        }),
      );
    },
    ctx.signal,
  );
  for (let seen = 0; seen < sources.length; seen++) {
    if (arrived.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    yield arrived.shift() as Outcome;
  }
}

/**
 * Sources started between two turns of the event loop. Measured (docs/benchmarks-history.md, seventh pass):
 * 5 to 25 all do well; 1 turns too often (N = 1,000 slower than no batches at all).
 */
export const START_BATCH = 10;

/**
 * Starts every item, a batch at a time, letting the event loop run in between: there the sockets of
 * the batch connect and their requests are written. Started all in one go, no request would leave
 * before the last one was set up (~120 µs each: 24 ms at 200 sources, 120 ms at 1,000), so a fast
 * source late in the file answered that much later, and 1,000 answers came in one burst instead of
 * as the requests went out (issue #7).
 *
 * Of more than a batch, the first starts alone: under take-first it is the source that answered fastest
 * recently (start-order.ts), and its request then leaves before the next ten are set up. The first
 * connection is the slowest to set up too (undici compiles its HTTP parser for it): behind nine others,
 * the likely winner's request was written 13–20 ms after it was made, alone 5–7 ms.
 */
export async function startAll<T>(items: readonly T[], start: (item: T) => void, signal?: AbortSignal): Promise<void> {
  const alone = items.length > START_BATCH ? 1 : 0;
  for (let i = 0; i < items.length; i++) {
    // Once the run is over (take-first has its answer), the rest only settle as cancelled: at once.
    if (i > 0 && (i - alone) % START_BATCH === 0 && !signal?.aborted)
      await new Promise<void>((resolve) => setImmediate(resolve));
    start(items[i] as T);
  }
}

/**
 * A bug's error as the row shows it. Its message may quote what a vendor sent, or a token: hidden and
 * made inert as any row's error is, and one line; and no String() that could throw (`Object.create(null)`)
 * and leave the loop waiting for this source.
 */
function bugMessage(source: CompiledSource, ctx: ScatterContext, err: unknown): string {
  let text: string;
  try {
    text = String(err);
  } catch {
    text = 'an unknown error';
  }
  const redact = scopeSecrets(source, ctx.secretsOf)?.redact ?? ctx.redact;
  return truncate(cleanText(redact(text)));
}

async function run(source: CompiledSource, params: Params, ctx: ScatterContext, tokens: TokenStore): Promise<Outcome> {
  let req: Awaited<ReturnType<typeof buildRequest>>;
  try {
    req = await buildRequest(source, params);
  } catch (err) {
    if (err instanceof MissingParamError) return { source, kind: 'skipped', reason: err.message };
    // Not a skip: a template that throws or never ends is a mistake in the file, and is listed as one.
    const error = cleanText(ctx.redact(`template failed: ${(err as Error)?.message ?? String(err)}`));
    return { source, kind: 'fetched', fetched: { status: 'error', ms: 0, attempts: 0, error } };
  }
  const secrets = scopeSecrets(source, ctx.secretsOf);
  learnHeaderSecrets(source, req, secrets);
  if (isFlow(source)) return { source, kind: 'fetched', ...(await runFlow(source, params, req, ctx, tokens)) };
  // Its errors and log line hide what it learnt, as a flow's do (flow.ts).
  const sendCtx = secrets ? { ...ctx, redact: secrets.redact } : ctx;
  return { source, kind: 'fetched', fetched: await send(source.name, req, sendOptions(source, ctx), sendCtx) };
}
