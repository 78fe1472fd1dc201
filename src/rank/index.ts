/**
 * Ordering: offers sorted by a field (by price, cheapest first, unless told otherwise), converted offers
 * before unconverted ones, ties cheapest first, then in arrival order; each numbered from 1.
 */
import type { Offer } from '../types.js';
import { rankedPrice } from './convert.js';
import { compareValues, groupOf, sortValue, type TextKey } from './sort-value.js';

/** An offer's own field: `--sort constructor` must not read Object.prototype's. */
export const ownField = (offer: Offer, field: string): unknown =>
  Object.hasOwn(offer, field) ? offer[field] : undefined;

/** How offers are ordered: a field, and a direction. */
export interface SortSpec {
  readonly field: string;
  readonly desc: boolean;
}

/** An offer with what sorting asks of it, read once rather than at each of its ~n log n comparisons. */
type Keyed = {
  offer: Offer;
  order: number;
  value: number | TextKey | null | undefined;
  missing: boolean;
  unconverted: boolean;
  price: number;
};

/**
 * Offers that tie on another `--sort` field, cheapest first whichever the direction: `--sort stops`
 * must not put a $500 non-stop before a $330 one because its source comes first in the file.
 * Unconverted offers go after converted ones, grouped by currency; equal prices keep input order.
 */
function cheaperFirst(x: Keyed, y: Keyed): number {
  const xu = Boolean(x.offer.unconverted);
  const yu = Boolean(y.offer.unconverted);
  if (xu !== yu) return xu ? 1 : -1;
  if (xu && x.offer.currency !== y.offer.currency) return x.offer.currency < y.offer.currency ? -1 : 1;
  return x.price === y.price ? x.order - y.order : x.price < y.price ? -1 : 1;
}

/**
 * Sorts offers and numbers them from 1. Missing values sort last either way, and unconverted
 * offers go after converted ones when sorting by price. Ties on another field (and offers without
 * it) go cheapest first;
 * other ties keep arrival into `offers`, which the caller builds in file order, then item order: the
 * same responses give the same ranking.
 */
export function rank(offers: readonly Offer[], { field, desc }: SortSpec): Offer[] {
  const byPrice = field === 'price';
  const keyed: Keyed[] = offers.map((offer, order) => {
    const value = sortValue(byPrice ? rankedPrice(offer) : ownField(offer, field));
    const unconverted = byPrice && Boolean(offer.unconverted);
    // Only a tie on another field reads it (cheaperFirst); under price the value is the price.
    const price = byPrice ? 0 : rankedPrice(offer);
    return { offer, order, value, missing: value === undefined || value === null, unconverted, price };
  });
  keyed.sort((x, y) => {
    if (x.unconverted || y.unconverted) {
      if (!x.unconverted || !y.unconverted) return x.unconverted ? 1 : -1;
      // Numbers in different currencies don't compare: group unconverted offers by currency.
      if (x.offer.currency !== y.offer.currency) return x.offer.currency < y.offer.currency ? -1 : 1;
    }
    // Offers without the field tie with each other: by price, like any tie on another field.
    if (x.missing || y.missing) {
      if (x.missing !== y.missing) return x.missing ? 1 : -1;
      return byPrice ? x.order - y.order : cheaperFirst(x, y);
    }
    const group = groupOf(x.value as number | TextKey) - groupOf(y.value as number | TextKey);
    if (group !== 0) return group;
    const c = compareValues(x.value as number | TextKey, y.value as number | TextKey);
    if (c !== 0) return desc ? -c : c;
    return byPrice ? x.order - y.order : cheaperFirst(x, y);
  });
  // `rank` first, set after the copy: a key added after a spread costs V8 a slow path per object
  // (22 vs 8 ms for 20,000 offers), and setting it afterwards still overrides any rank the offer had.
  return keyed.map(({ offer }, i) => {
    const ranked = { rank: 0, ...offer };
    ranked.rank = i + 1;
    return ranked;
  });
}
