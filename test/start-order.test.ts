/**
 * Under `first`, the sources that answered fastest in recent runs start first (start-order.ts), as
 * estimated from the end of the latency log only (history/recent.ts, recentLatencies).
 */
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { COMPACT_BYTES, recordLatencies } from '../src/history/index.js';
import { historyKey } from '../src/history/key.js';
import { RECENT_SAMPLES, recentLatencies } from '../src/history/recent.js';
import type { Planned } from '../src/plan.js';
import { fastestFirst } from '../src/start-order.js';
import type { CompiledSource } from '../src/types.js';
import { runCli } from './helpers/cli.js';
import { source, writeConfig } from './helpers/config.js';
import { json, startServer, type TestServer } from './helpers/server.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A latency log in a fresh cache folder, one line per entry of `lines` (a search's latencies). */
function logOf(lines: Record<string, number | number[]>[]): { cache: string; file: string } {
  const cache = mkdtempSync(path.join(os.tmpdir(), 'agg-cache-'));
  mkdirSync(path.join(cache, 'agg'), { recursive: true, mode: 0o700 });
  const file = path.join(cache, 'agg', 'latency.jsonl');
  writeFileSync(file, lines.map((ms, i) => `${JSON.stringify({ at: i, ms })}\n`).join(''), { mode: 0o600 });
  return { cache, file };
}

const planned = (...names: string[]): Planned[] =>
  names.map((name, position) => ({ source: { name } as CompiledSource, position }));

describe('recentLatencies', () => {
  it(`is the median of each source's last ${RECENT_SAMPLES} latencies, newest lines first`, () => {
    const { file } = logOf([{ a: 900, b: 5 }, { a: 10 }, { a: 30, b: 7 }, { a: 20 }, { c: 1 }]);
    // a: 20, 30, 10 (the 900 is older than three); b: 7, 5; c is not asked for.
    expect(recentLatencies(file, new Set(['a', 'b', 'd']))).toEqual(
      new Map([
        ['a', 20],
        ['b', 5],
      ]),
    );
  });

  it('reads a compacted line (a list, oldest first) from its newest end, and skips what is not a latency', () => {
    const { file } = logOf([{ a: [500, 500, 500, 40, 50, 60] }, { b: 'slow' as unknown as number, c: -1 }]);
    expect(recentLatencies(file, new Set(['a', 'b', 'c']))).toEqual(new Map([['a', 50]]));
  });

  it('reads only the end of a large log, never a line cut in half, and an unreadable one is empty', () => {
    const { file } = logOf([{ old: 1 }]);
    // Far more than is read for two sources: the old line is not reached.
    for (let i = 0; i < 800; i++)
      appendFileSync(file, `${JSON.stringify({ at: i, ms: { a: 10, pad: 'x'.repeat(100) } })}\n`);
    appendFileSync(file, `${JSON.stringify({ at: 999, ms: { a: 12 } })}\n`);
    expect(recentLatencies(file, new Set(['a', 'old']))).toEqual(new Map([['a', 10]]));
    expect(recentLatencies(path.join(path.dirname(file), 'none.jsonl'), new Set(['a']))).toEqual(new Map());
    writeFileSync(file, '{"at":1,"ms":{"a":', { mode: 0o600 });
    expect(recentLatencies(file, new Set(['a']))).toEqual(new Map());
  });

  it('keeps a line that starts exactly where the window does', () => {
    const { file } = logOf([{ a: 999 }]);
    // One line of exactly the bytes read for one source (64 KiB): the byte before it ends the old line.
    const head = '{"at":1,"ms":{"a":7,"pad":"';
    const tail = '"}}\n';
    appendFileSync(file, `${head}${'x'.repeat(64 * 1024 - head.length - tail.length)}${tail}`);
    expect(recentLatencies(file, new Set(['a']))).toEqual(new Map([['a', 7]]));
  });

  it('reads the whole last line of a search over a thousand sources when asked for a few of them', () => {
    // A file searched with `all` (1,000 sources, about 40 bytes each: a 40 KB line), then with `first`
    // over some of its tags: the window for 12 sources must still hold that one line whole.
    const key = (i: number): string => `source-${String(i).padStart(4, '0')}@api.vendor-${i}.example`;
    const all = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [key(i), i === 7 ? 5 : 400]));
    const { file } = logOf([all]);
    expect(statSync(file).size).toBeGreaterThan(32 * 1024);
    const asked = new Set(Array.from({ length: 12 }, (_, i) => key(i)));
    const recent = recentLatencies(file, asked);
    expect(recent.size).toBe(12);
    expect(recent.get(key(7))).toBe(5);
  });

  it('finds the most recently seen sources at the end of a compacted log', () => {
    const { file } = logOf([]);
    // Over COMPACT_BYTES of old searches, then one of `recent`: the run that appends it compacts the log.
    const old = Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`old-source-${i}`, 300]));
    for (let at = 1; statSync(file).size <= COMPACT_BYTES; at++)
      appendFileSync(file, `${JSON.stringify({ at, ms: old })}\n`);
    expect(recordLatencies(file, new Map([['recent', 20]]), Date.now())).toBeUndefined();
    expect(statSync(file).size).toBeLessThan(COMPACT_BYTES);
    expect(readFileSync(file, 'utf8').trimEnd().split('\n').at(-1)).toContain('"recent"');
    expect(recentLatencies(file, new Set(['recent', 'old-source-0'])).get('recent')).toBe(20);
  });
});

describe('fastestFirst', () => {
  it('puts the fastest first, then those without a latency, keeping file order among equals', () => {
    const order = fastestFirst(
      planned('a', 'b', 'c', 'd', 'e'),
      new Map([
        ['b', 300],
        ['d', 50],
        ['e', 300],
      ]),
    );
    expect(order.map((p) => [p.source.name, p.position])).toEqual([
      ['d', 3],
      ['b', 1],
      ['e', 4],
      ['a', 0],
      ['c', 2],
    ]);
  });
});

describe('agg search --strategy first', () => {
  it('starts the source that answered fastest in recent runs first, when there are more than one batch', async () => {
    const order: string[] = [];
    const server = await startServer((req, res) => {
      const name = new URL(req.url ?? '', 'http://x').pathname.slice(1);
      order.push(name);
      return json(res, { items: [{ title: name, price: 1, currency: 'USD' }] }, { ms: name === 's11' ? 5 : 400 });
    });
    servers.push(server);
    const names = Array.from({ length: 12 }, (_, i) => `s${String(i).padStart(2, '0')}`);
    const file = writeConfig(names.map((n) => source(n, `${server.url}/${n}`)));
    // s11, last in the file, answered in 5 ms last time; the others in 400.
    const { cache } = logOf([
      Object.fromEntries(
        names.map((n) => [historyKey({ name: n, request: { url: server.url } }), n === 's11' ? 5 : 400]),
      ),
    ]);
    const out = await runCli(['search', 'x', '-c', file, '-s', 'first', '--json'], {
      env: { XDG_CACHE_HOME: cache },
    });
    expect(JSON.parse(out.stdout).offers[0]).toMatchObject({ source: 's11' });
    expect(order[0]).toBe('s11');
  });
});
