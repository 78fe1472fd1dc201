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

/** An offer with what sorting asks of it, read once rather than at each of its ~n log n comparisons. */
type Keyed = { offer: Offer; order: number; value: unknown; missing: boolean; unconverted: boolean };

let collator: Intl.Collator | undefined;

// Text that is a number, as vendors send prices and counts (`"12.50"`, `"3"`): sorted as that number.
const NUMERIC_TEXT = /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*$/;

/** A value to sort by: numeric text becomes its number, so that `"11"` comes after `2` and `"2"`. */
const sortValue = (v: unknown): unknown => (typeof v === 'string' && NUMERIC_TEXT.test(v) ? Number(v) : v);

/**
 * A total order, whatever mix of types a vendor sends: numbers first, by value; then everything else,
 * as text. (Comparing a number with text as text would make `2 < "11" < "2"`, and the sort arbitrary.)
 */
function compareValues(a: unknown, b: unknown): number {
  const numbers = Number(typeof a === 'number') + Number(typeof b === 'number');
  if (numbers === 2) return a === b ? 0 : (a as number) < (b as number) ? -1 : 1;
  if (numbers === 1) return typeof a === 'number' ? -1 : 1;
  // What String#localeCompare(b, 'en') does, without looking up a collator for every comparison.
  collator ??= new Intl.Collator('en');
  return collator.compare(String(a), String(b));
}

/**
 * Sorts offers and numbers them from 1. Missing values sort last either way, and unconverted
 * offers go after converted ones when sorting by price. Ties keep arrival into `offers`, which
 * the caller builds in file order, then item order: the same responses give the same ranking.
 */
export function rank(offers: readonly Offer[], { field, desc }: SortSpec): Offer[] {
  const byPrice = field === 'price';
  const keyed: Keyed[] = offers.map((offer, order) => {
    const value = sortValue(ownField(offer, field));
    const unconverted = byPrice && Boolean(offer.unconverted);
    return { offer, order, value, missing: value === undefined || value === null, unconverted };
  });
  keyed.sort((x, y) => {
    if (x.unconverted || y.unconverted) {
      if (!x.unconverted || !y.unconverted) return x.unconverted ? 1 : -1;
      // Numbers in different currencies don't compare: group unconverted offers by currency.
      if (x.offer.currency !== y.offer.currency) return x.offer.currency < y.offer.currency ? -1 : 1;
    }
    if (x.missing || y.missing) return x.missing === y.missing ? x.order - y.order : x.missing ? 1 : -1;
    const c = compareValues(x.value, y.value);
    return c === 0 ? x.order - y.order : desc ? -c : c;
  });
  return keyed.map(({ offer }, i) => ({ ...offer, rank: i + 1 }));
}
