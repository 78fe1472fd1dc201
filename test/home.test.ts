/**
 * The home folder (src/shared/home.ts): with HOME unset, os.homedir() asks the password database, and throws
 * for a uid it does not know (`docker run -u 1000` on an image without that user). agg then runs as
 * with `HOME=`: no ~/.config/agg, no cache, and no stack trace.
 */
import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { homeDir } from '../src/shared/home.js';
import { BIN } from './helpers/bin.js';
import { source, writeConfig } from './helpers/config.js';
import { json, startServer, type TestServer } from './helpers/server.js';

/** A uid no password database has an entry for. */
const UNKNOWN_UID = 54_321;

describe('the home folder', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer((_req, res) => json(res, { items: [{ title: 'A', price: 5, currency: 'USD' }] }));
  });
  afterAll(() => server.close());

  it('is empty when os.homedir() has none to give', () => {
    const spy = vi.spyOn(os, 'homedir').mockImplementation(() => {
      throw new Error('uv_os_homedir returned ENOENT');
    });
    try {
      expect(homeDir()).toBe('');
    } finally {
      spy.mockRestore();
    }
    expect(homeDir()).toBe(os.homedir());
  });

  // Only root can run a child as another uid; the built bin must be readable by it.
  it.runIf(process.getuid?.() === 0 && (statSync(BIN).mode & 0o004) !== 0)(
    'with HOME unset and a uid without a passwd entry, a search runs (it ended in a stack trace)',
    async () => {
      // The sources file comes through a pipe: the tests' temporary folders are private to this user
      // (and execFile's own stdin is a socket, not a pipe).
      const config = readFileSync(writeConfig([source('shop', `${server.url}/s`)]), 'utf8');
      const out = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(
          '/bin/sh',
          ['-c', 'printf "%s" "$CONFIG" | exec "$NODE" "$BIN" search x -c /dev/stdin --json'],
          {
            uid: UNKNOWN_UID,
            gid: UNKNOWN_UID,
            cwd: '/',
            env: { PATH: process.env.PATH ?? '', CONFIG: config, NODE: process.execPath, BIN },
          },
          (err, stdout, stderr) =>
            resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
      });
      expect(out.stderr).not.toContain('uv_os_homedir');
      expect(out.code).toBe(0);
      expect(JSON.parse(out.stdout).offers).toHaveLength(1);
    },
    15_000,
  );
});
