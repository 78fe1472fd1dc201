/** Currency amounts for people: Intl where it knows the code, a plain fallback where it doesn't. */

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

/** `formatMoney(1234.5, 'USD')` → `$1,234.50`; an invalid code falls back to `1234.50 ZZ1`. */
export function formatMoney(amount: number, currency: string): string {
  const formatter = formatterFor(currency);
  return formatter ? formatter.format(amount) : `${amount.toFixed(2)} ${currency}`;
}
