/**
 * The whole pipeline for one query, as a function: plan → scatter → map → gather → SearchResult.
 * No printing, no process: the CLI and the programmatic API both call this.
 */

import type { Dispatcher } from 'undici';
import { unknownCurrencyWarning } from '../currency-unknown.js';
import { gather } from '../gather/index.js';
import { LatencyHistory, recordLatencies } from '../history/index.js';
import { historyKey } from '../history/key.js';
import { recentLatencies } from '../history/recent.js';
import type { Planned } from '../plan.js';
import { START_BATCH } from '../scatter/index.js';
import { proxySecrets } from '../scatter/proxy-marks.js';
import { now } from '../shared/clock.js';
import { secretBook } from '../shared/redact.js';
import { fastestFirst } from '../start-order.js';
import { createStrategy } from '../strategies/index.js';
import { type Config, isPartial, type SearchResult } from '../types.js';
import { paramWarnings } from '../unread-params.js';
import { checkedOptions } from './checks.js';
import type { SearchOptions } from './options.js';
import { planRun } from './plan-run.js';
import { extraFields, redactValues, shownParams, unfilledWarning } from './result.js';
import { zeroPriceWarnings } from './zero-price.js';

/** Runs one search. Throws UsageError for the user's mistakes; source failures are rows. */
export async function search(config: Config, options: SearchOptions): Promise<SearchResult> {
  const started = now();
  const { opts, currency } = checkedOptions(config, options);
  // Tokens fetched during the run join the env secrets in the output of the sources that use them; the
  // dispatcher's proxy credentials are hidden as env secrets are.
  const secrets = secretBook({ ...proxySecrets(opts.dispatcher), ...config.secretNames });
  const { params, given, send: planned, skipped } = planRun(config, opts, secrets.redact);
  // Take-first starts the recently fastest first. One batch starts all at once: the order matters only past it.
  // Latencies are kept by name and host (historyKey); the run knows its sources by name.
  const keys = new Map(config.sources.map((s) => [s.name, historyKey(s, config.secretNames)]));
  const keyOf = (name: string): string => keys.get(name) ?? name;
  const send =
    opts.historyFile && opts.strategy === 'first' && planned.length > START_BATCH
      ? fastestFirst(planned, recentByName(opts.historyFile, planned, keyOf))
      : planned;
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
    : (await import('../scatter/dispatcher.js')).createDispatcher({ connections: config.connections });
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
  // Only what the user gave: a default is the file's own choice, read or not. Redacted: the param a
  // misspelt one meant is a name the file reads, which may be a `${VAR}`'s value.
  const unread = paramWarnings(
    send.map((p) => p.source),
    skippedSources,
    given,
  ).map(secrets.redact);
  const unknownCurrency = unknownCurrencyWarning(currency, gathered.offers, config.rates, config.currency);
  const warnings = [
    ...unread,
    ...(history.warning ? [history.warning] : []),
    ...(unknownCurrency ? [unknownCurrency] : []),
    ...gathered.warnings,
    ...sources.flatMap(unfilledWarning),
    ...zeroPriceWarnings(
      gathered.offers,
      sources.map((s) => s.name),
    ),
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
  const fields = extraFields(config, send);
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
    ...(opts.distinct === undefined ? {} : { distinct: opts.distinct }),
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
