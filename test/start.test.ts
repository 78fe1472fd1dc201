/**
 * How the built command line starts (bin/agg.js, scripts/bundle-cli.js): as CommonJS, in strict mode,
 * without the Node modules that only a few runs need. Each of these was measured as milliseconds of
 * every start (issue #7, docs/BENCHMARKS.md); these tests only check that they stay out.
 */
import { execFile, spawn as realSpawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BARE_ENV, BIN, type BinResult, runBin, TEST_CACHE } from './helpers/bin.js';
import { source, writeConfig } from './helpers/config.js';
import { json, startServer, type TestServer } from './helpers/server.js';

const dist = (file: string): string => fileURLToPath(new URL(`../dist/${file}`, import.meta.url));

/**
 * The Node modules a run of `agg …args` loaded beyond those of `node -e 0`, from a preload that
 * writes `process.moduleLoadList` when the process exits.
 */
async function modulesLoaded(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<{ loaded: string[]; stdout: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agg-start-'));
  const out = path.join(dir, 'modules.json');
  const preload = path.join(dir, 'preload.cjs');
  writeFileSync(
    preload,
    `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(process.moduleLoadList)));\n`,
  );
  // Whatever the exit code: a search with no offers exits 1.
  const run = (argv: string[]): Promise<string> =>
    new Promise((resolve) =>
      execFile(
        process.execPath,
        argv,
        { env: { PATH: process.env.PATH ?? '', XDG_CACHE_HOME: TEST_CACHE, ...env } },
        (_err, stdout) => resolve(stdout),
      ),
    );
  await run(['-r', preload, '-e', '0']);
  const base = new Set(JSON.parse(readFileSync(out, 'utf8')) as string[]);
  const stdout = await run(['-r', preload, BIN, ...args]);
  const loaded = (JSON.parse(readFileSync(out, 'utf8')) as string[]).filter((m) => !base.has(m));
  return { loaded, stdout };
}

describe('the built command line', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer((req, res) => {
      if (req.url?.startsWith('/down')) return json(res, {}, { status: 503 });
      // Node's own server would refuse to send this; a vendor's proxy might.
      if (req.url?.startsWith('/big-headers'))
        return json(res, { items: [] }, { headers: { 'x-pad': 'a'.repeat(20_000) } });
      return json(res, { items: [{ title: 'A', price: 5, currency: 'USD' }] });
    });
  });
  afterAll(() => server.close());

  it('starts as CommonJS: no ES-module loader, child_process or perf_hooks in a search', async () => {
    const file = writeConfig([source('shop', `${server.url}/s?q={{query}}`)]);
    const { loaded, stdout } = await modulesLoaded(['search', 'sony', '-c', file, '--json']);
    expect(JSON.parse(stdout).offers).toHaveLength(1);
    expect(loaded.filter((m) => /modules\/esm\/|child_process|dgram|perf_hooks|\bhttp\b|_http_/.test(m))).toEqual([]);
  });

  it('still names an HTTP status in words, and refuses headers over 16 KiB, as Node does by default', async () => {
    const file = writeConfig([
      source('down', `${server.url}/down?q={{query}}`),
      source('padded', `${server.url}/big-headers?q={{query}}`),
    ]);
    const { stdout } = await modulesLoaded(['search', 'sony', '-c', file, '--json', '--retries', '0']);
    const rows = JSON.parse(stdout).sources as { name: string; status: string; error: string }[];
    expect(rows.find((r) => r.name === 'down')?.error).toMatch(/^HTTP 503 Service Unavailable: GET /);
    expect(rows.find((r) => r.name === 'padded')).toMatchObject({
      status: 'error',
      error: expect.stringMatching(/^response headers too large: GET /),
    });
  });

  it("honours Node's --max-http-header-size given in NODE_OPTIONS", async () => {
    const file = writeConfig([source('padded', `${server.url}/big-headers?q={{query}}`)]);
    const { stdout } = await modulesLoaded(['search', 'sony', '-c', file, '--json'], {
      NODE_OPTIONS: '--max-http-header-size=65536',
    });
    expect(JSON.parse(stdout).sources).toMatchObject([{ name: 'padded', status: 'ok' }]);
  });

  it('runs its bundles in strict mode: the directive is their first statement', () => {
    for (const file of ['cli.cjs', 'start.cjs', 'help.cjs']) {
      expect(readFileSync(dist(file), 'utf8')).toMatch(/^'use strict';/);
    }
  });

  it('prints --help and --version without node:crypto, node:vm or node:v8: not through dist/cli.cjs', async () => {
    for (const args of [['--version'], ['search', '--help'], ['help', 'demo']]) {
      const { loaded, stdout } = await modulesLoaded(args);
      expect(stdout).toMatch(/^(\d+\.\d+\.\d+\n|Usage: agg (search|demo) )/);
      expect(loaded.filter((m) => /\b(crypto|vm|v8)$/.test(m))).toEqual([]);
    }
  });

  it('says what dist/cli.cjs says, byte for byte and with its exit code, for help and what only looks like it', async () => {
    // The whole command line, as start.cjs ran every line before dist/help.cjs.
    const whole = path.join(mkdtempSync(path.join(os.tmpdir(), 'agg-whole-')), 'whole.cjs');
    writeFileSync(whole, `require(${JSON.stringify(dist('cli.cjs'))}).main();\n`);
    const runWhole = (args: readonly string[]): Promise<BinResult> =>
      new Promise((resolve) =>
        execFile(process.execPath, [whole, ...args], { env: BARE_ENV }, (err, stdout, stderr) =>
          resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        ),
      );
    const lines = [
      ['-V'],
      ['-h'],
      ['help'],
      ['completion', '--help'],
      ['sources', '-h'],
      ['help', 'nothing'],
      ['help', 'help'],
      ['search', '--where', '-h', '-c', '/nonexistent/sources.yaml'],
      ['search', '--where', 'a', '--where', 'b', '--help'],
    ];
    for (const args of lines) expect(await runBin(args), args.join(' ')).toEqual(await runWhole(args));
  });

  it("gives commander the real child_process.spawn, loaded when it's first read", () => {
    const shim = createRequire(import.meta.url)('../scripts/shims/lazy-child-process.cjs') as { spawn: unknown };
    expect(shim.spawn).toBe(realSpawn);
  });
});
