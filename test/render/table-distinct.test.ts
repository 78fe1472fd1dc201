/** The table under `--distinct`: `kiwi +3` beside the source, kept through a cut, and the note on it. */
import { describe, expect, it } from 'vitest';
import { renderTable } from '../../src/render/table.js';
import type { Offer, SearchResult } from '../../src/types.js';
import { fixture } from './fixture.js';

const also = (n: number) => Array.from({ length: n }, (_, i) => ({ source: `v${i}`, price: 700 + i, currency: 'USD' }));
const offer = (source: string, title: string, price: number, folded: number): Offer => ({
  source,
  title,
  price,
  currency: 'USD',
  alsoAt: also(folded),
});
const resultOf = (offers: Offer[], distinct = ['title']): SearchResult => ({
  ...fixture(),
  currency: 'USD',
  offers: offers.map((o, i) => ({ ...o, rank: i + 1 })),
  distinct,
});
const rows = (text: string) => text.split('\n').filter((line) => line.startsWith('│ ') && !line.startsWith('│ #'));

describe('the table under --distinct', () => {
  it('counts beside the source where else each offer was, and says what the count is', () => {
    const text = renderTable(
      resultOf([offer('kiwi', 'LH 673', 637, 3), offer('amadeus', 'B6 1279', 652, 0)], ['carrier', 'departure']),
      { color: false },
    );
    expect(rows(text)).toEqual(['│ 1 │ $637.00 │ LH 673  │ kiwi +3 │', '│ 2 │ $652.00 │ B6 1279 │ amadeus │']);
    expect(text.endsWith('\n+N: N more offers with the same carrier, departure (alsoAt in --json)\n')).toBe(true);
  });

  it('cuts a long source name before its count, which a cut at the end would lose', () => {
    const title = 'JFK → LHR · LH 673 + LH 1187, with a long fare name';
    const text = renderTable(resultOf([offer('skyscanner_marketplace', title, 637, 12)]), { width: 40, color: false });
    const [row] = rows(text);
    expect(row).toMatch(/│ sky\S*… \+12 │$/);
    expect(row?.length).toBeLessThanOrEqual(40);
  });

  it('has no count and no note when no offer was folded into another', () => {
    const text = renderTable(resultOf([offer('kiwi', 'LH 673', 637, 0)]), { color: false });
    expect(rows(text)).toEqual(['│ 1 │ $637.00 │ LH 673 │ kiwi   │']);
    expect(text).not.toContain('+N');
  });
});
