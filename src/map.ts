/**
 * From a vendor's response body to Offer[]: the hot path. Each source's `offers` and `fields`
 * are fused at load time into one JSONata expression, so a response costs one evaluation,
 * not one per field per item.
 */
import type jsonata from 'jsonata';
import { compileExpression, ExpressionError } from './expression.js';
import { cleanText, cleanValue } from './sanitize.js';
import type { Offer } from './types.js';

/** Keys the offer model owns; a mapping may not produce them. */
export const RESERVED_FIELDS = ['rank', 'source', 'originalPrice', 'originalCurrency', 'unconverted', 'type'] as const;

/** ISO 4217's code for "no currency": an offer whose currency nobody gave. */
export const NO_CURRENCY = 'XXX';

/** A compiled mapping: the fused expression, and its parts for the slow path. */
export interface Mapping {
  readonly fused: jsonata.Expression;
  readonly offers: jsonata.Expression;
  readonly item: jsonata.Expression;
}

/** What one response yields. */
export interface Mapped {
  offers: Offer[];
  /** Items without a finite numeric price. */
  dropped: number;
}

/**
 * Compiles `offers` and each field alone, so that every bad one is named, then the fused expression.
 * Throws ExpressionError (`field` like `fields.price`), or an AggregateError of them when several fail.
 */
export function compileMapping(offers: string, fields: Readonly<Record<string, string>>): Mapping {
  const errors: ExpressionError[] = [];
  const check = (text: string, field: string): void => {
    try {
      compileExpression(text, field);
    } catch (err) {
      if (!(err instanceof ExpressionError)) throw err;
      errors.push(err);
    }
  };
  check(offers, 'offers');
  for (const [name, text] of Object.entries(fields)) check(text, `fields.${name}`);
  if (errors.length > 0) throw errors.length === 1 ? errors[0] : new AggregateError(errors);
  const entries = Object.entries(fields).map(([name, text]) => `${JSON.stringify(name)}: (${text})`);
  const object = `{${entries.join(', ')}}`;
  // `[ … ]` keeps a single item an array; `.{}` maps each item in its own context.
  return {
    fused: compileExpression(`[(${offers}).${object}]`, 'fields'),
    offers: compileExpression(offers, 'offers'),
    item: compileExpression(object, 'fields'),
  };
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
  let items: unknown[];
  try {
    items = asArray(await mapping.fused.evaluate(body, bindings));
  } catch {
    // One bad item (say `$number("n/a")`) throws for the whole fused run. Redo it item by item,
    // so that only that item is dropped; an error in `offers` itself is the source's error.
    items = [];
    for (const raw of asArray(await mapping.offers.evaluate(body, bindings))) {
      items.push(await mapping.item.evaluate(raw, bindings).catch(() => undefined));
    }
  }
  const offers: Offer[] = [];
  let dropped = 0;
  for (const item of items) {
    const offer = isRecord(item) ? toOffer(item, source, fallbackCurrency) : undefined;
    if (offer) offers.push(offer);
    else dropped++;
  }
  return { offers, dropped };
}

function toOffer(
  item: Record<string, unknown>,
  source: string,
  fallbackCurrency: string | undefined,
): Offer | undefined {
  const { title, price, currency, url, ...extra } = item;
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
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) offer[k] = cleanValue(v);
  return offer;
}
