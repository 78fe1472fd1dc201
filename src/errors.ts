/**
 * Typed errors and the one table of exit codes. Only the user's own mistakes are thrown;
 * a failing source is data (a SourceResult row), never an exception.
 */
import { showInvisible } from './shared/sanitize.js';

/** Exit codes, documented in the README; `main.ts` is the only place that sets the process's. */
export const EXIT = {
  ok: 0,
  noOffers: 1,
  usage: 2,
  strict: 3,
  allFailed: 4,
  /** A bug in agg, not in the user's input or a vendor: the message asks for a report. */
  internal: 70,
  /** stdout or stderr cannot be written: a full disk. (A closed terminal sends SIGHUP: see cli/signals.ts.) */
  io: 74,
  /** Ctrl-C (SIGINT): what arrived is printed. */
  interrupted: 130,
  /** SIGTERM (`timeout`, a service manager): as Ctrl-C. */
  terminated: 143,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Base class: a stable `code` for scripts and tests, and the exit status it leads to. */
export class AggError extends Error {
  readonly code: string;
  readonly exitCode: ExitCode;
  constructor(code: string, message: string, exitCode: ExitCode) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
  }
}

/**
 * The abort reason the CLI gives its run's signal for a SIGTERM: the cancelled rows then say `terminated`, as
 * the last line and exit code 143 do, not `interrupted`, Ctrl-C's word.
 */
export const TERMINATED = 'terminated';

/**
 * Ctrl-C before there was anything to show (while waiting for a piped sources file, say). `reason` is the
 * aborted signal's: a SIGTERM's (TERMINATED) says `terminated`, as its exit code 143 does, not Ctrl-C's word.
 */
export class InterruptedError extends AggError {
  constructor(reason?: unknown) {
    const terminated = reason === TERMINATED;
    super('AGG_INTERRUPTED', terminated ? TERMINATED : 'interrupted', terminated ? EXIT.terminated : EXIT.interrupted);
  }
}

/** A bad flag or argument. */
export class UsageError extends AggError {
  constructor(message: string) {
    super('AGG_USAGE', message, EXIT.usage);
  }
}

/** No selected source can run with the query's params: a usage error the demo skips a query for. */
export class NoRunnableSourceError extends UsageError {}

/** One problem in the sources file, located as `file:line:col: path: message`. */
export interface ConfigProblem {
  file: string;
  line?: number;
  col?: number;
  /** Like `sources[2].request.url`; empty for the document itself. */
  path: string;
  message: string;
}

/**
 * Formats a problem the way compilers do, so editors and terminals can jump to it. What the path and
 * message quote from the file shows its invisible characters: a key or value with a pasted zero-width
 * space read `sources[0]["offers"]: unknown key; did you mean \`offers\`?`, and `"5s " is not a duration`.
 */
function formatProblem(p: ConfigProblem): string {
  const where = p.line === undefined ? p.file : `${p.file}:${p.line}:${p.col ?? 1}`;
  const message = showInvisible(p.message);
  return p.path ? `${where}: ${showInvisible(p.path)}: ${message}` : `${where}: ${message}`;
}

/** A message lists this many problems at most: a wrong file (say, a log) could otherwise print thousands. */
const MAX_PROBLEMS_SHOWN = 50;

/** The sources file is missing or invalid; carries every problem found, and shows the first 50. */
export class ConfigError extends AggError {
  readonly problems: readonly ConfigProblem[];
  constructor(problems: readonly ConfigProblem[]) {
    const shown = problems.slice(0, MAX_PROBLEMS_SHOWN).map(formatProblem);
    const more = problems.length - shown.length;
    if (more > 0) shown.push(`… and ${more} more problem${more > 1 ? 's' : ''}`);
    super('AGG_CONFIG', shown.join('\n'), EXIT.usage);
    this.problems = problems;
  }
}

/** No sources file in any of the places looked. */
export class ConfigNotFoundError extends AggError {
  /** `example`: where agg's own sources.example.yaml is, to copy. */
  constructor(
    readonly looked: readonly string[],
    example?: string,
  ) {
    super(
      'AGG_CONFIG_NOT_FOUND',
      `no sources file found; looked in:\n${looked.map((p) => `  ${p}`).join('\n')}\n` +
        `copy ${example ?? 'sources.example.yaml'} to ./sources.yaml, or pass -c <file>`,
      EXIT.usage,
    );
  }
}
