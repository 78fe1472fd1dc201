/**
 * Scatter: every planned source's request goes out at once, and outcomes stream back in
 * arrival order, so that gather can act on the fastest answer without waiting for the rest.
 */
import { cleanText } from '../sanitize.js';
import type { CompiledSource, Params } from '../types.js';
import { buildRequest } from './request.js';
import { type Fetched, type SendContext, type SendOptions, send } from './send.js';
import { MissingParamError } from './template.js';

/** One source's raw outcome: fetched, or skipped before sending. */
export type Outcome =
  | { readonly source: CompiledSource; readonly kind: 'fetched'; readonly fetched: Fetched }
  | { readonly source: CompiledSource; readonly kind: 'skipped'; readonly reason: string };

/** Options for a scatter: the send context plus run-wide overrides of the sources' own limits. */
export interface ScatterContext extends SendContext {
  /** `--timeout`: replaces each source's own limit. */
  readonly timeoutMs?: number;
  /** `--retries`: replaces each source's own count. */
  readonly retries?: number;
  /** `--hedge`: replaces each source's own hedge delay. */
  readonly hedge?: number | 'auto';
  /** A source's recorded p95 latency in ms, for `hedge: auto`; undefined while too few are recorded. */
  readonly latencyP95?: (name: string) => number | undefined;
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
    if (err instanceof MissingParamError) return { source, kind: 'skipped', reason: err.message };
    // Not a skip: a template that throws or never ends is a mistake in the file, and is listed as one.
    const error = cleanText(ctx.redact(`template failed: ${(err as Error)?.message ?? String(err)}`));
    return { source, kind: 'fetched', fetched: { status: 'error', ms: 0, attempts: 0, error } };
  }
  return { source, kind: 'fetched', fetched: await send(source.name, req, limitsOf(source, ctx), ctx) };
}

/** A source's own limits, with the run's overrides applied. */
export function limitsOf(source: CompiledSource, ctx: ScatterContext): SendOptions {
  const hedge = ctx.hedge ?? source.hedge;
  const hedgeMs = hedge === 'auto' ? ctx.latencyP95?.(source.name) : hedge;
  return {
    timeoutMs: ctx.timeoutMs ?? source.timeoutMs,
    retries: ctx.retries ?? source.retries,
    idempotent: source.idempotent,
    maxBytes: source.maxBytes,
    secretHeaders: source.secretHeaders,
    ...(hedgeMs !== undefined ? { hedgeMs } : {}),
  };
}
