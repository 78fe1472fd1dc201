/**
 * From a vendor's response body to Offer[]: the hot path. Each source's `offers` and `fields`
 * are fused at load time into one JSONata expression, so a response costs one evaluation,
 * not one per field per item.
 */
import type jsonata from 'jsonata';
import { compileExpression, ExpressionError, guardrailMessage, guardrails, isGuardrailError } from './expression.js';
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
  /** The part (`offers`, `fields.price`) at a character position of the fused text (or the item text), for errors. */
  readonly fieldAt: (position: number | undefined, inItem?: boolean) => string;
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
  /** Items without a usable price: not a finite number, or below zero. */
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
  // Where each part sits in the fused text, so that a guardrail's position names the field.
  // Spans are in the item text `{…}`; in the fused text `[(offers).{…}]` it starts at `prefix`.
  const prefix = `[(${offers}).`.length;
  const spans: [field: string, start: number, end: number][] = [];
  let at = 1;
  const entries = Object.entries(fields).map(([name, text], i) => {
    const entry = `${i > 0 ? ', ' : ''}${JSON.stringify(name)}: (${text})`;
    spans.push([`fields.${name}`, at + entry.length - text.length - 1, at + entry.length - 1]);
    at += entry.length;
    return entry;
  });
  const object = `{${entries.join('')}}`;
  // `[ … ]` keeps a single item an array; `.{}` maps each item in its own context.
  return {
    fused: compileExpression(`[(${offers}).${object}]`, 'fields'),
    offers: compileExpression(offers, 'offers'),
    item: compileExpression(object, 'fields'),
    // jsonata positions point just past a token, hence the `+ 1`.
    fieldAt: (p, inItem = false) => {
      if (p === undefined) return 'fields';
      const q = inItem ? p : p - prefix;
      if (q <= 0) return 'offers';
      return spans.find(([, start, end]) => q > start && q <= end + 1)?.[0] ?? 'fields';
    },
  };
}

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

// Not String(v) for objects: a vendor's `{"toString": "x"}` would make it throw.
const asText = (v: unknown): string =>
  v === undefined || v === null ? '' : typeof v === 'object' ? (JSON.stringify(v) ?? '') : String(v);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Evaluates a mapping over a parsed body. `$response` is bound to the whole body for joins.
 * Resolves with offers, or rejects with a MappingError: whatever the body, nothing else is thrown.
 */
export async function applyMapping(
  mapping: Mapping,
  body: unknown,
  source: string,
  fallbackCurrency: string | undefined,
): Promise<Mapped> {
  try {
    const offers: Offer[] = [];
    let dropped = 0;
    for (const item of await mapItems(mapping, body)) {
      const offer = isRecord(item) ? toOffer(item, source, fallbackCurrency) : undefined;
      if (offer) offers.push(offer);
      else dropped++;
    }
    return { offers, dropped };
  } catch (err) {
    if (err instanceof MappingError) throw err;
    const e = err as { message?: unknown; position?: number };
    const detail = isGuardrailError(err) ? guardrailMessage(err) : String(e?.message ?? err);
    // A value nested past cleanValue's limit (or a stack overflow) is no field's fault in particular.
    throw new MappingError(mapping.fieldAt(e?.position), detail);
  }
}

async function mapItems(mapping: Mapping, body: unknown): Promise<unknown[]> {
  const bindings = { response: body };
  try {
    return asArray(await mapping.fused.evaluate(body, bindings));
  } catch (err) {
    // A guardrail stopped the run: the slow path below would only hit it again, once per item.
    if (isGuardrailError(err)) throw err;
  }
  // One bad item (say `$number("n/a")`) throws for the whole fused run. Redo it item by item,
  // so that only that item is dropped; an error in `offers` itself is the source's error.
  let raws: unknown[];
  try {
    raws = asArray(await mapping.offers.evaluate(body, bindings));
  } catch (err) {
    throw new MappingError('offers', isGuardrailError(err) ? guardrailMessage(err) : (err as Error).message);
  }
  const items: unknown[] = [];
  const started = performance.now();
  for (const raw of raws) {
    items.push(
      await mapping.item.evaluate(raw, bindings).catch((err: unknown) => {
        if (!isGuardrailError(err)) return undefined;
        throw new MappingError(mapping.fieldAt((err as { position?: number }).position, true), guardrailMessage(err));
      }),
    );
    // Each evaluation has its own time budget; the whole slow path gets one too.
    const { timeout } = guardrails();
    if (performance.now() - started > timeout)
      throw new MappingError('fields', guardrailMessage({ code: 'D1012', value: timeout }));
  }
  return items;
}

/**
 * One item as an offer, or undefined when it has no usable price: a finite number, not below zero
 * (a negative price would top every ranking). Keys are copied as own data properties, never
 * assigned, so that no key (`__proto__` included) can reach a prototype.
 */
function toOffer(
  item: Record<string, unknown>,
  source: string,
  fallbackCurrency: string | undefined,
): Offer | undefined {
  const { title, price, currency, url, ...extra } = item;
  if (typeof price !== 'number' || !Number.isFinite(price) || price < 0) return undefined;
  const offer: Offer = {
    source,
    title: cleanText(asText(title)),
    price,
    currency:
      typeof currency === 'string' && currency.trim()
        ? cleanText(currency).trim().toUpperCase()
        : (fallbackCurrency ?? NO_CURRENCY),
  };
  if (typeof url === 'string' && url) offer.url = cleanText(url);
  const extras = Object.entries(extra).flatMap(([k, v]) => (v === undefined ? [] : [[k, cleanValue(v)] as const]));
  return { ...offer, ...Object.fromEntries(extras) };
}
