/**
 * The per-source options of every request a source sends, built in one place: a flow's token,
 * create, polls and pages all use them, so limits (and whatever send() learns to do) apply alike.
 */
import type { CompiledSource } from '../types.js';
import type { ScatterContext } from './index.js';
import type { send } from './send.js';

/** The `opts` argument of send(). */
export type SendOptions = Parameters<typeof send>[2];

/** send()'s options for one of `source`'s requests, with the run's overrides (`--timeout`, `--retries`, `--hedge`). */
export function sendOptions(source: CompiledSource, ctx: ScatterContext): SendOptions {
  // `--hedge off`: one run without the file's `defaults.hedge` (a vendor whose quota counts every request).
  const hedge = ctx.hedge === 'off' ? undefined : (ctx.hedge ?? source.hedge);
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

/** The time limit of a source's whole flow: `flowTimeout`, else the per-request limit. */
export function flowLimitMs(source: CompiledSource, ctx: ScatterContext): number {
  return source.flowTimeoutMs ?? sendOptions(source, ctx).timeoutMs;
}
