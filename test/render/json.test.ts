import { describe, expect, it } from 'vitest';
import { inKeyOrder, orderOffer } from '../../src/render/fields.js';
import { jsonParts, renderJson } from '../../src/render/json.js';
import type { Offer } from '../../src/types.js';
import { emptyFixture, fixture } from './fixture.js';

describe('renderJson', () => {
  // The order every format writes a row's keys in: a change to it went unnoticed by every test.
  it("writes a source row's keys in the documented order, hedged after attempts", () => {
    const result = fixture();
    result.sources = [
      { name: 'h', status: 'ok', httpStatus: 200, ms: 9, attempts: 2, hedged: true, offers: 1, note: 'n' },
    ];
    const doc = JSON.parse(renderJson(result));
    expect(Object.keys(doc.sources[0])).toEqual([
      'name',
      'status',
      'httpStatus',
      'ms',
      'attempts',
      'hedged',
      'offers',
      'note',
    ]);
  });

  it('keeps the documented key order at top level and in offers', () => {
    const doc = JSON.parse(renderJson(fixture()));
    expect(Object.keys(doc)).toEqual([
      'query',
      'strategy',
      'currency',
      'offers',
      'sources',
      'partial',
      'elapsedMs',
      'warnings',
    ]);
    expect(Object.keys(doc.offers[1])).toEqual([
      'rank',
      'source',
      'title',
      'price',
      'currency',
      'url',
      'originalPrice',
      'originalCurrency',
      'stops',
      'carrier',
    ]);
  });

  it('writes an offer already in order as it is, and copies one that is not into order', () => {
    const inOrder = { rank: 1, source: 's', title: 't', price: 2, currency: 'USD', url: 'u', stops: 0 } as Offer;
    expect(inKeyOrder(inOrder)).toBe(inOrder);
    // As convert() leaves it: the originals after the extras.
    const converted = {
      rank: 1,
      source: 's',
      title: 't',
      price: 2,
      currency: 'USD',
      stops: 0,
      originalPrice: 1,
    } as Offer;
    expect(Object.keys(inKeyOrder(converted))).toEqual([
      'rank',
      'source',
      'title',
      'price',
      'currency',
      'originalPrice',
      'stops',
    ]);
    const extraFirst = {
      stops: 0,
      rank: 1,
      source: 's',
      title: 't',
      price: 2,
      currency: 'USD',
      url: undefined,
    } as Offer;
    for (const offer of [inOrder, converted, extraFirst]) {
      expect(JSON.stringify(inKeyOrder(offer))).toBe(JSON.stringify(orderOffer(offer)));
    }
  });

  it('orders keys even when the offer object was built in another order, and omits undefined', () => {
    const result = emptyFixture();
    result.currency = undefined;
    result.offers = [{ carrier: 'TP', url: undefined, price: 1, title: 't', currency: 'EUR', source: 's', rank: 1 }];
    const doc = JSON.parse(renderJson(result));
    expect(Object.keys(doc)).not.toContain('currency');
    expect(Object.keys(doc.offers[0])).toEqual(['rank', 'source', 'title', 'price', 'currency', 'carrier']);
  });

  it('escapes terminal-active characters yet round-trips them losslessly', () => {
    const text = renderJson(fixture());
    expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]/);
    expect(text).toContain('\\u009b');
    expect(JSON.parse(text).offers[2].title).toBe(fixture().offers[2]?.title);
  });

  it('escapes every bidi control, the Arabic letter mark (U+061C) included', () => {
    const marks = '\u061c\u200e\u200f\u202a\u202e\u2066\u2069';
    const text = renderJson({ ...fixture(), warnings: [`a${marks}b`] });
    expect(text).not.toMatch(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
    expect(text).toContain('a\\u061c\\u200e\\u200f\\u202a\\u202e\\u2066\\u2069b');
    expect(JSON.parse(text).warnings).toEqual([`a${marks}b`]);
  });

  it('comes in parts of a few hundred offers that join into the same document', () => {
    const result = fixture();
    const [first] = result.offers;
    if (!first) throw new Error('fixture has offers');
    // A query that spells the key the parts are cut at must not move the cut.
    result.query = { text: '"offers": []', params: { q: '\n  "offers": []' } };
    result.offers = Array.from({ length: 600 }, (_, i) => ({ ...first, rank: i + 1, title: `t${i}` }));
    const parts = [...jsonParts(result)];
    expect(parts.length).toBeGreaterThanOrEqual(4);
    expect(Math.max(...parts.map((p) => p.length))).toBeLessThan(renderJson(result).length / 2);
    const doc = JSON.parse(parts.join(''));
    expect(doc.offers.map((o: { title: string }) => o.title)).toEqual(result.offers.map((o) => o.title));
    expect(doc.query).toEqual(result.query);
    expect(parts.join('')).toBe(`${JSON.stringify(JSON.parse(parts.join('')), null, 2)}\n`);
    expect([...jsonParts(emptyFixture())]).toHaveLength(1);
  });

  it('renders a pretty document with a trailing newline', () => {
    expect(renderJson(fixture())).toMatchInlineSnapshot(`
      "{
        "query": {
          "text": "flights LIS",
          "params": {
            "query": "flights LIS",
            "to": "LIS"
          }
        },
        "strategy": "all",
        "currency": "EUR",
        "offers": [
          {
            "rank": 1,
            "source": "skyfare",
            "title": "Lisbon direct",
            "price": 89.5,
            "currency": "EUR",
            "url": "https://skyfare.example/o/1",
            "stops": 0,
            "carrier": "TP"
          },
          {
            "rank": 2,
            "source": "usfly",
            "title": "=HYPERLINK(\\"http://evil.example\\",\\"click\\")",
            "price": 92.14,
            "currency": "EUR",
            "url": "https://usfly.example/deal?id=2&ref=agg",
            "originalPrice": 99.99,
            "originalCurrency": "USD",
            "stops": 1,
            "carrier": [
              "UA",
              "LH"
            ]
          },
          {
            "rank": 3,
            "source": "evilco",
            "title": "Red\\u001b[31m alert\\u009b2J \\u202eevil\\nsecond line",
            "price": -5,
            "currency": "EUR",
            "url": "https://evil.example/x",
            "stops": 2,
            "carrier": "XX",
            "legs": {
              "out": "LIS",
              "back": "OPO"
            }
          },
          {
            "rank": 4,
            "source": "quoteshop",
            "title": "Window seat, \\"premium\\" economy",
            "price": 1234.5,
            "currency": "EUR",
            "url": "https://quote.example/4",
            "originalPrice": 1500,
            "originalCurrency": "CHF"
          },
          {
            "rank": 5,
            "source": "yenair",
            "title": "Tokyo via Lisbon",
            "price": 12000,
            "currency": "JPY",
            "url": "https://yen.example/5",
            "unconverted": true,
            "stops": 1
          }
        ],
        "sources": [
          {
            "name": "skyfare",
            "status": "ok",
            "httpStatus": 200,
            "ms": 120,
            "attempts": 1,
            "offers": 1
          },
          {
            "name": "usfly",
            "status": "ok",
            "httpStatus": 200,
            "ms": 340,
            "attempts": 2,
            "offers": 1,
            "dropped": 3
          },
          {
            "name": "evilco",
            "status": "ok",
            "httpStatus": 200,
            "ms": 80,
            "attempts": 1,
            "offers": 1
          },
          {
            "name": "quoteshop",
            "status": "ok",
            "httpStatus": 200,
            "ms": 95,
            "attempts": 1,
            "offers": 1
          },
          {
            "name": "yenair",
            "status": "ok",
            "httpStatus": 200,
            "ms": 210,
            "attempts": 1,
            "offers": 1
          },
          {
            "name": "brokenco",
            "status": "error",
            "httpStatus": 500,
            "ms": 45,
            "attempts": 3,
            "offers": 0,
            "error": "HTTP 500\\u001b[2J: GET https://broken.example/search"
          },
          {
            "name": "slowco",
            "status": "timeout",
            "ms": 2000,
            "attempts": 1,
            "offers": 0,
            "error": "no response within 2s: GET https://slow.example/search"
          },
          {
            "name": "keyless",
            "status": "skipped",
            "ms": 0,
            "attempts": 0,
            "offers": 0,
            "error": "requires: API_KEY"
          },
          {
            "name": "late",
            "status": "cancelled",
            "ms": 900,
            "attempts": 1,
            "offers": 0,
            "error": "cancelled: first offer won"
          }
        ],
        "partial": true,
        "elapsedMs": 1843,
        "warnings": [
          "usfly: dropped 3 items without a price",
          "evil\\u001b]0;pwned\\u0007 warning"
        ]
      }
      "
    `);
  });
});
