/**
 * The three flows end to end through the built bin (`node bin/agg.js`), in a child process:
 * a token, a create-then-poll search and a paged list from one sources file. Needs `npm run build`.
 */
import type http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../helpers/bin.js';
import { writeConfig } from '../helpers/config.js';
import { json, startServer, type TestServer } from '../helpers/server.js';
import { CLIENT_ID, CLIENT_SECRET, LIVE_PRICES_SOURCE, livePrices, pagedList, tokenEndpoint } from './vendors.js';

const ENV = { CLIENT_ID, CLIENT_SECRET };

const agg = (args: string[]) => runBin(args, ENV);

let server: TestServer;
const tokens = tokenEndpoint('basic');
beforeAll(async () => {
  const sky = livePrices(2);
  const pages = pagedList(() => server.url, { fail: 3 });
  server = await startServer((req: http.IncomingMessage, res: http.ServerResponse, body: string) => {
    const answered = tokens.handle(req, res, body) ?? sky.handle(req, res) ?? pages(req, res);
    if (answered) return answered;
    if (!tokens.authorized(req, res)) return;
    return json(res, { items: [{ title: 'authed', price: 600, currency: 'USD' }] });
  });
});
afterAll(() => server.close());

describe('flows through bin/agg.js', () => {
  it('gets a token, polls to completion and pages until a page fails, in one run', async () => {
    const file = writeConfig([
      `
  - name: shop
    auth:
      oauth2: { tokenUrl: "${server.url}/token", clientId: "\${CLIENT_ID}", clientSecret: "\${CLIENT_SECRET}", clientAuth: basic }
    request: { url: "${server.url}/api?q={{from}}" }
    offers: items
    fields: { title: title, price: price, currency: currency }`,
      LIVE_PRICES_SOURCE(server.url),
      `
  - name: list
    retries: 0
    request: { url: "${server.url}/list?q={{from}}&page=1" }
    next: next
    offers: items
    fields: { title: title, price: price, currency: currency }`,
    ]);
    const out = await agg(['search', 'from=JFK', '-c', file, '--json', '--verbose']);
    expect(out.code).toBe(0);
    const doc = JSON.parse(out.stdout);
    expect(doc.sources).toEqual([
      expect.objectContaining({ name: 'shop', status: 'ok', offers: 1 }),
      expect.objectContaining({ name: 'sky', status: 'ok', offers: 5, attempts: 3 }),
      expect.objectContaining({ name: 'list', status: 'ok', incomplete: true, offers: 3 }),
    ]);
    expect(doc.sources[1].incomplete).toBeUndefined();
    expect(doc.offers[0]).toMatchObject({ rank: 1, source: 'list', title: 'p1-b', price: 10 });
    expect(doc.partial).toBe(true);
    // --verbose logs every request of every flow, with neither the secret nor the token.
    expect(out.stderr.match(/^sky: POST .*\/poll\/sess%2F1%20x → 200/gm)).toHaveLength(2);
    expect(out.stderr).toMatch(/^shop: POST http:\/\/127\.0\.0\.1:\d+\/token → 200/m);
    expect(out.stderr).toMatch(/^ {2}list {2}ok {9}incomplete, kept 2 pages; page 3 failed: HTTP 500/m);
    expect(out.stderr).toMatch(/3 sources · 3 ok \(1 incomplete\) · 9 offers/);
    for (const secret of [CLIENT_SECRET, ...tokens.issued]) expect(out.stdout + out.stderr).not.toContain(secret);
  });
});
