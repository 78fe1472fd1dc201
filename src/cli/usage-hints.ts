/**
 * commander's usage errors, made to say what the user meant: a search word where a command goes, a word
 * that starts with `-`, `agg help` with a command there is not.
 */
import type { Command } from 'commander';
import { shellWord } from './shell-word.js';

/**
 * `agg help nothing`: commander printed the whole help, as if it had been asked for, and exited 2 with no
 * word that there is no such command. Throws commander's usage error, naming the commands there are.
 */
export function refuseHelpForNoCommand(program: Command, argv: readonly string[]): void {
  const [first, asked] = argv;
  if (first !== 'help' || asked === undefined || asked === 'help' || asked.startsWith('-')) return;
  const names = program.commands.map((c) => c.name());
  if (names.includes(asked) || program.commands.some((c) => c.aliases().includes(asked))) return;
  program.error(`error: unknown command '${asked}' (agg help takes ${names.join(', ')})`);
}

/**
 * `agg sony headphones`, the search word where the command goes: commander's `unknown command 'sony'`
 * did not say that a search is a command of its own. Not when commander has a suggestion
 * (`agg serach` is told `Did you mean search?`).
 */
export function withSearchHint(message: string): string {
  // Any word, a quote in it too: `agg "levi's jeans"` got no hint at all.
  const word = /^error: unknown command '(.+)'\n$/s.exec(message)?.[1];
  // Quoted as a shell needs it: the hint is a line to paste, and `agg 'AT&T'` was told `agg search AT&T …`.
  // A word after `--` (`agg -- -refurb`) goes after it again: `agg search -refurb` is an unknown option.
  const words = word?.startsWith('-') ? `-- ${shellWord(word)}` : word && shellWord(word);
  // At the message's end: a word may hold a line break, where the hint went in the middle of it.
  return words ? message.replace(/\n$/, ` (to search for it: \`agg search ${words} …\`)\n`) : message;
}

/**
 * `agg search sony -refurbished`, a word that starts with `-`, reads as an unknown option: commander's
 * message alone did not say that a search word goes after `--`. Only for a command that takes words
 * (`agg sources -- -x` is too many arguments), and not for a long option given one dash (`-json`), which
 * `-- -json` would have searched for; and `--` ends the options, so an option after it is a word too.
 */
export function withWordHint(message: string, command: Command | undefined): string {
  const word = /^error: unknown option '(-[^-'][^']+)'\n/.exec(message)?.[1];
  if (!word || !command?.registeredArguments.length) return message;
  const hint = command.options.some((option) => option.long === `-${word}`)
    ? `(did you mean -${word}?)`
    : `(a search word that starts with -: put it last, after --, as \`-- ${word}\`)`;
  return message.replace('\n', ` ${hint}\n`);
}
