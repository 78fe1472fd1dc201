import { describe, expect, it } from 'vitest';
import { renderTable } from '../../src/render/table.js';
import { CONTROL, fixture } from './fixture.js';

// A converted offer's `originalCurrency` is the vendor's text. From a sources file it is one with a rate, so a
// code (test/original-price.test.ts); the library's renderTable takes any result, so it is cleaned here too.
describe('the original column with a hostile currency', () => {
  it('cleans the vendor’s code as the price column does: no control character, no column rule', () => {
    const result = fixture();
    result.offers = result.offers.map((o, i) => (i === 1 ? { ...o, originalPrice: 7, originalCurrency: 'G│\x1b' } : o));
    const text = renderTable(result, { color: false });
    expect(text).not.toMatch(CONTROL);
    expect(text).toContain('│ 7.00 G<U+2502>␛ │');
    const rows = text.split('\n').filter((line) => line.startsWith('│'));
    for (const row of rows) expect(row.match(/│/g)?.length, row).toBe(rows[0]?.match(/│/g)?.length);
  });

  it('cuts a code that is no code to 12 characters, as the never-cut price column does', () => {
    const result = fixture();
    result.offers = result.offers.map((o, i) =>
      i === 1 ? { ...o, originalPrice: 7, originalCurrency: 'POUNDS STERLING INCL. VAT' } : o,
    );
    const text = renderTable(result, { width: 200, color: false });
    expect(text).toContain('│ 7.00 POUNDS STER… │');
  });
});
