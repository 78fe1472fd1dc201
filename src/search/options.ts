/**
 * What search() takes, by name: the options, and the check that each one given is one of them (a
 * JavaScript caller has no TypeScript to catch a typo).
 */
import type { Dispatcher } from 'undici';
import { UsageError } from '../errors.js';
import type { GatherOptions } from '../gather/index.js';
import type { SortSpec } from '../rank/index.js';
import { suggest } from '../shared/suggest.js';
import type { Params, StrategyName } from '../types.js';

/** One search's options; what the flags resolve to. */
export interface SearchOptions
  extends Omit<
    GatherOptions,
    'strategy' | 'sort' | 'rates' | 'redact' | 'redactOffers' | 'secretsOf' | 'params' | 'currency' | 'dispatcher'
  > {
  readonly text: string;
  readonly params: Params;
  /** `all` (every offer, ranked) unless given, as on the command line. */
  readonly strategy?: StrategyName | undefined;
  /** By `price`, cheapest first, unless given, as on the command line. */
  readonly sort?: SortSpec | undefined;
  /** `--currency`, a 3-letter code in either case; falls back to the config's. */
  readonly currency?: string | undefined;
  /**
   * Sends every request (createDispatcher()); share one across searches to reuse connections. Without
   * one, the search makes its own and destroys it before it returns.
   */
  readonly dispatcher?: Dispatcher | undefined;
  /** Read only, so that a caller's `as const` list or `readonly string[]` will do. */
  readonly names?: readonly string[] | undefined;
  readonly tags?: readonly string[] | undefined;
  /** Called once the plan is known, with the number of selected sources. */
  readonly onStart?: ((selected: number) => void) | undefined;
  /**
   * The latency history file (see history/index.ts): read for `hedge: auto`, its end read for the order in
   * which more than ten sources start under `first` (start-order.ts), and each answering source's time
   * is added to it. Without one nothing is read or written, `auto` does not hedge, and sources start
   * in file order.
   */
  readonly historyFile?: string | undefined;
}

/** Every option search() reads: a name not here is a JavaScript caller's typo, which TypeScript would refuse. */
const OPTION_NAMES = [
  'text',
  'params',
  'strategy',
  'sort',
  'limit',
  'distinct',
  'currency',
  'where',
  'timeoutMs',
  'deadlineMs',
  'retries',
  'hedge',
  'hedgeBudget',
  'latencyP95',
  'dispatcher',
  'tokenCacheDir',
  'signal',
  'exitsAfter',
  'log',
  'onProgress',
  'onSource',
  'names',
  'tags',
  'onStart',
  'historyFile',
] as const satisfies readonly (keyof SearchOptions)[];
// Every option is listed: one added to SearchOptions and not here would be refused as unknown.
const everyOption: Exclude<keyof SearchOptions, (typeof OPTION_NAMES)[number]> extends never ? true : never = true;
void everyOption;

/**
 * An option search() does not read: `deadline: '2s'`, `onsource` or `timeout` ran without a deadline,
 * a callback or a limit, and without a word, where TypeScript says "did you mean 'deadlineMs'?".
 */
export function checkNames(opts: object): void {
  for (const key of Object.keys(opts)) {
    if ((OPTION_NAMES as readonly string[]).includes(key)) continue;
    const near = suggest(key, OPTION_NAMES);
    throw new UsageError(`${key}: no such option${near ? `; did you mean ${near}?` : ''}`);
  }
}
