/**
 * A source's offers from its response bodies (settle.ts makes its row of them): each page mapped once,
 * what a later page's failure or the run's end leaves of them, and the offers converted and filtered.
 */
import { applyMapping, type Mapped } from '../map/index.js';
import { convert } from '../rank/convert.js';
import { keepsWhatArrived } from '../scatter/flow.js';
import type { RunAbort } from '../scatter/send.js';
import { redactOffer } from '../shared/redact.js';
import { RunStopped } from '../shared/run-stopped.js';
import type { CompiledSource, Offer } from '../types.js';
import type { GatherOptions } from './index.js';
import { joinPages } from './page-duplicates.js';
import { redactorsOf } from './source-redactors.js';
import { unfilledFields } from './unfilled-fields.js';
import { type Filtered, filterOffers, WhereStopped } from './where.js';

/**
 * Bodies the run has mapped, with what their mapping gave: a flow's page previewed for streaming
 * (NDJSON) is not mapped again when the flow settles. Mapped twice, the second mapping could be stopped
 * by the deadline or Ctrl-C where the first had not been: the source's line then counted 0 offers, or
 * one page's, after the stream had written 100,000 of them.
 */
export type MappedBodies = WeakMap<object, Mapped>;

/**
 * A source's offers from its response bodies: each body mapped (pages are concatenated; a plain source
 * has one body), vendor-echoed secrets hidden, converted when the currency is known, and filtered.
 * `judged` (the offers `--where` saw) and `whereErrors` are for the run's `--where` statistics. Throws
 * when the mapping does. A body in `mappedBodies` is not mapped again; one mapped here is added to it.
 * `interrupt` (Ctrl-C), given when `signal` is the run's own: a flow's first page that the run's end
 * stops is then mapped again, whole, hearing only it.
 */
export async function offersOf(
  source: CompiledSource,
  bodies: readonly unknown[],
  opts: GatherOptions,
  signal?: AbortSignal,
  mappedBodies?: MappedBodies,
  interrupt?: AbortSignal,
): Promise<{
  offers: Offer[];
  /** Offers the mapping made, before --where: 0 with items dropped is a mapping that kept none. */
  usable: number;
  /** Fields the mapping lists that no offer has a value for (unfilledFields). */
  unfilled?: readonly string[];
  dropped: number;
  droppedError?: string;
  /** Offers of a later page whose listing an earlier page had (page-duplicates.ts): left out. */
  duplicates: number;
  emptyBecause?: string;
  /** Set when `emptyBecause` is the answer saying that it failed (`errors`, no `data`): the row is an error. */
  failed?: true;
  judged: readonly Offer[];
  whereErrors: string[];
  /** A later page whose mapping threw: the offers are those of the pages before it, and this says why. */
  pageFailed?: string;
}> {
  // Each page's offers, joined once the pages are mapped: a listing met again on a later page is one offer.
  const pages: (readonly Offer[])[] = [];
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
    let m: Mapped;
    try {
      m = await mappedOnce(source, body, signal, mappedBodies);
    } catch (err) {
      if (i === 0) {
        // A flow whose pages all came before the deadline (or Ctrl-C) keeps its first page, as one that the
        // run's end cut short does (index.ts): `--deadline 500ms` read `timeout` with none where 200ms, which
        // cut the flow, kept 50,000 offers. A plain answer stopped so is late: it has no pages to keep.
        const why = err instanceof RunStopped ? (err.why as RunAbort) : undefined;
        if (!why || !interrupt || bodies.length === 1 || !keepsWhatArrived(why)) throw err;
        m = await mappedOnce(source, body, interrupt.aborted ? undefined : interrupt, mappedBodies);
      } else if (err instanceof RunStopped) {
        // Not take-first's answer: it keeps nothing of a flow, whose row is then cancelled (README, Flows).
        if (!keepsWhatArrived(err.why as RunAbort)) throw err;
        stoppedAt = { page: i + 1, why: `${(err.why as RunAbort).reason} while it was mapped` };
        break;
      } else {
        failedPages++;
        firstFailed ??= { page: i + 1, why: (err as Error).message };
        continue;
      }
    }
    pages.push(m.offers);
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
  const { offers: joined, duplicates } = joinPages(pages);
  let mapped = joined;
  const { redactOffers } = redactorsOf(source, opts);
  if (redactOffers) mapped = mapped.map((o) => redactOffer(o, redactOffers));
  let converted = mapped;
  if (opts.currency !== undefined) {
    converted = [];
    for (const o of mapped) {
      const c = convert(o, opts.currency, opts.rates);
      // 1.5e308 GBP is finite; in USD it is not, and Infinity would top a `--desc` ranking (and be
      // `null` in JSON). Such a price is no more usable than a missing one.
      if (Number.isFinite(c.price)) converted.push(c);
      else {
        dropped++;
        // Said, or the row reads `dropped 1 item` with no reason at all.
        droppedError ??= `fields.price: ${o.price} ${o.currency} is too large to convert to ${opts.currency}`;
      }
    }
  }
  let filtered: Filtered | undefined;
  let judged: readonly Offer[] = converted;
  if (opts.where) {
    try {
      filtered = await filterOffers(opts.where, converted, signal);
    } catch (err) {
      // A paged source keeps the offers judged before the run ended, as it keeps the pages mapped
      // before it: stopped in its --where, 36,000 offers of three pages, all mapped, were a timeout with none.
      if (!(err instanceof WhereStopped) || bodies.length === 1 || !keepsWhatArrived(err.why as RunAbort)) throw err;
      filtered = err.done;
      judged = converted.slice(0, err.judged);
      const note = `--where judged ${err.judged} of ${converted.length} offers; ${(err.why as RunAbort).reason} while it judged the rest`;
      pageFailed = pageFailed === undefined ? `incomplete, ${note}` : `${pageFailed}; ${note}`;
    }
  }
  const why = {
    ...(droppedError === undefined ? {} : { droppedError }),
    ...(emptyBecause === undefined ? {} : { emptyBecause }),
    ...(emptyBecause !== undefined && failed ? { failed: true as const } : {}),
    ...(pageFailed === undefined ? {} : { pageFailed }),
  };
  const usable = converted.length;
  const unfilled = unfilledFields(source, converted);
  const more = unfilled.length === 0 ? why : { ...why, unfilled };
  if (!filtered) return { offers: converted, usable, dropped, duplicates, ...more, judged: [], whereErrors: [] };
  return { offers: filtered.kept, usable, dropped, duplicates, ...more, judged, whereErrors: filtered.errors };
}

/** `body` mapped, or what its mapping gave before: the answer is the same, and so is what the run said of it. */
async function mappedOnce(
  source: CompiledSource,
  body: unknown,
  signal: AbortSignal | undefined,
  mappedBodies: MappedBodies | undefined,
): Promise<Mapped> {
  const key = typeof body === 'object' && body !== null ? body : undefined;
  const before = key && mappedBodies?.get(key);
  if (before) return before;
  const m = await applyMapping(source.compiled.mapping, body, source.name, source.currency, signal);
  if (key) mappedBodies?.set(key, m);
  return m;
}
