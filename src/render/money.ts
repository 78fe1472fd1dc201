/** Currency amounts for people: Intl where it knows the code, a plain fallback where it doesn't. */

import { cellClean } from './table-rules.js';

// Building a NumberFormat is far slower than using one, and a table formats every row; `null` caches a refusal.
const formatters = new Map<string, Intl.NumberFormat | null>();

function formatterFor(currency: string): Intl.NumberFormat | null {
  let formatter = formatters.get(currency);
  if (formatter === undefined) {
    try {
      formatter = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    } catch {
      // Vendor data can carry any code; Intl throws RangeError on malformed ones, and a price must still print.
      formatter = null;
    }
    formatters.set(currency, formatter);
  }
  return formatter;
}

/**
 * From here on an amount is written in scientific notation (`$1.80E308`): a vendor's 1e308 written out
 * in full is over 400 characters, which no table cell can hold and no price cell may be cut from.
 */
const SCIENTIFIC_FROM = 1e15;

const scientific = new Map<string, Intl.NumberFormat | null>();

function scientificFor(currency: string): Intl.NumberFormat | null {
  let formatter = scientific.get(currency);
  if (formatter === undefined) {
    try {
      formatter = new Intl.NumberFormat('en-US', {
        style: 'currency',
        currency,
        notation: 'scientific',
        maximumFractionDigits: 2,
      });
    } catch {
      formatter = null;
    }
    scientific.set(currency, formatter);
  }
  return formatter;
}

/**
 * `formatMoney(1234.5, 'USD')` → `$1,234.50`; an invalid code falls back to `1234.50 ZZ1`; amounts of
 * SCIENTIFIC_FROM and over as `$1.23E18`. Negative zero is written as zero.
 */
export function formatMoney(amount: number, currency: string): string {
  const value = amount === 0 ? 0 : amount;
  if (Math.abs(value) >= SCIENTIFIC_FROM) {
    const formatter = scientificFor(currency);
    return formatter ? formatter.format(value) : `${value.toExponential(2)} ${currency}`;
  }
  const formatter = formatterFor(currency);
  return formatter ? formatter.format(value) : `${value.toFixed(2)} ${currency}`;
}

/**
 * Longest currency text shown beside an amount. A code Intl does not know is written out as the vendor
 * sent it (`5.00 US DOLLARS`): a mapping's `currency: description` made every table row wider than the
 * terminal, and the spinner's one line (`best so far …`) as long as the vendor's code.
 */
const MAX_CODE = 12;

/**
 * formatMoney for a terminal: the vendor's code cleaned like any vendor text in a table cell, and cut to
 * MAX_CODE (cleaned first, then cut, so that no control character's `<U+…>` makes it long again).
 */
export function shownMoney(amount: number, currency: string): string {
  const code = [...cellClean(currency)];
  const shown = code.length > MAX_CODE ? `${code.slice(0, MAX_CODE - 1).join('')}…` : currency;
  return cellClean(formatMoney(amount, shown));
}
