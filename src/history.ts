/**
 * A small per-source latency history, kept between runs, for `hedge: auto` (hedge at the source's
 * own p95, as "The Tail at Scale" recommends) and for the p50/p95 that `agg sources` shows.
 *
 * It lives in one JSON file under `$XDG_CACHE_HOME/agg/` and is bounded: the last SAMPLES latencies
 * of at most MAX_SOURCES sources (the least recently seen go first). Writes go to a temp file that is
 * then renamed over the old one, so a reader never sees half a file; two runs saving at once each
 * merge into what is on disk just before they write, and the last rename wins. Nothing here throws:
 * a missing, unreadable or corrupt file is an empty history (with a warning when corrupt), and a
 * failed save is a warning the caller may show or drop.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cacheDir, writePrivateFile } from './cache-dir.js';

/** Latencies kept per source: enough for a p95 that moves with the vendor. */
export const SAMPLES = 40;
/** Sources kept: far more than one file configures, few enough that the file stays small (~200 KB). */
export const MAX_SOURCES = 2000;
/** Fewer samples than this give no p95: `hedge: auto` then does not hedge that source. */
export const MIN_SAMPLES = 5;

const VERSION = 1;

interface Entry {
  /** Most recent last, in whole ms. */
  ms: number[];
  /** When the source last answered (epoch ms): the eviction order. */
  at: number;
}

/** Where the history lives: `$XDG_CACHE_HOME/agg/latency.json`, default `~/.cache/agg/latency.json`. */
export function defaultHistoryFile(env: Readonly<Record<string, string | undefined>>, home: string): string {
  return path.join(cacheDir(env, home), 'latency.json');
}

/** The recorded latencies, read once. */
export class LatencyHistory {
  private constructor(private readonly entries: ReadonlyMap<string, Entry>) {}

  /** Reads `file`; a missing file is empty, a corrupt one is empty plus a warning. */
  static load(file: string): { history: LatencyHistory; warning?: string } {
    const { entries, warning } = readEntries(file);
    return { history: new LatencyHistory(entries), ...(warning ? { warning } : {}) };
  }

  /** An empty history. */
  static empty(): LatencyHistory {
    return new LatencyHistory(new Map());
  }

  /** The `p`th percentile (0–100) of a source's recorded latencies; undefined under MIN_SAMPLES. */
  percentile(name: string, p: number): number | undefined {
    const ms = this.entries.get(name)?.ms;
    if (!ms || ms.length < MIN_SAMPLES) return undefined;
    const sorted = [...ms].sort((a, b) => a - b);
    // Nearest-rank: the smallest value with at least p% of the samples at or below it.
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  }

  /** How many latencies are recorded for a source. */
  count(name: string): number {
    return this.entries.get(name)?.ms.length ?? 0;
  }
}

/**
 * Adds one latency per source to the file, merging with what is there now. Returns a warning
 * instead of throwing when the file cannot be written (a read-only cache, a full disk).
 */
export function recordLatencies(
  file: string,
  samples: ReadonlyMap<string, number>,
  now = Date.now(),
): string | undefined {
  if (samples.size === 0) return undefined;
  const { entries } = readEntries(file);
  for (const [name, ms] of samples) {
    const entry = entries.get(name) ?? { ms: [], at: now };
    entries.delete(name);
    entries.set(name, { ms: [...entry.ms, Math.round(ms)].slice(-SAMPLES), at: now });
  }
  const kept = [...entries].sort((a, b) => b[1].at - a[1].at).slice(0, MAX_SOURCES);
  const doc = { version: VERSION, sources: Object.fromEntries(kept) };
  try {
    // Private like the token cache that shares the folder: what a user ran is nobody else's business.
    writePrivateFile(file, JSON.stringify(doc));
    return undefined;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return `cannot save latency history to ${file}: ${e.code ?? e.message}`;
  }
}

function readEntries(file: string): { entries: Map<string, Entry>; warning?: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    // Missing (the first run) or unreadable: no history, which only means no `auto` hedging yet.
    return { entries: new Map() };
  }
  try {
    const doc = JSON.parse(text) as { version?: unknown; sources?: unknown };
    if (doc?.version !== VERSION || typeof doc.sources !== 'object' || doc.sources === null)
      throw new Error('unknown format');
    const entries = new Map<string, Entry>();
    for (const [name, raw] of Object.entries(doc.sources as Record<string, unknown>)) {
      const e = raw as Partial<Entry>;
      if (!Array.isArray(e?.ms)) continue;
      const ms = e.ms.filter((v): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0);
      entries.set(name, { ms: ms.slice(-SAMPLES), at: typeof e.at === 'number' ? e.at : 0 });
    }
    return { entries };
  } catch (err) {
    return { entries: new Map(), warning: `ignoring corrupt latency history ${file}: ${(err as Error).message}` };
  }
}
