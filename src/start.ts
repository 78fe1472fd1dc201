/**
 * What bin/agg.js loads. A run that may ask only for help or the version (cli/help-words.ts) tries
 * dist/help.cjs first: commander and the command line's definition alone, 20–30 ms less than the whole
 * command line (issue #7). Every other run, and any that asks for more, runs the whole one with its
 * code cache (start-whole.ts). Like cli.ts, this file touches the process.
 */
import { createRequire } from 'node:module';
import { mayAskForHelp } from './cli/help-words.js';

type Help = typeof import('./help.js');

export async function start(): Promise<void> {
  const argv = process.argv.slice(2);
  // Required by name, not bundled into dist/start.cjs: a search's start reads none of it.
  if (mayAskForHelp(argv) && (await (createRequire(import.meta.url)('./help.cjs') as Help).startHelp(argv))) return;
  // Imported here, not above: node:crypto, node:vm and node:v8 are loaded as it is, and help needs none.
  const { startWhole } = await import('./start-whole.js');
  await startWhole();
}
