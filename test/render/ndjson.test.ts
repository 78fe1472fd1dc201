import { describe, expect, it } from 'vitest';
import { ndjsonOffer, ndjsonSource, ndjsonSummary, renderNdjson } from '../../src/render/ndjson.js';
import { fixture } from './fixture.js';

describe('ndjson', () => {
  it("writes a `__proto__` field (a library caller's, defined as map/offer.ts's setExtra does) as data, as JSON does", () => {
    const offer = { ...fixture().offers[0], originalPrice: 2, originalCurrency: 'EUR' };
    Object.defineProperty(offer, '__proto__', {
      value: { x: 1 },
      enumerable: true,
      writable: true,
      configurable: true,
    });
    const line = JSON.parse(ndjsonOffer(offer as never));
    expect(Object.hasOwn(line, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(line, '__proto__')?.value).toEqual({ x: 1 });
    expect(Object.getPrototypeOf(line)).toBe(Object.prototype);
  });

  it('writes one parseable, typed line per offer, then sources, then the summary', () => {
    const result = fixture();
    const text = renderNdjson(result);
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    expect(lines).toHaveLength(result.offers.length + result.sources.length + 1);
    const types = lines.map((line) => {
      const parsed = JSON.parse(line);
      expect(Object.keys(parsed)[0]).toBe('type');
      return parsed.type;
    });
    expect(types).toEqual([...Array(5).fill('offer'), ...Array(9).fill('source'), 'summary']);
  });

  it('writes an offer’s own fields only, not those it inherits (a library caller’s class)', () => {
    const offer = Object.assign(Object.create({ inherited: 'x' }), {
      source: 's',
      title: 't',
      price: 1,
      currency: 'USD',
    });
    expect(JSON.parse(ndjsonOffer(offer))).not.toHaveProperty('inherited');
  });

  it('keeps the line kind even if a mapped field is called `type`', () => {
    const line = ndjsonOffer({ source: 's', title: 't', price: 1, currency: 'EUR', type: 'economy' });
    expect(JSON.parse(line).type).toBe('offer');
  });

  it('builds single lines', () => {
    const result = fixture();
    const slowco = result.sources.find((s) => s.name === 'slowco');
    if (!slowco) throw new Error('fixture lost slowco');
    expect(ndjsonSource(slowco)).toMatchInlineSnapshot(`
      "{"type":"source","name":"slowco","status":"timeout","ms":2000,"attempts":1,"offers":0,"error":"no response within 2s: GET https://slow.example/search"}
      "
    `);
    expect(ndjsonSummary(result)).toMatchInlineSnapshot(`
      "{"type":"summary","strategy":"all","currency":"EUR","partial":true,"elapsedMs":1843,"warnings":["usfly: dropped 3 items without a price","evil\\u001b]0;pwned\\u0007 warning"]}
      "
    `);
  });

  it('renders the whole stream', () => {
    expect(renderNdjson(fixture())).toMatchInlineSnapshot(`
      "{"type":"offer","rank":1,"source":"skyfare","title":"Lisbon direct","price":89.5,"currency":"EUR","url":"https://skyfare.example/o/1","stops":0,"carrier":"TP"}
      {"type":"offer","rank":2,"source":"usfly","title":"=HYPERLINK(\\"http://evil.example\\",\\"click\\")","price":92.14,"currency":"EUR","url":"https://usfly.example/deal?id=2&ref=agg","originalPrice":99.99,"originalCurrency":"USD","stops":1,"carrier":["UA","LH"]}
      {"type":"offer","rank":3,"source":"evilco","title":"Red\\u001b[31m alert\\u009b2J \\u202eevil\\nsecond line","price":-5,"currency":"EUR","url":"https://evil.example/x","stops":2,"carrier":"XX","legs":{"out":"LIS","back":"OPO"}}
      {"type":"offer","rank":4,"source":"quoteshop","title":"Window seat, \\"premium\\" economy","price":1234.5,"currency":"EUR","url":"https://quote.example/4","originalPrice":1500,"originalCurrency":"CHF"}
      {"type":"offer","rank":5,"source":"yenair","title":"Tokyo via Lisbon","price":12000,"currency":"JPY","url":"https://yen.example/5","unconverted":true,"stops":1}
      {"type":"source","name":"skyfare","status":"ok","httpStatus":200,"ms":120,"attempts":1,"offers":1}
      {"type":"source","name":"usfly","status":"ok","httpStatus":200,"ms":340,"attempts":2,"offers":1,"dropped":3}
      {"type":"source","name":"evilco","status":"ok","httpStatus":200,"ms":80,"attempts":1,"offers":1}
      {"type":"source","name":"quoteshop","status":"ok","httpStatus":200,"ms":95,"attempts":1,"offers":1}
      {"type":"source","name":"yenair","status":"ok","httpStatus":200,"ms":210,"attempts":1,"offers":1}
      {"type":"source","name":"brokenco","status":"error","httpStatus":500,"ms":45,"attempts":3,"offers":0,"error":"HTTP 500\\u001b[2J: GET https://broken.example/search"}
      {"type":"source","name":"slowco","status":"timeout","ms":2000,"attempts":1,"offers":0,"error":"no response within 2s: GET https://slow.example/search"}
      {"type":"source","name":"keyless","status":"skipped","ms":0,"attempts":0,"offers":0,"error":"requires: API_KEY"}
      {"type":"source","name":"late","status":"cancelled","ms":900,"attempts":1,"offers":0,"error":"cancelled: first offer won"}
      {"type":"summary","strategy":"all","currency":"EUR","partial":true,"elapsedMs":1843,"warnings":["usfly: dropped 3 items without a price","evil\\u001b]0;pwned\\u0007 warning"]}
      "
    `);
  });
});
