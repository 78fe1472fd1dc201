/**
 * `--where`: a JSONata predicate over each offer, compiled once when the flags are read and
 * run once per source response (not once per offer).
 */
import type jsonata from 'jsonata';
import { compileExpression } from './expression.js';
import type { Offer } from './types.js';

/** Compiles the user's predicate into a filter over an array of offers; throws ExpressionError. */
export function compileWhere(text: string): jsonata.Expression {
  compileExpression(text, '--where');
  // `$o.(…)` evaluates the predicate with the offer as context; `$boolean` reads numbers and
  // strings the way the user expects, so `--where 'stops'` is not taken as an array index.
  return compileExpression(`[$filter($, function($o) { $boolean($o.(${text})) })]`, '--where');
}

/** Keeps the offers the predicate accepts; an offer it throws on is dropped, with one warning. */
export async function filterOffers(
  where: jsonata.Expression,
  offers: readonly Offer[],
  warnings: string[],
): Promise<Offer[]> {
  if (offers.length === 0) return [];
  try {
    return (await where.evaluate(offers)) as Offer[];
  } catch {
    const kept: Offer[] = [];
    for (const offer of offers) {
      try {
        if (((await where.evaluate([offer])) as Offer[]).length > 0) kept.push(offer);
      } catch (err) {
        const message = `--where: ${(err as Error).message}`;
        if (!warnings.includes(message)) warnings.push(message);
      }
    }
    return kept;
  }
}
