/**
 * Currency conversion and ordering. Prices are ranked in one currency; an offer that cannot be
 * converted is never ranked as if it were in that currency: it goes after the others, marked.
 */
import type { Offer } from './types.js';

/** Rates as in the config: units of `base` per unit of each key. */
export interface Rates {
  readonly base?: string;
  readonly rates: Readonly<Record<string, number>>;
}

/** Rounds to cents; EPSILON keeps 1.005-style halves from rounding down. */
export const toCents = (x: number): number => Math.round((x + Number.EPSILON) * 100) / 100;

/** Units of `to` per unit of `from`, or undefined when no rate connects them. */
export function rateBetween(from: string, to: string, { base, rates }: Rates): number | undefined {
  if (from === to) return 1;
  const perBase = (code: string): number | undefined => (code === base ? 1 : rates[code]);
  const a = perBase(from);
  const b = perBase(to);
  return a === undefined || b === undefined ? undefined : a / b;
}

/** Returns the offer in `target` currency, keeping the vendor's values in `original*`. */
export function convert(offer: Offer, target: string, rates: Rates): Offer {
  if (offer.currency === target) return offer;
  const rate = rateBetween(offer.currency, target, rates);
  if (rate === undefined) return { ...offer, unconverted: true };
  return {
    ...offer,
    price: toCents(offer.price * rate),
    currency: target,
    originalPrice: offer.price,
    originalCurrency: offer.currency,
  };
}

/** An offer's own field: `--sort constructor` must not read Object.prototype's. */
export const ownField = (offer: Offer, field: string): unknown =>
  Object.hasOwn(offer, field) ? offer[field] : undefined;

/** How offers are ordered: a field, and a direction. */
export interface SortSpec {
  readonly field: string;
  readonly desc: boolean;
}

type Keyed = { offer: Offer; order: number };

function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), 'en');
}

/**
 * Sorts offers and numbers them from 1. Missing values sort last either way, and unconverted
 * offers go after converted ones when sorting by price. Ties keep arrival into `offers`, which
 * the caller builds in file order, then item order: the same responses give the same ranking.
 */
export function rank(offers: readonly Offer[], { field, desc }: SortSpec): Offer[] {
  const keyed: Keyed[] = offers.map((offer, order) => ({ offer, order }));
  keyed.sort((x, y) => {
    if (field === 'price' && (x.offer.unconverted || y.offer.unconverted)) {
      if (!x.offer.unconverted || !y.offer.unconverted) return x.offer.unconverted ? 1 : -1;
      // Numbers in different currencies don't compare: group unconverted offers by currency.
      if (x.offer.currency !== y.offer.currency) return x.offer.currency < y.offer.currency ? -1 : 1;
    }
    const a = ownField(x.offer, field);
    const b = ownField(y.offer, field);
    const aMissing = a === undefined || a === null;
    const bMissing = b === undefined || b === null;
    if (aMissing || bMissing) return aMissing === bMissing ? x.order - y.order : aMissing ? 1 : -1;
    const c = compareValues(a, b);
    return c === 0 ? x.order - y.order : desc ? -c : c;
  });
  return keyed.map(({ offer }, i) => ({ ...offer, rank: i + 1 }));
}
