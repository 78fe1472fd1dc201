/**
 * From a vendor's response body to Offer[]: the hot path. Fields that are plain paths (and
 * `$number(path)`) are read in plain JS (fast.ts); the rest of a source's `offers` and `fields`
 * are fused into one JSONata expression, so a response costs one evaluation per batch of 10,000 items
 * (REST_BATCH in fast.ts), not one per field per item. Whatever the fast path cannot vouch for goes
 * through JSONata whole.
 *
 * The parts, in this folder: compiling a mapping (compile.ts), the JSONata path over its items (slow.ts),
 * an offer from an item's values (offer.ts), and why an answer gave no items (empty-reason.ts). What the
 * other stages use of them is exported here, so that they import the map stage by this one module.
 */

import { evaluationMessage, isGuardrailError, yieldNow } from '../shared/expression.js';
import { isRecord } from '../shared/is-record.js';
import { RunStopped } from '../shared/run-stopped.js';
import type { Offer } from '../types.js';
import type { Mapping } from './compile.js';
import { withEmptyReason } from './empty-reason.js';
import { MappingError, stopped } from './error.js';
import { fastRows } from './fast.js';
import { cell, droppedWhy, dropReason, priceProblem, rowToOffer, toOffer } from './offer.js';
import { slowItems } from './slow.js';

export { compileMapping, type FieldLocator, type Mapping } from './compile.js';
export { MappingError } from './error.js';
export { BAIL, COMMON, type FastMapping, fieldReader, type Layout } from './fast.js';
export { RESERVED_FIELDS } from './offer.js';

/** What one response yields. */
export interface Mapped {
  offers: Offer[];
  /** Items without a usable price: not a finite number, or below zero; or on which a field threw. */
  dropped: number;
  /**
   * Why the first item a field threw on was dropped, with the field (`fields.carrier: Attempted to
   * invoke a non-function`): without it, a typo in any field reads as a price problem.
   */
  droppedError?: string;
  /**
   * Why there were no items at all, when `offers` found nothing in an answer that is an object or a
   * list (`no \`data\` in the answer; it has results, meta`): a wrong path otherwise reads as "no offers".
   */
  emptyBecause?: string;
  /**
   * The answer says it failed: `errors`, no `data` (GraphQL's way, with HTTP 200) and no list where `offers`
   * looks, so `emptyBecause` is
   * the source's failure, not why it has no offers.
   */
  failed?: true;
}

/**
 * Evaluates a mapping over a parsed body. `$response` is bound to the whole body for joins.
 * Resolves with offers, or rejects with a MappingError: whatever the body, nothing else is thrown; but
 * a RunStopped once `signal` (the run's) has aborted, looked at between batches of items.
 */
export async function applyMapping(
  mapping: Mapping,
  body: unknown,
  source: string,
  fallbackCurrency: string | undefined,
  signal?: AbortSignal,
): Promise<Mapped> {
  const bindings = { response: body };
  try {
    const offers: Offer[] = [];
    let dropped = 0;
    // Why the first dropped item was dropped: a field that threw, else what its price was.
    let why: string | undefined;
    const { fast } = mapping;
    const rows =
      fast &&
      (await fastRows(fast, body, bindings, signal).catch((err: unknown) => {
        throw isGuardrailError(err) ? stopped(err, fast.restFieldAt) : err;
      }));
    if (fast && rows) {
      for (let r = 0; r < rows.length; r++) {
        const turn = yieldNow();
        if (turn) await turn;
        const row = rows[r] as unknown[];
        let offer: Offer | undefined;
        let itemWhy: string | undefined;
        try {
          offer = rowToOffer(row, fast.layout, source, fallbackCurrency);
        } catch (err) {
          itemWhy = droppedWhy(err);
        }
        if (offer) offers.push(offer);
        else if (dropped++ === 0)
          why = itemWhy ?? dropReason(cell(row, fast.layout.price), cell(row, fast.layout.currency));
      }
      if (rows.length === 0) return withEmptyReason(mapping, body, bindings);
      return why === undefined ? { offers, dropped } : { offers, dropped, droppedError: beside(why, offers.length) };
    }
    const { items, failure } = await slowItems(mapping, body, bindings, signal);
    if (items.length === 0 && failure === undefined) return withEmptyReason(mapping, body, bindings);
    why = failure;
    for (const item of items) {
      let offer: Offer | undefined;
      let itemWhy: string | undefined;
      try {
        offer = isRecord(item) ? toOffer(item, source, fallbackCurrency) : undefined;
      } catch (err) {
        itemWhy = droppedWhy(err);
      }
      if (offer) offers.push(offer);
      else if (dropped++ === 0)
        why ??= itemWhy ?? (isRecord(item) ? dropReason(item.price, item.currency) : priceProblem(undefined));
    }
    return why === undefined ? { offers, dropped } : { offers, dropped, droppedError: beside(why, offers.length) };
  } catch (err) {
    if (err instanceof MappingError || err instanceof RunStopped) throw err;
    // A stack overflow is no field's fault in particular.
    const position = (err as { position?: number } | null)?.position;
    throw new MappingError(mapping.fieldAt?.(position) ?? 'fields', evaluationMessage(err));
  }
}

/**
 * A price with no value, said beside the items that had one: `is the path right?` sent the reader to
 * debug a path that found the price of every other item, when the vendor leaves it out of some (a listing
 * not yet priced, an auction with no price of its own).
 */
function beside(why: string, kept: number): string {
  if (kept === 0 || why !== priceProblem(undefined)) return why;
  return `fields.price: no value, where ${kept === 1 ? 'one other item has one' : `${kept} other items have one`}: the vendor leaves it out of some`;
}

/**
 * Longest `droppedError`: the message can quote a vendor's value, and it is shown on one line. The
 * caller cuts it (gather/settle.ts), after redaction: a cut here could leave half of a secret the vendor echoed.
 */
export const MAX_DROPPED_ERROR = 200;
