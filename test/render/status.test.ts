import { describe, expect, it } from 'vitest';
import { renderStatusRows, renderSummary, renderWarnings } from '../../src/render/status.js';
import { CONTROL, fixture } from './fixture.js';

describe('status lines', () => {
  it('lists each non-ok source, aligned, with cleaned error text', () => {
    const text = renderStatusRows(fixture().sources);
    expect(text).not.toMatch(CONTROL);
    expect(text).toMatchInlineSnapshot(`
      "  usfly     ok         dropped 3 items without a usable price
        brokenco  error      HTTP 500␛[2J: GET https://broken.example/search
        slowco    timeout    no response within 2s: GET https://slow.example/search
        keyless   skipped    requires: API_KEY
        late      cancelled  cancelled: first offer won
      "
    `);
  });

  it('counts cancelled sources without a plural s, and cleans a source name', () => {
    const cancelled = { name: 'a', status: 'cancelled' as const, ms: 1, attempts: 1, offers: 0 };
    const result = { ...fixture(), offers: [], elapsedMs: 1000, sources: [cancelled, { ...cancelled, name: 'b' }] };
    expect(renderSummary(result)).toBe('2 sources · 0 ok · 2 cancelled · 0 offers · 1.00s\n');
    const named = { ...cancelled, name: 'x\u001b[2Jy', error: 'gone' };
    expect(renderStatusRows([named])).not.toMatch(CONTROL);
  });

  it('lists a hedged source, and every source when asked for all (--verbose)', () => {
    const ok = { name: 'plain', status: 'ok' as const, ms: 20, attempts: 1, offers: 2 };
    const hedged = { ...ok, name: 'tail', attempts: 2, hedged: true as const };
    expect(renderStatusRows([ok, hedged])).toBe('  tail  ok         hedged: a duplicate request was sent\n');
    expect(renderStatusRows([ok, hedged], { all: true })).toBe(
      '  plain  ok\n  tail   ok         hedged: a duplicate request was sent\n',
    );
  });

  it('leaves unfilled fields to the warnings: an ok row with nothing else to say is not listed', () => {
    const ok = { name: 'one', status: 'ok' as const, ms: 20, attempts: 1, offers: 2 };
    expect(renderStatusRows([{ ...ok, unfilled: ['title', 'url'] }])).toBe('');
    expect(renderStatusRows([{ ...ok, unfilled: [] }], { all: true })).toBe('  one  ok\n');
  });

  it('says item for one dropped item, and lists an ok source with only a note', () => {
    const ok = { name: 'one', status: 'ok' as const, ms: 20, attempts: 1, offers: 2 };
    expect(renderStatusRows([{ ...ok, dropped: 1 }])).toBe('  one  ok         dropped 1 item without a usable price\n');
    expect(renderStatusRows([{ ...ok, note: '`offers` found nothing' }])).toBe(
      '  one  ok         `offers` found nothing\n',
    );
  });

  it('lists an ok source with duplicates across pages, saying duplicate for one', () => {
    const ok = { name: 'one', status: 'ok' as const, ms: 20, attempts: 3, offers: 2 };
    expect(renderStatusRows([{ ...ok, duplicates: 1 }])).toBe('  one  ok         1 duplicate across pages\n');
    expect(renderStatusRows([{ ...ok, dropped: 1, duplicates: 2 }])).toBe(
      '  one  ok         dropped 1 item without a usable price; 2 duplicates across pages\n',
    );
  });

  it('is empty when every source succeeded', () => {
    expect(
      renderStatusRows(
        fixture()
          .sources.slice(0, 2)
          .map(({ dropped, ...s }) => s),
      ),
    ).toBe('');
  });

  it('summarises counts, omitting zeros except ok', () => {
    expect(renderSummary(fixture())).toMatchInlineSnapshot(`
      "9 sources · 5 ok · 1 error · 1 timeout · 1 cancelled · 1 skipped · 5 offers · 1.84s
      "
    `);
    const allOk = { ...fixture(), sources: fixture().sources.slice(0, 1), offers: [] };
    expect(renderSummary(allOk)).toBe('1 source · 1 ok · 0 offers · 1.84s\n');
    const noneOk = { ...fixture(), sources: fixture().sources.slice(5, 7) };
    expect(renderSummary(noneOk)).toBe('2 sources · 0 ok · 1 error · 1 timeout · 5 offers · 1.84s\n');
  });

  it('prefixes and cleans warnings', () => {
    expect(renderWarnings(fixture().warnings)).toMatchInlineSnapshot(`
      "warning: usfly: dropped 3 items without a price
      warning: evil␛]0;pwned␇ warning
      "
    `);
  });
});
