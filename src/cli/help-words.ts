/**
 * The words that may make a run one that only prints help or the version (`agg -h`, `agg search --help`,
 * `agg help demo`, `agg -V`): start.ts tries cli/help-only.ts for these alone, and runs the whole command
 * line for any other. Kept apart from commander, so that a search's start-up reads this file and nothing more.
 */

/** commander's help flags, agg's version flags (cli/program.ts), and its `help` command. */
const HELP_FLAGS = new Set(['-h', '--help', '-V', '--version']);

/**
 * Whether `argv` may ask only for help or the version. A word missed here costs a run the fast path,
 * not its output: commander then prints the same from the whole command line.
 */
export const mayAskForHelp = (argv: readonly string[]): boolean =>
  argv[0] === 'help' || argv.some((word) => HELP_FLAGS.has(word));
