/**
 * What the completion scripts complete, read from commander's own commands and options (their help
 * lists the same ones), so that a flag added to the command line completes with no second list to update.
 */
import type { Command, Option } from 'commander';
import { type CompletionList, completesOf } from './completes.js';

/** What a value completes to: nothing to offer (free text), a file path, a list from the sources file, or fixed words. */
export type ValueSpec = 'free' | 'file' | CompletionList | { readonly words: readonly string[] };

/** One flag: its spellings (`-s`, `--strategy`), its help, and its value when it takes one. */
export interface FlagSpec {
  readonly names: readonly string[];
  readonly description: string;
  readonly value?: ValueSpec;
}

/** One command: its flags, and what its words (its arguments) complete to. */
export interface CommandSpec {
  readonly name: string;
  readonly description: string;
  readonly flags: readonly FlagSpec[];
  /** `params`: `name=` words from the sources file (a search's terms); else fixed words, or none. */
  readonly words?: 'params' | { readonly words: readonly string[] };
}

/** The whole command line: the program's name and own flags (--help, --version), and its commands. */
export interface ProgramSpec {
  readonly name: string;
  readonly flags: readonly FlagSpec[];
  readonly commands: readonly CommandSpec[];
}

/** What a word of the completion scripts may be without quoting: the names and choices agg itself declares. */
const PLAIN_WORD = /^[\w.@%+:,/-]+$/;

function plainWords(words: readonly string[], what: string): readonly string[] {
  const odd = words.find((w) => !PLAIN_WORD.test(w));
  // A script's word lists are written unquoted: a choice with a space or a `$` would be read as shell.
  if (odd !== undefined)
    throw new Error(`internal: ${what} has ${JSON.stringify(odd)}, which a script cannot hold bare`);
  return words;
}

function valueSpecOf(option: Option): ValueSpec | undefined {
  if (!option.required && !option.optional) return undefined;
  const name = option.long ?? option.short ?? option.flags;
  if (option.argChoices) return { words: plainWords(option.argChoices, name) };
  const marked = completesOf(option);
  if (marked === undefined) return 'free';
  return typeof marked === 'string' ? marked : { words: plainWords(marked.words, name) };
}

function flagsOf(cmd: Command): FlagSpec[] {
  return cmd
    .createHelp()
    .visibleOptions(cmd)
    .map((option) => {
      const value = valueSpecOf(option);
      const names = plainWords(
        [option.short, option.long].filter((n): n is string => n !== undefined),
        option.flags,
      );
      return { names, description: option.description, ...(value === undefined ? {} : { value }) };
    });
}

/** The words a command's arguments take: a search's `name=` params, or an argument's choices. */
function wordsOf(cmd: Command, flags: readonly FlagSpec[]): CommandSpec['words'] {
  // The terms of a command whose --param completes from the file are params too: `agg search cabin=…`.
  if (flags.some((f) => f.value === 'params')) return 'params';
  const choices = cmd.registeredArguments.find((a) => a.argChoices)?.argChoices;
  return choices ? { words: plainWords(choices, cmd.name()) } : undefined;
}

/** The completion spec of `program`: its visible commands (with `help`, whose words are the commands) and flags. */
export function describeProgram(program: Command): ProgramSpec {
  const help = program.createHelp();
  const visible = help.visibleCommands(program);
  const names = plainWords(
    visible.map((c) => c.name()),
    'a command',
  );
  const commands = visible.map((cmd): CommandSpec => {
    const flags = flagsOf(cmd);
    // commander's implicit `help` command takes a command's name, which its arguments do not say.
    const words = cmd.name() === 'help' ? { words: names.filter((n) => n !== 'help') } : wordsOf(cmd, flags);
    return { name: cmd.name(), description: cmd.description(), flags, ...(words ? { words } : {}) };
  });
  return { name: program.name(), flags: flagsOf(program), commands };
}
