/**
 * How agg answers the signals a terminal, a shell or a service manager sends: Ctrl-C and SIGTERM, Ctrl-Z,
 * a hang-up. main.ts hands in the process (tests an EventEmitter), so that this file never reads it.
 */
import { closeSync } from 'node:fs';
import { isatty } from 'node:tty';
import { EXIT, TERMINATED } from '../errors.js';
import { now } from '../shared/clock.js';

/** A signal repeated within this is one delivered twice (see onSignals), not a second Ctrl-C: far quicker than a person presses twice. */
export const SAME_SIGNAL_MS = 100;

/**
 * Ctrl-C, or SIGTERM (`timeout 30 agg …`, a service manager), on `target` (the process): the first
 * aborts `interrupt`, so that what arrived is printed, then agg exits 128 + the signal's number; a
 * second one (of either kind) means now: `exit` with its code. But one signal can arrive twice: `timeout` sends it
 * to agg and then to its whole process group, and `npm run` passes on a Ctrl-C that agg already got
 * from the terminal. A repeat within SAME_SIGNAL_MS is that same one: exiting on it printed nothing.
 * Returns which signal came first, if any.
 */
export function onSignals(
  target: Pick<NodeJS.EventEmitter, 'on'>,
  interrupt: AbortController,
  exit: (code: number) => void,
  clock: () => number = now,
): () => NodeJS.Signals | undefined {
  let signalled: NodeJS.Signals | undefined;
  // One for both signals: a SIGTERM after a Ctrl-C (a service manager stopping a run the user already
  // interrupted) is a second signal too, and means now.
  let first: number | undefined;
  for (const [signal, code] of [
    ['SIGINT', EXIT.interrupted],
    ['SIGTERM', EXIT.terminated],
  ] as const) {
    // `on`, never `once` and a new listener: with none left for a moment, Node gives the signal back to
    // its default action, and a repeat arriving just then killed agg before it printed anything.
    target.on(signal, () => {
      if (first === undefined) {
        first = clock();
        signalled ??= signal;
        // The reason is the word the cancelled rows say (gather/index.ts), as the last line and exit code do.
        interrupt.abort(signal === 'SIGTERM' ? TERMINATED : undefined);
      } else if (clock() - first >= SAME_SIGNAL_MS) {
        exit(code);
      }
    });
  }
  return () => signalled;
}

/**
 * Ctrl-Z while the spinner spins: it stopped agg with the cursor hidden and the spinner's text on the
 * line, so the shell's prompt came back without a cursor (and after `bg` the spinner went on drawing over
 * it). `beforeStop` clears the line and shows the cursor; then agg stops as it would have, its listener
 * gone so that Node gives SIGTSTP back to its default action. Returns what takes the listener off.
 */
export function onSuspend(
  proc: Pick<NodeJS.EventEmitter, 'on' | 'removeListener'> & {
    pid: number;
    kill(pid: number, signal: string): unknown;
  },
  beforeStop: () => void,
): () => void {
  const suspend = (): void => {
    beforeStop();
    proc.removeListener('SIGTSTP', suspend);
    proc.kill(proc.pid, 'SIGTSTP');
  };
  proc.on('SIGTSTP', suspend);
  return () => void proc.removeListener('SIGTSTP', suspend);
}

/**
 * `nohup agg … &` (or `trap '' HUP`) asks that a hang-up be ignored, but Node sets every signal back to its
 * default action at start, so agg died at logout, its answer unwritten, where any other program goes on.
 * With neither stdout nor stderr on a terminal (nohup sends both to a file), a hang-up cannot touch where
 * the answer goes: agg ignores it and finishes. On a terminal it ends at once, as before (exit 129).
 */
export function ignoreHangUpAwayFromTerminal(
  proc: Pick<NodeJS.EventEmitter, 'on'> & { stdout: { isTTY?: boolean }; stderr: { isTTY?: boolean } },
  stdinIsTerminal: boolean = isatty(0),
  closeStdin: () => void = () => closeSync(0),
): boolean {
  if (proc.stdout.isTTY || proc.stderr.isTTY) return false;
  // Standard input may still be the terminal (`agg … > out.json 2>&1 &`, then the window closed; nohup
  // takes it away, a plain `&` does not). At exit Node sets a terminal's modes back, and on one that hung
  // up that fails a check of Node's own: agg aborted after writing its answer, with a native stack trace
  // in the log and status 134. agg never reads a terminal, so it lets go of it (Node skips a closed one);
  // once, as the number may be a file's by a second hang-up.
  let detached = !stdinIsTerminal;
  proc.on('SIGHUP', () => {
    if (detached) return;
    detached = true;
    try {
      closeStdin();
    } catch {
      // Already closed: nothing is left to set back.
    }
  });
  return true;
}
