/**
 * What binds a run of the command line to the process: its streams (a reader gone, a full disk), Ctrl-C
 * and SIGTERM, a hang-up, an error no await catches, the exit code and the exit. cli.ts's main() runs the
 * command line through it, and help.ts `--help` and `--version`, so that both end alike.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Io } from './cli/io.js';
import { ignoreHangUpAwayFromTerminal, onSignals, onSuspend } from './cli/signals.js';
import { drained, isPipe } from './cli/stdio.js';
import { EXIT } from './errors.js';
import { homeDir } from './shared/home.js';
import { cleanText } from './shared/sanitize.js';

/** How `run` ends. */
export interface RunOptions {
  /**
   * The process exits as soon as `run` returns (runInProcess says so). Sockets are then left for the kernel
   * to close at exit, all at once, rather than closed one by one: the dispatcher's keep-alive ones
   * (50–150 ms at N = 1,000) and those of requests a search cancels (GatherOptions.exitsAfter).
   * Off by default: a caller that lives on gets every socket closed before `run` returns.
   */
  readonly exitsAfter?: boolean;
  /** Called after a search (or the demo's) ran: start-whole.ts then knows this run compiled the search path. */
  readonly onSearched?: () => void;
  /** Which build is running (start-whole.ts: a hash of the bundle), for the config cache (ConfigCache.build). */
  readonly build?: string;
  /**
   * Given the run's own error report (one line, with the sources file's secrets hidden once it is
   * loaded): runInProcess reports with it an error thrown where no await catches it.
   */
  readonly onReporter?: (report: (err: unknown) => number) => void;
}

/**
 * The working directory. One deleted under agg (a cron job's temporary folder, a release folder a deploy
 * replaced) has no path: process.cwd() throws, which was an internal error even for `-c /abs/file`. It
 * reads as $PWD, where the shell left it, if nothing is there now, else the root: a relative name then
 * finds no file, as in a shell, and an absolute one works.
 */
function workingDir(): string {
  try {
    return process.cwd();
  } catch {
    // Only while nothing is there: a $PWD that names a folder now is not the deleted one (a parent that
    // changed folder without setting PWD, or one recreated by a deploy), and its sources.yaml is another file.
    const pwd = process.env.PWD;
    return pwd && path.isAbsolute(pwd) && !existsSync(pwd) ? pwd : path.parse(process.execPath).root;
  }
}

/** A run of the command line: cli.ts's run(), or help.ts's, which prints what help-only.ts made. */
export type Run = (argv: readonly string[], io: Io, options: RunOptions) => Promise<number>;

/**
 * Runs `run` in this process: real streams, Ctrl-C handling, `process.exitCode`, and the exit once the
 * output has gone out. `onSearched` and `build` are passed on to it.
 */
export async function runInProcess(
  run: Run,
  { onSearched, build }: Pick<RunOptions, 'onSearched' | 'build'> = {},
): Promise<void> {
  // Set when a stream failed for good: its handler exits 74 once its one line is out, and this leaves it to.
  let ioFailed = false;
  for (const stream of [process.stdout, process.stderr]) {
    let readerGone = false;
    stream.on('error', (err: NodeJS.ErrnoException) => {
      // `agg … | head` closes the pipe early: that is the reader's choice, not an error. Stop writing
      // and let the search finish, so that the status still says how it went (`set -o pipefail; agg … |
      // head -1` in a cron job must not report success when every vendor failed). The process exits once
      // the other stream has drained: exiting here, when stderr's reader left first (`2> >(grep -m1 …)`),
      // cut off the JSON still queued for stdout, and exited 0.
      if (err.code === 'EPIPE' || readerGone) {
        readerGone = true;
        return;
      }
      // A full disk or a closed terminal: say so in one line (stderr may be the broken one).
      ioFailed = true;
      process.stderr.write(`agg: cannot write output: ${err.code ?? err.message}\n`, () => process.exit(EXIT.io));
    });
  }
  // A bug thrown where no await catches it (in an event handler: undici 7's parser once asserted there)
  // would end the process with a stack trace. It gets the one line any internal error gets, and exit 70.
  let reportFatal: (err: unknown) => number = (err) => {
    process.stderr.write(`agg: internal error: ${cleanText(String((err as Error)?.message ?? err))}\n`);
    return EXIT.internal;
  };
  const onFatal = (err: unknown): void => {
    process.exit(reportFatal(err));
  };
  process.on('uncaughtException', onFatal);
  process.on('unhandledRejection', onFatal);
  const interrupt = new AbortController();
  const signalled = onSignals(process, interrupt, (code) => process.exit(code));
  // `agg demo --serve` runs until stopped: a hang-up still ends it, or a closed terminal left it holding its port.
  if (!process.argv.includes('--serve')) ignoreHangUpAwayFromTerminal(process);
  const code = await run(
    process.argv.slice(2),
    {
      stdout: process.stdout,
      stderr: process.stderr,
      env: process.env,
      cwd: workingDir(),
      home: homeDir(),
      interrupt: interrupt.signal,
      interruptedBy: signalled,
      stdoutPipe: isPipe(process.stdout.fd),
      onSuspend: (beforeStop) => onSuspend(process, beforeStop),
    },
    {
      exitsAfter: true,
      onSearched,
      ...(build ? { build } : {}),
      onReporter: (report) => {
        reportFatal = report;
      },
    },
  );
  process.exitCode = code === EXIT.interrupted && signalled() === 'SIGTERM' ? EXIT.terminated : code;
  // What arrived is printed: a first signal from here on has nothing left to print, and means now. Taken
  // as a request to print, it was lost: with output still queued for a reader that does not read (a
  // stalled pipe, a pager), a SIGTERM was ignored, and agg waited on, then exited 0.
  interrupt.signal.addEventListener('abort', () =>
    process.exit(signalled() === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted),
  );
  // The answer is out once stdout and stderr have drained; then exit. agg's own timers and idle sockets
  // would let Node end by itself (test/leaks.test.ts), but a connection still being opened (a TLS
  // handshake, or a connect to a host that never answers) is not cancelled by an abort: undici keeps
  // it until its 10 s connect timeout, and a cancelled source must not hold the answer's process.
  // A failed write reports its error on a later tick: let it arrive before deciding how to exit.
  await new Promise((resolve) => setImmediate(resolve));
  await drained(process.stdout);
  await drained(process.stderr);
  if (!ioFailed) process.exit(process.exitCode);
}
