/**
 * A cron job may run agg in a folder that is deleted under it (a temporary folder, a release folder a
 * deploy replaced): the working directory then has no path, and process.cwd() throws. A sources file
 * named by an absolute path still loads; a relative name is not found (exit 2), as in a shell.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, type BinResult, TEST_CACHE } from './helpers/bin.js';
import { source, writeConfig } from './helpers/config.js';
import { json, startServer, type TestServer } from './helpers/server.js';

let server: TestServer;
let file: string;
beforeAll(async () => {
  server = await startServer((_req, res) => json(res, { items: [{ title: 'a', price: 5, currency: 'USD' }] }));
  file = writeConfig([source('shop', `${server.url}/s?q={{query}}`)]);
});
afterAll(() => server.close());

/** `agg …args` run from a folder removed just before agg starts; `PWD` as given (unset when undefined). */
function runInDeletedDir(args: readonly string[], pwd?: string, stalePwd?: string): Promise<BinResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agg-gone-'));
  const quoted = [process.execPath, BIN, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  // `stalePwd`: a parent that changed folder without setting PWD (a spawn with a `cwd` option) leaves its own.
  const stale = stalePwd === undefined ? '' : `PWD='${stalePwd}' `;
  const script = `cd '${dir}' && rmdir '${dir}' && ${pwd === undefined ? 'unset PWD; ' : ''}${stale}exec ${quoted}`;
  return new Promise((resolve) => {
    execFile(
      '/bin/sh',
      ['-c', script],
      { env: { PATH: process.env.PATH ?? '', XDG_CACHE_HOME: TEST_CACHE, ...(pwd ? { PWD: pwd } : {}) } },
      (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('a working directory deleted under agg', () => {
  it('loads a sources file named by an absolute path, with or without $PWD', async () => {
    for (const pwd of [undefined, '/nonexistent-agg-dir']) {
      const out = await runInDeletedDir(['search', 'x', '-c', file, '--json', '-q'], pwd);
      expect(out.stderr).toBe('');
      expect(out.code).toBe(0);
      expect(JSON.parse(out.stdout).offers).toHaveLength(1);
    }
  });

  it('finds no file by a relative name: exit 2, not an internal error', async () => {
    const out = await runInDeletedDir(['search', 'x', '-c', 'sources.yaml', '-q']);
    expect(out.code).toBe(2);
    expect(out.stderr).toBe('agg: sources.yaml: file not found (named by -c/--config)\n');
  });

  it('does not read the sources.yaml of a $PWD that is no longer the working directory', async () => {
    // PWD names a folder that exists, so not the deleted one: its sources.yaml is another file's vendors.
    const elsewhere = path.dirname(file);
    const before = server.requests.length;
    expect(path.basename(file)).toBe('sources.yaml');
    const named = await runInDeletedDir(['search', 'x', '-c', 'sources.yaml', '-q'], elsewhere, elsewhere);
    expect(named.stderr).toBe('agg: sources.yaml: file not found (named by -c/--config)\n');
    expect(named.code).toBe(2);
    const found = await runInDeletedDir(['search', 'x', '--json', '-q'], elsewhere, elsewhere);
    expect(found.stdout).toBe('');
    expect(found.code).toBe(2);
    expect(server.requests).toHaveLength(before);
  });
});
