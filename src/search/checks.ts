/**
 * search()'s options and config checked as the command line checks its flags and file, so that a library
 * caller's mistake is a UsageError naming the option, never a failure of every source.
 */
import { MAX_TIMER_MS } from '../config/duration.js';
import { UsageError } from '../errors.js';
import { checkDistinctFields } from '../rank/distinct-fields.js';
import type { SortSpec } from '../rank/index.js';
import { type Config, NO_CURRENCY, STRATEGIES, type StrategyName } from '../types.js';
import { checkNames, type SearchOptions } from './options.js';

/** search()'s options once checked, with the strategy and the order filled in. */
export type CheckedOptions = SearchOptions & { readonly strategy: StrategyName; readonly sort: SortSpec };

/** How the command line ranks unless told otherwise: `--sort price`, cheapest first. */
const DEFAULT_SORT: SortSpec = { field: 'price', desc: false };

/**
 * The numbers the command line checks as flags (cli/options.ts). Unchecked, a library caller's
 * `timeoutMs: NaN` or a 30-day `deadlineMs` made every source a `timeout` (and Node printed a
 * TimeoutOverflowWarning), and `limit: -1` quietly dropped the last offer.
 */
function checkNumbers(opts: SearchOptions): void {
  const whole = (name: string, value: number | undefined, min: number, max: number): void => {
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= min && value <= max)) {
      throw new UsageError(`${name}: expected a whole number from ${min} to ${max}, got ${numberText(value)}`);
    }
  };
  const ms = (name: string, value: number | undefined): void => {
    if (value !== undefined && !(typeof value === 'number' && value > 0 && value <= MAX_TIMER_MS)) {
      throw new UsageError(
        `${name}: expected a number of ms above 0 and at most ${MAX_TIMER_MS}, got ${numberText(value)}`,
      );
    }
  };
  whole('limit', opts.limit, 1, Number.MAX_SAFE_INTEGER);
  whole('retries', opts.retries, 0, 5);
  whole('hedgeBudget', opts.hedgeBudget, 0, Number.MAX_SAFE_INTEGER);
  ms('timeoutMs', opts.timeoutMs);
  ms('deadlineMs', opts.deadlineMs);
  if (opts.hedge !== 'auto' && opts.hedge !== 'off') ms('hedge', opts.hedge);
}

/**
 * The shapes TypeScript checks, for a JavaScript caller: `params` left out failed as `Cannot convert
 * undefined or null to object`, `names: 'a'` as `.filter is not a function`, and `where: 'price < 3'`
 * (text, not compileWhere's expression) as `where.evaluate is not a function`.
 */
function checkShapes(opts: SearchOptions): void {
  const params: unknown = opts.params;
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw new UsageError(
      `params: expected an object of name: value texts, like { query: 'sony' }, got ${shapeOf(params)}`,
    );
  }
  for (const [name, value] of Object.entries(params)) {
    if (typeof value !== 'string') throw new UsageError(`params.${name}: expected a text, got ${shapeOf(value)}`);
  }
  for (const key of ['names', 'tags', 'distinct'] as const) {
    const list: unknown = opts[key];
    if (list !== undefined && !(Array.isArray(list) && list.every((item) => typeof item === 'string'))) {
      throw new UsageError(`${key}: expected a list of texts, like ['ebay'], got ${shapeOf(list)}`);
    }
  }
  // `currency: 5` failed as `opts.currency?.trim is not a function`, not as the bad currency it is; `text: 5`
  // was echoed back as the result's `query.text`, a number where a text is promised.
  for (const key of ['text', 'currency', 'historyFile', 'tokenCacheDir'] as const) {
    const value: unknown = opts[key];
    if (value !== undefined && typeof value !== 'string') {
      throw new UsageError(`${key}: expected a text, got ${shapeOf(value)}`);
    }
  }
  const where: unknown = opts.where;
  if (where !== undefined && typeof (where as { evaluate?: unknown } | null)?.evaluate !== 'function') {
    throw new UsageError(`where: expected compileWhere('…'), got ${shapeOf(where)}`);
  }
  // The AbortController for its signal threw `signal.addEventListener is not a function`; a wrong
  // dispatcher or `log` failed every source as an error row, as if the vendors had.
  const signal = opts.signal as Partial<AbortSignal> | null | undefined;
  if (
    signal !== undefined &&
    !(typeof signal?.addEventListener === 'function' && typeof signal.aborted === 'boolean')
  ) {
    throw new UsageError(`signal: expected an AbortSignal (an AbortController's .signal), got ${shapeOf(signal)}`);
  }
  const dispatcher: unknown = opts.dispatcher;
  if (dispatcher !== undefined && typeof (dispatcher as { dispatch?: unknown } | null)?.dispatch !== 'function') {
    throw new UsageError(`dispatcher: expected createDispatcher(), got ${shapeOf(dispatcher)}`);
  }
  // Destroyed, it failed every source as `The client is destroyed`, as if the vendors were down.
  const ended = dispatcher as { destroyed?: unknown; closed?: unknown } | undefined;
  if (ended?.destroyed === true || ended?.closed === true) {
    throw new UsageError(
      'dispatcher: already destroyed or closed; share one across searches, and destroy it after the last',
    );
  }
  for (const key of ['onStart', 'onSource', 'onProgress', 'log', 'latencyP95'] as const) {
    const fn: unknown = opts[key];
    if (fn !== undefined && typeof fn !== 'function')
      throw new UsageError(`${key}: expected a function, got ${shapeOf(fn)}`);
  }
}

/**
 * A config loadConfig() or loadConfigText() made: `null` failed as `Cannot read properties of null`, and
 * one copied through JSON (cached, say) lost its compiled expressions, so every source failed as
 * `template failed: expr.ast is not a function`, as if the vendors had.
 */
function checkConfig(config: unknown): void {
  const sources = (config as Partial<Config> | null)?.sources;
  // A compiled mapping carries functions, which a copy through JSON drops.
  const compiled =
    Array.isArray(sources) && sources.every((s) => typeof s?.compiled?.mapping?.offers?.evaluate === 'function');
  if (!compiled || typeof (config as Config).secretNames !== 'object') {
    throw new UsageError(`config: expected what loadConfig() or loadConfigText() returns, got ${shapeOf(config)}`);
  }
}

/** What a wrong value is, for a message: its type, and a short text as it was given. */
const shapeOf = (v: unknown): string =>
  typeof v === 'string'
    ? `the text ${JSON.stringify(v.slice(0, 40))}`
    : Array.isArray(v)
      ? 'a list'
      : v === null
        ? 'null'
        : typeof v;

/** A wrong number as given: String() itself throws on a Symbol or an object without a prototype. */
const numberText = (v: unknown): string => (typeof v === 'number' || typeof v === 'bigint' ? String(v) : shapeOf(v));

/**
 * `options` checked, in the order the command line meets the same mistakes, with the defaults filled in
 * (`all`, by price) and `currency` in capitals. Throws UsageError, naming the option.
 */
export function checkedOptions(
  config: Config,
  options: SearchOptions,
): { opts: CheckedOptions; currency: string | undefined } {
  checkConfig(config);
  if (typeof options === 'object' && options !== null) checkNames(options);
  const opts = { ...options, strategy: options.strategy ?? 'all', sort: options.sort ?? DEFAULT_SORT };
  // The command line checks these as flags; a library caller's typo must not pass as a source failure.
  if (!STRATEGIES.includes(opts.strategy)) {
    const given = typeof opts.strategy === 'string' ? `"${opts.strategy}"` : shapeOf(opts.strategy);
    throw new UsageError(`unknown strategy ${given}; expected ${STRATEGIES.join(', ')}`);
  }
  if (typeof opts.sort?.field !== 'string' || opts.sort.field === '') {
    throw new UsageError('sort: expected { field: "price", desc: false } or another offer field');
  }
  checkShapes(opts);
  checkNumbers(opts);
  // Each once: `['carrier', 'carrier']` groups as `['carrier']` does.
  const distinct =
    opts.distinct === undefined
      ? undefined
      : checkDistinctFields(opts.distinct, 'distinct', "distinct: ['carrier', 'departure']");
  // `names: input.split(",").filter(Boolean)` with nothing typed: every source would run, paid APIs too
  // (the command line refuses `--source ""` for the same reason). Leaving the option out selects all.
  for (const key of ['names', 'tags'] as const) {
    if (opts[key]?.length === 0)
      throw new UsageError(`${key}: an empty list selects no source; leave it out for every source`);
  }
  const currency = opts.currency?.trim().toUpperCase();
  if (currency !== undefined && !/^[A-Z]{3}$/.test(currency)) {
    throw new UsageError(`currency: expected a 3-letter code like USD, got "${opts.currency}"`);
  }
  // As --currency XXX is (cli/options.ts): XXX marks the offers that gave no currency, so ranked "in" it
  // every real price went unconverted.
  if (currency === NO_CURRENCY) {
    throw new UsageError(`currency: ${NO_CURRENCY} marks offers that gave no currency; rank in a real one, like USD`);
  }
  return { opts: { ...opts, distinct }, currency };
}
