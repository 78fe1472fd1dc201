/**
 * `--help` and `--version` without the rest of agg (cli/help-only.ts, which start.ts runs for the words
 * of cli/help-words.ts): what it prints must be what the whole command line prints, byte for byte, and
 * anything else must be left to the whole command line.
 */
import { describe, expect, it } from 'vitest';
import { helpOnly } from '../src/cli/help-only.js';
import { mayAskForHelp } from '../src/cli/help-words.js';
import { defineProgram } from '../src/cli/program.js';
import { runCli } from './helpers/cli.js';

const never = (): never => {
  throw new Error('no action runs here');
};
const program = defineProgram(
  { stdout: { write: never }, stderr: { write: never } },
  { search: never, sources: never, demo: never, completion: never },
);
const commands = program.commands.map((c) => c.name());

/** Every way to ask for help or the version: the program's, and each command's. */
const asked: string[][] = [
  ['--help'],
  ['-h'],
  ['help'],
  ['--version'],
  ['-V'],
  ...commands.flatMap((name) => [
    [name, '--help'],
    [name, '-h'],
    ['help', name],
  ]),
  // commander reads the whole line first: help wins over words, flags and even unknown flags.
  ['search', 'sony', '--json', '--help'],
  ['search', '--limit', 'x', '-h'],
  ['search', '--bogus', '--help'],
  ['--bogus', '--help'],
  ['--version', 'search'],
  ['-h', 'search'],
  ['completion', 'bash', '--help'],
  // The program's own flags are read after a command too.
  ['sources', '--version'],
  ['completion', 'bash', '-V'],
];

/** Lines that hold a help word and ask for something else: a usage error, or a command that runs. */
const notOnlyHelp: string[][] = [
  [],
  ['help', 'nothing'],
  ['help', 'help'],
  ['search', '--where', '-h'],
  ['search', '--where', 'a', '--where', 'b', '--help'],
  ['search', '--', '--help'],
];

describe('help and version without the rest of agg', () => {
  it.each(asked.map((argv) => [argv.join(' '), argv]))(
    'prints what the whole command line prints: agg %s',
    async (_, argv) => {
      const whole = await runCli(argv);
      expect(whole).toMatchObject({ code: 0, stderr: '' });
      expect(helpOnly(argv)).toBe(whole.stdout);
    },
  );

  it.each(notOnlyHelp.map((argv) => [argv.join(' '), argv]))(
    'leaves agg %s to the whole command line, printing nothing',
    async (_, argv) => {
      expect(helpOnly(argv)).toBeUndefined();
      // Each is a case the whole command line prints something else for (the test would say nothing otherwise).
      expect(await runCli(argv)).not.toMatchObject({ code: 0, stderr: '' });
    },
  );

  it("is tried for every spelling of the program's and each command's help and version flags", () => {
    const flags = [program, ...program.commands]
      .flatMap((cmd) => cmd.createHelp().visibleOptions(cmd))
      .filter((option) => ['help', 'version'].includes(option.attributeName()))
      .flatMap((option) => [option.short, option.long])
      .filter((flag): flag is string => flag !== undefined);
    expect(new Set(flags)).toEqual(new Set(['-h', '--help', '-V', '--version']));
    for (const flag of flags) expect(mayAskForHelp(['search', 'sony', flag])).toBe(true);
    expect(mayAskForHelp(['help', 'search'])).toBe(true);
    expect(mayAskForHelp(['search', 'help'])).toBe(false);
  });
});
