/**
 * Scatter: every planned source's request goes out at once, and outcomes stream back in
 * arrival order, so that gather can act on the fastest answer without waiting for the rest.
 */
import type { CompiledSource, Params } from '../types.js';
import { buildRequest } from './request.js';
import { type Fetched, type SendContext, send } from './send.js';
import { MissingParamError } from './template.js';

/** One source's raw outcome: fetched, or skipped before sending. */
export type Outcome =
  | { readonly source: CompiledSource; readonly kind: 'fetched'; readonly fetched: Fetched }
  | { readonly source: CompiledSource; readonly kind: 'skipped'; readonly reason: string };

/** Options for a scatter: the send context plus a run-wide time limit override. */
export interface ScatterContext extends SendContext {
  /** `--timeout`: replaces each source's own limit. */
  readonly timeoutMs?: number;
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
  void launch(sources, (source) =>
    // run() turns every failure into an outcome; this catch is for a bug there, which must not hang the loop.
    run(source, params, ctx).then(push, (err: unknown) =>
      push({ source, kind: 'fetched', fetched: { status: 'error', ms: 0, attempts: 0, error: String(err) } }),
    ),
  );
  for (let seen = 0; seen < sources.length; seen++) {
    if (arrived.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    yield arrived.shift() as Outcome;
  }
}

/** Requests set up between two turns of the event loop. */
const LAUNCH_BATCH = 32;

/**
 * Starts every source, yielding to the event loop after each batch. Setting up a request is CPU
 * work and its bytes only leave once the loop turns: without the yields, with 1,000 sources the
 * first request would wait for the last one to be set up, and every response would then arrive in
 * one burst (issue #7's profile). Batches put the first requests on the wire at once.
 */
async function launch<T>(items: readonly T[], start: (item: T) => void): Promise<void> {
  for (let i = 0; i < items.length; i++) {
    if (i > 0 && i % LAUNCH_BATCH === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    start(items[i] as T);
  }
}

async function run(source: CompiledSource, params: Params, ctx: ScatterContext): Promise<Outcome> {
  let req: Awaited<ReturnType<typeof buildRequest>>;
  try {
    req = await buildRequest(source, params);
  } catch (err) {
    const reason = err instanceof MissingParamError ? err.message : `template failed: ${(err as Error).message}`;
    return { source, kind: 'skipped', reason };
  }
  const limits = { timeoutMs: ctx.timeoutMs ?? source.timeoutMs, retries: source.retries };
  return { source, kind: 'fetched', fetched: await send(source.name, req, limits, ctx) };
}
