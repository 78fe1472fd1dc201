/**
 * Each connection is a file descriptor. Past the process's limit (`ulimit -n`, 256 by default on macOS)
 * a connect fails at once with EMFILE, and the row must say so in words that point at the limit.
 */
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, TEST_CACHE } from './helpers/bin.js';
import { source, writeConfig } from './helpers/config.js';
import { json, startServer, type TestServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  // Held 300 ms, so that every source's connection is open at once.
  server = await startServer((_req, res) =>
    json(res, { items: [{ title: 't', price: 1, currency: 'USD' }] }, { ms: 300 }),
  );
});
afterAll(() => server.close());

/** `agg …args` under `ulimit -n <limit>`. */
function runLimited(limit: number, args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(
      'sh',
      ['-c', `ulimit -n ${limit} && exec "$0" "$@"`, process.execPath, BIN, ...args],
      { env: { PATH: process.env.PATH ?? '', XDG_CACHE_HOME: TEST_CACHE } },
      (err, stdout) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout }),
    );
  });
}

describe.skipIf(process.platform === 'win32')('more connections than the open-files limit', () => {
  it('fails the sources past it as `too many open files (ulimit -n)`, not in Node’s words', async () => {
    const names = Array.from({ length: 60 }, (_, i) => `s${i}`);
    const file = writeConfig(
      names.map((n) => source(n, `${server.url}/${n}`)),
      'currency: USD\ndefaults:\n  connections: 100\n  retries: 0',
    );
    const out = await runLimited(40, ['search', 'x', '-c', file, '--json']);
    expect(out.code).toBe(0);
    const rows = JSON.parse(out.stdout).sources as { name: string; status: string; error?: string }[];
    const failed = rows.filter((r) => r.status !== 'ok');
    expect(failed.length).toBeGreaterThan(0);
    // Was `connect EMFILE 127.0.0.1:… - Local (undefined:undefined): GET …`.
    for (const r of failed) expect(r.error).toBe(`too many open files (ulimit -n): GET ${server.url}/${r.name}`);
  });
});
