/** The process's streams and environment, handed in by main.ts so nothing else reads `process`. */

/** A writable stream with the terminal facts the renderers need. */
export interface Out {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Everything a command may use from the outside world. */
export interface Io {
  readonly stdout: Out;
  readonly stderr: Out & NodeJS.WritableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly home: string;
  /** Aborted on Ctrl-C, or SIGTERM. */
  readonly interrupt: AbortSignal;
  /** Which signal aborted `interrupt`: the last line says `terminated` for a SIGTERM, as its exit code 143 does. */
  readonly interruptedBy?: (() => NodeJS.Signals | undefined) | undefined;
  /** stdout is a pipe or socket (`agg … | jq`), whose reader may print to the terminal the spinner is on. */
  readonly stdoutPipe?: boolean | undefined;
  /** Runs `beforeStop` when Ctrl-Z is about to stop agg; returns what undoes that. */
  readonly onSuspend?: ((beforeStop: () => void) => () => void) | undefined;
}

// TERM=dumb: a terminal that cannot move the cursor or show colours (Emacs' shell, some CI consoles).
const dumb = (io: Io): boolean => io.env.TERM === 'dumb';

/**
 * CI=true (any value, as ci-info reads it) but `false` or `0`, which say "not CI": a developer's shell
 * exporting CI=false still wants the spinner.
 */
export const underCi = (io: Io): boolean => Boolean(io.env.CI) && io.env.CI !== 'false' && io.env.CI !== '0';

// FORCE_COLOR=0 (or false) turns colour off for Node and chalk, so for ora's spinner: the table's too.
const forcedOff = (io: Io): boolean => io.env.FORCE_COLOR === '0' || io.env.FORCE_COLOR === 'false';

/** Colour allowed at all: asked for, not refused by NO_COLOR (no-color.org) or FORCE_COLOR=0, not a dumb terminal. */
export function colorAllowed(flag: boolean, io: Io): boolean {
  return flag && !io.env.NO_COLOR && !forcedOff(io) && !dumb(io);
}

/** Colour in the output: allowed, and stdout is a terminal. */
export function useColor(flag: boolean, io: Io): boolean {
  return colorAllowed(flag, io) && Boolean(io.stdout.isTTY);
}

/**
 * The spinner is for people: a terminal on stderr that can redraw a line, not under CI, not under
 * --quiet. A terminal that reports 0 columns (`script`, some `docker exec -t`) would make ora redraw
 * without end. Nor while stdout is a pipe that is `printing` (NDJSON streaming under `all`, or the
 * demo's first search's output still on its way): its reader (`| jq`) prints on the terminal, after
 * the spinner's text and without ora knowing, so that `⠙ 0/3 sources{"source":"bestbuy",…}` stayed
 * on the screen.
 */
export function useSpinner(quiet: boolean, io: Io, printing = false): boolean {
  if (printing && io.stdoutPipe) return false;
  return !quiet && Boolean(io.stderr.isTTY) && (io.stderr.columns ?? 0) > 0 && !underCi(io) && !dumb(io);
}

/**
 * The width a table is fitted to: the terminal's, none when stdout is not one. A terminal that reports
 * 0 columns (`script`, some `docker exec -t`) takes `COLUMNS`, as ls and less do; without it the
 * table is drawn at its natural width, as when piped.
 */
export function tableWidth(io: Io): number | undefined {
  if (!io.stdout.isTTY) return undefined;
  if ((io.stdout.columns ?? 0) > 0) return io.stdout.columns;
  const columns = Number(io.env.COLUMNS);
  return Number.isSafeInteger(columns) && columns > 0 ? columns : undefined;
}
