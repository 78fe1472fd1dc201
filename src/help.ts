/**
 * What dist/help.cjs runs for start.ts when argv may ask only for help or the version: commander and the
 * command line's definition, without the rest of agg (scripts/bundle-cli.js). The output is printed and
 * the process ends as the whole command line would end it (main.ts).
 */
import { helpOnly } from './cli/help-only.js';
import { EXIT } from './errors.js';
import { runInProcess } from './main.js';

/** Prints the help or version `argv` asks for, then exits; false, having printed nothing, when it asks for more. */
export async function startHelp(argv: readonly string[]): Promise<boolean> {
  const text = helpOnly(argv);
  if (text === undefined) return false;
  await runInProcess(async (_argv, io) => {
    io.stdout.write(text);
    return EXIT.ok;
  });
  return true;
}
