/**
 * What a flag's value completes to, kept on commander's own Option, so that the completion scripts
 * (cli/completion-spec.ts) read the flags from the one list commander has, never a second one. A flag
 * with `.choices()` needs nothing here: commander's argChoices already say.
 */
import type { Option } from 'commander';

/** The shells `agg completion` writes a script for. */
export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/**
 * The lists read from the user's sources file, one candidate a line (`agg completion --list NAME`):
 * --source, --tag, the `name=` params, the offer fields of --sort and --distinct, and --currency's codes.
 */
export const COMPLETION_LISTS = ['sources', 'tags', 'params', 'fields', 'currencies'] as const;
export type CompletionList = (typeof COMPLETION_LISTS)[number];

/** A file path, one of the lists, or fixed words (`--hedge`'s auto and off, beside a duration). */
export type Completes = 'file' | CompletionList | { readonly words: readonly string[] };

const COMPLETES = Symbol('agg.completes');
type Marked = Option & { [COMPLETES]?: Completes };

/** Marks `option`'s value as completing to `what`; returns the option, for commander's chain. */
export function completes<T extends Option>(option: T, what: Completes): T {
  (option as Marked)[COMPLETES] = what;
  return option;
}

/** What `option`'s value completes to, when marked. */
export const completesOf = (option: Option): Completes | undefined => (option as Marked)[COMPLETES];
