/**
 * Gather: consumes outcomes as they arrive, maps and converts each source's offers, feeds the
 * strategy, and owns the run's one AbortController (take-first, deadline, interrupt).
 * Turning each outcome into its row is settle.ts, and its bodies into offers source-offers.ts; the
 * warnings the run ends with are warnings.ts (`--where`'s) and currency-warnings.ts.
 */

import { setMaxListeners } from 'node:events';
import type jsonata from 'jsonata';
import type { Dispatcher } from 'undici';
import { formatDuration } from '../config/duration.js';
import { noteRankingRate } from '../currency-unknown.js';
import { TERMINATED, UsageError } from '../errors.js';
import { MAX_DROPPED_ERROR } from '../map/index.js';
import type { Planned } from '../plan.js';
import { convert, type Rates } from '../rank/convert.js';
import { rank, type SortSpec } from '../rank/index.js';
import { keepsWhatArrived } from '../scatter/flow.js';
import { HedgeBudget } from '../scatter/hedge.js';
import { scatter } from '../scatter/index.js';
import { listenForAbort } from '../scatter/run-abort.js';
import type { RunAbort } from '../scatter/send.js';
import { now } from '../shared/clock.js';
import type { Redactor, Secrets } from '../shared/redact.js';
import { truncate } from '../shared/truncate.js';
import type { Strategy } from '../strategies/index.js';
import type { CompiledSource, Offer, SourceResult } from '../types.js';
import { codeList } from './code-list.js';
import { commonCurrency, noteFilteredOut, noteUnconverted } from './currency-warnings.js';
import { foldDistinct } from './distinct.js';
import { settle } from './settle.js';
import { sortFieldWarning } from './sort-field.js';
import { type MappedBodies, offersOf } from './source-offers.js';
import { emptyWhereStats, inFileOrder, noteJudged, type WhereStats } from './warnings.js';
import { mayReadPrice, whereChecks, whereName } from './where.js';
import { predicateWarnings } from './where-warnings.js';

/** Everything one gather needs besides the plan. */
export interface GatherOptions {
  readonly params: Readonly<Record<string, string>>;
  readonly strategy: Strategy;
  readonly sort: SortSpec;
  readonly limit?: number | undefined;
  /**
   * `--distinct`: offers with equal values of all these fields are one, the first in the final ranking
   * kept (with `alsoAt`); before `limit`. Checked (rank/distinct-fields.ts).
   */
  readonly distinct?: readonly string[] | undefined;
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
   * that a stream can show them early; the source's final offers still come through `onSource`. A page's
   * offers may repeat a listing of an earlier page (page-duplicates.ts), which the final offers hold once.
   */
  readonly onProgress?: ((name: string, offers: readonly Offer[]) => void) | undefined;
  /** Called as each source ends, with its offers (converted when the currency is known). */
  readonly onSource?: ((row: SourceResult, offers: readonly Offer[]) => void) | undefined;
}

/** What gather hands back: ranked offers and one row per sent source, in arrival order. */
interface Gathered {
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
  // Ctrl-C, even once the deadline has ended the run: what arrived after the deadline is mapped whole,
  // but not past a Ctrl-C (a first page of 90,000 items went on 8 s after it, deaf, as before d60062f).
  const interrupt = new AbortController();
  // The CLI aborts with TERMINATED for a SIGTERM: its rows then say `terminated`, as its last line does.
  const onOuter = (): void => {
    const why: RunAbort = {
      status: 'cancelled',
      reason: opts.signal?.reason === TERMINATED ? TERMINATED : 'interrupted',
      interrupted: true,
    };
    interrupt.abort(why);
    abort(why);
  };
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
  // What --where judged, per source position: read in the file's order once the run ends (inFileOrder).
  const judgedBy = new Map<number, WhereStats>();
  // The fields --where compares with a number: each offer's are looked at, as a number or text.
  const checks = whereChecks(opts.where);
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
    // Stopped between batches once the run ends, as settle's mapping is: a preview then goes unused, and
    // the flow waits for it (under --format ndjson, a first page of 90,000 items was mapped on past
    // --deadline 2s and Ctrl-C before its flow could end, then mapped again for its row).
    let callbackFailed: { error: unknown } | undefined;
    // What a preview mapped, for the row's own mapping of the flow to take as it is. Only when there are
    // previews: each entry is an ephemeron the garbage collector must trace.
    const mappedBodies: MappedBodies | undefined = opts.onProgress ? new WeakMap() : undefined;
    const onFlowProgress = opts.onProgress
      ? async (source: CompiledSource, body: unknown): Promise<void> => {
          const prepared = await offersOf(source, [body], opts, run.signal, mappedBodies).catch(() => undefined);
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
      // none. Only a mapping the run's end overtakes stops, and every one after take-first's answer; after
      // the deadline, one that a Ctrl-C overtakes.
      const ended = run.signal.aborted && keepsWhatArrived(run.signal.reason as RunAbort);
      const signal = !ended ? run.signal : interrupt.signal.aborted ? undefined : interrupt.signal;
      // Under the run's own signal, a flow's first page that the run's end stops is mapped again, whole.
      const { row, offers, judged, whereErrors } = await settle(
        outcome,
        opts,
        signal,
        mappedBodies,
        ended ? undefined : interrupt.signal,
      );
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
      const at = position.get(row.name) ?? 0;
      const stats = judgedBy.get(at) ?? emptyWhereStats();
      judgedBy.set(at, stats);
      stats.tried += judged.length;
      stats.kept += offers.length;
      // A loop, not push(...): a vendor's hundred thousand offers would overflow push's arguments.
      for (const e of whereErrors) stats.errors.push(e);
      noteJudged(judged, stats, opts.where !== undefined, checks);
      // accept() records the offers; true means the strategy has its answer.
      const answered = opts.strategy.accept(at, offers);
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
  const whereStats = inFileOrder(judgedBy);
  // A predicate that threw on every offer it saw is the user's mistake (`$foo()`), not a filter.
  if (whereStats.tried > 0 && whereStats.errors.length === whereStats.tried) {
    throw new UsageError(truncate(whereStats.errors[0] as string, MAX_DROPPED_ERROR));
  }
  if (opts.where) warnings.push(...predicateWarnings(opts.where, whereStats, checks));
  const candidates = opts.strategy.candidates();
  // Offers were converted as they arrived when the currency was known; otherwise it is inferred now.
  // The currency the listed offers most use; the warning counts every offer --where judged, which it
  // compared in their own currencies.
  const inferred =
    opts.currency === undefined
      ? commonCurrency(
          candidates,
          opts.where ? whereStats.currencies : new Set(candidates.map((o) => o.currency)),
          warnings,
        )
      : undefined;
  const currency = opts.currency ?? inferred;
  const converted = inferred === undefined ? candidates : candidates.map((o) => convert(o, inferred, opts.rates));
  // After the others only when there are others: with none converted, nothing is ranked before them.
  const byPrice = opts.sort.field === 'price';
  const listedLast = byPrice && converted.some((o) => !o.unconverted);
  // --distinct folds the final ranking, so that the cheapest (or first by --sort and --desc) of each group is
  // kept, and --limit counts what is left: five different flights, not the first five offers.
  const ranked = rank(converted, opts.sort);
  const folded = opts.distinct === undefined ? undefined : foldDistinct(ranked, opts.distinct, rows);
  const offers = (folded?.offers ?? ranked).slice(0, opts.limit ?? opts.strategy.defaultLimit);
  // An inferred currency is a vendor's code, as long as the vendor made it: the warnings name it cut
  // short, as they name the codes with no rate (`no rate for USD to <a megabyte>` was one line of it).
  const named = currency === undefined ? undefined : codeList([currency]);
  const unconvertedCodes = converted.filter((o) => o.unconverted).map((o) => o.currency);
  noteRankingRate(currency, opts.rates, [...unconvertedCodes, ...whereStats.unconverted.keys()], warnings);
  const mapsCurrency = new Set(
    planned.filter((p) => Object.hasOwn(p.source.fields, 'currency')).map((p) => p.source.name),
  );
  // Not those --distinct folded: the limit did not leave them out (foldDistinct warns of them itself).
  noteUnconverted(offers, folded?.offers ?? converted, named, { byPrice, listedLast, mapsCurrency }, warnings);
  // Only a predicate that reads `price` can have left an offer out for having none.
  if (opts.where && mayReadPrice(opts.where))
    noteFilteredOut(whereStats.unconverted, converted, named, whereName(opts.where), warnings);
  const noSortField = sortFieldWarning(converted, opts.sort.field);
  if (noSortField) warnings.push(noSortField);
  if (folded) warnings.push(...folded.warnings);
  return { offers, rows: folded?.rows ?? rows, currency, warnings, interrupted };
}
