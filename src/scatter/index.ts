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
  for (const source of sources) {
    // run() turns every failure into an outcome; this catch is for a bug there, which must not hang the loop.
    run(source, params, ctx).then(push, (err: unknown) =>
      push({ source, kind: 'fetched', fetched: { status: 'error', ms: 0, attempts: 0, error: String(err) } }),
    );
  }
  for (let seen = 0; seen < sources.length; seen++) {
    if (arrived.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    yield arrived.shift() as Outcome;
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
