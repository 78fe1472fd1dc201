/**
 * From a vendor's response body to Offer[]: the hot path. Fields that are plain paths (and
 * `$number(path)`) are read in plain JS (map-fast.ts); the rest of a source's `offers` and `fields`
 * are fused into one JSONata expression, so a response costs at most one evaluation, not one per
 * field per item. Whatever the fast path cannot vouch for goes through JSONata whole.
 */
import type jsonata from 'jsonata';
import { compileExpression, ExpressionError } from './expression.js';
import { BAIL, type FieldReader, fieldReader, offersReader } from './map-fast.js';
import { cleanText, cleanValue } from './sanitize.js';
import type { Offer } from './types.js';

/** Keys the offer model owns; a mapping may not produce them. */
export const RESERVED_FIELDS = ['rank', 'source', 'originalPrice', 'originalCurrency', 'unconverted', 'type'] as const;

/** ISO 4217's code for "no currency": an offer whose currency nobody gave. */
export const NO_CURRENCY = 'XXX';

/** A compiled mapping: the fused expression, its parts for the slow path, and the fast path. */
export interface Mapping {
  readonly fused: jsonata.Expression;
  readonly offers: jsonata.Expression;
  readonly item: jsonata.Expression;
  /** Plain reads, when `offers` is a plain path; fields that are not stay in `rest`. */
  readonly fast?: FastMapping;
}

/** The fast path of one mapping. */
export interface FastMapping {
  readonly offers: (body: unknown) => Record<string, unknown>[] | typeof BAIL;
  /** Every field in file order, with its reader, or undefined for one that stays JSONata. */
  readonly fields: readonly (readonly [string, FieldReader | undefined])[];
  /** The JSONata fields fused over the items (`[(offers).{…}]`), or undefined when there are none. */
  readonly rest?: () => jsonata.Expression;
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
 * Compiles `offers` and each field alone, so that every bad one is named, and finds the fast path; the
 * fused expression is compiled when first needed. Throws ExpressionError (`field` like `fields.price`), or an AggregateError of them when several fail.
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
  let items: unknown[] | undefined = mapping.fast && (await fastItems(mapping.fast, body, bindings));
  if (items === undefined) items = await slowItems(mapping, body, bindings);
  const offers: Offer[] = [];
  let dropped = 0;
  for (const item of items) {
    const offer = isRecord(item) ? toOffer(item, source, fallbackCurrency) : undefined;
    if (offer) offers.push(offer);
    else dropped++;
  }
  return { offers, dropped };
}

/**
 * The items by plain reads, with any JSONata fields from one fused evaluation; undefined when the
 * fast path cannot vouch for this body (JSONata then maps it whole, the same as without a fast path).
 */
async function fastItems(
  fast: FastMapping,
  body: unknown,
  bindings: Record<string, unknown>,
): Promise<Record<string, unknown>[] | undefined> {
  const raws = fast.offers(body);
  if (raws === BAIL) return undefined;
  let rest: unknown[] | undefined;
  if (fast.rest) {
    try {
      rest = asArray(await fast.rest().evaluate(body, bindings));
    } catch {
      return undefined;
    }
    // `.{}` gives one object per item; anything else is a shape the fast path does not know.
    if (rest.length !== raws.length || !rest.every(isRecord)) return undefined;
  }
  const items: Record<string, unknown>[] = [];
  for (const [i, raw] of raws.entries()) {
    const item: Record<string, unknown> = {};
    for (const [name, read] of fast.fields) {
      const v = read ? read(raw) : (rest?.[i] as Record<string, unknown> | undefined)?.[name];
      if (v === BAIL) return undefined;
      // As JSONata's object constructor does: a field that yields nothing is left out.
      if (v !== undefined) item[name] = v;
    }
    items.push(item);
  }
  return items;
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

const COMMON: ReadonlySet<string> = new Set(['title', 'price', 'currency', 'url']);

function toOffer(
  item: Record<string, unknown>,
  source: string,
  fallbackCurrency: string | undefined,
): Offer | undefined {
  const { title, price, currency, url } = item;
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
  // The other fields, without a rest-spread copy of the item: this runs once per offer.
  for (const k of Object.keys(item)) {
    const v = item[k];
    if (v !== undefined && !COMMON.has(k)) offer[k] = cleanValue(v);
  }
  return offer;
}
