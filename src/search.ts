/**
 * The whole pipeline for one query, as a function: plan → scatter → map → gather → SearchResult.
 * No printing, no process: the CLI and the programmatic API both call this.
 */

import type { Dispatcher } from 'undici';
import { MAX_TIMER_MS } from './config/duration.js';
import { unknownCurrencyWarning } from './currency-unknown.js';
import { NoRunnableSourceError, UsageError } from './errors.js';
import { type GatherOptions, gather } from './gather/index.js';
import { historyKey, LatencyHistory, recentLatencies, recordLatencies } from './history.js';
import { COMMON } from './map/index.js';
import { applyDeclarations } from './params.js';
import { type Plan, type Planned, plan } from './plan.js';
import type { SortSpec } from './rank.js';
import { START_BATCH } from './scatter/index.js';
import { now } from './shared/clock.js';
import { secretBook } from './shared/redact.js';
import { cleanText } from './shared/sanitize.js';
import { suggest } from './shared/suggest.js';
import { fastestFirst } from './start-order.js';
import { createStrategy } from './strategies/index.js';
import {
  type Config,
  isPartial,
  NO_CURRENCY,
  type Params,
  type SearchResult,
  type SourceResult,
  STRATEGIES,
  type StrategyName,
} from './types.js';
import { paramWarnings, unreadParams } from './unread-params.js';

/** How the command line ranks unless told otherwise: `--sort price`, cheapest first. */
const DEFAULT_SORT: SortSpec = { field: 'price', desc: false };

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
   * The latency history file (see history.ts): read for `hedge: auto`, its end read for the order in
   * which more than ten sources start under `first` (start-order.ts), and each answering source's time
   * is added to it. Without one nothing is read or written, `auto` does not hedge, and sources start
   * in file order.
   */
  readonly historyFile?: string | undefined;
}

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

/** Every option search() reads: a name not here is a JavaScript caller's typo, which TypeScript would refuse. */
const OPTION_NAMES = [
  'text',
  'params',
  'strategy',
  'sort',
  'limit',
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
function checkNames(opts: object): void {
  for (const key of Object.keys(opts)) {
    if ((OPTION_NAMES as readonly string[]).includes(key)) continue;
    const near = suggest(key, OPTION_NAMES);
    throw new UsageError(`${key}: no such option${near ? `; did you mean ${near}?` : ''}`);
  }
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
  for (const key of ['names', 'tags'] as const) {
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

/**
 * The params a result lists: those given, and the defaults a source sent a request reads. A product
 * search listed the flight sources' `adults: "1"` and `cabin: "economy"`, which no offer of it saw.
 */
function shownParams(params: Params, given: Params, send: readonly Planned[]): Params {
  const defaults = Object.fromEntries(Object.entries(params).filter(([name]) => !Object.hasOwn(given, name)));
  const unread = new Set(
    unreadParams(
      send.map((p) => p.source),
      defaults,
    ),
  );
  return Object.fromEntries(Object.entries(params).filter(([name]) => !unread.has(name)));
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

/** Runs one search. Throws UsageError for the user's mistakes; source failures are rows. */
export async function search(config: Config, options: SearchOptions): Promise<SearchResult> {
  const started = now();
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
  // Tokens fetched during the run join the env secrets in the output of the sources that use them.
  const secrets = secretBook(config.secretNames);
  // Before the plan: a default is there for `requires` and the templates, and a value that fails its
  // declaration stops the run before any request (params.ts).
  let declared: ReturnType<typeof applyDeclarations>;
  try {
    declared = applyDeclarations(config, opts.params);
  } catch (err) {
    // It quotes the declaration's choices and pattern, which a `${VAR}` may fill: the command line hid
    // them, a library caller got them whole.
    // One param a line, each line kept.
    if (err instanceof UsageError)
      throw new UsageError(secrets.redact(err.message).split('\n').map(cleanText).join('\n'));
    throw err;
  }
  const { params, given } = declared;
  let planned: Plan;
  try {
    planned = plan(config, { names: opts.names, tags: opts.tags }, params, given);
  } catch (err) {
    // It quotes every skipped row's `needs …`, which a `${VAR}` in `requires` may fill: the command line's
    // report hid it, but a library caller got the secret in the message.
    if (err instanceof NoRunnableSourceError) throw new NoRunnableSourceError(cleanText(secrets.redact(err.message)));
    throw err;
  }
  // `needs <param>` names what the file's `requires` says, where a `${VAR}` may stand: hidden like any error row.
  const skipped = planned.skipped.map((row) =>
    row.error === undefined ? row : { ...row, error: cleanText(secrets.redact(row.error)) },
  );
  // Take-first starts the recently fastest first. One batch starts all at once: the order matters only past it.
  // Latencies are kept by name and host (historyKey); the run knows its sources by name.
  const keys = new Map(config.sources.map((s) => [s.name, historyKey(s, config.secretNames)]));
  const keyOf = (name: string): string => keys.get(name) ?? name;
  const send =
    opts.historyFile && opts.strategy === 'first' && planned.send.length > START_BATCH
      ? fastestFirst(planned.send, recentByName(opts.historyFile, planned.send, keyOf))
      : planned.send;
  opts.onStart?.(send.length + skipped.length);
  for (const row of skipped) opts.onSource?.(row, []);
  // Only `hedge: auto` reads the history during a run: anyone else need not pay for parsing it (about
  // 8 ms for 1,000 sources on a cold process), nor hear that it was corrupt.
  const relies = (opts.hedge ?? send.find((p) => p.source.hedge === 'auto')?.source.hedge) === 'auto';
  const history =
    opts.historyFile && relies ? LatencyHistory.load(opts.historyFile) : { history: LatencyHistory.empty() };
  // Loaded only when needed: the command line always passes its own.
  const own = opts.dispatcher
    ? undefined
    : (await import('./scatter/dispatcher.js')).createDispatcher({ connections: config.connections });
  const gathered = await gather(send, {
    ...opts,
    params,
    dispatcher: opts.dispatcher ?? (own as Dispatcher),
    // A library caller's own estimate wins; otherwise the recorded history's.
    latencyP95: opts.latencyP95 ?? ((name) => history.history.percentile(keyOf(name), 95)),
    strategy: createStrategy(opts.strategy),
    currency: currency ?? config.currency,
    rates: { base: config.currency, rates: config.rates },
    redact: secrets.redact,
    redactOffers: config.secrets.length > 0 ? secrets.redactOffers : undefined,
    secretsOf: secrets.scope,
  }).finally(() => own?.destroy());
  const byName = new Map([...gathered.rows, ...skipped].map((r) => [r.name, r]));
  const sources = config.sources.flatMap((s) => byName.get(s.name) ?? []);
  // A param read only by a source skipped for want of another (`adults=2` by the flight source that
  // needs a `date`) is said as such: the offers listed never saw it, and that row shows only under --verbose.
  const why = new Map(skipped.map((row) => [row.name, row.error ?? 'skipped']));
  const skippedSources = config.sources.flatMap((s) => {
    const reason = why.get(s.name);
    return reason === undefined ? [] : [{ source: s, why: reason }];
  });
  // Only what the user gave: a default is the file's own choice, read or not.
  const unread = paramWarnings(
    send.map((p) => p.source),
    skippedSources,
    given,
  );
  const unknownCurrency = unknownCurrencyWarning(currency, gathered.offers, config.rates, config.currency);
  const warnings = [
    ...unread,
    ...(history.warning ? [history.warning] : []),
    ...(unknownCurrency ? [unknownCurrency] : []),
    ...gathered.warnings,
    ...sources.flatMap(unfilledWarning),
  ];
  if (opts.historyFile) {
    // An incomplete answer (a flow cut short by its limit, a page that failed) is no measure of how
    // long the source takes: its time would skew the p95 that `hedge: auto` waits for.
    const answered = gathered.rows.filter((r) => r.status === 'ok' && !r.incomplete);
    const samples = new Map(answered.map((r) => [keyOf(r.name), r.ms]));
    const failed = recordLatencies(opts.historyFile, samples);
    // A read-only cache only matters to someone relying on `auto`; anyone else need not hear of it.
    if (failed && relies) warnings.push(failed);
  }
  // The extra fields of every source that was sent a request, answered or not, in file order.
  const sent = new Set(send.map((p) => p.source.name));
  const fields = [
    ...new Set(
      config.sources
        .filter((s) => sent.has(s.name))
        .flatMap((s) => s.compiled.mapping?.fieldNames ?? [])
        .filter((name) => !(COMMON as readonly string[]).includes(name)),
    ),
  ];
  return {
    // A default (`default: ${MARKET}`), or a choice in its declared spelling, may be the environment's:
    // printed whole by --json, where no `${VAR}` value goes.
    query: { text: opts.text, params: redactValues(shownParams(params, given, send), secrets.redact) },
    strategy: opts.strategy,
    currency: gathered.currency,
    offers: gathered.offers,
    sources,
    // Ctrl-C's cancelled rows are missing answers; take-first's are not (its answer was chosen).
    partial: gathered.interrupted || sources.some(isPartial),
    elapsedMs: Math.round(now() - started),
    warnings,
    fields,
  };
}

/** recentLatencies of the `planned` sources, by source name. */
function recentByName(file: string, planned: readonly Planned[], keyOf: (name: string) => string): Map<string, number> {
  const recent = recentLatencies(file, new Set(planned.map((p) => keyOf(p.source.name))));
  return new Map(
    planned.flatMap((p) => {
      const ms = recent.get(keyOf(p.source.name));
      return ms === undefined ? [] : [[p.source.name, ms] as const];
    }),
  );
}

/**
 * A field the mapping lists that no offer of a source had (`title: lable`): a warning, as a currency with
 * no rate is, so that `-q` and a cron job's `jq .warnings` hear of a mapping gone wrong, which a status
 * row alone left to those who read the table.
 */
function unfilledWarning(row: SourceResult): string[] {
  if (!row.unfilled?.length) return [];
  const fields = row.unfilled.map((f) => `fields.${f}`).join(', ');
  return [`${row.name}: no offer has a value for ${fields}; is the path right?`];
}

/** The params with each value redacted, for the result: the run itself sends them as they are. */
function redactValues(params: Params, redact: (text: string) => string): Params {
  // fromEntries: a `__proto__` param stays a key.
  return Object.fromEntries(Object.entries(params).map(([name, value]) => [name, redact(value)]));
}
