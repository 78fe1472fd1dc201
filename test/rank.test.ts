import { describe, expect, it, vi } from 'vitest';
import { convert, decimalsOf, KNOWN_MINOR_UNITS, rateBetween, toCents } from '../src/rank/convert.js';
import { rank } from '../src/rank/index.js';
import type { Offer } from '../src/types.js';

const rates = { base: 'USD', rates: { EUR: 1.1, GBP: 1.3 } };
const offer = (source: string, price: number, currency: string, extra: Partial<Offer> = {}): Offer => ({
  source,
  title: `${source} ${price}`,
  price,
  currency,
  ...extra,
});

describe('currency conversion', () => {
  it('converts through the base currency, and back out of it', () => {
    expect(rateBetween('EUR', 'USD', rates)).toBe(1.1);
    expect(rateBetween('USD', 'EUR', rates)).toBeCloseTo(1 / 1.1);
    expect(rateBetween('GBP', 'EUR', rates)).toBeCloseTo(1.3 / 1.1);
    expect(rateBetween('JPY', 'USD', rates)).toBeUndefined();
    // A currency is itself at 1, rate or none.
    expect(rateBetween('JPY', 'JPY', rates)).toBe(1);
  });

  it('keeps the vendor price as originalPrice and rounds the converted one to cents', () => {
    expect(convert(offer('a', 100, 'EUR'), 'USD', rates)).toMatchObject({
      price: 110,
      currency: 'USD',
      originalPrice: 100,
      originalCurrency: 'EUR',
    });
    expect(convert(offer('a', 227.26, 'EUR'), 'USD', rates).price).toBe(249.99);
    expect(String(toCents(249.99 * 1))).toBe('249.99');
  });

  it('rounds a converted price to the target currency’s minor units: none for JPY, three for KWD', () => {
    const fx = { base: 'USD', rates: { JPY: 0.0067, KWD: 3.25 } };
    expect(convert(offer('a', 10, 'USD'), 'JPY', fx).price).toBe(1493);
    expect(convert(offer('a', 10, 'USD'), 'KWD', fx).price).toBe(3.077);
    expect(convert(offer('a', 10, 'USD'), 'EUR', { base: 'USD', rates: { EUR: 1.1 } }).price).toBe(9.09);
  });

  it('knows the minor units of the common codes as Intl does, without asking it', () => {
    // Codes no other test here converts to: a NumberFormat made for them would be this lookup's own.
    const made = vi.spyOn(Intl, 'NumberFormat');
    try {
      expect([decimalsOf('PLN'), decimalsOf('KRW')]).toEqual([2, 0]);
      expect(made).not.toHaveBeenCalled();
    } finally {
      made.mockRestore();
    }
    for (const [code, digits] of Object.entries(KNOWN_MINOR_UNITS)) {
      const intl = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions();
      expect([code, digits]).toEqual([code, intl.maximumFractionDigits]);
    }
  });

  it('leaves an offer already in the target currency as it is, and writes an unknown code with 2 decimals', () => {
    const usd = offer('a', 10.5, 'USD');
    expect(convert(usd, 'USD', rates)).toBe(usd);
    expect(decimalsOf('JPY')).toBe(0);
    // Intl refuses a code that is not three letters: a price in it is still written, with cents.
    expect(decimalsOf('US DOLLARS')).toBe(2);
  });

  it('writes an offer already in the target currency to its minor units, as a converted one, and ranks it exactly', () => {
    // $10.003 stayed whole beside a converted €9.095 (10.0045) shown as $10.00: JSON listed 10.003
    // above 10, and --where on `price` kept the dearer one.
    const usd = convert(offer('usd', 10.003, 'USD'), 'USD', rates);
    expect(usd).toMatchObject({ price: 10, currency: 'USD', originalPrice: 10.003, originalCurrency: 'USD' });
    const eur = convert(offer('eur', 9.095, 'EUR'), 'USD', { base: 'USD', rates: { EUR: 1.1 } });
    expect(eur.price).toBe(10);
    expect(rank([eur, usd], { field: 'price', desc: false }).map((o) => o.source)).toEqual(['usd', 'eur']);
    expect(convert(offer('yen', 1499.5, 'JPY'), 'JPY', rates)).toMatchObject({ price: 1500, originalPrice: 1499.5 });
  });

  it('ranks an offer in the ranking currency by its exact amount, under one that shows the same', () => {
    // $9.996 shows as $10.00 beside a plain $10.00 listed before it, and is the cheaper of the two.
    const plain = convert(offer('plain', 10, 'USD'), 'USD', rates);
    const milli = convert(offer('milli', 9.996, 'USD'), 'USD', rates);
    expect([plain.price, milli.price]).toEqual([10, 10]);
    expect(rank([plain, milli], { field: 'price', desc: false }).map((o) => o.source)).toEqual(['milli', 'plain']);
    expect(rank([milli, plain], { field: 'price', desc: true }).map((o) => o.source)).toEqual(['plain', 'milli']);
  });

  it('leaves an offer already in minor units as it is, whatever its size, and ranks a computed one without noise', () => {
    // Read to 15 digits, $12,345,678,901,234.56 would be written $…234.6; 1e307 has no decimals to round.
    for (const price of [12345678901234.56, 1e307, 10, 0]) {
      const o = offer('o', price, 'USD');
      expect(convert(o, 'USD', rates)).toBe(o);
    }
    // 0.1 + 0.2 is 0.30000000000000004: the same $0.30 as the offer listed after it.
    const computed = convert(offer('a', 0.1 + 0.2, 'USD'), 'USD', rates);
    const plain = convert(offer('b', 0.3, 'USD'), 'USD', rates);
    for (const desc of [false, true]) {
      expect(rank([computed, plain], { field: 'price', desc }).map((o) => o.source)).toEqual(['a', 'b']);
    }
  });

  it('converts a free offer to 0 at any rate, even one whose cross rate overflows', () => {
    const fx = { base: 'USD', rates: { EUR: 1e300, GBP: 1e-10 } };
    expect(convert(offer('free', 0, 'EUR'), 'GBP', fx)).toMatchObject({ price: 0, currency: 'GBP', originalPrice: 0 });
  });

  it('rounds a half up at any size, as Intl writes it, not down on binary noise', () => {
    // Each is k + ½ minor unit as written, but below it in binary (2.135 is 2.13499999999999978…).
    expect(toCents(2.135)).toBe(2.14);
    expect(toCents(4.015)).toBe(4.02);
    expect(toCents(1.005)).toBe(1.01);
    const fx = { base: 'USD', rates: { BHD: 1 / 4.0005 } };
    expect(convert(offer('a', 1, 'USD'), 'BHD', fx).price).toBe(4.001);
    for (let cents = 0; cents < 100_000; cents += 7) {
      expect(toCents(Number(`${(cents / 100).toFixed(2)}5`))).toBe((cents + 1) / 100);
    }
  });

  it('ranks converted offers by their unrounded price, so two that round alike keep their true order', () => {
    const fx = { base: 'USD', rates: { JPY: 0.0067 } };
    const dearer = convert(offer('a', 1500, 'JPY'), 'USD', fx);
    const cheaper = convert(offer('a', 1499.5, 'JPY'), 'USD', fx);
    expect([dearer.price, cheaper.price]).toEqual([10.05, 10.05]);
    const ranked = rank([dearer, cheaper], { field: 'price', desc: false });
    expect(ranked.map((o) => o.originalPrice)).toEqual([1499.5, 1500]);
    // €9.0909 is $9.99999: cheaper than a $10.00 listed before it, though both show $10.00.
    const usd = offer('b', 10, 'USD');
    const eur = convert(offer('c', 9.0909, 'EUR'), 'USD', { base: 'USD', rates: { EUR: 1.1 } });
    expect(rank([usd, eur], { field: 'price', desc: false }).map((o) => o.source)).toEqual(['c', 'b']);
  });

  it('keeps file order between prices that really are equal, whatever binary noise the conversion adds', () => {
    // 3 × 1.1 is 3.3000000000000003 in binary: the same $3.30 as the offer listed after it.
    const eur = convert(offer('a', 3, 'EUR'), 'USD', rates);
    const usd = offer('b', 3.3, 'USD');
    expect(rank([eur, usd], { field: 'price', desc: false }).map((o) => o.source)).toEqual(['a', 'b']);
    expect(rank([eur, usd], { field: 'price', desc: true }).map((o) => o.source)).toEqual(['a', 'b']);
  });

  it('keeps file order between equal prices a mapping computed in the ranking currency itself', () => {
    // 0.1 + 0.2 is 0.30000000000000004: the same $0.30 as the offer listed after it, as it is once both
    // are converted (to KWD, say); only the ranking currency changed.
    const computed = offer('a', 0.1 + 0.2, 'USD');
    const plain = offer('b', 0.3, 'USD');
    for (const desc of [false, true]) {
      expect(rank([computed, plain], { field: 'price', desc }).map((o) => o.source)).toEqual(['a', 'b']);
    }
    const fx = { base: 'USD', rates: { KWD: 3.25 } };
    const inKwd = [computed, plain].map((o) => convert(o, 'KWD', fx));
    expect(rank(inKwd, { field: 'price', desc: false }).map((o) => o.source)).toEqual(['a', 'b']);
    // A tie on another field goes cheapest first, and these two are equally cheap: file order.
    const stops = [offer('a', 0.1 + 0.2, 'USD', { stops: 0 }), offer('b', 0.3, 'USD', { stops: 0 })];
    expect(rank(stops, { field: 'stops', desc: false }).map((o) => o.source)).toEqual(['a', 'b']);
    // Real differences stay: a tenth of a cent is a price.
    expect(rank([offer('a', 0.301, 'USD'), plain], { field: 'price', desc: false }).map((o) => o.source)).toEqual([
      'b',
      'a',
    ]);
  });

  it('converts a price near Number.MAX_VALUE that stays finite, and ranks it: rounding does not overflow', () => {
    // £1e308 is $1.3e308, finite; scaled to cents (× 100) it was Infinity, and the offer was dropped.
    const huge = convert(offer('huge', 1e308, 'GBP'), 'USD', rates);
    expect(huge).toMatchObject({ price: 1.3e308, currency: 'USD', originalPrice: 1e308 });
    const fine = convert(offer('fine', 10, 'GBP'), 'USD', rates);
    expect(rank([fine, huge], { field: 'price', desc: true }).map((o) => o.source)).toEqual(['huge', 'fine']);
    expect(rank([huge, fine], { field: 'price', desc: false }).map((o) => o.source)).toEqual(['fine', 'huge']);
    // A price whose scaled amount is finite but whose 15 digits read back past MAX_VALUE.
    expect(toCents(Number.MAX_VALUE / 100)).toBe(1.79769313486232e306);
    expect(toCents(-1e308)).toBe(-1e308);
    // £1.5e308 is Infinity in USD: left so, for gather to drop as too large to convert.
    expect(convert(offer('huger', 1.5e308, 'GBP'), 'USD', rates).price).toBe(Number.POSITIVE_INFINITY);
  });

  it('marks an offer with no rate instead of ranking it as if it were in the target currency', () => {
    const out = convert(offer('a', 1, 'JPY'), 'USD', rates);
    expect(out).toMatchObject({ price: 1, currency: 'JPY', unconverted: true });
    expect(out.originalPrice).toBeUndefined();
  });
});

describe('ranking', () => {
  it('ranks the nominally dearest offer first when it is cheapest once converted', () => {
    const offers = [offer('gbp', 100, 'GBP'), offer('usd', 120, 'USD'), offer('eur', 105, 'EUR')].map((o) =>
      convert(o, 'USD', rates),
    );
    expect(rank(offers, { field: 'price', desc: false }).map((o) => [o.rank, o.source, o.price])).toEqual([
      [1, 'eur', 115.5],
      [2, 'usd', 120],
      [3, 'gbp', 130],
    ]);
  });

  it('puts unconverted offers after the others, however small their number', () => {
    const offers = [offer('yen', 5, 'JPY', { unconverted: true }), offer('usd', 300, 'USD')];
    expect(rank(offers, { field: 'price', desc: false }).map((o) => o.source)).toEqual(['usd', 'yen']);
  });

  it('groups unconverted offers by currency instead of comparing yen with euros', () => {
    const offers = [
      offer('y', 96, 'JPY', { unconverted: true }),
      offer('e', 20, 'EUR', { unconverted: true }),
      offer('y2', 5, 'JPY', { unconverted: true }),
      offer('e2', 99, 'EUR', { unconverted: true }),
    ];
    expect(rank(offers, { field: 'price', desc: false }).map((o) => o.source)).toEqual(['e', 'e2', 'y2', 'y']);
  });

  it('breaks ties by input order, which is file order then item order', () => {
    const offers = [
      offer('a', 10, 'USD', { title: 'a1' }),
      offer('b', 10, 'USD'),
      offer('a', 10, 'USD', { title: 'a2' }),
    ];
    expect(rank(offers, { field: 'price', desc: false }).map((o) => o.title)).toEqual(['a1', 'b 10', 'a2']);
    expect(rank(offers, { field: 'price', desc: true }).map((o) => o.title)).toEqual(['a1', 'b 10', 'a2']);
  });

  it('sorts by any field, descending on request, with missing values last', () => {
    const offers = [
      offer('a', 1, 'USD', { stops: 1 }),
      offer('b', 2, 'USD'),
      offer('c', 3, 'USD', { stops: 0 }),
      offer('d', 4, 'USD', { stops: 2 }),
    ];
    expect(rank(offers, { field: 'stops', desc: false }).map((o) => o.source)).toEqual(['c', 'a', 'd', 'b']);
    expect(rank(offers, { field: 'stops', desc: true }).map((o) => o.source)).toEqual(['d', 'a', 'c', 'b']);
  });

  it('ranks the offers without the field among themselves by price, cheapest first', () => {
    const offers = [
      offer('a', 9, 'USD'),
      offer('b', 2, 'USD', { stops: 1 }),
      offer('y', 1, 'JPY', { unconverted: true }),
      offer('c', 3, 'USD'),
      offer('d', 3, 'USD'),
    ];
    expect(rank(offers, { field: 'stops', desc: false }).map((o) => o.source)).toEqual(['b', 'c', 'd', 'a', 'y']);
    expect(rank(offers, { field: 'stops', desc: true }).map((o) => o.source)).toEqual(['b', 'c', 'd', 'a', 'y']);
  });

  it('breaks ties on another field by price, cheapest first in either direction, unconverted last', () => {
    const offers = [
      offer('a', 500, 'USD', { stops: 0 }),
      offer('y', 100, 'JPY', { stops: 0, unconverted: true }),
      offer('b', 400, 'USD', { stops: 1 }),
      offer('c', 330, 'USD', { stops: 0 }),
      offer('d', 330, 'USD', { stops: 0 }),
    ];
    expect(rank(offers, { field: 'stops', desc: false }).map((o) => o.source)).toEqual(['c', 'd', 'a', 'y', 'b']);
    expect(rank(offers, { field: 'stops', desc: true }).map((o) => o.source)).toEqual(['b', 'c', 'd', 'a', 'y']);
  });

  it('sorts a field of mixed types in one order: numbers and numeric text by value, then other text', () => {
    const offers = [
      offer('a', 1, 'USD', { stops: '11' }),
      offer('b', 2, 'USD', { stops: 2 }),
      offer('c', 3, 'USD', { stops: 'direct' }),
      offer('d', 4, 'USD', { stops: ' 3 ' }),
      offer('e', 5, 'USD', { stops: Number.POSITIVE_INFINITY }),
      offer('f', 6, 'USD', { stops: '2.5e0' }),
    ];
    // As text, "11" < "2" and 2 < "11" would make the order depend on how the sort met them.
    expect(rank(offers, { field: 'stops', desc: false }).map((o) => o.source)).toEqual(['b', 'f', 'd', 'a', 'e', 'c']);
    // Descending reverses each group, and numbers still come first: "direct" never tops a `--desc`.
    expect(rank(offers, { field: 'stops', desc: true }).map((o) => o.source)).toEqual(['e', 'a', 'd', 'f', 'b', 'c']);
    // Every starting order gives the same ranking.
    for (let i = 0; i < offers.length; i++) {
      const rotated = [...offers.slice(i), ...offers.slice(0, i)];
      expect(rank(rotated, { field: 'stops', desc: false }).map((o) => o.source)).toEqual([
        'b',
        'f',
        'd',
        'a',
        'e',
        'c',
      ]);
    }
  });

  it('sorts blank text with the missing values, last either way', () => {
    const offers = [
      offer('a', 1, 'USD', { rating: '' }),
      offer('b', 2, 'USD', { rating: 4.5 }),
      offer('c', 3, 'USD', { rating: 'N/A' }),
      offer('d', 4, 'USD', { rating: '  ' }),
      offer('e', 5, 'USD', { rating: '4.8' }),
    ];
    expect(rank(offers, { field: 'rating', desc: false }).map((o) => o.source)).toEqual(['b', 'e', 'c', 'a', 'd']);
    expect(rank(offers, { field: 'rating', desc: true }).map((o) => o.source)).toEqual(['e', 'b', 'c', 'a', 'd']);
  });

  it('sorts text by English collation, and numbers its own rank over any the offer carried', () => {
    const offers = [
      offer('a', 1, 'USD', { carrier: 'zephyr', rank: 99 }),
      offer('b', 2, 'USD', { carrier: 'Émirates' }),
      offer('c', 3, 'USD', { carrier: 'delta' }),
    ];
    // By code point, `É` would sort after `z`.
    const ranked = rank(offers, { field: 'carrier', desc: false });
    expect(ranked.map((o) => [o.source, o.rank])).toEqual([
      ['c', 1],
      ['b', 2],
      ['a', 3],
    ]);
    expect(offers[0]?.rank).toBe(99); // the input is left as it was
  });

  it('sorts date-times by the instant, and those without an offset by their digits', () => {
    const sorted = (values: string[], desc = false) =>
      rank(
        values.map((v, i) => offer(String(i), 1, 'USD', { departure: v })),
        { field: 'departure', desc },
      ).map((o) => o.departure);
    // 08:30 in New York is 13:30 UTC, after 09:05 in Frankfurt (08:05 UTC) and noon UTC.
    const zoned = ['2026-12-20T08:30:00-05:00', '2026-12-20T09:05:00+01:00', '2026-12-20T12:00:00Z'];
    expect(sorted(zoned)).toEqual(['2026-12-20T09:05:00+01:00', '2026-12-20T12:00:00Z', '2026-12-20T08:30:00-05:00']);
    expect(sorted(zoned, true)[0]).toBe('2026-12-20T08:30:00-05:00');
    // Written without the colon or the seconds, with a fraction: the same instants.
    expect(sorted(['2026-12-20 08:30-0500', '2026-12-20T12:00:00.5Z', '2026-12-20T12:00:00.25z'])).toEqual([
      '2026-12-20T12:00:00.25z',
      '2026-12-20T12:00:00.5Z',
      '2026-12-20 08:30-0500',
    ]);
    // Local times (no offset) are as the vendor wrote them: by their digits.
    expect(sorted(['2026-12-20T10:00:00', '2026-12-20T09:05:00'])).toEqual([
      '2026-12-20T09:05:00',
      '2026-12-20T10:00:00',
    ]);
    // Local and zoned in one field: one consistent order (the local one read as UTC), whatever the input order.
    const mixed = ['2026-12-20T08:30-05:00', '2026-12-20T10:00', '2026-12-20T09:05+01:00'];
    const expected = ['2026-12-20T09:05+01:00', '2026-12-20T10:00', '2026-12-20T08:30-05:00'];
    for (const order of [mixed, [...mixed].reverse(), [mixed[1], mixed[0], mixed[2]] as string[]]) {
      expect(sorted(order)).toEqual(expected);
    }
  });

  it('sorts a date alone among zoned date-times as its midnight, whatever the input order', () => {
    const sorted = (values: readonly string[]) =>
      rank(
        values.map((v, i) => offer(String(i), 1, 'USD', { departure: v })),
        { field: 'departure', desc: false },
      ).map((o) => o.departure);
    // 23:00 in New York on the 19th is 04:00 UTC on the 20th: after midnight, and after 01:00 UTC.
    const values = ['2026-12-20', '2026-12-19T23:00:00-05:00', '2026-12-20T01:00:00+00:00', '2026-12-19T21:00-05:00'];
    const expected = ['2026-12-20', '2026-12-20T01:00:00+00:00', '2026-12-19T21:00-05:00', '2026-12-19T23:00:00-05:00'];
    for (const order of [values, [...values].reverse(), [values[2], values[0], values[3], values[1]] as string[]]) {
      expect(sorted(order)).toEqual(expected);
    }
  });

  it('reads no date that is none, and years before 100 as written', () => {
    const sorted = (values: readonly string[]) =>
      rank(
        values.map((v, i) => offer(String(i), 1, 'USD', { ref: v })),
        { field: 'ref', desc: false },
      ).map((o) => o.ref);
    // Month 0 rolled over to December 2023, and sorted before 2023-12-20: compared by digits, it is after.
    expect(sorted(['2024-00-15', '2023-12-20'])).toEqual(['2023-12-20', '2024-00-15']);
    // A date that is none is other text, after the date-times, whatever the input order: compared by its
    // digits with zoned ones and by instant between those, the order was the input's.
    expect(sorted(['2026-02-30', '2026-03-01'])).toEqual(['2026-03-01', '2026-02-30']);
    expect(sorted(['2026-03-01T25:00', '2026-03-01T23:00'])).toEqual(['2026-03-01T23:00', '2026-03-01T25:00']);
    // 24:00 is the end of a day (ISO 8601): the next day's midnight, before its 00:30, after 23:59.
    expect(sorted(['2026-03-02T00:30Z', '2026-03-01T24:00Z', '2026-03-01T23:59Z'])).toEqual([
      '2026-03-01T23:59Z',
      '2026-03-01T24:00Z',
      '2026-03-02T00:30Z',
    ]);
    expect(sorted(['2026-03-02T00:30Z', '2026-03-01T24:30Z'])).toEqual(['2026-03-02T00:30Z', '2026-03-01T24:30Z']);
    // Read as the next day's 00:30, 24:30 would come before 00:45; it is no time, so text, after it.
    expect(sorted(['2026-03-01T24:30Z', '2026-03-02T00:45Z'])).toEqual(['2026-03-02T00:45Z', '2026-03-01T24:30Z']);
    // No minute 60, nor an offset of 24 hours or 60 minutes: each is text, after a date-time it would precede.
    for (const none of ['2026-03-01T10:60Z', '2026-03-01T10:00+24:00', '2026-03-01T10:00+00:60']) {
      expect(sorted([none, '2026-03-01T23:00Z'])).toEqual(['2026-03-01T23:00Z', none]);
    }
    // A leap second is a time (ISO 8601 allows :60): the next minute's start, before its 30th second.
    expect(sorted(['2017-01-01T00:00:30Z', '2016-12-31T23:59:60Z', '2016-12-31T23:59:59Z'])).toEqual([
      '2016-12-31T23:59:59Z',
      '2016-12-31T23:59:60Z',
      '2017-01-01T00:00:30Z',
    ]);
    const values = ['2026-02-30T10:00', '2026-03-01T01:00+05:00', '2026-02-28T22:00Z'];
    const expected = ['2026-03-01T01:00+05:00', '2026-02-28T22:00Z', '2026-02-30T10:00'];
    for (const order of [values, [...values].reverse(), [values[2], values[0], values[1]] as string[]]) {
      expect(sorted(order)).toEqual(expected);
    }
    // Date.UTC read year 50 as 1950.
    expect(sorted(['1951-01-01', '0050-06-01T00:00Z'])).toEqual(['0050-06-01T00:00Z', '1951-01-01']);
    expect(sorted(['1949-01-01', '0050-06-01T00:00Z'])).toEqual(['0050-06-01T00:00Z', '1949-01-01']);
    expect(sorted(['0050-06-01T00:00Z', '0050-01-01'])).toEqual(['0050-01-01', '0050-06-01T00:00Z']);
  });

  it('compares runs of digits in text as numbers: durations and times as flight vendors write them', () => {
    const sorted = (values: string[]) =>
      rank(
        values.map((v, i) => offer(String(i), 1, 'USD', { duration: v })),
        { field: 'duration', desc: false },
      ).map((o) => o.duration);
    expect(sorted(['13h20m', '7h10m', '7h5m'])).toEqual(['7h5m', '7h10m', '13h20m']);
    expect(sorted(['PT11H40M', 'PT7H05M', 'PT7H50M'])).toEqual(['PT7H05M', 'PT7H50M', 'PT11H40M']);
    // A duration by its length, not its digits: a flight under an hour is the shortest, not the longest.
    expect(sorted(['PT1H10M', 'PT55M', 'PT2H', 'P1DT2H', 'PT25H'])).toEqual([
      'PT55M',
      'PT1H10M',
      'PT2H',
      'PT25H',
      'P1DT2H',
    ]);
    expect(sorted(['1h 10m', '55m', '2h', '45 min'])).toEqual(['45 min', '55m', '1h 10m', '2h']);
    expect(sorted(['10:30', '9:05', '23:59'])).toEqual(['9:05', '10:30', '23:59']);
    // A decimal part is part of the number: 4.25 < 4.5, and €12.05 < €12.5.
    expect(sorted(['4.5 stars', '4.25 stars', '4.75 stars'])).toEqual(['4.25 stars', '4.5 stars', '4.75 stars']);
    expect(sorted(['1.5h', '1.25h', '10h'])).toEqual(['1.25h', '1.5h', '10h']);
    expect(sorted(['€12.5', '€12.05', '€9.99'])).toEqual(['€9.99', '€12.05', '€12.5']);
    // Not in a chain of dots: versions and addresses compare part by part.
    expect(sorted(['1.10.2', '1.9.3', '1.9.10'])).toEqual(['1.9.3', '1.9.10', '1.10.2']);
    expect(sorted(['10.0.0.10', '10.0.0.9', '9.0.0.1'])).toEqual(['9.0.0.1', '10.0.0.9', '10.0.0.10']);
    // Between the numbers, English order regardless of case; a shorter text that is a prefix comes first.
    expect(sorted(['delta 10', 'Delta 2', 'delta', 'Alpha 3'])).toEqual(['Alpha 3', 'delta', 'Delta 2', 'delta 10']);
    // Numbers however long, and in any script's digits, as Intl's numeric collation compared them: a
    // double ties 20-digit references, and fullwidth or Arabic-Indic digits are numbers too.
    expect(sorted(['x100000000000000000001', 'x99999999999999999999', 'x100000000000000000000'])).toEqual([
      'x99999999999999999999',
      'x100000000000000000000',
      'x100000000000000000001',
    ]);
    expect(sorted(['１０時間', '９時間', '２時間'])).toEqual(['２時間', '９時間', '１０時間']);
    for (const order of [
      ['10 h', '٣ h', '5 h'],
      ['5 h', '10 h', '٣ h'],
      ['٣ h', '5 h', '10 h'],
    ]) {
      expect(sorted(order)).toEqual(['٣ h', '5 h', '10 h']);
    }
  });

  it('ties durations of one length and date-times of one instant however written: cheapest first', () => {
    // The same flight from two vendors, each in its own notation: compared as text, the order followed
    // the notation, and under --desc the dearer one came first.
    const offers = [
      offer('dear', 700, 'USD', { duration: 'PT7H10M', departure: '2026-12-20T22:30:00Z' }),
      offer('cheap', 650, 'USD', { duration: '7h 10m', departure: '2026-12-20T17:30:00-05:00' }),
    ];
    for (const field of ['duration', 'departure']) {
      for (const desc of [false, true]) {
        expect(rank(offers, { field, desc }).map((o) => o.source)).toEqual(['cheap', 'dear']);
        expect(rank([...offers].reverse(), { field, desc }).map((o) => o.source)).toEqual(['cheap', 'dear']);
      }
    }
  });

  it('puts durations between numbers and other text, whichever the direction', () => {
    const offers = [
      offer('text', 1, 'USD', { duration: 'N/A' }),
      offer('long', 2, 'USD', { duration: 'PT2H' }),
      offer('number', 3, 'USD', { duration: 1370 }),
      offer('short', 4, 'USD', { duration: 'PT55M' }),
    ];
    const order = (desc: boolean) => rank(offers, { field: 'duration', desc }).map((o) => o.source);
    expect(order(false)).toEqual(['number', 'short', 'long', 'text']);
    expect(order(true)).toEqual(['number', 'long', 'short', 'text']);
    // And before date-times, as the README says: both are text, but neither compares with the other.
    const timed = [offer('at', 1, 'USD', { t: '2026-12-20T08:30Z' }), offer('for', 2, 'USD', { t: 'PT2H' })];
    for (const desc of [false, true]) {
      expect(rank(timed, { field: 't', desc }).map((o) => o.source)).toEqual(['for', 'at']);
    }
  });

  it('sorts a NaN field with the missing ones (JSON writes it null), and Infinity as the largest number', () => {
    const values = [3, Number.NaN, 1, Number.POSITIVE_INFINITY, Number.NaN, 2, Number.NEGATIVE_INFINITY];
    const offers = values.map((perStop, i) => offer(`s${i}`, i, 'USD', { perStop }));
    const order = (desc: boolean) => rank(offers, { field: 'perStop', desc }).map((o) => o.perStop);
    expect(order(false)).toEqual([Number.NEGATIVE_INFINITY, 1, 2, 3, Number.POSITIVE_INFINITY, Number.NaN, Number.NaN]);
    expect(order(true)).toEqual([Number.POSITIVE_INFINITY, 3, 2, 1, Number.NEGATIVE_INFINITY, Number.NaN, Number.NaN]);
  });

  it('reads signed numeric text as its number: "-5" is below 3, not text after every number', () => {
    const offers = [
      offer('a', 1, 'USD', { delta: 3 }),
      offer('b', 2, 'USD', { delta: '-5' }),
      offer('c', 3, 'USD', { delta: '+4' }),
    ];
    expect(rank(offers, { field: 'delta', desc: false }).map((o) => o.source)).toEqual(['b', 'a', 'c']);
  });

  it('compares digits in text by value: leading zeros in the whole part and trailing zeros in the fraction do not count', () => {
    const sorted = (values: string[]) =>
      rank(
        values.map((v, i) => offer(String(i), 1, 'USD', { ref: v })),
        { field: 'ref', desc: false },
      ).map((o) => o.ref);
    // As written, `007` has three digits to `10`'s two, and would be the larger.
    expect(sorted(['seat 10', 'seat 007'])).toEqual(['seat 007', 'seat 10']);
    // 4.50 is 4.5: the text after it decides; kept, its `50` would be read as the larger fraction.
    expect(sorted(['4.5 stars (b)', '4.50 stars (a)'])).toEqual(['4.50 stars (a)', '4.5 stars (b)']);
    // The same digits with more after them come later, whatever the text around a zero-padded one.
    expect(sorted(['gate 02x', 'gate 2'])).toEqual(['gate 2', 'gate 02x']);
    // 4.25 before 4.5 by their fractions, not by the text, where `04.5` would come first for its `0`.
    expect(sorted(['rated 04.5', 'rated 4.25'])).toEqual(['rated 4.25', 'rated 04.5']);
  });

  it('breaks a tie of case or accent alone by full collation before price: one order for one text', () => {
    const offers = [offer('a', 1, 'USD', { carrier: 'KLM' }), offer('b', 2, 'USD', { carrier: 'klm' })];
    expect(rank(offers, { field: 'carrier', desc: false }).map((o) => o.source)).toEqual(['b', 'a']);
  });

  it('reads a date-time’s month, its offset’s minutes and a comma before its fraction', () => {
    const sorted = (values: string[]) =>
      rank(
        values.map((v, i) => offer(String(i), 1, 'USD', { departure: v })),
        { field: 'departure', desc: false },
      ).map((o) => o.departure);
    // Read one month late, 31 January would be 3 March, after 1 February's 1 March.
    expect(sorted(['2026-02-01T08:00Z', '2026-01-31T10:00Z'])).toEqual(['2026-01-31T10:00Z', '2026-02-01T08:00Z']);
    // 10:00 in India (+05:30) is 04:30 UTC; without its 30 minutes it would be 05:00, after 04:45.
    expect(sorted(['2026-01-01T04:45Z', '2026-01-01T10:00+05:30'])).toEqual([
      '2026-01-01T10:00+05:30',
      '2026-01-01T04:45Z',
    ]);
    // ISO 8601 allows a comma before the fraction: 12:00:00,5 in Frankfurt is 11:00:00.5 UTC, before 11:00:00.75Z.
    expect(sorted(['2026-01-01T11:00:00.75Z', '2026-01-01T12:00:00,5+01:00'])).toEqual([
      '2026-01-01T12:00:00,5+01:00',
      '2026-01-01T11:00:00.75Z',
    ]);
  });

  it('groups unconverted offers by currency when they tie on another field, not comparing yen with pounds', () => {
    const offers = [
      offer('y', 100, 'JPY', { stops: 0, unconverted: true }),
      offer('g', 500, 'GBP', { stops: 0, unconverted: true }),
    ];
    expect(rank(offers, { field: 'stops', desc: false }).map((o) => o.source)).toEqual(['g', 'y']);
  });

  it('sorts an object value by its JSON, even one with a "toString" key', () => {
    const offers = [offer('a', 1, 'USD', { legs: { toString: 'z' } }), offer('b', 2, 'USD', { legs: { out: 'LIS' } })];
    expect(rank(offers, { field: 'legs', desc: false }).map((o) => o.source)).toEqual(['b', 'a']);
  });

  it('reads only an offer’s own fields: under --sort constructor or __proto__ the others lack it', () => {
    for (const field of ['constructor', '__proto__', 'toString']) {
      // Read through the prototype, a and b would sort as "function Object() …" text, before "zzz".
      const offers = [offer('a', 2, 'USD'), offer('z', 3, 'USD', { [field]: 'zzz' }), offer('b', 1, 'USD')];
      expect(Object.hasOwn(offers[1] as Offer, field)).toBe(true);
      expect(rank(offers, { field, desc: false }).map((o) => o.source)).toEqual(['z', 'b', 'a']);
    }
  });
});
