/**
 * The latency history behind `hedge: auto` and the p50/p95 of `agg sources`: recorded per answering
 * source, appended, bounded, shared safely by concurrent runs, and never fatal.
 */
import { execFile, execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  COMPACT_BYTES,
  defaultHistoryFile,
  LatencyHistory,
  MAX_SOURCES,
  recordLatencies,
  SAMPLES,
} from '../src/history/index.js';
import { historyKey } from '../src/history/key.js';
import { BIN } from './helpers/bin.js';
import { runCli } from './helpers/cli.js';
import { source, writeConfig } from './helpers/config.js';
import { json, startServer, type TestServer } from './helpers/server.js';
import { plantTemp, TWO_HOURS } from './helpers/temp-file.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const tempCache = (): string => mkdtempSync(path.join(os.tmpdir(), 'agg-cache-'));
const historyIn = (cache: string): string => path.join(cache, 'agg', 'latency.jsonl');
const load = (file: string): LatencyHistory => LatencyHistory.load(file).history;
/** What a source of `name` sending to `url` is recorded under. */
const keyOf = (name: string, url: string): string => historyKey({ name, request: { url } });

/** Writes a history file with `ms` recorded for each named source. */
function seed(cache: string, sources: Record<string, number[]>): void {
  mkdirSync(path.join(cache, 'agg'), { recursive: true });
  const lines = Object.entries(sources).map(([n, ms]) => `${JSON.stringify({ at: 1, ms: { [n]: ms } })}\n`);
  writeFileSync(historyIn(cache), lines.join(''));
}

/** A vendor whose first request per path takes 600 ms and every later one 5 ms. */
async function firstSlow(): Promise<TestServer> {
  const seen = new Set<string>();
  const server = await startServer((req, res) => {
    const first = !seen.has(req.url ?? '');
    seen.add(req.url ?? '');
    return json(res, { items: [{ title: 't', price: 1, currency: 'USD' }] }, { ms: first ? 600 : 5 });
  });
  servers.push(server);
  return server;
}

describe('latency history', () => {
  it('lives under $XDG_CACHE_HOME/agg, else ~/.cache/agg', () => {
    expect(defaultHistoryFile({ XDG_CACHE_HOME: '/c' }, '/home/u')).toBe('/c/agg/latency.jsonl');
    expect(defaultHistoryFile({}, '/home/u')).toBe('/home/u/.cache/agg/latency.jsonl');
    // The XDG spec says a relative path is invalid and must be ignored.
    expect(defaultHistoryFile({ XDG_CACHE_HOME: 'rel' }, '/home/u')).toBe('/home/u/.cache/agg/latency.jsonl');
    // With neither absolute (`HOME=` in a cron job), there is no cache folder: not one in the current folder.
    expect(defaultHistoryFile({}, '')).toBeUndefined();
    expect(defaultHistoryFile({ XDG_CACHE_HOME: 'rel' }, 'home')).toBeUndefined();
    expect(defaultHistoryFile({ XDG_CACHE_HOME: '/c' }, '')).toBe('/c/agg/latency.jsonl');
  });

  it('with HOME empty and no XDG_CACHE_HOME, a search writes no cache anywhere, not in the current folder', async () => {
    const server = await startServer((_req, res) => json(res, { items: [{ title: 't', price: 1, currency: 'USD' }] }));
    servers.push(server);
    const file = writeConfig([source('shop', `${server.url}/s`)]);
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'agg-cwd-'));
    const run = (): Promise<{ code: number; stdout: string }> =>
      new Promise((resolve) => {
        execFile(
          process.execPath,
          [BIN, 'search', 'x', '-c', file, '--json', '-q'],
          { cwd, env: { PATH: process.env.PATH ?? '', HOME: '' } },
          (err, stdout) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout }),
        );
      });
    for (const _ of [1, 2]) {
      const { code, stdout } = await run();
      expect(code).toBe(0);
      expect(JSON.parse(stdout).offers).toHaveLength(1);
    }
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('records each answering source’s time, and `agg sources` shows p50 and p95', async () => {
    const cache = tempCache();
    const server = await startServer((_req, res) => json(res, { items: [] }));
    servers.push(server);
    const file = writeConfig([source('shop', `${server.url}/s`), source('other', `${server.url}/o`)]);
    await runCli(['search', 'x', '-c', file, '--source', 'shop'], { env: { XDG_CACHE_HOME: cache } });
    // One line per search, of the sources that answered.
    const [line, ...rest] = readFileSync(historyIn(cache), 'utf8').split('\n');
    expect(rest).toEqual(['']);
    const shop = keyOf('shop', server.url);
    expect(shop).toBe(`shop@${new URL(server.url).host}`);
    expect(Object.keys(JSON.parse(line ?? '').ms)).toEqual([shop]);
    expect(load(historyIn(cache)).count(shop)).toBe(1);
    expect(statSync(historyIn(cache)).mode & 0o777).toBe(0o600);

    seed(cache, { [shop]: [10, 20, 30, 40, 50, 60, 70, 80, 90, 1000] });
    const out = await runCli(['sources', '-c', file, '--json'], { env: { XDG_CACHE_HOME: cache } });
    const rows = JSON.parse(out.stdout);
    expect(rows[0]).toMatchObject({ name: 'shop', p50: '50ms', p95: '1s' });
    // Fewer than 5 samples make no percentile.
    expect(rows[1]).toMatchObject({ name: 'other', p50: null, p95: null });
    const table = await runCli(['sources', '-c', file], { env: { XDG_CACHE_HOME: cache } });
    expect(table.stdout).toMatch(/│ p50\s+│ p95\s+│/);
    expect(table.stdout).toMatch(/│ shop .*│ 50ms\s+│ 1s\s+│/);
  });

  it('hedge: auto hedges at the source’s recorded p95, and not without a history', async () => {
    const cache = tempCache();
    const server = await firstSlow();
    seed(cache, { [keyOf('known', server.url)]: [20, 20, 20, 20, 20, 25] });
    const file = writeConfig(
      [source('known', `${server.url}/known`), source('unknown', `${server.url}/unknown`)],
      'currency: USD\ndefaults:\n  hedge: auto',
    );
    const out = await runCli(['search', 'x', '-c', file, '--json'], {
      env: { XDG_CACHE_HOME: cache },
    });
    const rows = Object.fromEntries(JSON.parse(out.stdout).sources.map((r: { name: string }) => [r.name, r]));
    expect(rows.known).toMatchObject({ status: 'ok', hedged: true, attempts: 2 });
    expect(rows.unknown).toMatchObject({ status: 'ok', attempts: 1 });
    expect(rows.unknown).not.toHaveProperty('hedged');
  });

  // By name alone, someone's real `amadeus` took on the demo's loopback times (`demo --serve`), and
  // `hedge: auto` sent every request to the real vendor twice, a few milliseconds apart.
  it('keeps a source’s times apart from those of a source of the same name on another host', async () => {
    const cache = tempCache();
    const server = await firstSlow();
    const elsewhere = `http://user:hunter2@OTHER.example:8787/s?q={{query}}`;
    expect(keyOf('known', elsewhere)).toBe('known@other.example:8787');
    // The other host's times, and times kept by name alone before this keying: neither is this source's.
    seed(cache, { [keyOf('known', elsewhere)]: [20, 20, 20, 20, 20, 25], known: [20, 20, 20, 20, 20, 25] });
    const file = writeConfig([source('known', `${server.url}/known`)], 'currency: USD\ndefaults:\n  hedge: auto');
    const out = await runCli(['search', 'x', '-c', file, '--json'], { env: { XDG_CACHE_HOME: cache } });
    expect(JSON.parse(out.stdout).sources[0]).toMatchObject({ status: 'ok', attempts: 1 });
    expect(JSON.parse(out.stdout).sources[0]).not.toHaveProperty('hedged');
    const listed = await runCli(['sources', '-c', file, '--json'], { env: { XDG_CACHE_HOME: cache } });
    expect(JSON.parse(listed.stdout)[0]).toMatchObject({ name: 'known', p50: null, p95: null });
    expect(readFileSync(historyIn(cache), 'utf8')).not.toContain('hunter2');
  });

  // A name may hold no secret because it keys this file (SECURITY.md); the host beside it may not either.
  it('writes no environment secret of a source’s host to disk, and `agg sources` still finds its times', async () => {
    const cache = tempCache();
    const server = await startServer((_req, res) => json(res, { items: [] }));
    servers.push(server);
    const host = new URL(server.url).host;
    const file = writeConfig([source('shop', 'http://${TENANT_HOST}/s')]);
    const env = { XDG_CACHE_HOME: cache, TENANT_HOST: host };
    await runCli(['search', 'x', '-c', file], { env });
    const log = readFileSync(historyIn(cache), 'utf8');
    expect(log).not.toContain(host);
    expect(Object.keys(JSON.parse(log).ms)).toEqual(['shop@${TENANT_HOST}']);
    seed(cache, { 'shop@${TENANT_HOST}': [10, 20, 30, 40, 50] });
    const listed = await runCli(['sources', '-c', file, '--json'], { env });
    expect(JSON.parse(listed.stdout)[0]).toMatchObject({ name: 'shop', host: '***', p50: '30ms' });
  });

  // Kept as `***`, every host from the environment was one: a real `amadeus` at `${AMADEUS_URL}` showed
  // (and hedged at) the loopback times of the demo's at `${AGG_DEMO_URL}`, as names alone did before.
  it('keeps apart sources of one name whose hosts come from different environment variables', async () => {
    const cache = tempCache();
    const server = await startServer((_req, res) => json(res, { items: [] }));
    servers.push(server);
    const host = new URL(server.url).host;
    const demo = writeConfig([source('amadeus', 'http://${AGG_DEMO_URL}/s')]);
    await runCli(['search', 'x', '-c', demo], { env: { XDG_CACHE_HOME: cache, AGG_DEMO_URL: host } });
    const [demoKey = ''] = Object.keys(JSON.parse(readFileSync(historyIn(cache), 'utf8')).ms);
    seed(cache, { [demoKey]: [1, 2, 3, 4, 5] });
    const real = writeConfig([source('amadeus', 'http://${AMADEUS_URL}/s')]);
    const env = { XDG_CACHE_HOME: cache, AMADEUS_URL: 'api.amadeus.example' };
    const listed = await runCli(['sources', '-c', real, '--json'], { env });
    expect(JSON.parse(listed.stdout)[0]).toMatchObject({ name: 'amadeus', host: '***' });
    expect(JSON.parse(listed.stdout)[0]).toMatchObject({ p50: null, p95: null });
    expect(readFileSync(historyIn(cache), 'utf8')).not.toContain(host);
  });

  // Replaced shortest first, a value inside another split it: `${TENANT}.example` wrote the rest of
  // HOST's value to disk, and the key changed with the order the variables were read in.
  it('names the variable of the longest value when one secret value holds another', () => {
    const url = 'https://api.acme-corp.example/s';
    const expected = 'shop@${HOST}';
    expect(
      historyKey({ name: 'shop', request: { url } }, { 'acme-corp': 'TENANT', 'api.acme-corp.example': 'HOST' }),
    ).toBe(expected);
    expect(
      historyKey({ name: 'shop', request: { url } }, { 'api.acme-corp.example': 'HOST', 'acme-corp': 'TENANT' }),
    ).toBe(expected);
  });

  // LatencyHistory is exported, and its percentile takes the key, not the name: a library caller's
  // `percentile('shop', 95)` found nothing once latencies were keyed by host, with no way to make the key.
  it('lets a library caller read a source’s recorded times by the key the package exports', async () => {
    const cache = tempCache();
    const server = await startServer((_req, res) => json(res, { items: [] }));
    servers.push(server);
    const file = writeConfig([source('shop', 'http://${TENANT_HOST}/s')]);
    const env = { XDG_CACHE_HOME: cache, TENANT_HOST: new URL(server.url).host };
    await runCli(['search', 'x', '-c', file], { env });
    const lib = await import('../src/index.js');
    const config = lib.loadConfig(file, env);
    const shop = config.sources[0] as (typeof config.sources)[number];
    expect(lib.LatencyHistory.load(historyIn(cache)).history.count(lib.historyKey(shop, config.secretNames))).toBe(1);
  });

  it('hedge: auto never takes a time past what a timer can wait for: it would hedge at once', async () => {
    const cache = tempCache();
    const server = await startServer((_req, res) =>
      json(res, { items: [{ title: 't', price: 1, currency: 'USD' }] }, { ms: 100 }),
    );
    servers.push(server);
    const known = keyOf('known', server.url);
    seed(cache, { [known]: [1e300, 1e300, 1e300, 1e10, 1e10, 2 ** 31] });
    expect(load(historyIn(cache)).count(known)).toBe(0);
    const file = writeConfig([source('known', `${server.url}/known`)], 'currency: USD\ndefaults:\n  hedge: auto');
    const out = await runCli(['search', 'x', '-c', file, '--json'], { env: { XDG_CACHE_HOME: cache } });
    // Node cut the 1e300 ms delay to 1 ms: the duplicate went out at once.
    expect(JSON.parse(out.stdout).sources[0]).toMatchObject({ status: 'ok', attempts: 1 });
  });

  it('ignores a corrupt file, with a warning when hedge: auto relies on it, and replaces it', async () => {
    const cache = tempCache();
    mkdirSync(path.join(cache, 'agg'), { recursive: true });
    writeFileSync(historyIn(cache), '{"version": 1, "sources": {"shop": ');
    const server = await startServer((_req, res) => json(res, { items: [{ title: 't', price: 1, currency: 'USD' }] }));
    servers.push(server);
    const file = writeConfig([source('shop', `${server.url}/s`)]);
    const out = await runCli(['search', 'x', '-c', file, '--hedge', 'auto'], { env: { XDG_CACHE_HOME: cache } });
    expect(out.code).toBe(0);
    expect(out.stderr).toContain(`warning: ignoring corrupt latency history ${historyIn(cache)}:`);
    const shop = keyOf('shop', server.url);
    expect(load(historyIn(cache)).count(shop)).toBe(1);
    // A line that does not parse among lines that do (a torn write) is skipped without a word.
    const again = await runCli(['search', 'x', '-c', file, '--hedge', 'auto'], { env: { XDG_CACHE_HOME: cache } });
    expect(again.stderr).not.toContain('warning');
    expect(load(historyIn(cache)).count(shop)).toBe(2);
    // Without `auto` the run never reads it: no warning, and its time is still added.
    writeFileSync(historyIn(cache), '{"version": 1, "sources": {"shop": ');
    const plain = await runCli(['search', 'x', '-c', file], { env: { XDG_CACHE_HOME: cache } });
    expect(plain.stderr).not.toContain('warning');
    expect(load(historyIn(cache)).count(shop)).toBe(1);
  });

  it('an unwritable cache never breaks a run; it warns only when hedge: auto relies on it', async () => {
    // A cache "directory" below a regular file cannot be created, even by root.
    const blocker = path.join(tempCache(), 'file');
    writeFileSync(blocker, '');
    const cache = path.join(blocker, 'cache');
    const server = await startServer((_req, res) => json(res, { items: [{ title: 't', price: 1, currency: 'USD' }] }));
    servers.push(server);
    const file = writeConfig([source('shop', `${server.url}/s`)]);
    const plain = await runCli(['search', 'x', '-c', file], { env: { XDG_CACHE_HOME: cache } });
    expect(plain.code).toBe(0);
    expect(plain.stderr).not.toContain('warning');
    const auto = await runCli(['search', 'x', '-c', file, '--hedge', 'auto'], { env: { XDG_CACHE_HOME: cache } });
    expect(auto.code).toBe(0);
    expect(auto.stderr).toMatch(/^warning: cannot save latency history to .*latency\.jsonl: ENOTDIR$/m);
  });

  it('is bounded: the last 40 samples per source, the 2,000 most recently seen sources', () => {
    const file = historyIn(tempCache());
    for (let i = 0; i < SAMPLES + 10; i++) recordLatencies(file, new Map([['a', i]]), 1000 + i);
    expect(load(file).count('a')).toBe(SAMPLES);
    // The oldest ten went: the fastest kept is the eleventh.
    expect(load(file).percentile('a', 0)).toBe(10);
    // `a` was seen longest ago, so it is the one that makes room.
    const many = new Map(Array.from({ length: MAX_SOURCES }, (_, i) => [`s${i}`, 1] as const));
    recordLatencies(file, many, 5000);
    expect(load(file).count('a')).toBe(0);
    expect(load(file).count(`s${MAX_SOURCES - 1}`)).toBe(1);
  });

  it('rewrites the log bounded once it passes COMPACT_BYTES, keeping what it holds', () => {
    const file = historyIn(tempCache());
    const line = `${JSON.stringify({ at: 1, ms: Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`v${i}`, i])) })}\n`;
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, line.repeat(Math.ceil(COMPACT_BYTES / line.length)), { mode: 0o600 });
    // A compaction's temp file that a killed run left two hours ago goes with the next compaction.
    plantTemp(file, TWO_HOURS);
    expect(load(file).count('v7')).toBe(SAMPLES);
    recordLatencies(file, new Map([['late', 42]]), 2);
    expect(statSync(file).size).toBeLessThan(COMPACT_BYTES / 4);
    const history = load(file);
    expect([history.count('v7'), history.count('late'), history.percentile('v499', 50)]).toEqual([SAMPLES, 1, 499]);
    expect(readdirSync(path.dirname(file))).toEqual(['latency.jsonl']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // Appending goes on from the rewritten log.
    recordLatencies(file, new Map([['late', 43]]), 3);
    expect(load(file).count('late')).toBe(2);
  });

  it('removes the whole-JSON history of older agg when it starts the log, and no other file', () => {
    const cache = tempCache();
    const legacy = path.join(cache, 'agg', 'latency.json');
    mkdirSync(path.dirname(legacy), { recursive: true });
    writeFileSync(legacy, JSON.stringify({ version: 1, sources: {} }));
    recordLatencies(historyIn(cache), new Map([['a', 5]]));
    expect(existsSync(legacy)).toBe(false);
    // A library caller's own history file elsewhere leaves that folder's latency.json alone, and a
    // latency.json that is not agg's history is never removed.
    const project = tempCache();
    const theirs = path.join(project, 'latency.json');
    writeFileSync(theirs, JSON.stringify({ version: 1, sources: {} }));
    recordLatencies(path.join(project, 'agg-history.jsonl'), new Map([['a', 5]]));
    expect(existsSync(theirs)).toBe(true);
    const other = tempCache();
    writeFileSync(path.join(other, 'latency.json'), '{"mine": true}');
    recordLatencies(path.join(other, 'latency.jsonl'), new Map([['a', 5]]));
    expect(existsSync(path.join(other, 'latency.json'))).toBe(true);
  });

  it('appends only to its own file: never through a symbolic or hard link planted in its place', () => {
    for (const plant of [symlinkSync, linkSync]) {
      const cache = tempCache();
      const victim = path.join(cache, 'victim.txt');
      writeFileSync(victim, 'precious\n');
      const file = historyIn(cache);
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      plant(victim, file);
      expect(recordLatencies(file, new Map([['a', 5]]))).toMatch(/^cannot save latency history to .*latency\.jsonl: /);
      expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    }
  });

  it('reads only its own file: a FIFO or a link in its place is no history, and never blocks', () => {
    const cache = tempCache();
    const file = historyIn(cache);
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    execFileSync('mkfifo', [file]);
    expect(load(file).count('a')).toBe(0);
    rmSync(file);
    const elsewhere = path.join(cache, 'elsewhere.jsonl');
    writeFileSync(elsewhere, `${JSON.stringify({ at: 1, ms: { a: [5, 5, 5, 5, 5] } })}\n`);
    symlinkSync(elsewhere, file);
    expect(load(file).count('a')).toBe(0);
  });

  it('tightens a folder of its own that others may write (an older agg made it so), and goes on', () => {
    const cache = tempCache();
    const dir = path.join(cache, 'agg');
    mkdirSync(dir);
    chmodSync(dir, 0o775);
    expect(recordLatencies(historyIn(cache), new Map([['a', 5]]))).toBeUndefined();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(load(historyIn(cache)).count('a')).toBe(1);
  });

  // A library caller names the file (`historyFile`): its folder is theirs, never agg's to chmod.
  it("leaves the mode of a caller's folder that others may write alone (a shared /tmp, a group's project), and records nothing there", () => {
    for (const mode of [0o1777, 0o775]) {
      const dir = path.join(tempCache(), 'shared');
      mkdirSync(dir);
      chmodSync(dir, mode);
      const file = path.join(dir, 'latency.jsonl');
      expect(recordLatencies(file, new Map([['a', 5]]))).toMatch(/shared can be written by other users$/);
      expect(statSync(dir).mode & 0o7777).toBe(mode);
      expect(existsSync(file)).toBe(false);
    }
  });

  it('keeps a source named like an Object.prototype key as data', () => {
    const file = historyIn(tempCache());
    recordLatencies(
      file,
      new Map([
        ['__proto__', 5],
        ['constructor', 6],
      ]),
    );
    expect([load(file).count('__proto__'), load(file).count('constructor')]).toEqual([1, 1]);
    expect(({} as Record<string, unknown>).ms).toBeUndefined();
  });

  it('survives concurrent runs: every line is whole, none is lost, and no temp file is left', async () => {
    const file = historyIn(tempCache());
    const dist = fileURLToPath(new URL('../dist/history/index.js', import.meta.url));
    const writer = (id: number) =>
      new Promise<void>((resolve, reject) => {
        const script = `import { recordLatencies } from ${JSON.stringify(dist)};
          for (let i = 0; i < 40; i++) {
            const warning = recordLatencies(${JSON.stringify(file)}, new Map([['w${id}', i], ['shared', i]]));
            if (warning) throw new Error(warning);
          }`;
        execFile(process.execPath, ['--input-type=module', '-e', script], (err) => (err ? reject(err) : resolve()));
      });
    await Promise.all([0, 1, 2, 3].map(writer));
    // A run whose torn-line check catches another's append mid-write adds a newline before its own
    // line: at worst a blank line, which readers skip. What must hold is that no line is torn or lost.
    const lines = readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line !== '');
    expect(lines).toHaveLength(160);
    for (const line of lines) expect(Object.keys(JSON.parse(line).ms).sort()).toEqual(['shared', expect.any(String)]);
    const history = load(file);
    expect([0, 1, 2, 3].map((id) => history.count(`w${id}`))).toEqual([40, 40, 40, 40]);
    expect(history.count('shared')).toBe(SAMPLES);
    expect(readdirSync(path.dirname(file))).toEqual(['latency.jsonl']);
  });
});
