/**
 * JSONata compilation shared by templates, mappings and `--where`: one place that turns
 * jsonata's syntax errors into a short message that names the position in the expression.
 */
import { createRequire } from 'node:module';
import type jsonata from 'jsonata';

// jsonata is CommonJS: required on first compile, so `agg --version` and `--help` never load it.
const require = createRequire(import.meta.url);
let engine: typeof jsonata | undefined;
const loadJsonata = (): typeof jsonata => {
  engine ??= require('jsonata') as typeof jsonata;
  return engine;
};

/** An expression failed to compile. `field` is relative to its source, like `fields.price`. */
export class ExpressionError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Compiled expressions by text. Sources that share a shape (one API on many shops) share their
 * compiled fields: agg never calls an Expression's `assign` or `registerFunction`, and `evaluate`
 * makes a fresh frame per call, so one instance serves any number of concurrent evaluations.
 */
const compiled = new Map<string, jsonata.Expression>();
/** A long-lived library user may load many configs: past this many texts the cache starts over. */
const MAX_CACHED = 10_000;

/** Compiles `text`, or throws ExpressionError naming `field` and the offending token. */
export function compileExpression(text: string, field: string): jsonata.Expression {
  const hit = compiled.get(text);
  if (hit) return hit;
  let expr: jsonata.Expression;
  try {
    expr = loadJsonata()(text);
  } catch (err) {
    const e = err as Partial<jsonata.JsonataError>;
    const at = typeof e.position === 'number' ? ` (at character ${e.position})` : '';
    throw new ExpressionError(field, `invalid JSONata ${JSON.stringify(text)}: ${e.message ?? String(err)}${at}`);
  }
  if (compiled.size >= MAX_CACHED) compiled.clear();
  compiled.set(text, expr);
  return expr;
}

/** Names a compiled expression reads from its input's top level: `from`, `date`, … */
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
