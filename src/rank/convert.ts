/**
 * Currency conversion: an offer's price in the currency a search ranks in, at the config's rates, and
 * written to that currency's minor units. An offer that cannot be converted is marked, never ranked as
 * if it were in that currency.
 */
import { withoutNoise } from '../shared/price-noise.js';
import type { Offer } from '../types.js';

/** Rates as in the config: units of `base` per unit of each key. */
export interface Rates {
  readonly base?: string | undefined;
  readonly rates: Readonly<Record<string, number>>;
}

/**
 * Rounds to `digits` decimals, a half up, as Intl writes the price. The scaled amount is read to 15
 * significant digits first: 2.135 × 100 is 213.49999999999997 in binary, and that noise must not
 * round a half down (adding EPSILON only helped below 2: 2.135 came out 2.13).
 */
const roundTo = (x: number, digits: number): number => {
  // From 2^52 up a double is a whole number, with no decimals to round; scaled, it could pass
  // Number.MAX_VALUE: $1.3e308 (£1e308) × 100 was Infinity, and the offer was dropped as too large.
  if (!(Math.abs(x) < 2 ** 52)) return withoutNoise(x);
  const scale = 10 ** digits;
  return Math.round(Number((x * scale).toPrecision(15))) / scale;
};

/** Rounds to cents. */
export const toCents = (x: number): number => roundTo(x, 2);

/**
 * Intl's answer for the codes most searches rank in, known without asking it: the first NumberFormat
 * loads ICU's currency data, about 6 MB and 10 ms that a JSON search otherwise never spends (take-first's
 * peak RSS went 68 → 74 MB once an offer already in USD was written to its minor units). Each is checked
 * against Intl in test/rank.test.ts.
 */
export const KNOWN_MINOR_UNITS: Readonly<Record<string, number>> = {
  USD: 2,
  EUR: 2,
  GBP: 2,
  CAD: 2,
  AUD: 2,
  CHF: 2,
  CNY: 2,
  INR: 2,
  SEK: 2,
  NOK: 2,
  DKK: 2,
  PLN: 2,
  JPY: 0,
  KRW: 0,
};

// Intl knows each ISO code's minor units (JPY 0, KWD 3); looking them up costs a NumberFormat, so once per code.
const minorUnits = new Map<string, number>(Object.entries(KNOWN_MINOR_UNITS));

/** How many decimals an amount in `currency` is written with: Intl's, or 2 for a code it does not know. */
export function decimalsOf(currency: string): number {
  let digits = minorUnits.get(currency);
  if (digits === undefined) {
    try {
      digits =
        new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    minorUnits.set(currency, digits);
  }
  return digits;
}

/**
 * The unrounded price of each converted offer. The offer shows its price rounded to the currency's
 * minor units, as a price is written; ranking compares the unrounded one, or ¥1,499.50 and ¥1,500 would
 * both be $10.05 and tie, and the dearer could come first. Keyed by the offer object, which is
 * immutable from conversion to ranking.
 */
const exactPrices = new WeakMap<Offer, number>();

/**
 * The price an offer is ranked by: the unrounded converted one, or its own, both without binary noise
 * (€3 at 1.1 is 3.3000000000000003, and must tie with a $3.30 listed before it: file order). Mapping
 * already takes the noise out of a vendor's price; an offer a library caller made may still have it.
 */
export const rankedPrice = (offer: Offer): number => {
  const exact = exactPrices.get(offer);
  if (exact !== undefined) return exact;
  const x = offer.price;
  return typeof x === 'number' ? withoutNoise(x) : x;
};

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
  if (offer.currency === target) return rounded(offer, target);
  const rate = rateBetween(offer.currency, target, rates);
  if (rate === undefined) return { ...offer, unconverted: true };
  // Free is free at any rate: 0 × an overflowed cross rate (1e300 / 1e-10) is NaN, dropped as too large.
  const exact = offer.price === 0 ? 0 : offer.price * rate;
  const converted = {
    ...offer,
    price: roundTo(exact, decimalsOf(target)),
    currency: target,
    originalPrice: offer.price,
    originalCurrency: offer.currency,
  };
  exactPrices.set(converted, withoutNoise(exact));
  return converted;
}

/**
 * An offer already in `target`, its price written to the currency's minor units as a converted one is,
 * the vendor's amount kept in `original*`. A milli-unit $10.003 stayed whole beside a converted €9.095
 * shown as $10.00 (exact 10.0045): JSON listed 10.003 above 10, and `--where 'price <= 10'` kept the
 * dearer offer and dropped the cheaper. It is still ranked by its exact amount.
 */
function rounded(offer: Offer, target: string): Offer {
  const digits = decimalsOf(target);
  const scale = 10 ** digits;
  // Most prices are written in minor units already: settled without roundTo's toPrecision, once an offer.
  if (Math.round(offer.price * scale) / scale === offer.price) return offer;
  const price = roundTo(offer.price, digits);
  if (price === offer.price || !Number.isFinite(price)) return offer;
  const out = { ...offer, price, originalPrice: offer.price, originalCurrency: offer.currency };
  exactPrices.set(out, withoutNoise(offer.price));
  return out;
}
