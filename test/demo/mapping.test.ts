/**
 * sources.example.yaml against the demo vendors: each source's request is rendered from its
 * templates, sent, and its response mapped, as a search would. What each mapping must cope
 * with is one vendor quirk: string prices, a missing currency, a divisor, a dictionary join,
 * dd/mm/yyyy dates, a currency at the top level, an omitted result list.
 */
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { type DemoServer, startDemoServer } from '../../src/demo/server.js';
import { applyMapping, type Mapped } from '../../src/map.js';
import { renderBody, renderText } from '../../src/scatter/template.js';
import type { CompiledSource, Config, Offer, Params } from '../../src/types.js';

const EXAMPLE = fileURLToPath(new URL('../../sources.example.yaml', import.meta.url));
const PRODUCTS: Params = { query: 'sony headphones' };
const FLIGHTS: Params = { from: 'JFK', to: 'LHR', date: '2026-12-20' };

let server: DemoServer;
let config: Config;

beforeAll(async () => {
  server = await startDemoServer({ latency: false, failRate: 0 });
  config = loadConfig(EXAMPLE, { AGG_DEMO_URL: server.url });
});
afterAll(() => server.close());

const source = (name: string): CompiledSource => {
  const s = config.sources.find((x) => x.name === name);
  if (!s) throw new Error(`no source ${name} in sources.example.yaml`);
  return s;
};

interface Sent {
  url: string;
  status: number;
  body: unknown;
  mapped: Mapped;
}

/** Renders the source's request for `params`, sends it and maps the response. */
async function search(name: string, params: Params): Promise<Sent> {
  const s = source(name);
  const url = await renderText(s.compiled.url, params, encodeURIComponent);
  const headers: Record<string, string> = {};
  for (const [header, template] of s.compiled.headers)
    headers[header.toLowerCase()] = await renderText(template, params);
  let body: string | undefined;
  if (s.compiled.body) {
    body = JSON.stringify(await renderBody(s.compiled.body, params));
    headers['content-type'] = 'application/json';
  }
  const res = await request(url, { method: s.request.method as 'GET' | 'POST', headers, body });
  const parsed: unknown = await res.body.json();
  const mapped = await applyMapping(s.compiled.mapping, parsed, s.name, s.currency);
  return { url, status: res.statusCode, body: parsed, mapped };
}

/** The offers of a successful search, none dropped. */
async function offers(name: string, params: Params): Promise<Offer[]> {
  const r = await search(name, params);
  expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
  expect(r.mapped.dropped).toBe(0);
  expect(r.mapped.offers.length).toBeGreaterThan(0);
  for (const o of r.mapped.offers) {
    expect(o.source).toBe(name);
    expect(typeof o.price).toBe('number');
    expect(Number.isFinite(o.price)).toBe(true);
    expect(o.title).not.toBe('');
    expect(o.currency).toMatch(/^[A-Z]{3}$/);
    expect(o.currency).not.toBe('XXX');
  }
  return r.mapped.offers;
}

const toUsd = (o: Offer): number => o.price * (o.currency === config.currency ? 1 : (config.rates[o.currency] ?? NaN));

describe('sources.example.yaml', () => {
  it('configures the six vendors, tagged, against AGG_DEMO_URL', () => {
    expect(config.currency).toBe('USD');
    expect(config.rates).toEqual({ EUR: 1.08, GBP: 1.27 });
    expect(config.sources.map((s) => [s.name, s.tags, s.requires])).toEqual([
      ['ebay', ['products'], ['query']],
      ['bestbuy', ['products'], ['query']],
      ['etsy', ['products'], ['query']],
      ['amadeus', ['flights'], ['from', 'to', 'date']],
      ['duffel', ['flights'], ['from', 'to', 'date']],
      ['kiwi', ['flights'], ['from', 'to', 'date']],
    ]);
    for (const s of config.sources) expect(s.request.url.startsWith(`${server.url}/`)).toBe(true);
    expect(source('etsy').retries).toBe(0);
  });

  it('defaults to the demo on port 8787 without AGG_DEMO_URL', () => {
    const plain = loadConfig(EXAMPLE, {});
    for (const s of plain.sources) expect(s.request.url.startsWith('http://127.0.0.1:8787/')).toBe(true);
  });

  it('gives the three flight sources the same extra fields, so their rows line up', () => {
    const extras = (name: string) =>
      Object.keys(source(name).fields)
        .filter((f) => !['title', 'price', 'currency', 'url'].includes(f))
        .sort();
    expect(extras('amadeus')).toEqual(['carrier', 'departure', 'stops']);
    expect(extras('duffel')).toEqual(extras('amadeus'));
    expect(extras('kiwi')).toEqual(extras('amadeus'));
  });
});

describe('products', () => {
  it('ebay: string price.value becomes a number, in several currencies', async () => {
    const r = await search('ebay', PRODUCTS);
    const raw = (r.body as { itemSummaries: { price: { value: string } }[] }).itemSummaries;
    expect(typeof raw[0]?.price.value).toBe('string');
    const list = await offers('ebay', PRODUCTS);
    expect(list[0]?.price).toBe(Number(raw[0]?.price.value));
    expect(list[0]?.title).toMatch(/sony/i);
    expect(list[0]?.url).toMatch(/^https:\/\/www\.ebay\./);
    expect(list[0]?.condition).toEqual(expect.any(String));
    expect(new Set(list.map((o) => o.currency)).size).toBeGreaterThan(1);
  });

  it('ebay: no results (itemSummaries omitted) maps to zero offers, without error', async () => {
    const r = await search('ebay', { query: 'zzzz no such thing' });
    expect(r.status).toBe(200);
    expect(r.body).not.toHaveProperty('itemSummaries');
    expect(r.mapped).toEqual({ offers: [], dropped: 0 });
  });

  it('bestbuy: the currency comes from the source fallback, and the filter path parses', async () => {
    const r = await search('bestbuy', PRODUCTS);
    expect(r.url).toContain('/bestbuy/v1/products(search=sony%20headphones)?');
    expect(JSON.stringify(r.body)).not.toMatch(/currency/i);
    const list = await offers('bestbuy', PRODUCTS);
    for (const o of list) {
      expect(o.currency).toBe('USD');
      expect(o.title).toMatch(/sony/i);
      expect(o.url).toMatch(/^https:\/\/www\.bestbuy\.com\//);
    }
  });

  it('bestbuy: a query with filter syntax stays one search term', async () => {
    const r = await search('bestbuy', { query: 'sony&salePrice<1' });
    expect(r.status).toBe(200);
    expect(r.mapped.offers).toEqual([]);
  });

  it('etsy: price is amount / divisor, in the seller currency', async () => {
    const list = await offers('etsy', { query: 'canon ae-1' });
    expect(list).toEqual([
      expect.objectContaining({
        title: expect.stringMatching(/^Vintage Canon AE-1/),
        price: 249.99,
        currency: 'EUR',
        url: expect.stringMatching(/^https:\/\/www\.etsy\.com\/listing\/\d+\//),
      }),
    ]);
  });

  it('all three shops answer the same query', async () => {
    for (const name of ['ebay', 'bestbuy', 'etsy']) expect((await offers(name, PRODUCTS)).length).toBeGreaterThan(0);
  });
});

describe('flights', () => {
  it('amadeus: grandTotal string becomes a number, and the carrier name is joined from dictionaries', async () => {
    const r = await search('amadeus', FLIGHTS);
    const data = (r.body as { data: { price: { grandTotal: string }; validatingAirlineCodes: string[] }[] }).data;
    const carriers = (r.body as { dictionaries: { carriers: Record<string, string> } }).dictionaries.carriers;
    const list = await offers('amadeus', FLIGHTS);
    expect(list).toHaveLength(data.length);
    list.forEach((o, i) => {
      expect(o.price).toBe(Number(data[i]?.price.grandTotal));
      expect(o.currency).toBe('EUR');
      expect(o.carrier).toBe(carriers[data[i]?.validatingAirlineCodes[0] ?? '']);
      expect(o.carrier).toMatch(/^[A-Z][A-Z ]+$/);
      expect(o.title).toMatch(/^JFK → LHR · [A-Z0-9]{2} \d+( \+ [A-Z0-9]{2} \d+)*$/);
      expect(o.stops).toBe((o.title.match(/\+/g) ?? []).length);
      expect(o.departure).toMatch(/^2026-12-20 \d\d:\d\d$/);
    });
  });

  it('amadeus: lowercase airport codes are uppercased by the template', async () => {
    const list = await offers('amadeus', { from: 'jfk', to: 'lhr', date: '2026-12-20' });
    expect(list[0]?.title).toMatch(/^JFK → LHR/);
  });

  it('duffel: the body is data-wrapped, total_amount string becomes a number in GBP', async () => {
    const s = source('duffel');
    expect(s.request.method).toBe('POST');
    expect(await renderBody(s.compiled.body as NonNullable<typeof s.compiled.body>, FLIGHTS)).toEqual({
      data: {
        slices: [{ origin: 'JFK', destination: 'LHR', departure_date: '2026-12-20' }],
        passengers: [{ type: 'adult' }],
        cabin_class: 'economy',
      },
    });
    const r = await search('duffel', FLIGHTS);
    expect(r.status).toBe(201);
    const raw = (r.body as { data: { offers: { total_amount: string }[] } }).data.offers;
    const list = await offers('duffel', FLIGHTS);
    list.forEach((o, i) => {
      expect(o.price).toBe(Number(raw[i]?.total_amount));
      expect(o.currency).toBe('GBP');
      expect(o.carrier).toEqual(expect.any(String));
      expect(o.title).toMatch(/^JFK → LHR · /);
      expect(typeof o.stops).toBe('number');
      expect(o.departure).toMatch(/^2026-12-20 \d\d:\d\d$/);
    });
  });

  it('kiwi: the date is sent as dd/mm/yyyy and the top-level currency applies to every offer', async () => {
    const r = await search('kiwi', FLIGHTS);
    const sent = new URL(r.url).searchParams;
    expect(sent.get('date_from')).toBe('20/12/2026');
    expect(sent.get('date_to')).toBe('20/12/2026');
    const list = await offers('kiwi', FLIGHTS);
    const route = (r.body as { data: { route: unknown[] }[] }).data.map((f) => f.route.length);
    list.forEach((o, i) => {
      expect(o.currency).toBe('USD');
      expect(o.stops).toBe((route[i] ?? 0) - 1);
      expect(o.url).toMatch(/^https:\/\/www\.kiwi\.com\/deep\?/);
      expect(o.departure).toMatch(/^2026-12-20 \d\d:\d\d$/);
    });
  });

  it('the same departure maps to the same departure text and title in all three', async () => {
    const [a, d, k] = await Promise.all(['amadeus', 'duffel', 'kiwi'].map((n) => offers(n, FLIGHTS)));
    const key = (o: Offer) => `${o.title} @ ${o.departure}`;
    const common = new Set(a?.map(key));
    expect(d?.some((o) => common.has(key(o)))).toBe(true);
    expect(k?.some((o) => common.has(key(o)))).toBe(true);
  });

  it('the nominally cheapest price (GBP) is not the cheapest once converted at rates', async () => {
    const all = (await Promise.all(['amadeus', 'duffel', 'kiwi'].map((n) => offers(n, FLIGHTS)))).flat();
    const byNumber = [...all].sort((x, y) => x.price - y.price)[0] as Offer;
    const byUsd = [...all].sort((x, y) => toUsd(x) - toUsd(y))[0] as Offer;
    expect(byNumber.currency).toBe('GBP');
    expect(byNumber.source).toBe('duffel');
    expect(byUsd.source).toBe('kiwi');
    expect(toUsd(byUsd)).toBeLessThan(toUsd(byNumber));
  });

  it('three currencies across the example, so rates matter', async () => {
    const products = (await Promise.all(['ebay', 'bestbuy', 'etsy'].map((n) => offers(n, PRODUCTS)))).flat();
    const flights = (await Promise.all(['amadeus', 'duffel', 'kiwi'].map((n) => offers(n, FLIGHTS)))).flat();
    expect(new Set(products.map((o) => o.currency))).toEqual(new Set(['USD', 'EUR', 'GBP']));
    expect(new Set(flights.map((o) => o.currency))).toEqual(new Set(['USD', 'EUR', 'GBP']));
  });
});

describe('broken mappings show up as vendor errors', () => {
  it('kiwi with an ISO date (no conversion in the template) gets a 400', async () => {
    const s = source('kiwi');
    const url = (await renderText(s.compiled.url, FLIGHTS, encodeURIComponent)).replaceAll(
      encodeURIComponent('20/12/2026'),
      '2026-12-20',
    );
    const res = await request(url, { headers: { apikey: 'demo-key' } });
    expect(res.statusCode).toBe(400);
    expect(((await res.body.json()) as { error: string }).error).toMatch(/dd\/mm\/yyyy/);
  });

  it('a flight search without the date param is never sent: the template needs it', async () => {
    await expect(search('kiwi', { from: 'JFK', to: 'LHR' })).rejects.toThrow(/missing param.*date/);
  });
});
