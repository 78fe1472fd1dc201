/**
 * One outcome as gather (index.ts) keeps it: its row, and its offers mapped from each body, secrets a
 * vendor echoed hidden, converted when the currency is known, and filtered by `--where` (source-offers.ts).
 */
import { MAX_DROPPED_ERROR } from '../map/index.js';
import type { Outcome } from '../scatter/index.js';
import type { RunAbort } from '../scatter/send.js';
import { RunStopped } from '../shared/run-stopped.js';
import { cleanText } from '../shared/sanitize.js';
import { truncate } from '../shared/truncate.js';
import type { Offer, SourceResult } from '../types.js';
import type { GatherOptions } from './index.js';
import { type MappedBodies, offersOf } from './source-offers.js';
import { redactorsOf } from './source-redactors.js';
import { WhereStopped } from './where.js';

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
