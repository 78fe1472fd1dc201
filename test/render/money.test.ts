import { describe, expect, it } from 'vitest';
import { formatMoney, shownMoney } from '../../src/render/money.js';

describe('formatMoney', () => {
  it('uses Intl symbols and each currency’s own decimals', () => {
    expect(formatMoney(1234.5, 'USD')).toBe('$1,234.50');
    expect(formatMoney(89.5, 'EUR')).toBe('€89.50');
    expect(formatMoney(12000, 'JPY')).toBe('¥12,000');
    expect(formatMoney(-5, 'EUR')).toBe('-€5.00');
  });

  it('writes negative zero as zero, and a huge amount in scientific notation that fits a cell', () => {
    expect(formatMoney(-0, 'USD')).toBe('$0.00');
    expect(formatMoney(999_999_999_999.99, 'USD')).toBe('$999,999,999,999.99');
    expect(formatMoney(Number.MAX_VALUE, 'USD')).toBe('$1.80E308');
    expect(formatMoney(1e18, 'JPY')).toBe('¥1E18');
    expect(formatMoney(1.5e20, 'ZZ1')).toBe('1.50e+20 ZZ1');
    // From 1e15 on, in either sign: written out, -1e20 is as long as 1e20.
    expect(formatMoney(1e15, 'USD')).toBe('$1.00E15');
    expect(formatMoney(-1.5e20, 'USD')).toBe('-$1.50E20');
  });

  it('writes a code of 12 characters whole, and cuts one longer', () => {
    expect(shownMoney(5, 'ABCDEFGHIJKL')).toBe('5.00 ABCDEFGHIJKL');
    expect(shownMoney(5, 'ABCDEFGHIJKLM')).toBe('5.00 ABCDEFGHIJK…');
  });

  it('falls back to "amount CODE" for a code Intl rejects, without throwing', () => {
    expect(formatMoney(123.456, 'ZZ1')).toBe('123.46 ZZ1');
    expect(formatMoney(1, '')).toBe('1.00 ');
    // Cached refusals must keep falling back, not start throwing.
    expect(formatMoney(2, 'ZZ1')).toBe('2.00 ZZ1');
  });
});
