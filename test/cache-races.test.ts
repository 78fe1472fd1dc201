/**
 * What agg's cache files go through when other agg processes use them at the same moment, one
 * interleaving at a time: a hook on node:fs does, at the exact step, what the other process would.
 * Hammering from many processes finds these one run in thousands (a compaction in 35,000); here each
 * happens every time.
 */
import * as realFs from 'node:fs';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { COMPACT_BYTES, LatencyHistory, recordLatencies, SAMPLES } from '../src/history/index.js';
import { readPrivateFile, writePrivateFile } from '../src/shared/cache-dir.js';

/** Called around each openSync in src/, with the path opened: the moment another process acts. */
const hooks = vi.hoisted(() => ({
  beforeOpen: undefined as ((file: string) => void) | undefined,
  afterOpen: undefined as ((file: string) => void) | undefined,
  beforeMkdir: undefined as ((dir: string) => void) | undefined,
}));

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const openSync = ((...args: Parameters<typeof fs.openSync>) => {
    hooks.beforeOpen?.(String(args[0]));
    const fd = fs.openSync(...args);
    hooks.afterOpen?.(String(args[0]));
    return fd;
  }) as typeof fs.openSync;
  const mkdirSync = ((...args: Parameters<typeof fs.mkdirSync>) => {
    hooks.beforeMkdir?.(String(args[0]));
    return fs.mkdirSync(...args);
  }) as typeof fs.mkdirSync;
  return { ...fs, default: { ...fs, openSync, mkdirSync }, openSync, mkdirSync };
});

afterEach(() => {
  hooks.beforeOpen = undefined;
  hooks.afterOpen = undefined;
  hooks.beforeMkdir = undefined;
});

const historyIn = (): string => path.join(mkdtempSync(path.join(os.tmpdir(), 'agg-race-')), 'agg', 'latency.jsonl');
const load = (file: string): LatencyHistory => LatencyHistory.load(file).history;

/** A log just past COMPACT_BYTES of 500 sources, v0…v499, each with more than SAMPLES latencies. */
function bigLog(file: string): void {
  const line = `${JSON.stringify({ at: 1, ms: Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`v${i}`, i])) })}\n`;
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, line.repeat(Math.ceil(COMPACT_BYTES / line.length)), { mode: 0o600 });
}

/** What another process's compaction renames over the log: here, one source, `theirs`. */
function renameOver(file: string): void {
  const temp = `${file}.other.tmp`;
  realFs.writeFileSync(temp, `${JSON.stringify({ at: 2, ms: { theirs: [7] } })}\n`, { mode: 0o600 });
  renameSync(temp, file);
}

/** Runs `act` once, just before (or after) the `nth` (1-based) open of `file`. */
function atNthOpen(file: string, nth: number, act: () => void, when: 'beforeOpen' | 'afterOpen' = 'afterOpen'): void {
  let opens = 0;
  hooks[when] = (opened) => {
    if (opened === file && ++opens === nth) act();
  };
}

describe('the latency history under concurrent runs', () => {
  // The file opened is then no longer the log: it has no name (nlink 0), but it is the one that was
  // there, whole. Refused as "not agg's own", the run read an empty history.
  it('reads a log that another run’s compaction renames over just as it is opened', () => {
    const file = historyIn();
    bigLog(file);
    atNthOpen(file, 1, () => renameOver(file));
    expect(load(file).count('v7')).toBe(SAMPLES);
  });

  // The same moment in a compaction: it read nothing, and wrote that over the log. 1 compaction in
  // 35,000, with several processes compacting at once, left every run after it with no history.
  it('compacts the log it appended to when another run renames its own over it meanwhile', () => {
    const file = historyIn();
    bigLog(file);
    // The first open is the append's, the second the compaction's read.
    atNthOpen(file, 2, () => renameOver(file));
    expect(recordLatencies(file, new Map([['late', 42]]), 3)).toBeUndefined();
    const history = load(file);
    expect([history.count('v7'), history.count('late')]).toEqual([SAMPLES, 1]);
    expect(statSync(file).size).toBeLessThan(COMPACT_BYTES / 4);
  });

  it('never rewrites the log empty: a compaction that can read nothing leaves it as it is', () => {
    const file = historyIn();
    bigLog(file);
    // Too many open files, at the moment of the compaction's read: any reason it reads nothing.
    const emfile = () => {
      throw Object.assign(new Error('EMFILE: too many open files'), { code: 'EMFILE' });
    };
    atNthOpen(file, 2, emfile, 'beforeOpen');
    expect(recordLatencies(file, new Map([['late', 42]]), 3)).toBeUndefined();
    hooks.beforeOpen = undefined;
    const history = load(file);
    expect([history.count('v7'), history.count('late')]).toEqual([SAMPLES, 1]);
    expect(readFileSync(file, 'utf8').endsWith(`${JSON.stringify({ at: 3, ms: { late: 42 } })}\n`)).toBe(true);
  });
});

describe('the cache folder, made by runs started at once', () => {
  /** Makes `dir` with `make` (as another agg would) just before this run's second mkdir of it. */
  function madeMeanwhile(dir: string, make: (dir: string) => void): void {
    let tries = 0;
    hooks.beforeMkdir = (at) => {
      if (at === dir && ++tries === 2) make(dir);
    };
  }

  // Both found `agg` missing, both made `.cache` (the second one's EEXIST was taken as made), and the
  // second one's mkdir of `agg` failed EEXIST: with 120 runs started at once and no cache, about 1 in 120.
  it('uses the folder another run made between its first try and its second', () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'agg-race-')), '.cache', 'agg');
    madeMeanwhile(dir, (at) => realFs.mkdirSync(at, { mode: 0o700 }));
    writePrivateFile(path.join(dir, 'entry.json'), '{}');
    expect(readPrivateFile(path.join(dir, 'entry.json'))).toBe('{}');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('but not a file made in its place', () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'agg-race-')), '.cache', 'agg');
    madeMeanwhile(dir, (at) => realFs.writeFileSync(at, 'not a folder'));
    expect(() => writePrivateFile(path.join(dir, 'entry.json'), '{}')).toThrow(/agg is not a folder$/);
    expect(readFileSync(dir, 'utf8')).toBe('not a folder');
  });
});
