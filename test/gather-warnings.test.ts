/** The warnings a run ends with about currencies (src/gather/currency-warnings.ts), from the offers themselves. */
import { describe, expect, it } from 'vitest';
import { commonCurrency, noteUnconverted } from '../src/gather/currency-warnings.js';
import type { Offer } from '../src/types.js';

const offer = (source: string, currency: string, unconverted = true): Offer => ({
  source,
  title: `${source} ${currency}`,
  price: 1,
  currency,
  ...(unconverted ? { unconverted: true } : {}),
});

/** noteUnconverted's warnings for these listed offers, nothing cut by a limit. */
function unconverted(listed: Offer[]): string[] {
  const warnings: string[] = [];
  noteUnconverted(listed, listed, 'USD', { byPrice: true, listedLast: false }, warnings);
  return warnings;
}

describe('currency warnings', () => {
  it('gives each code with no rate its line up to five codes, and one line for six or more', () => {
    const codes = ['AAA', 'BBB', 'CCC', 'DDD', 'EEE', 'FFF'];
    const five = unconverted(codes.slice(0, 5).map((c) => offer(`shop-${c}`, c)));
    expect(five).toEqual(codes.slice(0, 5).map((c) => `no rate for ${c} to USD: those offers are unconverted`));
    const six = unconverted(codes.map((c) => offer(`shop-${c}`, c)));
    expect(six).toEqual(['no rate for AAA, BBB, CCC, DDD, EEE and 1 more to USD: those offers are unconverted']);
  });

  it("counts the listed codes' lines towards the five: with five listed, the codes a limit cut share one line", () => {
    const listed = ['AAA', 'BBB', 'CCC', 'DDD', 'EEE'].map((c) => offer(`shop-${c}`, c));
    const cut = ['FFF', 'GGG'].map((c) => offer(`shop-${c}`, c));
    const warnings: string[] = [];
    noteUnconverted(listed, [...listed, ...cut], 'USD', { byPrice: true, listedLast: false }, warnings);
    expect(warnings).toHaveLength(6);
    expect(warnings[5]).toBe(
      'no rate for FFF, GGG to USD: those offers are grouped by currency, as amounts in different currencies do not compare, and the limit left them out',
    );
  });

  it('ranks in the currency most listed offers use, and says when the offers judged came in several', () => {
    const listed = [offer('a', 'EUR', false), offer('b', 'GBP', false), offer('c', 'GBP', false)];
    const warnings: string[] = [];
    expect(commonCurrency(listed, new Set(['EUR', 'GBP']), warnings)).toBe('GBP');
    expect(warnings).toEqual([
      'offers come in EUR, GBP; set `currency` and `rates` in the sources file to rank them together',
    ]);
    // One currency judged is nothing to say.
    expect(commonCurrency(listed.slice(1), new Set(['GBP']), [])).toBe('GBP');
  });
});
