/**
 * The flags a user typed, with the values commander read for them: `agg demo --serve` refuses a search's,
 * and `agg demo`'s heading repeats them, so that it is the search that ran.
 */
import { shellWord } from './shell-word.js';

/** A flag as typed: its long name (`--where`, `--no-color`) and commander's value for it. */
export interface TypedFlag {
  readonly flag: string;
  readonly value: unknown;
}

/**
 * The flags as shell words, each under its long name: a switch alone (`--desc`, `--no-color`), a list
 * joined by commas as its flag takes it (`--source ebay,etsy`), else the value quoted as a shell needs it.
 */
export function flagWords(typed: readonly TypedFlag[]): string[] {
  return typed.flatMap(({ flag, value }) => {
    if (typeof value === 'boolean' || value === undefined) return [flag];
    const text = Array.isArray(value) ? value.join(',') : String(value);
    return [flag, shellWord(text)];
  });
}
