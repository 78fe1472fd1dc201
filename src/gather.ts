/**
 * Gather: consumes outcomes as they arrive, maps and converts each source's offers, feeds the
 * strategy, and owns the run's one AbortController (take-first, deadline, interrupt).
 */

import { setMaxListeners } from 'node:events';
import type jsonata from 'jsonata';
import type { Dispatcher } from 'undici';
import { now } from './clock.js';
import { formatDuration } from './config/duration.js';
import { TERMINATED, UsageError } from './errors.js';
import { applyMapping, MAX_DROPPED_ERROR } from './map.js';
import type { Planned } from './plan.js';
import { convert, ownField, type Rates, rank, type SortSpec } from './rank.js';
import { type Redactor, redactOffer, type Secrets } from './redact.js';
import { RunStopped } from './run-stopped.js';
import { cleanText } from './sanitize.js';
import { keepsWhatArrived } from './scatter/flow.js';
import { HedgeBudget } from './scatter/hedge.js';
import { type Outcome, scatter } from './scatter/index.js';
import { secretScope } from './scatter/oauth.js';
import { listenForAbort } from './scatter/run-abort.js';
import { type RunAbort, truncate } from './scatter/send.js';
import type { Strategy } from './strategies/index.js';
import { type CompiledSource, NO_CURRENCY, type Offer, type SourceResult } from './types.js';
import { filterOffers, mayReadPrice, whereFields, whereName } from './where.js';

/** Everything one gather needs besides the plan. */
export interface GatherOptions {
  readonly params: Readonly<Record<string, string>>;
  readonly strategy: Strategy;
  readonly sort: SortSpec;
  readonly limit?: number | undefined;
  /** Known before the run (flag or config); otherwise inferred from the offers at the end. */
  readonly currency?: string | undefined;
  readonly rates: Rates;
  readonly where?: jsonata.Expression | undefined;
  readonly timeoutMs?: number | undefined;
  readonly deadlineMs?: number | undefined;
  /** `--retries`: replaces every source's own count. */
  readonly retries?: number | undefined;
  /** `--hedge`: replaces every source's own hedge delay; `off` hedges none, whatever the file says. */
  readonly hedge?: number | 'auto' | 'off' | undefined;
  /** Most duplicate requests in this run; default 10% of its sources, at least 1. */
  readonly hedgeBudget?: number | undefined;
  /** A source's recorded p95 latency, for `hedge: auto`. */
  readonly latencyP95?: ((name: string) => number | undefined) | undefined;
  readonly dispatcher: Dispatcher;
  readonly redact: Redactor;
  /** Hides env secrets that a vendor echoes back inside its offers. */
  readonly redactOffers?: Redactor | undefined;
  /** The secrets of a scope (oauth.ts's secretScope), with those learnt in it during the run (a token). */
  readonly secretsOf?: ((scope: string) => Secrets) | undefined;
  /** Directory for the opt-in OAuth2 token cache. */
  readonly tokenCacheDir?: string | undefined;
  /** Aborts the run from outside (Ctrl-C). */
  readonly signal?: AbortSignal | undefined;
  /**
   * The process exits as soon as the search returns (the command line). The requests a run ends early
   * (take-first, the deadline, Ctrl-C) then settle at once but keep their connections, for the exit to
   * close all together: tearing 199 down one by one took 17 ms of a 250 ms take-first (issue #7). A
   * caller that lives on must leave it off, or those sockets stay open until their vendors answer.
   */
  readonly exitsAfter?: boolean | undefined;
  readonly log?: ((line: string) => void) | undefined;
  /**
   * Called before a flow ends, with the offers of its latest response (each poll, each page), so
   * that a stream can show them early; the source's final offers still come through `onSource`.
   */
  readonly onProgress?: ((name: string, offers: readonly Offer[]) => void) | undefined;
  /** Called as each source ends, with its offers (converted when the currency is known). */
  readonly onSource?: ((row: SourceResult, offers: readonly Offer[]) => void) | undefined;
}

/**
 * How `--where` fared over the run: offers judged, an error per offer it threw on, and what the offers
 * it judged were, so that the currency warnings speak of every offer, not only of those it kept: the
 * count of each currency, and the sources of offers with no rate to the ranking currency.
 */
interface WhereStats {
  tried: number;
  errors: string[];
  currencies: Map<string, number>;
  unconverted: Map<string, Set<string>>;
  /** Every field of the offers it judged, for a warning about a field none has. */
  fields: Set<string>;
}

/** What gather hands back: ranked offers and one row per sent source, in arrival order. */
export interface Gathered {
  offers: Offer[];
  rows: SourceResult[];
  currency?: string;
  warnings: string[];
  /** Ctrl-C (the outside `signal`) cancelled a source before it answered: the result is partial. */
  interrupted: boolean;
}

/** Runs the planned sources to completion, cancellation or the deadline. */
export async function gather(planned: readonly Planned[], opts: GatherOptions): Promise<Gathered> {
  const run = new AbortController();
  // Requests listen to it through one listener (send.ts, listenForAbort); OAuth2 token requests add one
  // each. A thousand sources could mean a thousand of those, which is no leak; more than that would be one.
  setMaxListeners(planned.length + 16, run.signal);
  const abort = (why: RunAbort): void => {
    if (!run.signal.aborted) run.abort(opts.exitsAfter ? { ...why, leaveOpen: true } : why);
  };
  // The CLI aborts with TERMINATED for a SIGTERM: its rows then say `terminated`, as its last line does.
  const onOuter = (): void =>
    abort({
      status: 'cancelled',
      reason: opts.signal?.reason === TERMINATED ? TERMINATED : 'interrupted',
      interrupted: true,
    });
  // One listener on the caller's signal however many searches share it: one each made Node warn of a
  // leak (MaxListenersExceededWarning, on stderr) at the eleventh concurrent search.
  const stopListening = opts.signal && !opts.signal.aborted ? listenForAbort(opts.signal, onOuter) : undefined;
  if (opts.signal?.aborted) onOuter();
  const deadline =
    opts.deadlineMs === undefined
      ? undefined
      : setTimeout(
          () => abort({ status: 'timeout', reason: `deadline ${formatDuration(opts.deadlineMs ?? 0)} passed` }),
          opts.deadlineMs,
        );
  const position = new Map(planned.map((p) => [p.source.name, p.position]));
  const rows: SourceResult[] = [];
  const warnings: string[] = [];
  const whereStats: WhereStats = {
    tried: 0,
    errors: [],
    currencies: new Map(),
    unconverted: new Map(),
    fields: new Set(),
  };
  let interrupted = false;
  // The source whose answer take-first took.
  let winner: string | undefined;
  try {
    const deadlineAt = opts.deadlineMs === undefined ? undefined : now() + opts.deadlineMs;
    const hedges =
      opts.hedgeBudget === undefined ? HedgeBudget.forSources(planned.length) : new HedgeBudget(opts.hedgeBudget);
    // A flow's response before the flow ends, offered for streaming; a failure here only skips the preview.
    // The caller's own onProgress throwing is the caller's error, as onSource's is: it ends the run and
    // search() rejects with it (inside the flow it would have read as the vendor's failure).
    let callbackFailed: { error: unknown } | undefined;
    const onFlowProgress = opts.onProgress
      ? async (source: CompiledSource, body: unknown): Promise<void> => {
          const prepared = await offersOf(source, [body], opts).catch(() => undefined);
          if (!prepared || run.signal.aborted) return;
          try {
            opts.onProgress?.(source.name, prepared.offers);
          } catch (error) {
            callbackFailed ??= { error };
            abort({ status: 'cancelled', reason: 'run ended' });
          }
        }
      : undefined;

    const ctx = { ...opts, signal: run.signal, deadlineAt, hedges, onFlowProgress };
    for await (const outcome of scatter(
      planned.map((p) => p.source),
      opts.params,
      ctx,
    )) {
      // An answer that comes in once the deadline or Ctrl-C has ended the run is what arrived (a flow's
      // pages, cut short, come only then): mapped whole, as the README promises (`a flow with data: ok,
      // incomplete`); stopped between batches, a first page of 10,001 items made the row a timeout with
      // none. Only a mapping the run's end overtakes stops, and every one after take-first's answer.
      const ended = run.signal.aborted && keepsWhatArrived(run.signal.reason as RunAbort);
      const { row, offers, judged, whereErrors } = await settle(outcome, opts, ended ? undefined : run.signal);
      // Once take-first has its answer, nothing more is wanted; past the deadline or after Ctrl-C a
      // flow still brings what it had (incomplete), and it counts, unless take-first took one such flow
      // already: the others' offers went unused without a word, their rows counting offers not listed.
      const stopped = run.signal.aborted ? (run.signal.reason as RunAbort) : undefined;
      const unwanted = winner !== undefined || (stopped !== undefined && !keepsWhatArrived(stopped));
      // An answer that came in while the winner's was still being mapped: ok, and its count is true,
      // but without a word the row's offers would seem lost from the result.
      if (unwanted && offers.length > 0 && winner !== undefined) {
        // Beside a note it had (`stopped at maxPages (5); page 6 is linked`), not in its place.
        const unused = `its offers are not used: ${winner} answered first`;
        row.note = row.note ? `${row.note}; ${unused}` : unused;
      }
      rows.push(row);
      opts.onSource?.(row, offers);
      if (unwanted) continue;
      // Only of offers the run may use: a late answer's errors would be warned of beside a result without it.
      whereStats.tried += judged.length;
      // A loop, not push(...): a vendor's hundred thousand offers would overflow push's arguments.
      for (const e of whereErrors) whereStats.errors.push(e);
      noteJudged(judged, whereStats, opts.where !== undefined);
      // accept() records the offers; true means the strategy has its answer.
      const answered = opts.strategy.accept(position.get(row.name) ?? 0, offers);
      if (answered) {
        winner = row.name;
        if (!stopped) abort({ status: 'cancelled', reason: `cancelled: ${row.name} answered first` });
      }
    }
    if (callbackFailed) throw callbackFailed.error;
    // Ctrl-C cut the run short when it cancelled a source (one that had answered is a full row).
    interrupted =
      (run.signal.reason as RunAbort | undefined)?.interrupted === true && rows.some((r) => r.status === 'cancelled');
  } finally {
    // Normally a no-op; if a hook threw mid-run, this stops the requests still in flight.
    abort({ status: 'cancelled', reason: 'run ended' });
    clearTimeout(deadline);
    stopListening?.();
  }
  // A predicate that threw on every offer it saw is the user's mistake (`$foo()`), not a filter.
  if (whereStats.tried > 0 && whereStats.errors.length === whereStats.tried) {
    throw new UsageError(truncate(whereStats.errors[0] as string, MAX_DROPPED_ERROR));
  }
  if (opts.where) warnings.push(...whereWarnings(whereStats.errors, whereName(opts.where)));
  // A typo'd field (`stop = 0`) is falsy on every offer: without a word, the run reads as "no offers".
  if (opts.where && whereStats.fields.size > 0) {
    const missing = whereFields(opts.where).filter((f) => !whereStats.fields.has(f));
    if (missing.length > 0)
      warnings.push(
        `${whereName(opts.where)} reads ${missing.map((f) => `\`${f}\``).join(', ')}, which no offer has; the offers' fields: ${[...whereStats.fields].join(', ')}`,
      );
  }
  const candidates = opts.strategy.candidates();
  // Offers were converted as they arrived when the currency was known; otherwise it is inferred now.
  // The currency the listed offers most use; the warning counts every offer --where judged, which it
  // compared in their own currencies.
  const inferred =
    opts.currency === undefined
      ? commonCurrency(candidates, opts.where ? whereStats.currencies : currencyCounts(candidates), warnings)
      : undefined;
  const currency = opts.currency ?? inferred;
  const converted = inferred === undefined ? candidates : candidates.map((o) => convert(o, inferred, opts.rates));
  // After the others only when there are others: with none converted, nothing is ranked before them.
  const byPrice = opts.sort.field === 'price';
  const listedLast = byPrice && converted.some((o) => !o.unconverted);
  const offers = rank(converted, opts.sort).slice(0, opts.limit ?? opts.strategy.defaultLimit);
  // An inferred currency is a vendor's code, as long as the vendor made it: the warnings name it cut
  // short, as they name the codes with no rate (`no rate for USD to <a megabyte>` was one line of it).
  const named = currency === undefined ? undefined : codeList([currency]);
  noteUnconverted(offers, converted, named, { byPrice, listedLast }, warnings);
  // Only a predicate that reads `price` can have left an offer out for having none.
  if (opts.where && mayReadPrice(opts.where))
    noteFilteredOut(whereStats.unconverted, converted, named, whereName(opts.where), warnings);
  if (converted.length > 0 && !converted.some((o) => ownField(o, opts.sort.field) !== undefined)) {
    warnings.push(`no offer has a field \`${opts.sort.field}\` to sort by; ranked by price`);
  }
  return { offers, rows, currency, warnings, interrupted };
}

/**
 * Turns an outcome into its row and its offers (mapped, converted when possible, filtered), with the
 * offers `--where` judged and the errors it threw on them, for the run's statistics.
 */
async function settle(
  outcome: Outcome,
  opts: GatherOptions,
  signal: AbortSignal | undefined,
): Promise<{ row: SourceResult; offers: Offer[]; judged: readonly Offer[]; whereErrors: readonly string[] }> {
  const name = outcome.source.name;
  if (outcome.kind === 'skipped') {
    const error = cleanText(opts.redact(outcome.reason));
    const row: SourceResult = { name, status: 'skipped', ms: 0, attempts: 0, offers: 0, error };
    return { row, offers: [], judged: [], whereErrors: [] };
  }
  // Where a redirect led is for the flow's links, not for the row: it is the vendor's word, unredacted.
  const { body, redirectedTo: _, ...fetched } = outcome.fetched;
  const row: SourceResult = { name, ...fetched, offers: 0, ...(outcome.incomplete ? { incomplete: true } : {}) };
  if (fetched.status !== 'ok') return { row, offers: [], judged: [], whereErrors: [] };
  try {
    const { offers, dropped, droppedError, emptyBecause, failed, judged, whereErrors, pageFailed } = await offersOf(
      outcome.source,
      outcome.bodies ?? [body],
      opts,
      signal,
    );
    row.offers = offers.length;
    if (dropped > 0) row.dropped = dropped;
    // It can quote a vendor's value: hidden and cleaned like any error of the source, then cut (after
    // redaction, so that a cut never leaves half of a secret).
    // The note quotes the answer's keys: hidden, cleaned and cut the same way.
    const vendorText = (text: string): string =>
      truncate(cleanText(redactorsOf(outcome.source, opts).redact(text)), MAX_DROPPED_ERROR);
    if (droppedError !== undefined) row.droppedError = vendorText(droppedError);
    // A GraphQL failure (HTTP 200, `errors`, no `data`) is the source failing: an `ok` row with a note
    // left `--strict` at 0 and "every source failed" unsaid.
    if (failed && emptyBecause !== undefined && offers.length === 0) {
      const { incomplete: _, ...rest } = row;
      return { row: { ...rest, status: 'error', error: vendorText(emptyBecause) }, offers: [], judged, whereErrors };
    }
    if (emptyBecause !== undefined) row.note = vendorText(emptyBecause);
    else if (outcome.note !== undefined) row.note = outcome.note;
    if (pageFailed !== undefined) {
      // The answer ends at that page, whatever ended the flow after it: its rate limit is not this one.
      const { rateLimited: _, retryAfterMs: __, ...rest } = row;
      const error = truncate(cleanText(redactorsOf(outcome.source, opts).redact(pageFailed)));
      return { row: { ...rest, incomplete: true, error }, offers, judged, whereErrors };
    }
    return { row, offers, judged, whereErrors };
  } catch (err) {
    const { incomplete: _, ...failed } = row;
    if (err instanceof RunStopped) {
      // As a source still on its way is: late (`deadline 3s passed`) or cancelled, its offers not counted.
      const { status, reason } = err.why as RunAbort;
      const error = `${reason} while its answer was mapped`;
      return { row: { ...failed, status, error }, offers: [], judged: [], whereErrors: [] };
    }
    const message = cleanText(redactorsOf(outcome.source, opts).redact((err as Error).message ?? String(err)));
    return {
      row: { ...failed, status: 'error', error: `mapping failed: ${message}` },
      offers: [],
      judged: [],
      whereErrors: [],
    };
  }
}

/**
 * A source's offers from its response bodies: each body mapped (pages are concatenated; a plain source
 * has one body), vendor-echoed secrets hidden, converted when the currency is known, and filtered.
 * `judged` (the offers `--where` saw) and `whereErrors` are for the run's `--where` statistics. Throws
 * when the mapping does.
 */
async function offersOf(
  source: CompiledSource,
  bodies: readonly unknown[],
  opts: GatherOptions,
  signal?: AbortSignal,
): Promise<{
  offers: Offer[];
  dropped: number;
  droppedError?: string;
  emptyBecause?: string;
  /** Set when `emptyBecause` is the answer saying that it failed (`errors`, no `data`): the row is an error. */
  failed?: true;
  judged: readonly Offer[];
  whereErrors: string[];
  /** A later page whose mapping threw: the offers are those of the pages before it, and this says why. */
  pageFailed?: string;
}> {
  let mapped: Offer[] = [];
  let dropped = 0;
  let droppedError: string | undefined;
  let emptyBecause: string | undefined;
  let failed = false;
  // A body whose `offers` found its list (items, or an empty or null list), so the path is right.
  let listFound = false;
  // A later page that cannot be mapped is left out, as one that failed to arrive is (README, Flows):
  // the other pages keep their offers, which throwing would lose with it. The pages after it stay too:
  // they were fetched, and NDJSON has already streamed their offers.
  let firstFailed: { page: number; why: string } | undefined;
  let failedPages = 0;
  // The page whose mapping the run's end stopped: the pages before it keep their offers, as a flow
  // the deadline cuts keeps the pages that came (a large later page threw them all away).
  let stoppedAt: { page: number; why: string } | undefined;
  for (const [i, body] of bodies.entries()) {
    let m: Awaited<ReturnType<typeof applyMapping>>;
    try {
      m = await applyMapping(source.compiled.mapping, body, source.name, source.currency, signal);
    } catch (err) {
      if (i === 0) throw err;
      if (err instanceof RunStopped) {
        stoppedAt = { page: i + 1, why: `${(err.why as RunAbort).reason} while it was mapped` };
        break;
      }
      failedPages++;
      firstFailed ??= { page: i + 1, why: (err as Error).message };
      continue;
    }
    for (const o of m.offers) mapped.push(o);
    dropped += m.dropped;
    droppedError ??= m.droppedError;
    if (m.emptyBecause === undefined) listFound = true;
    else if (emptyBecause === undefined) {
      emptyBecause = m.emptyBecause;
      failed = m.failed === true;
    }
  }
  let pageFailed: string | undefined;
  if (stoppedAt) {
    const kept = stoppedAt.page - 1 - failedPages;
    pageFailed = `incomplete, kept ${kept} of ${bodies.length} pages; page ${stoppedAt.page}: ${stoppedAt.why}`;
  } else if (firstFailed) {
    const kept = bodies.length - failedPages;
    // "kept 2 pages" when the failed one was the last, as for a page that failed to arrive.
    const of = kept === firstFailed.page - 1 ? '' : ` of ${bodies.length}`;
    pageFailed = `incomplete, kept ${kept}${of} page${kept === 1 && !of ? '' : 's'}; page ${firstFailed.page} failed: mapping failed: ${firstFailed.why}`;
  }
  // Said only when no body had the list: a last page without it ends a paged answer well, after a
  // page of items or an empty one.
  if (listFound) emptyBecause = undefined;
  const { redactOffers } = redactorsOf(source, opts);
  if (redactOffers) mapped = mapped.map((o) => redactOffer(o, redactOffers));
  let converted = mapped;
  if (opts.currency !== undefined) {
    converted = [];
    for (const o of mapped) {
      const c = convert(o, opts.currency, opts.rates);
      // 1e308 GBP is finite; in USD it is not, and Infinity would top a `--desc` ranking (and be
      // `null` in JSON). Such a price is no more usable than a missing one.
      if (Number.isFinite(c.price)) converted.push(c);
      else {
        dropped++;
        // Said, or the row reads `dropped 1 item` with no reason at all.
        droppedError ??= `fields.price: ${o.price} ${o.currency} is too large to convert to ${opts.currency}`;
      }
    }
  }
  const why = {
    ...(droppedError === undefined ? {} : { droppedError }),
    ...(emptyBecause === undefined ? {} : { emptyBecause }),
    ...(emptyBecause !== undefined && failed ? { failed: true as const } : {}),
    ...(pageFailed === undefined ? {} : { pageFailed }),
  };
  if (!opts.where) return { offers: converted, dropped, ...why, judged: [], whereErrors: [] };
  const filtered = await filterOffers(opts.where, converted, signal);
  return { offers: filtered.kept, dropped, ...why, judged: converted, whereErrors: filtered.errors };
}

/**
 * `source`'s redactors: the run's, and with an OAuth2 client its scope's, which also hide the token.
 * Only its own: a token is the endpoint's word, and hidden in every source, a token `https` would
 * blank out every link.
 */
function redactorsOf(source: CompiledSource, opts: GatherOptions): { redact: Redactor; redactOffers?: Redactor } {
  const scope = secretScope(source);
  return (scope !== undefined && opts.secretsOf?.(scope)) || opts;
}

/**
 * Currency codes as a warning names them: each cut short, and past MAX_CODES_NAMED only counted. A
 * mapping that took `currency` from a field that differs on each offer (an id, a title) named 20,000
 * of them, each as long as the vendor made it: one warning line of megabytes.
 */
const MAX_CODES_NAMED = 5;
const MAX_CODE_SHOWN = 16;
function codeList(codes: readonly string[]): string {
  const named = codes.slice(0, MAX_CODES_NAMED).map((c) => truncate(c, MAX_CODE_SHOWN));
  const more = codes.length - named.length;
  return more > 0 ? `${named.join(', ')} and ${more} more` : named.join(', ');
}

/**
 * The warnings for currencies with no rate (`entries`: each code and its sources): one a code while they
 * are few, and past `room` (MAX_CODES_NAMED, less the lines other codes already had) one for them all
 * (`grouped`), naming a few and counting the rest.
 */
function perCode(
  entries: readonly (readonly [string, ReadonlySet<string>])[],
  say: (named: string, sources: string, grouped: boolean) => string,
  room = MAX_CODES_NAMED,
): string[] {
  if (entries.length > room) {
    const sources = [...new Set(entries.flatMap(([, names]) => [...names]))].join(', ');
    return [say(codeList(entries.map(([code]) => code)), sources, true)];
  }
  return entries.map(([code, names]) => say(codeList([code]), [...names].join(', '), false));
}

/**
 * The errors of a `--where` that threw on some offers: the first few kinds, each cut short, then a count
 * of the offers left. An error quotes the offer's value (`Unable to cast value to a number: "…"`), so
 * each offer's was a line of its own, as long as the vendor made the value: a predicate that threw on
 * 20,000 offers printed 20,000 warnings.
 */
function whereWarnings(errors: readonly string[], name: string): string[] {
  const cut = errors.map((e) => truncate(e, MAX_DROPPED_ERROR));
  const named = [...new Set(cut)].slice(0, MAX_CODES_NAMED);
  const more = cut.filter((e) => !named.includes(e)).length;
  return more > 0 ? [...named, `${name} threw on ${more} more offer${more === 1 ? '' : 's'}, left out too`] : named;
}

/** How many offers come in each currency, in the order the currencies first came. */
function currencyCounts(offers: readonly Offer[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const o of offers) counts.set(o.currency, (counts.get(o.currency) ?? 0) + 1);
  return counts;
}

/**
 * With no currency configured, rank in the one most of the listed offers use, and say so when the
 * offers judged (`seen`: every offer `--where` judged, or the listed ones) came in several.
 */
function commonCurrency(
  listed: readonly Offer[],
  seen: ReadonlyMap<string, number>,
  warnings: string[],
): string | undefined {
  // An offer with no currency at all must not decide the currency of the others.
  const codes = [...seen.keys()].filter((code) => code !== NO_CURRENCY);
  if (codes.length > 1) {
    warnings.push(
      `offers come in ${codeList(codes)}; set \`currency\` and \`rates\` in the sources file to rank them together`,
    );
  }
  const counts = [...currencyCounts(listed)].filter(([code]) => code !== NO_CURRENCY);
  return counts.sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** Records what `--where` judged of a batch the run keeps: its currencies, and which had no rate. */
function noteJudged(judged: readonly Offer[], stats: WhereStats, where: boolean): void {
  for (const o of judged) {
    // Only a --where needs them: an Object.keys per offer is no cost every run should pay.
    if (where) {
      for (const k of Object.keys(o)) stats.fields.add(k);
      // The predicate saw an unconverted offer's own amount as these (where.ts, `judged`): without
      // them, `originalCurrency = "JPY"` was warned about as a field no offer has, beside the offer it kept.
      if (o.unconverted) stats.fields.add('originalPrice').add('originalCurrency');
    }
    stats.currencies.set(o.currency, (stats.currencies.get(o.currency) ?? 0) + 1);
    if (o.unconverted)
      stats.unconverted.set(o.currency, (stats.unconverted.get(o.currency) ?? new Set()).add(o.source));
  }
}

/**
 * Says which of the listed offers have no rate. `listedLast` when they come after converted ones: only a
 * ranking by price puts them there (under `--sort stops` an unconverted non-stop still comes first, and a
 * warning saying otherwise would hide it), and only when some offer was converted. A code whose offers the
 * limit (`--limit`, `-s best`) all cut is said to be cut only when it was for its currency (`byPrice`):
 * after the converted offers, or, with none converted, after the codes before it (`-s best --currency
 * CHF` picked €64.50 over $60.99 without a word about the dollar offers). Under `--sort stops` it was cut
 * for its stops, as converted offers are.
 */
function noteUnconverted(
  listed: readonly Offer[],
  ranked: readonly Offer[],
  currency: string | undefined,
  { byPrice, listedLast }: { byPrice: boolean; listedLast: boolean },
  warnings: string[],
): void {
  const shown = new Set(listed.filter((o) => o.unconverted).map((o) => o.currency));
  const cut = byPrice ? ranked.filter((o) => o.unconverted && !shown.has(o.currency)) : [];
  noteUnconvertedListed(listed, currency, listedLast, warnings);
  const byCode = sourcesByCode(cut);
  const why = listedLast
    ? 'come after the others, and the limit left them out'
    : 'are grouped by currency, as amounts in different currencies do not compare, and the limit left them out';
  if (byCode.has(NO_CURRENCY))
    warnings.push(
      `${[...(byCode.get(NO_CURRENCY) ?? [])].join(', ')} gave no currency; set \`currency:\` on the source. Those offers ${why}`,
    );
  const noRate = [...byCode].filter(([code]) => code !== NO_CURRENCY);
  // The listed codes' lines count towards the five: 2 listed and 5 cut were 7 lines, one a code.
  const listedCodes = [...shown].filter((code) => code !== NO_CURRENCY).length;
  const listedLines = listedCodes > MAX_CODES_NAMED ? 1 : listedCodes;
  for (const line of perCode(
    noRate,
    (named) => `no rate for ${named} to ${currency}: those offers ${why}`,
    Math.max(0, MAX_CODES_NAMED - listedLines),
  ))
    warnings.push(line);
}

/** The sources of the unconverted offers of each currency code, in the order the codes first came. */
function sourcesByCode(offers: readonly Offer[]): Map<string, Set<string>> {
  const byCode = new Map<string, Set<string>>();
  for (const o of offers) {
    if (!o.unconverted) continue;
    const sources = byCode.get(o.currency) ?? new Set<string>();
    sources.add(o.source);
    byCode.set(o.currency, sources);
  }
  return byCode;
}

/** noteUnconverted's warnings for the offers that are listed. */
function noteUnconvertedListed(
  offers: readonly Offer[],
  currency: string | undefined,
  listedLast: boolean,
  warnings: string[],
): void {
  if (currency === undefined) {
    // No ranking currency: every listed offer came without one, so none is marked unconverted; still say so.
    const sources = [...new Set(offers.filter((o) => o.currency === NO_CURRENCY).map((o) => o.source))];
    if (sources.length > 0) warnings.push(`${sources.join(', ')} gave no currency; set \`currency:\` on the source`);
    return;
  }
  // The sources of each code with no rate, from one pass: a pass over every offer per code took 36 s
  // for 20,000 offers whose `currency` was mapped from a field that differs on each (an id, a URL).
  // Every offer of such a code is unconverted: a code has a rate or not, whatever the offer.
  const byCode = sourcesByCode(offers);
  const placed = listedLast ? 'listed after the others, ' : '';
  const noRate = [...byCode].filter(([code]) => code !== NO_CURRENCY);
  const missing = byCode.get(NO_CURRENCY);
  if (missing) {
    const sources = [...missing].join(', ');
    warnings.push(
      `${sources} gave no currency; set \`currency:\` on the source${listedLast ? '. Those offers are listed after the others' : ''}`,
    );
  }
  for (const line of perCode(
    noRate,
    (named) => `no rate for ${named} to ${currency}: those offers are ${placed}unconverted`,
  ))
    warnings.push(line);
}

/**
 * Offers with no rate that `--where` left out, all of a currency: no price in the ranking currency to
 * compare. Said, or a flight's cheapest fare could vanish without a word.
 */
function noteFilteredOut(
  unconverted: ReadonlyMap<string, ReadonlySet<string>>,
  listed: readonly Offer[],
  currency: string | undefined,
  where: string,
  warnings: string[],
): void {
  const shown = new Set(listed.filter((o) => o.unconverted).map((o) => o.currency));
  const left = [...unconverted].filter(([code]) => !shown.has(code));
  const missing = left.find(([code]) => code === NO_CURRENCY)?.[1];
  if (missing) {
    const from = [...missing].join(', ');
    warnings.push(
      `${from} gave no currency; ${where} left out those offers: they have no ${currency} price to compare`,
    );
  }
  const noRate = left.filter(([code]) => code !== NO_CURRENCY);
  // As noteUnconverted (stopping at the fifth code left the others out without a word).
  const say = (named: string, from: string, grouped: boolean) =>
    `no rate for ${named} to ${currency}: ${where} left out the offers in ${grouped ? 'them' : named} (${from}): they have no ${currency} price to compare`;
  for (const line of perCode(noRate, say)) warnings.push(line);
}
