/**
 * JSONata compilation shared by templates, mappings and `--where`: one place that turns
 * jsonata's syntax errors into a short message that names the position in the expression, and
 * one place that gives every expression its guardrails, so that none can run or recurse forever.
 */
import jsonata from 'jsonata';

/**
 * Limits every evaluation runs under (jsonata 2.2's own guardrails, checked as each node is entered).
 * An endless loop does not block on I/O: jsonata's awaits all resolve at once, so a timer could never
 * fire to stop it, and a clock read on entry is the only brake. 2 s is about forty times what a
 * 2000-item response takes to map (bench/README.md). The depth stops non-tail recursion, which grows
 * the heap rather than the stack (each level is an await) and so would never overflow on its own.
 * The sequence cap stops cross joins and ranges from building arrays of hundreds of megabytes.
 */
export const GUARDRAILS = { timeout: 2000, stack: 1000, sequence: 5_000_000 } as const;

/** jsonata's codes for the guardrails above: timeout, depth, sequence length. */
const GUARDRAIL_CODES: ReadonlySet<string> = new Set(['D1012', 'D1011', 'D2015']);

/** An expression failed to compile. `field` is relative to its source, like `fields.price`. */
export class ExpressionError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Compiles `text` with the guardrails, or throws ExpressionError naming `field` and the offending token. */
export function compileExpression(text: string, field: string): jsonata.Expression {
  try {
    return jsonata(text, { ...GUARDRAILS });
  } catch (err) {
    const e = err as Partial<jsonata.JsonataError>;
    const at = typeof e.position === 'number' ? ` (at character ${e.position})` : '';
    throw new ExpressionError(field, `invalid JSONata ${JSON.stringify(text)}: ${e.message ?? String(err)}${at}`);
  }
}

/** True when `err` is a guardrail stopping an evaluation: retrying it item by item would only repeat the wait. */
export function isGuardrailError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && GUARDRAIL_CODES.has(code);
}

/** A guardrail's message in agg's words: `stopped after 2s: a loop or recursion without end?`. */
export function guardrailMessage(err: unknown): string {
  switch ((err as { code?: string }).code) {
    case 'D1012':
      return `stopped after ${GUARDRAILS.timeout / 1000}s: a loop without end?`;
    case 'D1011':
      return `stopped at depth ${GUARDRAILS.stack}: a recursion without end?`;
    default:
      return `stopped: a sequence longer than ${GUARDRAILS.sequence} items`;
  }
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
