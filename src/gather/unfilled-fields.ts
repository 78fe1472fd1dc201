/** The fields a source maps that none of its offers has a value for: a path that finds nothing. */
import type { CompiledSource, Offer } from '../types.js';

/**
 * The fields `source` maps, besides price and currency (which drop or fall back), that no offer has a
 * value for: a typo (`title: lable`) gave blank titles and an `ok` row with no word, where a price path
 * that found nothing was said. Each field is looked for until one offer has it, so usually once.
 */
export function unfilledFields(source: CompiledSource, offers: readonly Offer[]): string[] {
  if (offers.length === 0) return [];
  const unfilled: string[] = [];
  for (const field of Object.keys(source.fields)) {
    if (field === 'price' || field === 'currency') continue;
    if (!offers.some((o) => hasValue(Object.hasOwn(o, field) ? o[field] : undefined))) unfilled.push(field);
  }
  return unfilled;
}

const hasValue = (v: unknown): boolean => v !== undefined && v !== null && v !== '';
