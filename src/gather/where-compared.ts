/**
 * The offer fields a `--where` compares with a number by `=` or `!=` (`stops = 0`). JSONata compares
 * text and a number as unequal without a word: a mapping that gave `stops: "0"` made `stops = 0` false on
 * every offer, and the run read 'No offers.' (`<` and the others throw on text instead, and are said so).
 */

import { truncate } from '../shared/truncate.js';
import type { WhereStats } from './warnings.js';
import { type AstNode, offerSteps, walkOfferScope } from './where-scope.js';

/**
 * The name of a path of one bare step (`stops`, or `$.stops`: `$` is the offer), the offer's own field;
 * undefined for anything else.
 */
export function ownField(node: unknown): string | undefined {
  const path = (node ?? {}) as AstNode;
  if (path.type !== 'path') return undefined;
  const steps = offerSteps(path);
  if (steps.length !== 1) return undefined;
  const step = steps[0] as { type?: unknown; value?: unknown; stages?: unknown; predicate?: unknown };
  if (step.type !== 'name' || typeof step.value !== 'string' || step.stages || step.predicate) return undefined;
  return step.value;
}

const isNumber = (node: unknown): boolean => (node as { type?: unknown } | null)?.type === 'number';

/** The text of a string literal node (`"LH"`); undefined for any other node. */
export function stringLiteral(node: unknown): string | undefined {
  const n = (node ?? {}) as AstNode;
  return n.type === 'string' && typeof n.value === 'string' ? n.value : undefined;
}

/** `field\0text`: one comparison of a field with a text, as the --where checks key their Sets and Maps. */
export const fieldTextKey = (field: string, text: string): string => `${field}\u0000${text}`;

/** The order operators, each with its two sides swapped: `"PT8H" > duration` is `duration < "PT8H"`. */
export const SWAPPED_ORDER: Readonly<Record<string, string>> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/**
 * A binary node that compares one of the offer's own fields with a string literal `accept` takes, either
 * side (`carrier = "LH"`, `"PT8H" > duration`), said the field's side first: an order operator is
 * swapped when the text was on the left. Undefined for any other node.
 */
export function fieldAgainstText(
  node: AstNode,
  accept: (text: string) => boolean = () => true,
): { field: string; op: string; text: string } | undefined {
  if (node.type !== 'binary' || typeof node.value !== 'string') return undefined;
  const accepted = (side: unknown): string | undefined => {
    const text = stringLiteral(side);
    return text !== undefined && accept(text) ? text : undefined;
  };
  const right = accepted(node.rhs);
  const text = right ?? accepted(node.lhs);
  if (text === undefined) return undefined;
  const field = ownField(right !== undefined ? node.lhs : node.rhs);
  if (field === undefined) return undefined;
  return { field, text, op: right !== undefined ? node.value : (SWAPPED_ORDER[node.value] ?? node.value) };
}

/** The fields of the offer that `ast` (a predicate's own) compares with a number literal by `=` or `!=`. */
export function numberComparedFields(ast: unknown): string[] {
  const names = new Set<string>();
  // Only where the offer is the context: `segments.(stops = 0)` compares each segment's `stops`.
  walkOfferScope(ast, (n) => {
    if (n.type !== 'binary' || (n.value !== '=' && n.value !== '!=')) return;
    const field = isNumber(n.rhs) ? ownField(n.lhs) : isNumber(n.lhs) ? ownField(n.rhs) : undefined;
    if (field !== undefined) names.add(field);
  });
  return [...names];
}

/**
 * `stops = 0` where every offer that has `stops` has it as text (`"0"`): JSONata's `=` is false for text
 * and a number, so the predicate left out every offer without a word. One warning a field.
 */
export function textComparedWarnings(compared: readonly string[], stats: WhereStats, name: string): string[] {
  return compared
    .filter((field) => stats.texts.has(field) && !stats.numbers.has(field))
    .map(
      (field) =>
        `${name} compares \`${field}\` with a number, but every offer has it as text (${JSON.stringify(truncate(stats.texts.get(field) ?? '', 30))}): text never equals a number; map it as one ($number() in the source's fields), or compare it with text`,
    );
}
