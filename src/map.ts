/**
 * From a vendor's response body to Offer[]: the hot path. Fields that are plain paths (and
 * `$number(path)`) are read in plain JS (map-fast.ts); the rest of a source's `offers` and `fields`
 * are fused into one JSONata expression, so a response costs at most one evaluation, not one per
 * field per item. Whatever the fast path cannot vouch for goes through JSONata whole.
 */

import type jsonata from 'jsonata';
import { now } from './clock.js';
import {
  compileExpression,
  ExpressionError,
  evaluationMessage,
  guardrailMessage,
  guardrails,
  isGuardrailError,
  noteExpressions,
  recordExpressions,
  yieldNow,
} from './expression.js';
import {
  COMMON,
  type FastMapping,
  fastRows,
  fieldReader,
  ITEM,
  type Layout,
  layoutOf,
  offersReader,
  REST_BATCH,
} from './map-fast.js';
import { withoutNoise } from './price-noise.js';
import { RunStopped, stopIfEnded } from './run-stopped.js';
import { cleanText, cleanValue } from './sanitize.js';
import { NO_CURRENCY, type Offer } from './types.js';

/** Keys the offer model owns; a mapping may not produce them. */
export const RESERVED_FIELDS = ['rank', 'source', 'originalPrice', 'originalCurrency', 'unconverted', 'type'] as const;

export type { FastMapping, Layout } from './map-fast.js';

/** Names the part (`offers`, `fields.price`) at a character position of a fused text (or its item text). */
export type FieldLocator = (position: number | undefined, inItem?: boolean) => string;

/** A compiled mapping: the fused expression, and its parts for the slow path. */
export interface Mapping {
  readonly fused: jsonata.Expression;
  readonly offers: jsonata.Expression;
  /** `offers` as the file writes it, to say what it looked for when it found nothing. */
  readonly offersText?: string;
  readonly item: jsonata.Expression;
  /** The part at a character position of the fused text (or the item text), for errors. */
  readonly fieldAt?: FieldLocator;
  /** Plain reads, when `offers` is a plain path; fields that are not stay in `rest`. */
  readonly fast?: FastMapping & { readonly restFieldAt?: FieldLocator };
  /** The mapped field names, in the file's order. */
  readonly fieldNames?: readonly string[];
}

/** A response could not be mapped at all: `field` names the part at fault (`offers`, `fields.price`). */
export class MappingError extends Error {
  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`${field}: ${detail}`);
    this.name = 'MappingError';
  }
}

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

/** Compiles on first use: a mapping whose fields are all plain paths never needs its fused form. */
function lazily(text: string, field: string): () => jsonata.Expression {
  let expr: jsonata.Expression | undefined;
  return () => {
    expr ??= compileExpression(text, field);
    return expr;
  };
}

/**
 * The fused texts of `offers` and `fields` (`[(offers).{…}]` and the item `{…}`), and a locator that
 * names the part at a position of either, so that a guardrail's position names the field.
 */
function fuse(offers: string, fields: readonly (readonly [string, string])[], offersIsPlainPath = false) {
  const spans: [field: string, start: number, end: number][] = [];
  let at = 1;
  const entries = fields.map(([name, text], i) => {
    const entry = `${i > 0 ? ', ' : ''}${JSON.stringify(name)}: (${text})`;
    spans.push([`fields.${name}`, at + entry.length - text.length - 1, at + entry.length - 1]);
    at += entry.length;
    return entry;
  });
  const item = `{${entries.join('')}}`;
  // `[ … ]` keeps a single item an array; `.{}` maps each item in its own context. A null list is no
  // items (`"items": null` is how many APIs say "none"), not one item dropped for want of a price.
  // `()` is JSONata's nothing; `undefined` there would be a path, reading the body's "undefined" key.
  const head = `[($${LIST} := (${offers}); $${LIST} = null ? () : $${LIST}).`;
  const prefix = head.length;
  const itemPrefix = `$${ITEM}.`.length;
  const locate: FieldLocator = (p, inItem = false) => {
    // jsonata gives positions only for errors inside function calls; a range's stop has none. When
    // `offers` is a plain path (it cannot loop) and one field is in the expression, that field is it.
    if (p === undefined) return offersIsPlainPath && spans.length === 1 ? (spans[0]?.[0] ?? 'fields') : 'fields';
    const q = p - (inItem ? itemPrefix : prefix);
    if (q <= 0) return 'offers';
    // jsonata positions point just past a token, hence the `+ 1`.
    return spans.find(([, start, end]) => q > start && q <= end + 1)?.[0] ?? 'fields';
  };
  return { fused: `${head}${item}]`, item: `$${ITEM}.${item}`, locate };
}

/** The variable that holds the `offers` result in the fused expression, to tell a null list from a list. */
const LIST = 'agg_list';

/**
 * The slow-path expressions live behind accessors on the prototype, so that the config's deep
 * freeze (which walks own enumerable properties) does not compile them.
 */
class CompiledMapping implements Mapping {
  readonly #fused: () => jsonata.Expression;
  readonly #item: () => jsonata.Expression;
  readonly fieldAt: FieldLocator;
  readonly fast?: Mapping['fast'];
  readonly fieldNames: readonly string[];
  constructor(
    readonly offers: jsonata.Expression,
    readonly offersText: string,
    fields: readonly (readonly [string, string])[],
    fast: Mapping['fast'],
  ) {
    const { fused, item, locate } = fuse(offersText, fields);
    this.#fused = lazily(fused, 'fields');
    this.#item = lazily(item, 'fields');
    this.fieldAt = locate;
    this.fieldNames = fields.map(([name]) => name);
    if (fast) this.fast = fast;
  }
  get fused(): jsonata.Expression {
    return this.#fused();
  }
  get item(): jsonata.Expression {
    return this.#item();
  }
}

type CompiledMappingOf = Mapping & { readonly fieldAt: FieldLocator };

/**
 * Mappings by their text, for the guardrails they were compiled under: sources of one shape (one API
 * on many shops, a generated file of 1,000 vendors) share one, as they share its expressions. A
 * mapping holds no state of its own source, and its slow-path expressions compile once, when needed.
 */
const mappings = new WeakMap<
  object,
  Map<string, { mapping: CompiledMappingOf; expressions: ReadonlyMap<string, jsonata.Expression> }>
>();
const MAX_MAPPINGS = 10_000;

/**
 * Compiles `offers` and each field alone, so that every bad one is named, and finds the fast path;
 * the fused expression is compiled when first needed. Throws ExpressionError (`field` like
 * `fields.price`), or an AggregateError of them when several fail.
 */
export function compileMapping(offers: string, fields: Readonly<Record<string, string>>): CompiledMappingOf {
  const known = mappings.get(guardrails()) ?? new Map();
  mappings.set(guardrails(), known);
  const key = JSON.stringify([offers, Object.entries(fields)]);
  const hit = known.get(key);
  if (hit) {
    // A recording (the config cache's, load.ts) must see the expressions a shared mapping uses.
    noteExpressions(hit.expressions);
    return hit.mapping;
  }
  const { result: mapping, expressions } = recordExpressions(() => compileNewMapping(offers, fields));
  if (known.size >= MAX_MAPPINGS) known.clear();
  known.set(key, { mapping, expressions });
  return mapping;
}

function compileNewMapping(offers: string, fields: Readonly<Record<string, string>>): CompiledMappingOf {
  const errors: ExpressionError[] = [];
  const check = (text: string, field: string): jsonata.Expression | undefined => {
    try {
      return compileExpression(text, field);
    } catch (err) {
      if (!(err instanceof ExpressionError)) throw err;
      errors.push(err);
      return undefined;
    }
  };
  const offersExpr = check(offers, 'offers');
  const compiled = Object.entries(fields).map(([name, text]) => [name, check(text, `fields.${name}`)] as const);
  if (errors.length > 0 || !offersExpr)
    throw errors.length === 1
      ? errors[0]
      : new AggregateError(errors, errors.map((e) => `${e.field}: ${e.message}`).join('; '));
  const readOffers = offersReader(offersExpr);
  let fast: Mapping['fast'];
  if (readOffers) {
    const readers = compiled.map(([name, expr]) => [name, expr && fieldReader(expr)] as const);
    const slow = Object.entries(fields).filter((_, i) => readers[i]?.[1] === undefined);
    const rest = slow.length > 0 ? fuse(offers, slow, true) : undefined;
    fast = {
      offers: readOffers,
      fields: readers,
      layout: layoutOf(Object.keys(fields)),
      // Over the items in batches (fastRows), so positions are the item expression's.
      ...(rest ? { rest: lazily(rest.item, 'fields'), restFieldAt: (p?: number) => rest.locate(p, true) } : {}),
    };
  }
  return new CompiledMapping(offersExpr, offers, Object.entries(fields), fast);
}

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

// Not String(v) for objects: a vendor's `{"toString": "x"}` would make it throw. An object goes through
// cleanValue first, for its depth limit: JSON.stringify of a title nested 100,000 deep overflowed the stack.
const asText = (v: unknown): string =>
  v === undefined || v === null ? '' : typeof v === 'object' ? (JSON.stringify(cleaned('title', v)) ?? '') : String(v);

/**
 * One item's value nested past cleanValue's depth limit: that item is dropped, and the row names the
 * field. It is the vendor's data, not the mapping's mistake: one hostile item failed the whole source.
 */
class DroppedItem extends Error {}

/** cleanValue, with its depth limit as a DroppedItem naming the offer field `key`. */
function cleaned(key: string, v: unknown): unknown {
  try {
    return cleanValue(v);
  } catch (err) {
    if (err instanceof RangeError) throw new DroppedItem(`fields.${key}: ${err.message}`);
    throw err;
  }
}

/** Why an item is dropped, when building its offer threw a DroppedItem; any other error is thrown on. */
function droppedWhy(err: unknown): string {
  if (err instanceof DroppedItem) return err.message;
  throw err;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A guardrail's stop as a MappingError naming the field at its position. */
function stopped(err: unknown, locate: FieldLocator | undefined, inItem = false): MappingError {
  const position = (err as { position?: number } | null)?.position;
  return new MappingError(locate?.(position, inItem) ?? 'fields', guardrailMessage(err));
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
      return why === undefined ? { offers, dropped } : { offers, dropped, droppedError: why };
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
    return why === undefined ? { offers, dropped } : { offers, dropped, droppedError: why };
  } catch (err) {
    if (err instanceof MappingError || err instanceof RunStopped) throw err;
    // A stack overflow is no field's fault in particular.
    const position = (err as { position?: number } | null)?.position;
    throw new MappingError(mapping.fieldAt?.(position) ?? 'fields', evaluationMessage(err));
  }
}

/**
 * No items: when `offers` found nothing at all (not an empty or `null` list, which is how vendors say
 * "none") in an answer that is an object or a list, the result says where it looked and what is there.
 */
async function withEmptyReason(mapping: Mapping, body: unknown, bindings: Record<string, unknown>): Promise<Mapped> {
  if (mapping.offersText === undefined || typeof body !== 'object' || body === null) return { offers: [], dropped: 0 };
  let found: unknown;
  try {
    found = await mapping.offers.evaluate(body, bindings);
  } catch {
    return { offers: [], dropped: 0 };
  }
  const reported = reportedErrors(body);
  // GraphQL: a request that failed has no `data`, or a null one; errors beside data are partial answers.
  // So are errors beside the list `offers` reads, which a REST answer has with no `data` at all
  // (`{"items": [], "errors": […]}`): a search that found nothing and says why, not a failed source.
  const record = body as Record<string, unknown>;
  const head = PATH_HEAD.exec(mapping.offersText)?.[1]?.split('.')[0];
  const absent = (key: string): boolean => !Object.hasOwn(record, key) || record[key] === null;
  if (reported !== undefined && absent('data') && (head === undefined || absent(head))) {
    return { offers: [], dropped: 0, emptyBecause: reported, failed: true };
  }
  const why = reported ?? (found === undefined ? emptyReason(mapping.offersText, body) : undefined);
  return why === undefined ? { offers: [], dropped: 0 } : { offers: [], dropped: 0, emptyBecause: why };
}

/**
 * GraphQL (and many a REST API) reports a failure with HTTP 200: a top-level `errors` list beside a
 * `data` that is null. `data.search.edges.node` then reached a null, the vendor's "none", so a misspelt
 * field or a rejected key read as `ok` with no offers, without a word of why.
 */
function reportedErrors(body: object): string | undefined {
  const errors = (body as Record<string, unknown>).errors;
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  const first: unknown = errors[0];
  const said = isRecord(first) ? [first.message, first.detail, first.title].find(isText) : first;
  return `the answer has \`errors\`${isText(said) ? `: ${said}` : ''}`;
}

const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

const PLAIN_PATH = /^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/;
/** The plain path an expression starts with, after an optional `$.`: `items` of `$.items[price > 0]`. */
const PATH_HEAD = /^(?:\$\.)?([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)/;
const MAX_KEYS_SHOWN = 8;

/**
 * What `offers` (as written) looked for in `body`, and what the answer has there instead; undefined
 * when a plain path does reach its list and finds it `null` or empty (`{"data": null}` for
 * `data.items`), which is how vendors say "none". A path steps into every item of a list, as JSONata's.
 */
export function emptyReason(offersText: string, body: object): string | undefined {
  const plain = PLAIN_PATH.test(offersText);
  const listHint = (list: unknown[]) =>
    `\`${offersText}\` found nothing: the answer is a list of ${list.length} (\`offers: $\` reads the list itself)`;
  if (!plain) {
    // The path a predicate or function is on (`items` of `items[type = "flight"]`) reaches its list:
    // the list is empty or null, or the filter kept nothing; either is the vendor's "none".
    const head = PATH_HEAD.exec(offersText)?.[1];
    // A function's list (`$filter(items, …)`) may be there and empty: no word is better than a false one.
    if (head === undefined || emptyReason(head, body) === undefined) return undefined;
    return Array.isArray(body)
      ? listHint(body)
      : `\`${offersText}\` found nothing in the answer; it has ${keysOf(body)}`;
  }
  const steps = offersText.split('.');
  // The values the path has reached so far, a list's items stepped into (one level: deeper is no note).
  let here: unknown[] = [body];
  for (let depth = 0; depth < steps.length; depth++) {
    const step = steps[depth] as string;
    const values = here.flatMap((v) => (Array.isArray(v) ? v : [v]));
    const records = values.filter(isRecord);
    const holders = records.filter((r) => Object.hasOwn(r, step));
    if (holders.length > 0) {
      here = holders.map((r) => r[step]);
      continue;
    }
    if (depth === 0 && Array.isArray(body)) return listHint(body);
    const under = steps.slice(0, depth).join('.');
    if (records.length === 0) {
      // Only null, empty lists or plain values where the path reached: null and [] say "none".
      const scalar = values.find((v) => v !== null && typeof v !== 'object');
      return scalar === undefined
        ? undefined
        : `no \`${step}\` under \`${under}\`: \`${under}\` is ${typeof scalar === 'string' ? 'text' : `a ${typeof scalar}`}`;
    }
    return `no \`${step}\` ${under ? `under \`${under}\`` : 'in the answer'}; ${under ? `\`${under}\`` : 'it'} has ${keysOf(records[0] as object)}`;
  }
  return undefined;
}

const keysOf = (o: object): string => {
  let keys = Object.keys(o);
  if (keys.length === 0) return 'no keys';
  // Cut short, the keys that hold a list or an object go first: `offers` reads one of them, and Best Buy's
  // `products`, after eight counts and times, was left in "and 2 more" (`offers: product` never saw it).
  const values = o as Record<string, unknown>;
  const nested = (k: string) => typeof values[k] === 'object' && values[k] !== null;
  if (keys.length > MAX_KEYS_SHOWN) keys = [...keys.filter(nested), ...keys.filter((k) => !nested(k))];
  const shown = keys.slice(0, MAX_KEYS_SHOWN).map((k) => `\`${k}\``);
  return keys.length > MAX_KEYS_SHOWN
    ? `${shown.join(', ')} and ${keys.length - MAX_KEYS_SHOWN} more`
    : shown.join(', ');
};

/**
 * Why a price is not usable, for the source's row: without it, `dropped 3 items without a usable price`
 * leaves a newcomer guessing whether the path is wrong or the vendor sends text (`"12.50"`).
 */
function priceProblem(price: unknown): string {
  const what =
    price === undefined
      ? 'no value; is the path right?'
      : typeof price === 'string'
        ? // Whole: gather cuts the message after redaction; a cut here could leave half of an echoed secret.
          `${JSON.stringify(price)} is text, not a number; wrap it in $number()`
        : typeof price === 'number'
          ? `${price} is ${Number.isFinite(price) ? 'below zero' : 'not a finite number'}`
          : `${price === null ? 'null' : Array.isArray(price) ? 'a list' : typeof price === 'object' ? 'an object' : typeof price}, not a number`;
  return `fields.price: ${what}`;
}

/**
 * Longest `droppedError`: the message can quote a vendor's value, and it is shown on one line. The
 * caller cuts it (gather.ts), after redaction: a cut here could leave half of a secret the vendor echoed.
 */
export const MAX_DROPPED_ERROR = 200;

/**
 * The JSONata path: `offers`, then the fields over batches of its items when they are plain objects (as
 * nearly all are), else one fused evaluation; item by item where one item throws. `failure` then names
 * the field that threw on the first item dropped, and why.
 */
async function slowItems(
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

/** A usable price: a finite number, not below zero (a negative price would top every ranking). */
const usablePrice = (price: unknown): price is number =>
  typeof price === 'number' && Number.isFinite(price) && price >= 0;

/**
 * A currency that is there but is no code: a list (`legs.currency` over two legs gives
 * `["EUR", "EUR"]`), a number, an object. Taken as "no currency", the source's fallback would rank
 * €100 as $100 without a word; such an item is dropped, and the row says why.
 */
const badCurrency = (currency: unknown): boolean =>
  currency !== undefined && currency !== null && typeof currency !== 'string';

/** Why an item baseOffer refused was dropped: its price, else its currency. */
function dropReason(price: unknown, currency: unknown): string {
  if (!usablePrice(price)) return priceProblem(price);
  const what = Array.isArray(currency) ? 'a list' : typeof currency === 'object' ? 'an object' : typeof currency;
  return `fields.currency: ${what}, not a currency code`;
}

/**
 * The common-model part of an offer, or undefined without a usable price, or with a currency that is
 * no code (badCurrency).
 */
function baseOffer(
  title: unknown,
  price: unknown,
  currency: unknown,
  url: unknown,
  source: string,
  fallbackCurrency: string | undefined,
): Offer | undefined {
  // A title is refused as the extras are; asText cleans it.
  refuseFunction('title', title);
  if (!usablePrice(price) || badCurrency(currency)) {
    // `price: $number` (the call left out) is the mapping's mistake, as in any field: not an item to drop.
    refuseFunction('price', price);
    refuseFunction('currency', currency);
    return undefined;
  }
  const offer: Offer = {
    source,
    title: cleanText(asText(title)),
    // -0 (a vendor's `-0.0`) is 0: it would print as `-$0.00`, and in JSON as 0. A computed price has
    // no binary noise: 543.21 + 112.34 shows as $655.55, and `--where 'price <= 655.55'` must keep it.
    price: price === 0 ? 0 : withoutNoise(price),
    currency:
      typeof currency === 'string' && currency.trim()
        ? cleanText(currency).trim().toUpperCase()
        : (fallbackCurrency ?? NO_CURRENCY),
  };
  if (typeof url === 'string' && url) offer.url = cleanText(url);
  else refuseFunction('url', url);
  return offer;
}

/**
 * Sets one extra field on an offer freshly made by baseOffer, as an own data property: no key can
 * reach a prototype. Only `__proto__` would (the one accessor on Object.prototype), so it alone is
 * defined; every other key is assigned, which on a fresh plain object makes the same own property
 * about ten times faster than defineProperty or a spread copy (issue #7: 20,000 offers a search).
 */
function setExtra(offer: Offer, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(offer, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    (offer as Record<string, unknown>)[key] = value;
  }
}

/**
 * A JSONata function as a field's value (`$uppercase` without its call, a `function($x){…}`): no offer can
 * hold one, and a lambda's environment is cyclic (it failed as "nested deeper than 100 levels").
 */
const isFunctionValue = (v: unknown): boolean =>
  typeof v === 'function' || (isRecord(v) && (v._jsonata_lambda === true || v._jsonata_function === true));

/**
 * `v` as the offer's field `key`, cleaned. A function is the mapping's own mistake, the same for every
 * item: the source fails, naming the field.
 */
function fieldValue(key: string, v: unknown): unknown {
  refuseFunction(key, v);
  return cleaned(key, v);
}

/** Throws, naming the field, when `v` is a function (isFunctionValue). */
function refuseFunction(key: string, v: unknown): void {
  if (isFunctionValue(v))
    throw new MappingError(`fields.${key}`, 'gives a function, not a value; call it, as in `$uppercase(title)`');
}

/** An offer from a JSONata item: the common fields, then the others in the item's order. */
function toOffer(
  item: Record<string, unknown>,
  source: string,
  fallbackCurrency: string | undefined,
): Offer | undefined {
  const offer = baseOffer(item.title, item.price, item.currency, item.url, source, fallbackCurrency);
  if (!offer) return undefined;
  for (const k of Object.keys(item)) {
    const v = item[k];
    if (v !== undefined && !(COMMON as readonly string[]).includes(k)) setExtra(offer, k, fieldValue(k, v));
  }
  return offer;
}

/** A row's value at `i`, where -1 is a common field the mapping does not have. */
const cell = (row: readonly unknown[], i: number): unknown => (i < 0 ? undefined : row[i]);

/** The same from a fast-path row; its extras come in field order, as JSONata's object has them. */
function rowToOffer(
  row: readonly unknown[],
  at: Layout,
  source: string,
  fallbackCurrency: string | undefined,
): Offer | undefined {
  const offer = baseOffer(
    cell(row, at.title),
    cell(row, at.price),
    cell(row, at.currency),
    cell(row, at.url),
    source,
    fallbackCurrency,
  );
  if (!offer) return undefined;
  // An index loop, without destructuring: both allocate at every step in cold code (see fastRows).
  const { extras } = at;
  for (let k = 0; k < extras.length; k++) {
    const extra = extras[k] as readonly [number, string];
    const v = row[extra[0]];
    if (v !== undefined) setExtra(offer, extra[1], fieldValue(extra[1], v));
  }
  return offer;
}
