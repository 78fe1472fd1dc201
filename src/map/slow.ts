/**
 * The JSONata path of a mapping (index.ts): what the fast path cannot vouch for. `offers`, then the fields
 * over its items in batches, each with its own time limit, and item by item only where one threw.
 */

import { now } from '../shared/clock.js';
import { evaluationMessage, guardrailMessage, guardrails, isGuardrailError } from '../shared/expression.js';
import { isRecord } from '../shared/is-record.js';
import { stopIfEnded } from '../shared/run-stopped.js';
import type { Mapping } from './compile.js';
import { MappingError, stopped } from './error.js';
import { ITEM, REST_BATCH } from './fast.js';

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/**
 * The JSONata path: `offers`, then the fields over batches of its items when they are plain objects (as
 * nearly all are), else one fused evaluation; item by item where one item throws. `failure` then names
 * the field that threw on the first item dropped, and why.
 */
export async function slowItems(
  mapping: Mapping,
  body: unknown,
  bindings: Record<string, unknown>,
  signal: AbortSignal | undefined,
): Promise<{ items: unknown[]; failure?: string }> {
  // An error in `offers` itself is the source's error.
  let raws: unknown[];
  try {
    const list = await mapping.offers.evaluate(body, bindings);
    raws = list === null ? [] : asArray(list);
  } catch (err) {
    throw new MappingError('offers', isGuardrailError(err) ? guardrailMessage(err) : evaluationMessage(err));
  }
  // Over the whole answer at once, the time limit was for all of it: 90,000 items of `items[price > 0]`
  // with eight simple fields (under the size cap) failed the source as "an endless loop".
  if (raws.every(isRecord)) return batchedItems(mapping, raws, body, bindings, signal);
  try {
    return { items: asArray(await mapping.fused.evaluate(body, bindings)) };
  } catch (err) {
    // A guardrail stopped the run: the item-by-item path below would only hit it again, once per item.
    if (isGuardrailError(err)) throw stopped(err, mapping.fieldAt);
  }
  // One bad item (say `$number("n/a")`) throws for the whole fused run. Redo it item by item,
  // so that only that item is dropped.
  return itemByItem(mapping, raws, body, bindings);
}

/**
 * The items of a list of plain objects over batches of REST_BATCH, each with its own time limit, and
 * item by item only in a batch that threw: as the fast path's JSONata fields are. One fused evaluation
 * over 90,000 items, one of them bad (`$number("n/a")`), took 5 s to throw, and item by item all 90,000
 * then ran past the time limit: the source failed, where the README drops only that item.
 */
async function batchedItems(
  mapping: Mapping,
  raws: readonly unknown[],
  body: unknown,
  bindings: Record<string, unknown>,
  signal: AbortSignal | undefined,
): Promise<{ items: unknown[]; failure?: string }> {
  const items: unknown[] = [];
  let failure: string | undefined;
  for (let from = 0; from < raws.length; from += REST_BATCH) {
    if (from > 0) stopIfEnded(signal);
    const batch = raws.slice(from, from + REST_BATCH);
    let values: unknown[] | undefined;
    try {
      values = asArray(await mapping.item.evaluate(body, { ...bindings, [ITEM]: batch }));
    } catch (err) {
      if (isGuardrailError(err)) throw stopped(err, mapping.fieldAt, true);
    }
    // `.{}` gives one object per plain item; when it threw, each item alone says which it was.
    if (values?.length !== batch.length) {
      const one = await itemByItem(mapping, batch, body, bindings);
      values = one.items;
      failure ??= one.failure;
    }
    for (const v of values) items.push(v);
  }
  return failure === undefined ? { items } : { items, failure };
}

/** Each of `raws` alone (a bad one is undefined, and the first one's error is `failure`), in a time limit. */
async function itemByItem(
  mapping: Mapping,
  raws: readonly unknown[],
  body: unknown,
  bindings: Record<string, unknown>,
): Promise<{ items: unknown[]; failure?: string }> {
  const items: unknown[] = [];
  let failure: string | undefined;
  const started = now();
  for (const raw of raws) {
    items.push(
      // Wrapped: a path step over the variable maps over an array, and an item may be one (a tuple row).
      await mapping.item.evaluate(body, { ...bindings, [ITEM]: [raw] }).catch((err: unknown) => {
        if (isGuardrailError(err)) throw stopped(err, mapping.fieldAt, true);
        if (failure === undefined) {
          const position = (err as { position?: number } | null)?.position;
          failure = `${mapping.fieldAt?.(position, true) ?? 'fields'}: ${evaluationMessage(err)}`;
        }
        return undefined;
      }),
    );
    // Each evaluation has its own time budget; these items together get one too.
    const { timeout } = guardrails();
    if (now() - started > timeout)
      throw new MappingError('fields', guardrailMessage({ code: 'D1012', value: timeout }));
  }
  return failure === undefined ? { items } : { items, failure };
}
