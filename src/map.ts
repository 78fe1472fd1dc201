/**
 * From a vendor's response body to Offer[]: the hot path. Fields that are plain paths (and
 * `$number(path)`) are read in plain JS (map-fast.ts); the rest of a source's `offers` and `fields`
 * are fused into one JSONata expression, so a response costs at most one evaluation, not one per
 * field per item. Whatever the fast path cannot vouch for goes through JSONata whole.
 */
import type jsonata from 'jsonata';
import { compileExpression, ExpressionError } from './expression.js';
import { COMMON, type FastMapping, fastRows, fieldReader, type Layout, layoutOf, offersReader } from './map-fast.js';
import { cleanText, cleanValue } from './sanitize.js';
import type { Offer } from './types.js';

/** Keys the offer model owns; a mapping may not produce them. */
export const RESERVED_FIELDS = ['rank', 'source', 'originalPrice', 'originalCurrency', 'unconverted', 'type'] as const;

/** ISO 4217's code for "no currency": an offer whose currency nobody gave. */
export const NO_CURRENCY = 'XXX';

export type { FastMapping, Layout } from './map-fast.js';

/** A compiled mapping: the fused expression, its parts for the slow path, and the fast path. */
export interface Mapping {
  readonly fused: jsonata.Expression;
  readonly offers: jsonata.Expression;
  readonly item: jsonata.Expression;
  /** Plain reads, when `offers` is a plain path; fields that are not stay in `rest`. */
  readonly fast?: FastMapping;
}

/** Compiles on first use: a mapping whose fields are all plain paths never needs its fused form. */
function lazily(text: string, field: string): () => jsonata.Expression {
  let expr: jsonata.Expression | undefined;
  return () => {
    expr ??= compileExpression(text, field);
    return expr;
  };
}

const fusedObject = (fields: readonly (readonly [string, string])[]): string =>
  `{${fields.map(([name, text]) => `${JSON.stringify(name)}: (${text})`).join(', ')}}`;

/**
 * The slow-path expressions live behind accessors on the prototype, so that the config's deep
 * freeze (which walks own enumerable properties) does not compile them.
 */
class CompiledMapping implements Mapping {
  readonly #fused: () => jsonata.Expression;
  readonly #item: () => jsonata.Expression;
  readonly fast?: FastMapping;
  constructor(
    readonly offers: jsonata.Expression,
    offersText: string,
    fields: readonly (readonly [string, string])[],
    fast: FastMapping | undefined,
  ) {
    const object = fusedObject(fields);
    // `[ … ]` keeps a single item an array; `.{}` maps each item in its own context.
    this.#fused = lazily(`[(${offersText}).${object}]`, 'fields');
    this.#item = lazily(object, 'fields');
    if (fast) this.fast = fast;
  }
  get fused(): jsonata.Expression {
    return this.#fused();
  }
  get item(): jsonata.Expression {
    return this.#item();
  }
}

/** What one response yields. */
export interface Mapped {
  offers: Offer[];
  /** Items without a finite numeric price. */
  dropped: number;
}

/**
 * Compiles `offers` and each field alone, so that every bad one is named, and finds the fast path;
 * the fused expression is compiled when first needed. Throws ExpressionError (`field` like
 * `fields.price`), or an AggregateError of them when several fail.
 */
export function compileMapping(offers: string, fields: Readonly<Record<string, string>>): Mapping {
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
  if (errors.length > 0 || !offersExpr) throw errors.length === 1 ? errors[0] : new AggregateError(errors);
  const readOffers = offersReader(offersExpr);
  let fast: FastMapping | undefined;
  if (readOffers) {
    const readers = compiled.map(([name, expr]) => [name, expr && fieldReader(expr)] as const);
    const slow = Object.entries(fields).filter((_, i) => readers[i]?.[1] === undefined);
    fast = {
      offers: readOffers,
      fields: readers,
      layout: layoutOf(Object.keys(fields)),
      ...(slow.length > 0 ? { rest: lazily(`[(${offers}).${fusedObject(slow)}]`, 'fields') } : {}),
    };
  }
  return new CompiledMapping(offersExpr, offers, Object.entries(fields), fast);
}

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Evaluates a mapping over a parsed body. `$response` is bound to the whole body for joins. */
export async function applyMapping(
  mapping: Mapping,
  body: unknown,
  source: string,
  fallbackCurrency: string | undefined,
): Promise<Mapped> {
  const bindings = { response: body };
  const offers: Offer[] = [];
  let dropped = 0;
  const rows = mapping.fast && (await fastRows(mapping.fast, body, bindings));
  if (mapping.fast && rows) {
    for (const row of rows) {
      const offer = rowToOffer(row, mapping.fast.layout, source, fallbackCurrency);
      if (offer) offers.push(offer);
      else dropped++;
    }
    return { offers, dropped };
  }
  for (const item of await slowItems(mapping, body, bindings)) {
    const offer = isRecord(item) ? toOffer(item, source, fallbackCurrency) : undefined;
    if (offer) offers.push(offer);
    else dropped++;
  }
  return { offers, dropped };
}

/** The JSONata path: one fused evaluation, or item by item when one item throws. */
async function slowItems(mapping: Mapping, body: unknown, bindings: Record<string, unknown>): Promise<unknown[]> {
  try {
    return asArray(await mapping.fused.evaluate(body, bindings));
  } catch {
    // One bad item (say `$number("n/a")`) throws for the whole fused run. Redo it item by item,
    // so that only that item is dropped; an error in `offers` itself is the source's error.
    const items: unknown[] = [];
    for (const raw of asArray(await mapping.offers.evaluate(body, bindings))) {
      items.push(await mapping.item.evaluate(raw, bindings).catch(() => undefined));
    }
    return items;
  }
}

/** The common-model part of an offer, or undefined without a finite numeric price. */
function baseOffer(
  title: unknown,
  price: unknown,
  currency: unknown,
  url: unknown,
  source: string,
  fallbackCurrency: string | undefined,
): Offer | undefined {
  if (typeof price !== 'number' || !Number.isFinite(price)) return undefined;
  const offer: Offer = {
    source,
    title: title === undefined || title === null ? '' : cleanText(String(title)),
    price,
    currency:
      typeof currency === 'string' && currency.trim()
        ? cleanText(currency).trim().toUpperCase()
        : (fallbackCurrency ?? NO_CURRENCY),
  };
  if (typeof url === 'string' && url) offer.url = cleanText(url);
  return offer;
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
    if (v !== undefined && !(COMMON as readonly string[]).includes(k)) offer[k] = cleanValue(v);
  }
  return offer;
}

/** The same from a fast-path row; its extras come in field order, as JSONata's object has them. */
function rowToOffer(
  row: readonly unknown[],
  at: Layout,
  source: string,
  fallbackCurrency: string | undefined,
): Offer | undefined {
  const get = (i: number): unknown => (i < 0 ? undefined : row[i]);
  const offer = baseOffer(get(at.title), get(at.price), get(at.currency), get(at.url), source, fallbackCurrency);
  if (!offer) return undefined;
  for (const [i, name] of at.extras) {
    const v = row[i];
    if (v !== undefined) offer[name] = cleanValue(v);
  }
  return offer;
}
