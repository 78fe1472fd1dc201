/**
 * One outcome as gather (index.ts) keeps it: its row, and its offers mapped from each body, secrets a
 * vendor echoed hidden, converted when the currency is known, and filtered by `--where`.
 */

import { applyMapping, MAX_DROPPED_ERROR, type Mapped } from '../map/index.js';
import { convert } from '../rank/convert.js';
import { keepsWhatArrived } from '../scatter/flow.js';
import type { Outcome } from '../scatter/index.js';
import { scopeSecrets } from '../scatter/oauth.js';
import type { RunAbort } from '../scatter/send.js';
import { type Redactor, redactOffer } from '../shared/redact.js';
import { RunStopped } from '../shared/run-stopped.js';
import { cleanText } from '../shared/sanitize.js';
import { truncate } from '../shared/truncate.js';
import type { CompiledSource, Offer, SourceResult } from '../types.js';
import type { GatherOptions } from './index.js';
import { joinPages } from './page-duplicates.js';
import { type Filtered, filterOffers, WhereStopped } from './where.js';

/**
 * A HEAD answer has no body for `offers` to read (RFC 9110 §9.3.2): such a source was `ok` with 0 offers
 * and no word of why. HEAD stays allowed, as a request that is retried and hedged like a GET.
 */
const HEAD_NOTE = 'a HEAD answer has no body, so `offers` finds nothing in it: use GET';

/**
 * An answer with no body (a 204, or a 200 with none) or a bare `null` was `ok` with 0 offers and not a
 * word, where one of any other shape says what `offers` found. Said, not failed: it may be the vendor's "none".
 */
function bodilessNote(bodies: readonly unknown[]): string | undefined {
  if (!bodies.every((b) => b === undefined || b === null)) return undefined;
  return bodies.every((b) => b === null)
    ? 'the answer is `null`, so `offers` finds nothing in it'
    : 'the answer has no body, so `offers` finds nothing in it';
}

/** The method of the request whose answers are mapped: the poll's in a create-then-poll flow. */
const mappedMethod = (source: Outcome['source']): string =>
  (source.poll?.request.method ?? source.request.method).toUpperCase();

/**
 * Bodies the run has mapped, with what their mapping gave: a flow's page previewed for streaming
 * (NDJSON) is not mapped again when the flow settles. Mapped twice, the second mapping could be stopped
 * by the deadline or Ctrl-C where the first had not been: the source's line then counted 0 offers, or
 * one page's, after the stream had written 100,000 of them.
 */
export type MappedBodies = WeakMap<object, Mapped>;

/**
 * Turns an outcome into its row and its offers (mapped, converted when possible, filtered), with the
 * offers `--where` judged and the errors it threw on them, for the run's statistics.
 */
export async function settle(
  outcome: Outcome,
  opts: GatherOptions,
  signal: AbortSignal | undefined,
  mappedBodies?: MappedBodies,
  interrupt?: AbortSignal,
): Promise<{ row: SourceResult; offers: Offer[]; judged: readonly Offer[]; whereErrors: readonly string[] }> {
  const name = outcome.source.name;
  if (outcome.kind === 'skipped') {
    const error = cleanText(opts.redact(outcome.reason));
    const row: SourceResult = { name, status: 'skipped', ms: 0, attempts: 0, offers: 0, error };
    return { row, offers: [], judged: [], whereErrors: [] };
  }
  // Where a redirect led is for the flow's links, not for the row: it is the vendor's word, unredacted.
  // Whether it was sent is in the row's words already.
  const { body, redirectedTo: _, unsent: __, nextAfterMs: ___, ...fetched } = outcome.fetched;
  const row: SourceResult = { name, ...fetched, offers: 0, ...(outcome.incomplete ? { incomplete: true } : {}) };
  if (fetched.status !== 'ok') return { row, offers: [], judged: [], whereErrors: [] };
  try {
    const {
      offers,
      usable,
      dropped,
      duplicates,
      droppedError,
      emptyBecause,
      failed,
      judged,
      whereErrors,
      pageFailed,
      unfilled,
    } = await offersOf(outcome.source, outcome.bodies ?? [body], opts, signal, mappedBodies, interrupt);
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
    // So is a mapping that kept none of the items it found: a vendor that changed its shape (a price
    // moved) was `ok` with a note, and a cron job under `--strict -q` never heard of it. Items --where
    // left out do not count: those were offers.
    if (usable === 0 && dropped > 0) {
      const { incomplete: _, ...rest } = row;
      const all = dropped === 1 ? 'its one item was dropped' : `all ${dropped} items were dropped`;
      const why = droppedError === undefined ? 'no usable price' : vendorText(droppedError);
      const cut = pageFailed ?? row.error;
      const error = cleanText(redactorsOf(outcome.source, opts).redact(`${all}: ${why}${cut ? `; ${cut}` : ''}`));
      return { row: { ...rest, status: 'error', error: truncate(error) }, offers: [], judged, whereErrors };
    }
    if (emptyBecause !== undefined) row.note = vendorText(emptyBecause);
    else if (outcome.note !== undefined) row.note = outcome.note;
    else if (offers.length === 0 && mappedMethod(outcome.source) === 'HEAD') row.note = HEAD_NOTE;
    else if (offers.length === 0) {
      const note = bodilessNote(outcome.bodies ?? [body]);
      if (note !== undefined) row.note = note;
    }
    if (unfilled !== undefined) row.unfilled = [...unfilled];
    if (duplicates > 0) row.duplicates = duplicates;
    // `offers` alone read 0 both for a vendor that had nothing and for a filter that left out all it had.
    const filteredOut = judged.length - offers.length;
    if (filteredOut > 0) row.filteredOut = filteredOut;
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
      const error = `${reason} while ${err instanceof WhereStopped ? '--where judged its offers' : 'its answer was mapped'}`;
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

/**
 * The fields `source` maps, besides price and currency (which drop or fall back), that no offer has a
 * value for: a typo (`title: lable`) gave blank titles and an `ok` row with no word, where a price path
 * that found nothing was said. Each field is looked for until one offer has it, so usually once.
 */
function unfilledFields(source: CompiledSource, offers: readonly Offer[]): string[] {
  if (offers.length === 0) return [];
  const unfilled: string[] = [];
  for (const field of Object.keys(source.fields)) {
    if (field === 'price' || field === 'currency') continue;
    if (!offers.some((o) => hasValue(Object.hasOwn(o, field) ? o[field] : undefined))) unfilled.push(field);
  }
  return unfilled;
}

const hasValue = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

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

/**
 * `source`'s redactors: the run's, and with an OAuth2 client its scope's, which also hide the token.
 * Only its own: a token is the endpoint's word, and hidden in every source, a token `https` would
 * blank out every link.
 */
function redactorsOf(source: CompiledSource, opts: GatherOptions): { redact: Redactor; redactOffers?: Redactor } {
  return scopeSecrets(source, opts.secretsOf) ?? opts;
}
