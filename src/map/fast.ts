/**
 * The mapping's fast path: field expressions that are plain paths (`title`, `price.value`,
 * `` `unit price`.amount ``, `images[0].url`) or `$number(path)` become plain own-property reads,
 * recognised from JSONata's own parse tree so that the grammar is never re-implemented.
 *
 * JSONata's path semantics are only matched where they are simple: through plain objects. A read
 * that meets anything else (an array mid-path, which JSONata maps over and flattens; an array as
 * the value, which it may unwrap; a string `$number` would reject) returns BAIL, and the whole
 * response goes through JSONata instead. So the fast path is never wrong, only sometimes not taken.
 * Fields that are real expressions stay JSONata, fused into one evaluation per batch of REST_BATCH items
 * (`rest`).
 */
import type jsonata from 'jsonata';
import { isGuardrailError, yieldNow } from '../shared/expression.js';
import { stopIfEnded } from '../shared/run-stopped.js';

/**
 * The variable that holds the items a field expression is evaluated over, on the whole response as the
 * fused expression does (`$$` must be the response there too): a batch of REST_BATCH items (fastRows,
 * and slow.ts's batchedItems), or one item alone where a batch threw (slow.ts's itemByItem).
 */
export const ITEM = 'agg_item';

/**
 * Items per evaluation of the fast path's JSONata fields. Each evaluation has the 5 s guardrail: over a
 * whole answer at once, 90,000 items of eight simple fields (`$round(price)`, `$string(stops)`: under
 * the 10 MiB cap) took 4.7 s here and failed the source as "an endless loop" on a busier machine.
 */
export const REST_BATCH = 10_000;

/** "Ask JSONata": the fast path cannot vouch for this value. */
export const BAIL: unique symbol = Symbol('bail');

/** Reads one field from one item: its value, undefined, or BAIL. */
type FieldReader = (item: Record<string, unknown>) => unknown;

interface Step {
  readonly name: string;
  /** `name[3]`: a non-negative literal index. */
  readonly index?: number;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** Keys a node of each kind may carry and still be fast: anything more (keepArray, focus, …) is not. */
const hasOnly = (node: object, keys: readonly string[]): boolean =>
  Object.entries(node).every(([k, v]) => v === undefined || keys.includes(k));

/**
 * The steps of a plain path, or undefined. Names that live on Object.prototype (`constructor`,
 * `__proto__`, `toString`, …) are refused: what JSONata returns for them is not an own property.
 */
function pathSteps(node: jsonata.ExprNode | undefined): Step[] | undefined {
  if (!node || node.type !== ('path' as string) || !hasOnly(node, ['type', 'steps', 'position'])) return undefined;
  const steps: Step[] = [];
  for (const s of node.steps ?? []) {
    if (s.type !== 'name' || typeof s.value !== 'string' || s.value in Object.prototype) return undefined;
    if (!hasOnly(s, ['type', 'value', 'position', 'stages'])) return undefined;
    const stages = (s as { stages?: jsonata.ExprNode[] }).stages;
    if (stages === undefined) {
      steps.push({ name: s.value });
      continue;
    }
    const [stage] = stages;
    const index = stage?.type === ('filter' as string) ? (stage as { expr?: jsonata.ExprNode }).expr : undefined;
    if (stages.length !== 1 || index?.type !== 'number' || !Number.isSafeInteger(index.value) || index.value < 0) {
      return undefined;
    }
    steps.push({ name: s.value, index: index.value as number });
  }
  return steps.length > 0 ? steps : undefined;
}

/** Follows `steps` from `input`; `arrayAtEnd` lets the last value be an array (for `offers`). */
function follow(input: unknown, steps: readonly Step[], arrayAtEnd = false): unknown {
  let v = input;
  // A counted loop: this runs once per field per item, the mapping's innermost loop.
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i] as Step;
    if (v === undefined) return undefined;
    // JSONata maps a step over an array, reads strings as no fields, … : none of that here.
    if (!isPlainObject(v)) return BAIL;
    v = Object.hasOwn(v, step.name) ? v[step.name] : undefined;
    if (step.index !== undefined) {
      if (v === undefined) return undefined;
      // On a non-array JSONata treats `a[0]` as `a`; rare enough to leave to it.
      if (!Array.isArray(v)) return BAIL;
      v = v[step.index];
      // An array inside an array is flattened by JSONata.
      if (Array.isArray(v)) return BAIL;
    }
    if (Array.isArray(v) && !(arrayAtEnd && i === steps.length - 1)) return BAIL;
  }
  return v;
}

/** JSONata 2.x's $number, for the inputs it accepts without question (jsonata.js, `function number`). */
const NUMERIC = /^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$/;
/** The other texts JSONata's $number reads: hex, octal and binary literals. */
const PREFIXED = /^0(?:[xX][0-9A-Fa-f]+|[oO][0-7]+|[bB][01]+)$/;

/** Whether JSONata's `$number()` reads `text` as a number rather than throwing (`"12.50"`, not `"12,50"`). */
export const numberReads = (text: string): boolean => NUMERIC.test(text) || PREFIXED.test(text);
function toNumber(v: unknown): unknown {
  if (v === undefined || v === BAIL || typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && NUMERIC.test(v)) {
    // For a plain decimal like these, parseFloat and JSONata's isFinite(v) read the same number.
    const n = Number.parseFloat(v);
    if (Number.isFinite(n)) return n;
  }
  // Hex strings, bad strings (JSONata throws D3030, and the item is dropped), objects: JSONata decides.
  return BAIL;
}

/** JSONata's literal nodes: a string, a number, and `true`, `false` or `null` (type `value`). */
const LITERAL_TYPES: readonly string[] = ['string', 'number', 'value'];

/** Readers by expression: compiled expressions are shared by text, and so are their readers. */
const fieldReaders = new WeakMap<jsonata.Expression, FieldReader | null>();

/** A reader for a field expression, or undefined when it must stay JSONata. */
export function fieldReader(expr: jsonata.Expression): FieldReader | undefined {
  let read = fieldReaders.get(expr);
  if (read === undefined) {
    read = findFieldReader(expr) ?? null;
    fieldReaders.set(expr, read);
  }
  return read ?? undefined;
}

function findFieldReader(expr: jsonata.Expression): FieldReader | undefined {
  const ast = expr.ast();
  const steps = pathSteps(ast);
  if (steps) return (item) => follow(item, steps);
  // A literal (`cabin: "'economy'"`, `stock: 1`) is the same for every item. Left to JSONata, it alone
  // sent every item through one fused evaluation: 350,000 items mapped in 2.4 s and 370 MB, not 1 s and 250.
  if (LITERAL_TYPES.includes(ast.type) && hasOnly(ast, ['type', 'value', 'position'])) {
    const { value } = ast as { value: unknown };
    return () => value;
  }
  const call = ast as jsonata.ExprNode & { arguments?: jsonata.ExprNode[] };
  if (
    call.type === 'function' &&
    call.value === '(' &&
    call.procedure?.type === 'variable' &&
    call.procedure.value === 'number' &&
    call.arguments?.length === 1 &&
    hasOnly(call, ['type', 'value', 'position', 'procedure', 'arguments'])
  ) {
    const arg = pathSteps(call.arguments[0]);
    if (arg) return (item) => toNumber(follow(item, arg));
  }
  return undefined;
}

/**
 * A reader for `offers` over the whole body: the items (each a plain object), or BAIL. A missing
 * or null list is no items and a single object is one, as in the slow path.
 */
export function offersReader(
  expr: jsonata.Expression,
): ((body: unknown) => Record<string, unknown>[] | typeof BAIL) | undefined {
  const steps = pathSteps(expr.ast());
  if (!steps) return undefined;
  return (body) => {
    if (!isPlainObject(body)) return BAIL;
    const v = follow(body, steps, true);
    if (v === BAIL) return BAIL;
    // A null list is no items, as on the slow path (slow.ts); a null in a list is left to it.
    if (v === undefined || v === null) return [];
    if (isPlainObject(v)) return [v];
    if (Array.isArray(v) && v.every(isPlainObject)) return v;
    return BAIL;
  };
}

/** A field's name and its plain reader, or undefined for a field that stays JSONata. */
type FastField = readonly [string, FieldReader | undefined];

/** The fast path of one mapping. */
export interface FastMapping {
  readonly offers: (body: unknown) => Record<string, unknown>[] | typeof BAIL;
  /** Every field in file order, with its reader, or undefined for one that stays JSONata. */
  readonly fields: readonly FastField[];
  /** The JSONata fields over a batch of items (`$agg_item.{…}`), or undefined when there are none. */
  readonly rest?: () => jsonata.Expression;
  /** Where the offer's own fields sit in `fields` (-1: not mapped), and the other fields. */
  readonly layout: Layout;
}

/** Positions of the common fields among a mapping's fields, so a row of values becomes an offer directly. */
export interface Layout {
  readonly title: number;
  readonly price: number;
  readonly currency: number;
  readonly url: number;
  readonly extras: readonly (readonly [number, string])[];
}

/** The offer model's own fields; the others are the offer's extras. */
export const COMMON = ['title', 'price', 'currency', 'url'] as const;

/** Where the common fields sit among `names`. */
export function layoutOf(names: readonly string[]): Layout {
  const extras = names.flatMap((name, i) => ((COMMON as readonly string[]).includes(name) ? [] : [[i, name] as const]));
  const [title, price, currency, url] = COMMON.map((c) => names.indexOf(c)) as [number, number, number, number];
  return { title, price, currency, url, extras };
}

/**
 * Each item's field values, in `fields` order, by plain reads and any JSONata fields from evaluations
 * over batches of items; undefined when the fast path cannot vouch for this body (JSONata then maps it
 * whole, the same as without a fast path). Rows, not records: no object per item is built only to be read.
 */
export async function fastRows(
  fast: FastMapping,
  body: unknown,
  bindings: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<unknown[][] | undefined> {
  const raws = fast.offers(body);
  if (raws === BAIL) return undefined;
  // Index loops, not for…of with destructuring: this runs once per field of every item, in code that
  // is not yet optimized, where each for…of step allocates an iterator result (3.5 MB of garbage a
  // run at 200 sources × 20 offers, issue #7).
  const { fields } = fast;
  const rows: unknown[][] = new Array(raws.length);
  // The plain reads first: one that meets what only JSONata may decide (BAIL) hands the body to the slow
  // path before any JSONata field has run. After them, every JSONata field ran over every item twice (90,000
  // items with one `"n/a"` price under `$number(price)`: 23 s, where 8 s mapped them all without it).
  for (let i = 0; i < raws.length; i++) {
    // A body of a million items takes a second to map: Ctrl-C, the deadline and the other sources get turns.
    const turn = yieldNow();
    if (turn) await turn;
    const raw = raws[i] as Record<string, unknown>;
    const row: unknown[] = new Array(fields.length);
    for (let f = 0; f < fields.length; f++) {
      const read = (fields[f] as FastField)[1];
      if (!read) continue;
      const v = read(raw);
      if (v === BAIL) return undefined;
      row[f] = v;
    }
    rows[i] = row;
  }
  if (!fast.rest) return rows;
  const jsonataFields = fields.flatMap(([name, read], f) => (read ? [] : [[f, name] as const]));
  for (let from = 0; from < raws.length; from += REST_BATCH) {
    if (from > 0) stopIfEnded(signal);
    const batch = raws.slice(from, from + REST_BATCH);
    let values: unknown[];
    try {
      values = asArray(await fast.rest().evaluate(body, { ...bindings, [ITEM]: batch }));
    } catch (err) {
      // A guardrail's stop would only come again on the slow path (and on the next batch): it ends the
      // mapping. Any other error is the slow path's to sort out.
      if (isGuardrailError(err)) throw err;
      return undefined;
    }
    // `.{}` gives one object per item; anything else is a shape the fast path does not know.
    if (values.length !== batch.length || !values.every(isPlainObject)) return undefined;
    for (let i = 0; i < values.length; i++) {
      const value = values[i] as Record<string, unknown>;
      const row = rows[from + i] as unknown[];
      for (let k = 0; k < jsonataFields.length; k++) {
        const [f, name] = jsonataFields[k] as readonly [number, string];
        row[f] = value[name];
      }
    }
  }
  return rows;
}
