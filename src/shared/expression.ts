/**
 * JSONata compilation shared by templates, mappings and `--where`: one place that turns
 * jsonata's syntax errors into a short message that names the position in the expression, and
 * one place that gives every expression its guardrails, so that none can run or recurse forever.
 */

import { createRequire } from 'node:module';
import type jsonata from 'jsonata';
import { UsageError } from '../errors.js';
import { now } from './clock.js';
import { nestedPast, tooDeeplyNested } from './expression-depth.js';

// jsonata is CommonJS: required on first compile, so `agg --version` and `--help` never load it.
const require = createRequire(import.meta.url);
let engine: typeof jsonata | undefined;
const loadJsonata = (): typeof jsonata => {
  engine ??= require('jsonata') as typeof jsonata;
  return engine;
};

/** The limits every evaluation runs under: jsonata 2.2's own guardrails, checked as each node is entered. */
export interface Guardrails {
  /** Milliseconds one evaluation may take. */
  timeout: number;
  /** Nested evaluations, which is how deep a recursion may go; and how deep an expression may be written (expression-depth.ts). */
  stack: number;
  /** Items in one sequence. */
  sequence: number;
}

/**
 * 5 s is for one evaluation, and a mapping's JSONata fields and `--where` run over batches of 10,000
 * items (map/fast.ts, gather/where.ts), which take well under a second here: only a loop, or an expression
 * that does far more per item than reading a field, reaches it. The depth stops non-tail recursion, which grows
 * the heap rather than the stack (each level is an await) and so would never overflow on its own.
 * The sequence cap stops cross joins and ranges from building arrays of hundreds of megabytes.
 */
export const DEFAULT_GUARDRAILS: Readonly<Guardrails> = Object.freeze({
  timeout: 5000,
  stack: 1000,
  sequence: 5_000_000,
});

let current: Readonly<Guardrails> = DEFAULT_GUARDRAILS;

/** The limits expressions are compiled with now. */
export const guardrails = (): Readonly<Guardrails> => current;

/**
 * Sets the limits for expressions compiled from now on (tests, embedders); returns the previous ones.
 * A limit left `undefined` keeps its value: spread as given, `{ timeout: settings.timeout }` with none
 * set turned the limit off (jsonata reads a missing one as none), and a mapping then ran unbounded.
 */
export function setGuardrails(next: { readonly [K in keyof Guardrails]?: number | undefined }): Readonly<Guardrails> {
  const previous = current;
  const limits = { ...current };
  for (const key of Object.keys(DEFAULT_GUARDRAILS) as (keyof Guardrails)[]) {
    const value = next[key];
    if (value === undefined) continue;
    if (!(typeof value === 'number' && value > 0)) {
      throw new UsageError(`setGuardrails: ${key}: expected a number above 0, got ${String(value)}`);
    }
    limits[key] = value;
  }
  current = Object.freeze(limits);
  // Expressions compiled under the old limits keep them: compile anew from now on.
  compiled.clear();
  return previous;
}

// jsonata awaits at every node, but only on promises that are already settled: an evaluation never
// gives the event loop a turn, so a long one would hold back other sources' sockets, timers and Ctrl-C.
// This hook, which jsonata calls on entering each node, yields one turn every YIELD_MS of evaluation.
const ENTRY_HOOK = Symbol.for('jsonata.__evaluate_entry');
const YIELD_MS = 25;
let lastYield = 0;
let entries = 0;
/**
 * A turn of the event loop once every YIELD_MS of work, else undefined: call it at each step of a long
 * loop (a JSONata node, a mapped item) and await what it returns. Cheap enough to call per step.
 */
export function yieldNow(): Promise<void> | undefined {
  // A node takes microseconds: reading the clock on every 64th keeps the hook's cost near nothing.
  if (++entries % 64 !== 0) return undefined;
  const at = now();
  if (at - lastYield < YIELD_MS) return undefined;
  lastYield = at;
  return new Promise((resolve) => setImmediate(resolve));
}

/** jsonata's codes for the guardrails: timeout, depth, sequence length. */
const GUARDRAIL_CODES: ReadonlySet<string> = new Set(['D1012', 'D1011', 'D2015']);

/** An expression failed to compile. `field` is relative to its source, like `fields.price`. */
export class ExpressionError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    // Exported: a library caller's log or `err.name` check would otherwise see a plain `Error`.
    this.name = 'ExpressionError';
  }
}

/**
 * Compiled expressions by text. Sources that share a shape (one API on many shops) share their
 * compiled fields: every expression gets the same hook and limits, agg never calls `registerFunction`,
 * and `evaluate` makes a fresh frame per call, so one instance serves any number of concurrent evaluations.
 */
const compiled = new Map<string, jsonata.Expression>();
/** A long-lived library user may load many configs: past this many texts the cache starts over. */
const MAX_CACHED = 10_000;

/** Every expression compileExpression hands out while a recording runs, by text (see recordExpressions). */
let recording: Map<string, jsonata.Expression> | undefined;

/** Compiles `text` with the guardrails, or throws ExpressionError naming `field` and the offending token. */
export function compileExpression(text: string, field: string): jsonata.Expression {
  let expr = compiled.get(text);
  if (!expr) {
    expr = compileNow(text, field, current);
    remember(text, expr);
  }
  recording?.set(text, expr);
  return expr;
}

function compileNow(text: string, field: string, limits: Readonly<Guardrails>): jsonata.Expression {
  let expr: jsonata.Expression;
  try {
    expr = loadJsonata()(text, { ...limits });
  } catch (err) {
    // jsonata's parser recurses per bracket: past about 2,000 it overflows, and quoting that text whole
    // ("invalid JSONata "((((…": Maximum call stack size exceeded") said neither what was wrong nor where.
    if (err instanceof RangeError) throw new ExpressionError(field, tooDeeplyNested(limits.stack));
    const e = err as Partial<jsonata.JsonataError>;
    const at = typeof e.position === 'number' ? ` (at character ${e.position})` : '';
    throw new ExpressionError(field, `invalid JSONata ${JSON.stringify(text)}: ${e.message ?? String(err)}${at}`);
  }
  if (nestedPast(expr.ast(), limits.stack)) throw new ExpressionError(field, tooDeeplyNested(limits.stack));
  // jsonata looks hooks up by symbol; its typings only admit string names.
  expr.assign(ENTRY_HOOK as unknown as string, yieldNow);
  return expr;
}

function remember(text: string, expr: jsonata.Expression): void {
  if (compiled.size >= MAX_CACHED) compiled.clear();
  compiled.set(text, expr);
}

/** Records expressions used without compileExpression (a memo of whole mappings, map/compile.ts) in a running recording. */
export function noteExpressions(expressions: ReadonlyMap<string, jsonata.Expression>): void {
  for (const [text, expr] of expressions) recording?.set(text, expr);
}

/** Runs `fn` and returns, with its result, every expression compiled during it (memo hits included). */
export function recordExpressions<T>(fn: () => T): { result: T; expressions: Map<string, jsonata.Expression> } {
  const outer = recording;
  const expressions = new Map<string, jsonata.Expression>();
  recording = expressions;
  try {
    return { result: fn(), expressions };
  } finally {
    recording = outer;
    for (const [text, expr] of expressions) outer?.set(text, expr);
  }
}

/**
 * Parse trees by expression text: the config cache keeps those of a file's fast-path expressions
 * (plain paths and `$number(path)`, map/fast.ts), which is all that reading their values needs.
 */
export type KnownTrees = Readonly<Record<string, jsonata.ExprNode>>;

/**
 * Makes compileExpression answer these texts with their known trees, compiling with jsonata only
 * when one is evaluated after all (a response the fast path hands back). A file of plain paths,
 * loaded from the config cache, then never loads jsonata: 7.5 ms of every start (issue #7).
 */
export function knowTrees(trees: KnownTrees): void {
  for (const [text, tree] of Object.entries(trees)) {
    if (!compiled.has(text)) remember(text, deferred(text, tree, current));
  }
}

/** An expression whose tree is known; jsonata compiles it on first use, under the limits it was known with. */
function deferred(text: string, tree: jsonata.ExprNode, limits: Readonly<Guardrails>): jsonata.Expression {
  let real: jsonata.Expression | undefined;
  const get = (): jsonata.Expression => {
    real ??= compileNow(text, 'expression', limits);
    return real;
  };
  const expr: Pick<jsonata.Expression, 'ast' | 'assign' | 'registerFunction'> & { evaluate: unknown } = {
    ast: () => tree,
    evaluate: (...args: unknown[]) => (get().evaluate as (...a: unknown[]) => unknown)(...args),
    assign: (name, value) => get().assign(name, value),
    registerFunction: (name, implementation, signature) => get().registerFunction(name, implementation, signature),
  };
  return expr as jsonata.Expression;
}

/** True when `err` is a guardrail stopping an evaluation: retrying it item by item would only repeat the wait. */
export function isGuardrailError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && GUARDRAIL_CODES.has(code);
}

/** A guardrail's message in agg's words, like `stopped after 5s: an endless loop, or too much data?`. */
export function guardrailMessage(err: unknown): string {
  // jsonata puts the limit it hit (or, for sequences, the size it reached) in `value`.
  const { code, value } = err as { code?: string; value?: number };
  switch (code) {
    case 'D1012':
      return `stopped after ${(value ?? current.timeout) / 1000}s: an endless loop, or too much data?`;
    case 'D1011':
      return `stopped at depth ${value ?? current.stack}: a recursion without end?`;
    default:
      return `stopped: a sequence of more than ${current.sequence} items`;
  }
}

/**
 * An evaluation's failure as one line in agg's words. JSONata walks a value recursively, so an answer
 * nested tens of thousands deep (`[[[[…]]]]`) overflows the stack: V8's "Maximum call stack size
 * exceeded" says nothing about the vendor's data, which is what is at fault.
 */
export function evaluationMessage(err: unknown): string {
  if (isGuardrailError(err)) return guardrailMessage(err);
  if (err instanceof RangeError && err.message.includes('call stack')) return 'a value is nested too deeply to read';
  const message = String((err as { message?: unknown } | null)?.message ?? err);
  // T2001/T2002 on text: a vendor's `"12999"` or a param (`adults`, always text) met `/` or `+`, and
  // JSONata's words alone ("must evaluate to a number") do not say that text is the trouble, nor the fix.
  const { code, value } = (err ?? {}) as { code?: unknown; value?: unknown };
  if ((code === 'T2001' || code === 'T2002') && typeof value === 'string')
    return `${message}, and it is text: wrap it in $number()`;
  return message;
}

/** Names a compiled expression reads from its input's top level (or as `$params.from`): `from`, `date`, … */
export function referencedNames(expr: jsonata.Expression): string[] {
  const names = new Set<string>();
  const visit = (node: unknown, top: boolean): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const n of node) visit(n, top);
      return;
    }
    const n = node as jsonata.ExprNode;
    if (n.type === 'name' && top && typeof n.value === 'string') names.add(n.value);
    if (n.type === ('path' as string) && Array.isArray(n.steps)) {
      // `$params.a` reads param `a` as `a` does (templates bind the params as `$params` too): missed,
      // a source whose URL says `f={{ $params.from & '-' & $params.to }}` was sent as `f=-`, not skipped.
      const [first, second] = n.steps;
      if (top && first?.type === 'variable' && first.value === 'params' && second?.type === 'name') {
        names.add(String(second.value));
      }
      // Only the first step of a path is a param; `a.b` reads param `a`.
      visit(n.steps[0], top);
      for (const s of n.steps.slice(1)) visit(s, false);
      return;
    }
    for (const [k, v] of Object.entries(n)) if (k !== 'steps') visit(v, top);
  };
  visit(expr.ast(), true);
  return [...names];
}
