/**
 * How deep a JSONata expression is nested, measured on its parse tree when it is compiled. jsonata
 * counts a level for each node it enters while evaluating and stops past its `stack` guardrail
 * (D1011), whose words fit a function calling itself, not `((((price))))` written 1,000 deep: such an
 * expression fails every time, so it is refused when compiled, before a request is sent, as what it is.
 */

/**
 * Whether `ast` holds a chain of more than `limit` nodes, one inside another: what jsonata's depth
 * reaches evaluating it (a `--where`'s wrapper enters a few nodes fewer than its tree holds). A loop,
 * not a recursion: the tree is as deep as the expression.
 */
export function nestedPast(ast: unknown, limit: number): boolean {
  const seen = new Set<object>();
  const todo: [node: unknown, depth: number][] = [[ast, 0]];
  for (let item = todo.pop(); item; item = todo.pop()) {
    const [node, depth] = item;
    if (typeof node !== 'object' || node === null || seen.has(node)) continue;
    seen.add(node);
    const isNode = !Array.isArray(node) && typeof (node as { type?: unknown }).type === 'string';
    const level = isNode ? depth + 1 : depth;
    if (level > limit) return true;
    for (const child of Object.values(node)) todo.push([child, level]);
  }
  return false;
}

/**
 * The message for an expression nested past `limit` levels, or too deep for jsonata's parser at all.
 * Brackets are not the only way there: each operator of a chain nests the chain before it
 * (`a or b or c` is `(a or b) or c`), and 1,000 `carrier = "…" or …` were told to use fewer brackets.
 */
export const tooDeeplyNested = (limit: number): string =>
  `too deeply nested: more than ${limit} levels, the most an expression may have (write it with fewer nested brackets, or fewer operators in one chain: \`carrier in ["LH", "BA"]\` for a long \`or\`)`;
