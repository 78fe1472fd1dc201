/**
 * Which parts of a `--where` predicate read the offer itself. A name is the offer's own field only where
 * the offer is the context: at the top, or as a path's first step. A later step reads what the step
 * before it gave (`stops` in `segments.(stops = 0)` is each segment's), and a predicate, sort stage,
 * group or lambda reads the items of what it is on, or its own arguments. A path that starts with a bare
 * `$` (`$.stop`, `$.(stops = 0)`) reads the offer too: `$` is the context item, so the step after it is
 * the path's first.
 */

/** A node of JSONata's AST, as far as the walkers read it. */
export interface AstNode {
  readonly type?: unknown;
  readonly value?: unknown;
  readonly steps?: unknown;
  readonly lhs?: unknown;
  readonly rhs?: unknown;
}

/**
 * The steps of a path read from the offer: its own, less any leading bare `$`. `$` alone is the
 * context variable (`$$` has value `$`, `$x` has `x`, a call is a `function` node); a `$` with a
 * predicate, sort, group, `[]`, `#` or `@` is left as it is, to be safe.
 */
export function offerSteps(path: AstNode): readonly unknown[] {
  const steps = Array.isArray(path.steps) ? path.steps : [];
  let first = 0;
  while (first < steps.length - 1 && isBareContext(steps[first])) first++;
  return first ? steps.slice(first) : steps;
}

/** Keys a bare `$` step has: no predicate, stages, group, keepArray, tuple binding or focus. */
const BARE_KEYS = new Set(['type', 'value', 'position']);

function isBareContext(step: unknown): boolean {
  if (!step || typeof step !== 'object') return false;
  const { type, value } = step as AstNode;
  return type === 'variable' && value === '' && Object.keys(step).every((k) => BARE_KEYS.has(k));
}

/** AST keys whose names are relative to the node they are on: its predicates, stages and group. */
const RELATIVE = new Set(['predicate', 'stages', 'group']);

/**
 * Calls `visit` on each node of `ast` read with the offer as its context: every node but those of a
 * path's later steps (a leading bare `$` aside), of predicates, stages and groups, and of lambdas. A name node is visited, not
 * walked into (what it holds is relative to it).
 */
export function walkOfferScope(ast: unknown, visit: (node: AstNode) => void): void {
  const seen = new Set<object>();
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const v of node) walk(v);
      return;
    }
    const n = node as AstNode;
    if (n.type === 'lambda') return;
    visit(n);
    if (n.type === 'name') return;
    if (n.type === 'path') {
      walk(offerSteps(n)[0]);
      return;
    }
    for (const [k, v] of Object.entries(node)) if (!RELATIVE.has(k)) walk(v);
  };
  walk(ast);
}

/** The offer's fields a predicate reads by name (`stops` in `stops = 0`, `segments` in `segments.carrier`). */
export function offerFields(ast: unknown): string[] {
  const names = new Set<string>();
  walkOfferScope(ast, (n) => {
    if (n.type === 'name' && typeof n.value === 'string') names.add(n.value);
  });
  return [...names];
}
