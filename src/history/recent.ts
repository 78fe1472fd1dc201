/**
 * A rough latency per source from the end of the history's log alone, for the order in which take-first
 * starts many sources (start-order.ts): cheap enough for every run, where loading the log is not.
 */
import { readPrivateTail } from '../shared/cache-dir.js';
import { isLatency } from './index.js';

/** The most recent latencies per source that recentLatencies takes the median of. */
export const RECENT_SAMPLES = 3;
/**
 * Bytes of the log's end recentLatencies reads: 256 per source asked for (an appended line holds 35–60
 * per source it records, `"shop@api.shop.example":312,`: room for the last few), at least enough for one line of a search
 * over a thousand sources (a file searched with `all`, then with `first` over some of its tags), and at
 * most 128 KiB (~5 ms).
 */
const RECENT_BYTES_PER_SOURCE = 256;
const RECENT_BYTES_MIN = 64 * 1024;
const RECENT_BYTES_MAX = 128 * 1024;

/**
 * A rough latency per source (the median of its last few), from the end of the log only, sized to
 * hold the last few searches of the sources of `keys` (historyKey): 1–3 ms for 200 sources, where reading the whole log
 * costs 20 ms for 1,000. For the order in which sources start (start-order.ts), not for hedging: a
 * source whose last times are further back than the window reads as unknown.
 * Sources not in what was read are missing from the map; a missing or unreadable log gives an empty one.
 */
export function recentLatencies(file: string, keys: ReadonlySet<string>): Map<string, number> {
  const maxBytes = Math.min(RECENT_BYTES_MAX, Math.max(RECENT_BYTES_MIN, keys.size * RECENT_BYTES_PER_SOURCE));
  let lines: string[];
  try {
    // One byte more than is parsed: the one before the window says whether it starts a line.
    const { bytes, whole } = readPrivateTail(file, maxBytes + 1);
    lines = bytes.toString('utf8').split('\n');
    // Unless it is all of the file, the first piece is part of a line (or, after a newline, empty).
    if (!whole) lines.shift();
  } catch {
    return new Map();
  }
  const recent = new Map<string, number[]>();
  // The newest line is last: read backwards until every source has its samples, or the lines run out.
  let wanting = keys.size;
  for (let i = lines.length - 1; i >= 0 && wanting > 0; i--) {
    let doc: { ms?: unknown };
    try {
      doc = JSON.parse(lines[i] as string);
    } catch {
      continue;
    }
    const ms = doc?.ms;
    if (typeof ms !== 'object' || ms === null || Array.isArray(ms)) continue;
    for (const name of Object.keys(ms)) {
      if (!keys.has(name)) continue;
      const kept = recent.get(name) ?? [];
      if (kept.length === RECENT_SAMPLES) continue;
      const value = (ms as Record<string, unknown>)[name];
      // A compacted line lists a source's samples oldest first: the newest are at its end.
      const values = Array.isArray(value) ? value.slice(-(RECENT_SAMPLES - kept.length)) : [value];
      for (const v of values) if (isLatency(v)) kept.push(v);
      recent.set(name, kept);
      if (kept.length === RECENT_SAMPLES) wanting--;
    }
  }
  const median = new Map<string, number>();
  for (const [name, kept] of recent) {
    if (kept.length > 0) median.set(name, kept.sort((a, b) => a - b)[(kept.length - 1) >> 1] as number);
  }
  return median;
}
