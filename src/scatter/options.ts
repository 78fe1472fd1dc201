/**
 * The per-source options of every request a source sends, built in one place: a flow's token,
 * create, polls and pages all use them, so limits (and whatever send() learns to do) apply alike.
 */
import type { CompiledSource } from '../types.js';
import type { ScatterContext } from './index.js';
import type { send } from './send.js';

/** The `opts` argument of send(). */
export type SendOptions = Parameters<typeof send>[2];

/** send()'s options for one of `source`'s requests: `--timeout` replaces the source's own limit. */
export function sendOptions(source: CompiledSource, ctx: ScatterContext): SendOptions {
  return { timeoutMs: ctx.timeoutMs ?? source.timeoutMs, retries: source.retries };
}

/** The time limit of a source's whole flow: `flowTimeout`, else the per-request limit. */
export function flowLimitMs(source: CompiledSource, ctx: ScatterContext): number {
  return source.flowTimeoutMs ?? sendOptions(source, ctx).timeoutMs;
}
