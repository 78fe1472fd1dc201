/**
 * What `agg --help`, `agg search -h`, `agg help demo` or `agg --version` prints, made by commander from the
 * command line's one definition (cli/program.ts) with no command's action: start.ts prints it without
 * loading, hashing and deserialising the whole command line, 20–30 ms of such a run (issue #7).
 */
import { CommanderError } from 'commander';
import { defineProgram } from './program.js';
import { refuseHelpForNoCommand } from './usage-hints.js';

/** How commander ends a run that printed help or the version, asked for (`agg` alone ends with exit code 1). */
const PRINTED = new Set(['commander.help', 'commander.helpDisplayed', 'commander.version']);

/** Thrown by every action: the run asked for more than help. */
const NOT_HELP = Symbol('not help');

/**
 * What commander prints on stdout for `argv`, when all it does is print help or the version and exit 0.
 * Undefined for any other run (a command, a usage error, anything on stderr): that one is left whole to
 * cli.ts, which says the same as ever. Writes nothing itself, and runs no action.
 */
export function helpOnly(argv: readonly string[]): string | undefined {
  let stdout = '';
  let stderr = '';
  const notHelp = (): never => {
    throw NOT_HELP;
  };
  const program = defineProgram(
    {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
    },
    { search: notHelp, sources: notHelp, demo: notHelp, completion: notHelp },
  );
  try {
    // As cli.ts's run() does: `agg help nothing` is an error there.
    refuseHelpForNoCommand(program, argv);
    // Synchronous: every action throws at once, and what prints help or the version throws too.
    program.parse(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError && err.exitCode === 0 && PRINTED.has(err.code) && stderr === '') return stdout;
  }
  return undefined;
}
