/**
 * Which parts of a `--where` predicate read the offer itself. A name is the offer's own field only where
 * the offer is the context: at the top, or as a path's first step. A later step reads what the step
 * before it gave (`stops` in `segments.(stops = 0)` is each segment's), and a predicate, sort stage,
 * group or lambda reads the items of what it is on, or its own arguments.
 */

/** A node of JSONata's AST, as far as the walkers read it. */
export interface AstNode {
  readonly type?: unknown;
  readonly value?: unknown;
  readonly steps?: unknown;
  readonly lhs?: unknown;
  readonly rhs?: unknown;
}

/** AST keys whose names are relative to the node they are on: its predicates, stages and group. */
const RELATIVE = new Set(['predicate', 'stages', 'group']);

/**
 * Calls `visit` on each node of `ast` read with the offer as its context: every node but those of a
 * path's later steps, of predicates, stages and groups, and of lambdas. A name node is visited, not
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
      walk(Array.isArray(n.steps) ? n.steps[0] : undefined);
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
