import { describe, expect, it } from 'vitest';
import { renderCsv } from '../../src/render/csv.js';
import { emptyFixture, fixture } from './fixture.js';

// Snapshots would otherwise hold raw controls (and drop \r): show CR as ␍ and other controls as escapes.
const showControls = (text: string): string =>
  text
    .replaceAll('\r', '␍')
    .replace(
      /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );

describe('renderCsv', () => {
  // A field that no offer has a value for (a library caller's `{ note: undefined }`) is no column.
  it('has no column for an extra field that is undefined on every offer', () => {
    const result = fixture();
    result.offers = result.offers.map((o) => ({ ...o, note: undefined }));
    expect(renderCsv(result).split('\r\n')[0]).not.toContain('note');
  });

  it('uses CRLF line endings and a header of every field present', () => {
    const text = renderCsv(fixture());
    const header = text.slice(0, text.indexOf('\r\n'));
    expect(header).toBe(
      'rank,source,title,price,currency,url,originalPrice,originalCurrency,unconverted,stops,carrier,legs',
    );
    expect(text.endsWith('\r\n')).toBe(true);
    // Header + 5 rows; the title's embedded LF stays inside its quoted field rather than ending a record.
    expect(text.split('\r\n')).toHaveLength(7);
  });

  it('neutralises formulas and quotes commas, quotes and newlines', () => {
    const text = renderCsv(fixture());
    expect(text).toContain(`2,usfly,"'=HYPERLINK(""http://evil.example"",""click"")",92.14,`);
    // Behind spaces too (a vendor's tab or CR is a space once cleaned), which some importers trim.
    // And full-width `＝＋－＠`, which Excel in an East Asian locale takes for `=+-@`, behind an ideographic space too.
    for (const title of [' =1+1', '\t=1+1', '   @SUM(A1)', '＝1+1', '＋1+1', '－1+1', '＠SUM(A1)', '\u3000＝1+1'])
      expect(renderCsv({ ...fixture(), offers: [{ ...fixture().offers[0], title }] } as never)).toContain(
        `,'${title},`,
      );
    expect(text).toContain('"Window seat, ""premium"" economy"');
    expect(text).toContain('"Red\x1b[31m alert\x9b2J \u202eevil\nsecond line"');
  });

  it('quotes a cell with a `;`, which splits it into two where `;` is the list separator, the second a formula', () => {
    const offers = [{ ...fixture().offers[0], title: 'a;=1+1', carrier: 'x; @SUM(A1)' }];
    const row = renderCsv({ ...fixture(), offers } as never).split('\r\n')[1];
    expect(row).toContain(',"a;=1+1",');
    expect(row).toContain(',"x; @SUM(A1)"');
  });

  it('writes numbers as numbers, but neutralises strings that look like them', () => {
    const result = emptyFixture();
    result.offers = [
      { rank: 1, source: 's', title: '-1+1', price: -5, currency: 'EUR', note: '@SUM(A1)', tab: '\tx', cr: '\rx' },
    ];
    expect(renderCsv(result).split('\r\n')[1]).toBe(`1,s,'-1+1,-5,EUR,,,,,'@SUM(A1),'\tx,"'\rx"`);
  });

  it('writes a field that is Infinity or NaN as an empty cell, as JSON writes null: `-Infinity` would be a formula', () => {
    const offers = [
      { rank: 1, source: 's', title: 't', price: 1, currency: 'USD', perStop: Infinity, neg: -Infinity, odd: NaN },
    ];
    const text = renderCsv({ ...fixture(), offers, fields: ['perStop', 'neg', 'odd'] } as never);
    expect(text.split('\r\n')[1]).toBe('1,s,t,1,USD,,,,,,,');
    expect(JSON.parse(JSON.stringify(offers[0]))).toMatchObject({ perStop: null, neg: null, odd: null });
  });

  it('writes a boolean as true or false, and a bigint (a library caller’s) as its digits', () => {
    const result = emptyFixture();
    result.offers = [{ rank: 1, source: 's', title: 't', price: 1, currency: 'USD', yes: true, no: false, big: 12n }];
    expect(renderCsv(result).split('\r\n')[1]).toBe('1,s,t,1,USD,,,,,true,false,12');
  });

  it('writes a null field as an empty cell, as it writes a missing one, not as the text null', () => {
    const result = emptyFixture();
    result.offers = [{ rank: 1, source: 's', title: 't', price: 1, currency: 'USD', seller: null, stock: 3 }];
    expect(renderCsv({ ...result, fields: ['seller', 'stock'] }).split('\r\n')[1]).toBe('1,s,t,1,USD,,,,,,3');
  });

  it('writes arrays and objects as compact JSON', () => {
    const text = renderCsv(fixture());
    expect(text).toContain(',"[""UA"",""LH""]"');
    expect(text).toContain(',"{""out"":""LIS"",""back"":""OPO""}"');
  });

  it('keeps its header from run to run: the searched sources’ fields, answered or not, and the conversion columns', () => {
    // A cron job appends each run to one file: a source that failed today must not shift the columns.
    const fields = ['stops', 'carrier', 'legs', 'cabin'];
    const header = (text: string) => text.slice(0, text.indexOf('\r\n'));
    const full = renderCsv({ ...fixture(), fields });
    const none = renderCsv({ ...emptyFixture(), fields });
    const one = renderCsv({ ...fixture(), offers: fixture().offers.slice(0, 1), fields });
    expect(header(full)).toBe(
      'rank,source,title,price,currency,url,originalPrice,originalCurrency,unconverted,stops,carrier,legs,cabin',
    );
    expect(header(none)).toBe(header(full));
    expect(header(one)).toBe(header(full));
    // A field no searched source maps (a result built by hand) still gets a column, after the others.
    const extra = renderCsv({ ...fixture(), fields: ['carrier'] });
    expect(header(extra)).toBe(
      'rank,source,title,price,currency,url,originalPrice,originalCurrency,unconverted,carrier,stops,legs',
    );
  });

  it('gives a field named twice in `fields`, or one of the leading columns, no second column', () => {
    // A library caller's own `fields`: two searches' concatenated, or a source's every mapped name.
    const text = renderCsv({ ...fixture(), fields: ['carrier', 'price', 'carrier', 'unconverted', 'stops'] });
    const [header, first] = text.split('\r\n');
    expect(header).toBe(
      'rank,source,title,price,currency,url,originalPrice,originalCurrency,unconverted,carrier,stops,legs',
    );
    expect(first?.split(',').length).toBe(header?.split(',').length);
  });

  it('defends header cells as it does values: a library caller’s offer may carry any key', () => {
    const offers = [{ source: 's', title: 't', price: 1, currency: 'USD', '=HYPERLINK("x")': 1, 'a,b': 2 }];
    const header = renderCsv({ ...emptyFixture(), offers } as never).split('\r\n')[0];
    expect(header?.endsWith(`,"'=HYPERLINK(""x"")","a,b"`)).toBe(true);
  });

  it('writes only the header when there are no offers', () => {
    expect(renderCsv(emptyFixture())).toBe(
      'rank,source,title,price,currency,url,originalPrice,originalCurrency,unconverted\r\n',
    );
  });

  it('renders the fixture', () => {
    expect(showControls(renderCsv(fixture()))).toMatchInlineSnapshot(`
      "rank,source,title,price,currency,url,originalPrice,originalCurrency,unconverted,stops,carrier,legs␍
      1,skyfare,Lisbon direct,89.5,EUR,https://skyfare.example/o/1,,,,0,TP,␍
      2,usfly,"'=HYPERLINK(""http://evil.example"",""click"")",92.14,EUR,https://usfly.example/deal?id=2&ref=agg,99.99,USD,,1,"[""UA"",""LH""]",␍
      3,evilco,"Red\\u001b[31m alert\\u009b2J \\u202eevil
      second line",-5,EUR,https://evil.example/x,,,,2,XX,"{""out"":""LIS"",""back"":""OPO""}"␍
      4,quoteshop,"Window seat, ""premium"" economy",1234.5,EUR,https://quote.example/4,1500,CHF,,,,␍
      5,yenair,Tokyo via Lisbon,12000,JPY,https://yen.example/5,,,true,1,,␍
      "
    `);
  });
});
