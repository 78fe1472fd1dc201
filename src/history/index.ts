/**
 * A small per-source latency history, kept between runs, for `hedge: auto` (hedge at the source's
 * own p95, as "The Tail at Scale" recommends) and for the p50/p95 that `agg sources` shows.
 *
 * It lives in one file under `$XDG_CACHE_HOME/agg/`, a log of JSON lines: each search appends one
 * line, `{"at":…,"ms":{"<source>":<ms>,…}}`, in one write. Appending costs a search about a
 * millisecond where rewriting a whole history cost 7–12 (issue #7), and two runs appending at once
 * both land: the kernel keeps appends to one file whole. Once the log passes COMPACT_BYTES, the run
 * that finds it so rewrites it bounded (the last SAMPLES latencies of the MAX_SOURCES most recently
 * seen sources, one line per source, values as lists) to a temp file renamed over the log, so a
 * reader never sees half a file; a line appended meanwhile by another run is lost, which costs one
 * sample. Nothing here throws: a missing file is an empty history, lines that do not parse (a torn
 * write, say) are skipped, a file of which no line parses is empty plus a warning, and a failed save
 * is a warning the caller may show or drop.
 */
import { closeSync, fstatSync, readSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { MAX_TIMER_MS } from '../config/duration.js';
import {
  cacheDir,
  openPrivateAppend,
  readPrivateFile,
  removeStaleTemps,
  writePrivateFile,
} from '../shared/cache-dir.js';

/** Latencies kept per source: enough for a p95 that moves with the vendor. */
export const SAMPLES = 40;
/** Sources kept: far more than one file configures, few enough that the file stays small. */
export const MAX_SOURCES = 2000;
/** Fewer samples than this give no p95: `hedge: auto` then does not hedge that source. */
const MIN_SAMPLES = 5;
/**
 * The log is rewritten bounded once it is larger than this: about 60 searches of 1,000 sources, or
 * thousands of a few; a bounded rewrite of 2,000 sources × 40 samples is about 400 KB.
 */
export const COMPACT_BYTES = 1024 * 1024;

const FILE = 'latency.jsonl';
// The whole-JSON file of agg before the log: removed when the log is first written.
const LEGACY_FILE = 'latency.json';
const NEWLINE = 0x0a;

interface Entry {
  /** Most recent last, in whole ms. */
  ms: number[];
  /** When the source last answered (epoch ms): the eviction order. */
  at: number;
}

/**
 * Where the history lives: `$XDG_CACHE_HOME/agg/latency.jsonl`, default `~/.cache/agg/latency.jsonl`;
 * undefined without a cache folder (see cacheDir), and then nothing is recorded.
 */
export function defaultHistoryFile(
  env: Readonly<Record<string, string | undefined>>,
  home: string,
): string | undefined {
  const dir = cacheDir(env, home);
  return dir && path.join(dir, FILE);
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

  /** The `p`th percentile (0–100) of a source's recorded latencies (by historyKey); undefined under MIN_SAMPLES. */
  percentile(key: string, p: number): number | undefined {
    const ms = this.entries.get(key)?.ms;
    if (!ms || ms.length < MIN_SAMPLES) return undefined;
    const sorted = [...ms].sort((a, b) => a - b);
    // Nearest-rank: the smallest value with at least p% of the samples at or below it.
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  }

  /** How many latencies are recorded for a source (by historyKey). */
  count(key: string): number {
    return this.entries.get(key)?.ms.length ?? 0;
  }
}

/**
 * Appends one latency per source to the log, and rewrites it bounded when it has grown past
 * COMPACT_BYTES. Returns a warning instead of throwing when it cannot be written (a read-only cache,
 * a full disk).
 */
export function recordLatencies(
  file: string,
  samples: ReadonlyMap<string, number>,
  now = Date.now(),
): string | undefined {
  if (samples.size === 0) return undefined;
  const ms: Record<string, number> = {};
  // defineProperty: a source may be called `__proto__`.
  for (const [name, value] of samples)
    Object.defineProperty(ms, name, { value: Math.round(value), enumerable: true, configurable: true, writable: true });
  try {
    const size = append(file, `${JSON.stringify({ at: now, ms })}\n`);
    if (size > COMPACT_BYTES) compact(file);
    return undefined;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return `cannot save latency history to ${file}: ${e.code ?? e.message}`;
  }
}

/**
 * A recorded time that can be one: a line torn or written by hand may hold anything. No time is
 * longer than a source's time limit, at most MAX_TIMER_MS: a p95 past it was `hedge: auto`'s delay,
 * which Node's timers cut to 1 ms with a TimeoutOverflowWarning, so every such source was hedged at once.
 */
export const isLatency = (v: unknown): v is number =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= MAX_TIMER_MS;

/** Appends `line` in one write; returns the file's size after it. */
function append(file: string, line: string): number {
  // Private like the token cache that shares the folder: what a user ran is nobody else's business.
  const fd = openPrivateAppend(file);
  try {
    // A torn last line (a run killed mid-write) must not swallow this one.
    const before = fstatSync(fd).size;
    const last = Buffer.alloc(1);
    const torn = before > 0 && readSync(fd, last, 0, 1, before - 1) === 1 && last[0] !== NEWLINE;
    const bytes = Buffer.from(torn ? `\n${line}` : line);
    writeSync(fd, bytes);
    const { size } = fstatSync(fd);
    if (size === bytes.length) removeLegacy(file);
    return size;
  } finally {
    closeSync(fd);
  }
}

/**
 * Removes the whole-JSON history of older agg beside a log it starts, if that is what the file is:
 * only beside agg's own log name, and only a file that reads as that history (a library caller's
 * folder may hold a latency.json of its own).
 */
function removeLegacy(file: string): void {
  if (path.basename(file) !== FILE) return;
  const legacy = path.join(path.dirname(file), LEGACY_FILE);
  try {
    if (readPrivateFile(legacy).startsWith(`{"version":1,"sources":`)) rmSync(legacy, { force: true });
  } catch {
    // None, or unreadable: nothing to tidy.
  }
}

/**
 * Rewrites the log bounded: one line per kept source, its samples as a list, the most recently seen
 * last, as appended lines are: recentLatencies reads the end of the log as its newest part.
 */
function compact(file: string): void {
  const { entries } = readEntries(file);
  // Nothing read (the file could not be opened just now) is no reason to empty the log: left as it is,
  // it is compacted by the next run that finds it large.
  if (entries.size === 0) return;
  const lines = [...entries].reverse().map(([name, entry]) => {
    const ms = Object.defineProperty({}, name, { value: entry.ms, enumerable: true });
    return `${JSON.stringify({ at: entry.at, ms })}\n`;
  });
  writePrivateFile(file, lines.join(''));
  removeStaleTemps(path.dirname(file), exactName(path.basename(file)));
}

/** A pattern for `name` alone: `historyFile` may be any name, dots and brackets included. */
const exactName = (name: string): RegExp => new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

function readEntries(file: string): { entries: Map<string, Entry>; warning?: string } {
  let text: string;
  try {
    text = readPrivateFile(file);
  } catch {
    // Missing (the first run), unreadable, or not agg's own (a link or FIFO planted in a shared cache):
    // no history, which only means no `auto` hedging yet.
    return { entries: new Map() };
  }
  const entries = new Map<string, Entry>();
  let lines = 0;
  let read = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    lines++;
    if (readLine(line, entries)) read++;
  }
  if (lines > 0 && read === 0) {
    return { entries: new Map(), warning: `ignoring corrupt latency history ${file}: no line of it can be read` };
  }
  // Most recently seen first, then bounded: the least recently seen sources go.
  const kept = [...entries].sort((a, b) => b[1].at - a[1].at).slice(0, MAX_SOURCES);
  for (const [, entry] of kept) entry.ms = entry.ms.slice(-SAMPLES);
  return { entries: new Map(kept) };
}

/** Adds one line's latencies to `entries` (in order, the last SAMPLES kept); false if it is not a line of ours. */
function readLine(line: string, entries: Map<string, Entry>): boolean {
  let doc: { at?: unknown; ms?: unknown };
  try {
    doc = JSON.parse(line);
  } catch {
    return false;
  }
  if (typeof doc?.ms !== 'object' || doc.ms === null || Array.isArray(doc.ms)) return false;
  const at = typeof doc.at === 'number' && Number.isFinite(doc.at) ? doc.at : 0;
  for (const [name, value] of Object.entries(doc.ms as Record<string, unknown>)) {
    const ms = (Array.isArray(value) ? value : [value]).filter(isLatency);
    if (ms.length === 0) continue;
    const entry = entries.get(name) ?? { ms: [], at };
    for (const v of ms) entry.ms.push(Math.round(v));
    // Trimmed now and then rather than at every line: a log holds dozens of lines per source.
    if (entry.ms.length > 2 * SAMPLES) entry.ms = entry.ms.slice(-SAMPLES);
    entry.at = Math.max(entry.at, at);
    entries.set(name, entry);
  }
  return true;
}
