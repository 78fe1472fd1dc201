/**
 * An offer from a mapped item's values (a JSONata object, or a fast-path row): a usable price, a
 * currency code, cleaned text, and the extra fields as own data properties; or why the item is dropped.
 */

import { isRecord } from '../shared/is-record.js';
import { withoutNoise } from '../shared/price-noise.js';
import { cleanText, cleanValue } from '../shared/sanitize.js';
import { ALSO_AT, NO_CURRENCY, type Offer } from '../types.js';
import { MappingError } from './error.js';
import { COMMON, type Layout, numberReads } from './fast.js';

/** Keys the offer model owns (`alsoAt` is --distinct's, `type` an NDJSON line's kind); a mapping may not produce them. */
export const RESERVED_FIELDS = [
  'rank',
  'source',
  'originalPrice',
  'originalCurrency',
  'unconverted',
  'type',
  ALSO_AT,
] as const;

// Not String(v) for objects: a vendor's `{"toString": "x"}` would make it throw. An object goes through
// cleanValue first, for its depth limit: JSON.stringify of a title nested 100,000 deep overflowed the stack.
const asText = (v: unknown): string =>
  v === undefined || v === null ? '' : typeof v === 'object' ? (JSON.stringify(cleaned('title', v)) ?? '') : String(v);

/**
 * One item's value nested past cleanValue's depth limit: that item is dropped, and the row names the
 * field. It is the vendor's data, not the mapping's mistake: one hostile item failed the whole source.
 */
class DroppedItem extends Error {}

/** cleanValue, with its depth limit as a DroppedItem naming the offer field `key`. */
function cleaned(key: string, v: unknown): unknown {
  try {
    return cleanValue(v);
  } catch (err) {
    if (err instanceof RangeError) throw new DroppedItem(`fields.${key}: ${err.message}`);
    throw err;
  }
}

/** Why an item is dropped, when building its offer threw a DroppedItem; any other error is thrown on. */
export function droppedWhy(err: unknown): string {
  if (err instanceof DroppedItem) return err.message;
  throw err;
}

/**
 * Why a price is not usable, for the source's row: without it, `dropped 3 items without a usable price`
 * leaves a newcomer guessing whether the path is wrong or the vendor sends text (`"12.50"`).
 */
export function priceProblem(price: unknown): string {
  const what =
    price === undefined
      ? 'no value; is the path right?'
      : typeof price === 'string'
        ? // Whole: gather cuts the message after redaction; a cut here could leave half of an echoed secret.
          `${JSON.stringify(price)} is text, not a number; ${textPriceFix(price)}`
        : typeof price === 'number'
          ? `${price} is ${Number.isFinite(price) ? 'below zero' : 'not a finite number'}`
          : `${price === null ? 'null' : Array.isArray(price) ? 'a list' : typeof price === 'object' ? 'an object' : typeof price}, not a number`;
  return `fields.price: ${what}`;
}

/**
 * The fix for a text price: $number() only for text it reads. `$number("USD")` throws, so for a path
 * that found the currency, or a vendor's `"n/a"`, that advice sent the reader the wrong way.
 */
function textPriceFix(text: string): string {
  if (numberReads(text)) return 'wrap it in $number()';
  if (!/[0-9]/.test(text)) return 'is the path right?';
  // "12,50", "$12.50", "1 299": digits $number() cannot read as written; any rewrite is the vendor's format.
  return '$number() reads only digits with a `.` (12.50), so turn it into that first';
}

/**
 * A link with a scheme other than http(s): `javascript:alert(1)`, `data:text/html,…`, `file:///etc/passwd`.
 * Printed, it is only text; but `--json` feeds reports and bots that make links of it, where it runs. The
 * offer stays, without its `url`. A relative link (`/p/2`) has no scheme and is kept as the vendor wrote
 * it. Leading spaces are skipped as a browser skips them (WHATWG URL); a regular expression,
 * not `new URL()`, which cost ~2 µs an offer on a path that maps 20,000 (issue #7).
 */
const OTHER_SCHEME = /^[\x00-\x20]*(?!https?:)[a-z][a-z\d+.-]*:/i;

/**
 * Characters that print as nothing (U+200B, a byte order mark, a bidi mark): in a currency code they are
 * no part of it. `EUR` with a zero-width space had no rate, and the warning read `no rate for EUR` beside
 * the EUR rate it had.
 */
const FORMAT_CHARACTERS = /\p{Cf}/gu;

/** A vendor's currency as a code, or '' for none: one of only such characters is none, as a blank one is. */
const currencyCode = (currency: unknown): string =>
  typeof currency === 'string' ? cleanText(currency.replace(FORMAT_CHARACTERS, '')).trim().toUpperCase() : '';

/** A usable price: a finite number, not below zero (a negative price would top every ranking). */
const usablePrice = (price: unknown): price is number =>
  typeof price === 'number' && Number.isFinite(price) && price >= 0;

/**
 * A currency that is there but is no code: a list (`legs.currency` over two legs gives
 * `["EUR", "EUR"]`), a number, an object. Taken as "no currency", the source's fallback would rank
 * €100 as $100 without a word; such an item is dropped, and the row says why.
 */
const badCurrency = (currency: unknown): boolean =>
  currency !== undefined && currency !== null && typeof currency !== 'string';

/** Why an item baseOffer refused was dropped: its price, else its currency. */
export function dropReason(price: unknown, currency: unknown): string {
  if (!usablePrice(price)) return priceProblem(price);
  const what = Array.isArray(currency) ? 'a list' : typeof currency === 'object' ? 'an object' : typeof currency;
  return `fields.currency: ${what}, not a currency code`;
}

/**
 * The common-model part of an offer, or undefined without a usable price, or with a currency that is
 * no code (badCurrency).
 */
function baseOffer(
  title: unknown,
  price: unknown,
  currency: unknown,
  url: unknown,
  source: string,
  fallbackCurrency: string | undefined,
): Offer | undefined {
  // A title is refused as the extras are; asText cleans it.
  refuseFunction('title', title);
  if (!usablePrice(price) || badCurrency(currency)) {
    // `price: $number` (the call left out) is the mapping's mistake, as in any field: not an item to drop.
    refuseFunction('price', price);
    refuseFunction('currency', currency);
    return undefined;
  }
  const offer: Offer = {
    source,
    title: cleanText(asText(title)),
    // -0 (a vendor's `-0.0`) is 0: it would print as `-$0.00`, and in JSON as 0. A computed price has
    // no binary noise: 543.21 + 112.34 shows as $655.55, and `--where 'price <= 655.55'` must keep it.
    price: price === 0 ? 0 : withoutNoise(price),
    currency: currencyCode(currency) || (fallbackCurrency ?? NO_CURRENCY),
  };
  // Several links (`links`, a path over a list) give the first: the item had a link, and lost it without a word.
  const first = Array.isArray(url) ? url.find((u) => typeof u === 'string' && u !== '') : url;
  if (typeof first === 'string' && first) {
    // Spaces around it are no part of a link (a browser drops them too).
    const link = cleanText(first).trim();
    if (link && !OTHER_SCHEME.test(link)) offer.url = link;
  } else refuseFunction('url', url);
  return offer;
}

/**
 * Sets one extra field on an offer freshly made by baseOffer, as an own data property: no key can
 * reach a prototype. Only `__proto__` would (the one accessor on Object.prototype), so it alone is
 * defined; every other key is assigned, which on a fresh plain object makes the same own property
 * about ten times faster than defineProperty or a spread copy (issue #7: 20,000 offers a search).
 */
function setExtra(offer: Offer, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(offer, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    (offer as Record<string, unknown>)[key] = value;
  }
}

/**
 * A JSONata function as a field's value (`$uppercase` without its call, a `function($x){…}`): no offer can
 * hold one, and a lambda's environment is cyclic (it failed as "nested deeper than 100 levels").
 */
const isFunctionValue = (v: unknown): boolean =>
  typeof v === 'function' || (isRecord(v) && (v._jsonata_lambda === true || v._jsonata_function === true));

/**
 * `v` as the offer's field `key`, cleaned. A function is the mapping's own mistake, the same for every
 * item: the source fails, naming the field.
 */
function fieldValue(key: string, v: unknown): unknown {
  refuseFunction(key, v);
  return cleaned(key, v);
}

/** Throws, naming the field, when `v` is a function (isFunctionValue). */
function refuseFunction(key: string, v: unknown): void {
  if (isFunctionValue(v))
    throw new MappingError(`fields.${key}`, 'gives a function, not a value; call it, as in `$uppercase(title)`');
}

/** An offer from a JSONata item: the common fields, then the others in the item's order. */
export function toOffer(
  item: Record<string, unknown>,
  source: string,
  fallbackCurrency: string | undefined,
): Offer | undefined {
  const offer = baseOffer(item.title, item.price, item.currency, item.url, source, fallbackCurrency);
  if (!offer) return undefined;
  for (const k of Object.keys(item)) {
    const v = item[k];
    if (v !== undefined && !(COMMON as readonly string[]).includes(k)) setExtra(offer, k, fieldValue(k, v));
  }
  return offer;
}

/** A row's value at `i`, where -1 is a common field the mapping does not have. */
export const cell = (row: readonly unknown[], i: number): unknown => (i < 0 ? undefined : row[i]);

/** The same from a fast-path row; its extras come in field order, as JSONata's object has them. */
export function rowToOffer(
  row: readonly unknown[],
  at: Layout,
  source: string,
  fallbackCurrency: string | undefined,
): Offer | undefined {
  const offer = baseOffer(
    cell(row, at.title),
    cell(row, at.price),
    cell(row, at.currency),
    cell(row, at.url),
    source,
    fallbackCurrency,
  );
  if (!offer) return undefined;
  // An index loop, without destructuring: both allocate at every step in cold code (see fastRows).
  const { extras } = at;
  for (let k = 0; k < extras.length; k++) {
    const extra = extras[k] as readonly [number, string];
    const v = row[extra[0]];
    if (v !== undefined) setExtra(offer, extra[1], fieldValue(extra[1], v));
  }
  return offer;
}
