/** The fields a source maps that none of its offers has a value for: a path that finds nothing. */
import type jsonata from 'jsonata';
import { compileExpression } from '../shared/expression.js';
import type { CompiledSource, Offer } from '../types.js';

/**
 * The fields `source` maps, besides price and currency (which drop or fall back), that no offer has a
 * value for: a typo (`title: lable`) gave blank titles and an `ok` row with no word, where a price path
 * that found nothing was said. Each field is looked for until one offer has it, so usually once. A field
 * written as a condition with no else (`itineraries[1] ? …`) says it may have none, and is not named.
 */
export function unfilledFields(source: CompiledSource, offers: readonly Offer[]): string[] {
  if (offers.length === 0) return [];
  const unfilled: string[] = [];
  for (const [field, text] of Object.entries(source.fields)) {
    if (field === 'price' || field === 'currency') continue;
    if (offers.some((o) => hasValue(Object.hasOwn(o, field) ? o[field] : undefined))) continue;
    if (!mayHaveNone(text, field)) unfilled.push(field);
  }
  return unfilled;
}

const hasValue = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

/**
 * Whether a field's expression ends in `condition ? value` with no `: else` (in a block, its last
 * expression): it yields nothing when the condition fails, on purpose. A round trip's `back` is absent
 * from every one-way offer, and was warned of on every one-way search as a path that found nothing.
 */
function mayHaveNone(text: string, field: string): boolean {
  // Compiled when the source was: this is the cached expression.
  let node: jsonata.ExprNode | undefined = compileExpression(text, `fields.${field}`).ast();
  while (node?.type === 'block') node = node.expressions?.at(-1);
  return node?.type === 'condition' && (node as { else?: unknown }).else === undefined;
}
