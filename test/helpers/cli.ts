/** Drives `run()` with captured streams, as the terminal would see it. */

import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Io } from '../../src/cli/io.js';
import { run } from '../../src/cli.js';

/** Each run's latency history goes to its own temp dir, never to ~/.cache; pass XDG_CACHE_HOME to share one. */
const freshCache = () => ({ XDG_CACHE_HOME: mkdtempSync(path.join(os.tmpdir(), 'agg-cache-')) });

/** A captured run: stdout and stderr as text, each write kept in order, and the exit code. */
export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
  /** Every stdout write, in order, for tests about when lines appear. */
  writes: string[];
}

/** Runs `agg <argv>`; `onStdout` sees each write as it happens. */
export async function runCli(
  argv: string[],
  opts: {
    env?: Record<string, string>;
    cwd?: string;
    onStdout?: (chunk: string) => void;
    interrupt?: AbortSignal;
    /** As main() runs it: the process exits next (RunOptions.exitsAfter). */
    exitsAfter?: boolean;
    /** stdout as a terminal of this many columns (0: one that reports none), not a pipe. */
    terminalColumns?: number;
  } = {},
): Promise<Captured> {
  const writes: string[] = [];
  let stderr = '';
  const io: Io = {
    stdout: {
      write(text: string) {
        writes.push(text);
        opts.onStdout?.(text);
        return true;
      },
      isTTY: opts.terminalColumns !== undefined,
      ...(opts.terminalColumns === undefined ? {} : { columns: opts.terminalColumns }),
    },
    stderr: Object.assign(Object.create(process.stderr) as NodeJS.WriteStream, {
      isTTY: false,
      write(text: string) {
        stderr += text;
        return true;
      },
    }),
    env: { PATH: process.env.PATH, ...freshCache(), ...opts.env },
    cwd: opts.cwd ?? process.cwd(),
    home: '/nonexistent-home',
    interrupt: opts.interrupt ?? new AbortController().signal,
  };
  const code = await run(argv, io, { exitsAfter: opts.exitsAfter });
  return { code, stdout: writes.join(''), stderr, writes };
}
