/**
 * Compiling a mapping: `offers` and each field alone, so that every bad one is named; the fast path
 * (fast.ts) where `offers` is a plain path; and the fused JSONata forms, compiled on first use.
 */

import type jsonata from 'jsonata';
import {
  compileExpression,
  ExpressionError,
  guardrails,
  noteExpressions,
  recordExpressions,
} from '../shared/expression.js';
import { type FastMapping, fieldReader, ITEM, layoutOf, offersReader } from './fast.js';

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
