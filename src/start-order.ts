/**
 * The order in which the planned sources start under `first`. Sources start ten at a time (scatter's
 * START_BATCH), so at 200 sources the last one leaves about 50 ms after the first; `first` ends with
 * the first answer, so the sources that answered fastest in recent runs start first, and those with
 * no recorded latency after them, in file order (under `first` the losers are cancelled, so a source
 * that never won may have none). Only the start moves: rows still list in file order.
 *
 * Under `all` and `best`, starting the slowest first would end a run of mixed latencies sooner too,
 * but reading the history costs about 2 µs a source a sample on a cold process (10 ms at 1,000
 * sources), which a run of equal latencies would pay for nothing: they start in file order.
 */
import type { Planned } from './plan.js';

/** `planned` with the fastest (by `latency`, ms per source name) first; equal estimates, and the unknown, keep file order. */
export function fastestFirst(planned: readonly Planned[], latency: ReadonlyMap<string, number>): Planned[] {
  const known = planned.filter((p) => latency.has(p.source.name));
  const unknown = planned.filter((p) => !latency.has(p.source.name));
  // Array.prototype.sort is stable: equal estimates keep their file order.
  known.sort((a, b) => (latency.get(a.source.name) as number) - (latency.get(b.source.name) as number));
  return [...known, ...unknown];
}
