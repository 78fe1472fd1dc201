/** The demo's exchange rates, shared by its shops and its airlines. */

/** USD per unit of each currency, the same as in sources.example.yaml, so conversions line up. */
export const DEMO_RATES: Readonly<Record<string, number>> = { USD: 1, EUR: 1.08, GBP: 1.27 };

/** A USD amount in `currency` (USD, EUR or GBP). */
export const fromUsd = (usd: number, currency: string): number => usd / (DEMO_RATES[currency] ?? 1);
