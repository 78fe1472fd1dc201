/**
 * Offers listed at a price of 0. Many shop APIs write 0 for a price they do not give (on request, shown
 * only in the cart, a placeholder of a listing not yet priced), and agg ranks by price: such an offer
 * topped the table and won `-s best` as the cheapest, without a word. A 0 may also be a real giveaway,
 * so the offer stays; the warning names it and the filter that leaves such offers out.
 */
import { truncate } from '../shared/truncate.js';
import type { Offer } from '../types.js';

/** Longest title quoted in the warning. */
const MAX_TITLE = 40;

/** One warning per source (in `order`, the file's) that has listed offers priced 0; none when none has. */
export function zeroPriceWarnings(offers: readonly Offer[], order: readonly string[]): string[] {
  const bySource = new Map<string, Offer[]>();
  for (const o of offers) {
    if (o.price !== 0) continue;
    const list = bySource.get(o.source) ?? [];
    list.push(o);
    bySource.set(o.source, list);
  }
  return order.flatMap((name) => {
    const zero = bySource.get(name);
    if (!zero) return [];
    const first =
      typeof zero[0]?.title === 'string' && zero[0].title !== ''
        ? ` ("${truncate(zero[0].title, MAX_TITLE)}"${zero.length > 1 ? ', …' : ''})`
        : '';
    const what = zero.length === 1 ? 'an offer' : `${zero.length} offers`;
    return [
      `${name}: ${what} priced 0${first}; a vendor's 0 is often no price at all (on request, shown in the cart): --where 'price > 0' leaves such offers out`,
    ];
  });
}
