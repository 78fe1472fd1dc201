/**
 * Runs the built bin (`npm test`'s pretest builds it) as a user would: a child process with a bare
 * environment, so that nothing from the developer's shell (AGG_CONFIG, a real XDG cache) leaks in.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/agg.js', import.meta.url));

/** The latency history and token cache of test runs stay out of the user's ~/.cache. */
export const TEST_CACHE = mkdtempSync(path.join(os.tmpdir(), 'agg-cache-'));

/**
 * The whole environment of a child agg: PATH and the test cache, nothing of the developer's shell. Spread
 * from process.env, a debugger terminal's NODE_OPTIONS (`--inspect`) put 'Debugger listening on …' in
 * front of stderr, and AGG_CONFIG, NO_COLOR, CI or TERM changed what the run printed.
 */
export const BARE_ENV: Readonly<Record<string, string>> = { PATH: process.env.PATH ?? '', XDG_CACHE_HOME: TEST_CACHE };

export interface BinResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `agg …args` with PATH, a temporary XDG_CACHE_HOME, and `env`; resolves with what it printed. */
export function runBin(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<BinResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...BARE_ENV, ...env } }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
