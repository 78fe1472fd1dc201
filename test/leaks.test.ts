/**
 * No leaks: after any run (take-first, a deadline, an abort from outside) nothing agg started keeps
 * the process alive. A child process uses agg as a library, prints the result and must then exit on
 * its own, without process.exit and without even destroying the dispatcher, while one source sat in
 * a 10 s Retry-After back-off and another dripped a byte every 300 ms. Also the bin: Ctrl-C prints what arrived and exits 130 at once.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from './helpers/bin.js';
import { source, writeConfig } from './helpers/config.js';
import { json, startServer, type TestServer } from './helpers/server.js';

const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/agg.js', import.meta.url));

/** busy's Retry-After, in seconds: a leaked wait would hold the child far past LINGER_MS. */
const BUSY_S = 10;
/**
 * How long the child may take to exit after printing. A Node process that only prints and exits took up
 * to 1.4 s to do so on a loaded 2-core machine (1 s failed there), so the bound is well above that, and
 * well below what any leak holds it for: busy's wait, or the drip's endless body.
 */
const LINGER_MS = 5000;

let server: TestServer;
beforeAll(async () => {
  server = await startServer((req, res) => {
    if (req.url?.startsWith('/busy')) return json(res, {}, { status: 503, headers: { 'retry-after': String(BUSY_S) } });
    if (req.url?.startsWith('/drip')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => res.write(' '), 300);
      res.on('close', () => clearInterval(timer));
      return;
    }
    return json(res, { items: [{ title: 't', price: 1, currency: 'USD' }] }, { ms: 150 });
  });
});
afterAll(() => server.close());

const yaml = () =>
  `currency: USD\nsources:${[
    source('busy', `${server.url}/busy`, '\n    timeout: 1m'),
    source('drip', `${server.url}/drip`, '\n    timeout: 1m'),
    source('fast', `${server.url}/fast`),
  ].join('')}\n`;

/**
 * Runs `search()` in a child with `options` (a JS object literal; `signal` may refer to `abort`, an
 * AbortController) and returns the statuses it printed and how long it lingered after printing.
 */
function librarySearch(
  options: string,
  abortAfterMs?: number,
): Promise<{ statuses: string[]; lingerMs: number; code: number | null }> {
  const script = `
    import { createDispatcher, loadConfigText, search } from ${JSON.stringify(DIST)};
    const config = loadConfigText(${JSON.stringify(yaml())}, 'sources.yaml', {});
    const dispatcher = createDispatcher();
    const abort = new AbortController();
    ${abortAfterMs === undefined ? '' : `const t = setTimeout(() => abort.abort(), ${abortAfterMs});`}
    const result = await search(config, {
      text: 'x', params: { query: 'x' }, sort: { field: 'price', desc: false }, dispatcher, ...${options},
    });
    ${abortAfterMs === undefined ? '' : 'clearTimeout(t);'}
    process.stdout.write(JSON.stringify(result.sources.map((s) => s.status)) + '\\n');`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    let printedAt = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      printedAt ||= Date.now();
    });
    child.on('exit', (code) => resolve({ statuses: JSON.parse(out || '[]'), lingerMs: Date.now() - printedAt, code }));
  });
}

describe('search() as a library leaves nothing running', () => {
  it('after take-first', async () => {
    const run = await librarySearch(`{ strategy: 'first' }`);
    expect(run.statuses).toEqual(['cancelled', 'cancelled', 'ok']);
    expect(run.code).toBe(0);
    expect(run.lingerMs).toBeLessThan(LINGER_MS);
  });

  it('after a deadline', async () => {
    const run = await librarySearch(`{ strategy: 'all', deadlineMs: 800 }`);
    // busy's Retry-After (10 s) is past the deadline, so its 503 stands rather than a wait.
    expect(run.statuses).toEqual(['error', 'timeout', 'ok']);
    expect(run.lingerMs).toBeLessThan(LINGER_MS);
  });

  it('after an abort from outside (what Ctrl-C does)', async () => {
    const run = await librarySearch(`{ strategy: 'all', signal: abort.signal }`, 800);
    expect(run.statuses).toEqual(['cancelled', 'cancelled', 'ok']);
    expect(run.lingerMs).toBeLessThan(LINGER_MS);
  });
});

describe('bin/agg.js and Ctrl-C', () => {
  it('prints what arrived and exits 130 as soon as it has', async () => {
    const file = writeConfig([
      source('busy', `${server.url}/busy`, '\n    timeout: 1m'),
      source('drip', `${server.url}/drip/bin`, '\n    timeout: 1m'),
      source('fast', `${server.url}/fast`),
    ]);
    const child = spawn(process.execPath, [BIN, 'search', 'x', '-c', file, '--json'], {
      env: { PATH: process.env.PATH ?? '', XDG_CACHE_HOME: mkdtempSync(path.join(os.tmpdir(), 'agg-cache-')) },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    // Ctrl-C once the search is under way (its requests reached the server), however slow Node starts.
    await expect.poll(() => server.requests.some((r) => r.url === '/drip/bin'), { timeout: 10_000 }).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    child.kill('SIGINT');
    const code = await exited;
    expect(code).toBe(130);
    // LINGER_MS, as for the library: the drip's endless body would hold it for ever, busy's wait 10 s.
    expect(Date.now() - started).toBeLessThan(LINGER_MS);
    const doc = JSON.parse(stdout);
    expect(doc.sources.map((s: { status: string }) => s.status)).toEqual(['cancelled', 'cancelled', 'ok']);
    expect(doc.offers).toHaveLength(1);
    expect(stderr).toMatch(/interrupted\n$/);
  });

  it('exits once the answer is printed, while a TLS handshake to a cancelled source still hangs', async () => {
    // Accepts the TCP connection and never answers the TLS hello: undici gives up only after 10 s.
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const file = writeConfig([source('fast', `${server.url}/fast`), source('mute', `https://127.0.0.1:${port}/s`)]);
      const started = Date.now();
      const out = await runBin(['search', 'x', '-c', file, '-s', 'first', '--json']);
      expect(out.code).toBe(0);
      expect(JSON.parse(out.stdout).sources.map((s: { status: string }) => s.status)).toEqual(['ok', 'cancelled']);
      // Well under the 10 s connect timeout that would otherwise hold the process.
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});
