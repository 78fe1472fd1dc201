/**
 * README: an offer with no currency at all is `XXX`, "with a warning naming the source". That held
 * only when another offer set the ranking currency; with none anywhere, nothing was said.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { source, writeConfig } from './helpers/config.js';
import { json, startServer, type TestServer } from './helpers/server.js';

const PATH_FIX =
  'fields.currency found nothing; is the path right (`$response` is the whole answer)? Or set `currency:` on the source';
let server: TestServer;
beforeAll(async () => {
  server = await startServer((_req, res) => json(res, { items: [{ title: 'JFK → LHR', price: 455 }] }));
});
afterAll(() => server.close());

describe('offers without any currency', () => {
  it('warns, naming the sources, when no offer and no file says what currency the prices are in', async () => {
    // No top-level `currency`, and the mapping's `currency` (a typo for the vendor's key) gives nothing.
    const file = writeConfig([source('usair', `${server.url}/a`), source('flyq', `${server.url}/b`)], '');
    const out = await runCli(['search', 'x', '-c', file, '--json']);
    expect(out.code).toBe(0);
    const doc = JSON.parse(out.stdout);
    expect(doc.offers.map((o: { currency: string }) => o.currency)).toEqual(['XXX', 'XXX']);
    const said = `usair, flyq gave no currency: ${PATH_FIX}`;
    expect(doc.warnings).toEqual([said]);
    expect(out.stderr).toContain(`warning: ${said}`);
  });

  it('says no offer is listed after the others when every offer is without a currency', async () => {
    const file = writeConfig([source('usair', `${server.url}/a`)], 'currency: USD');
    const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--json'])).stdout);
    expect(doc.offers.map((o: { currency: string }) => o.currency)).toEqual(['XXX']);
    expect(doc.warnings).toEqual([`usair gave no currency: ${PATH_FIX}`]);
  });

  it('says to set `currency:` alone for a source that maps none, and names the one whose path found nothing', async () => {
    // `header.currency` for `$response.header.currency`: told only to set `currency:`, the user fixed a
    // symptom and kept a path that finds nothing.
    const unmapped = source('plain', `${server.url}/c`).replace(/\n\s*currency: currency/, '');
    const file = writeConfig([source('usair', `${server.url}/a`), unmapped], 'currency: USD');
    const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--json'])).stdout);
    expect(doc.warnings).toEqual([
      'usair, plain gave no currency: fields.currency of usair found nothing; is the path right (`$response` is the whole answer)? Or set `currency:` on the source',
    ]);
    const alone = writeConfig([unmapped], 'currency: USD');
    const plain = JSON.parse((await runCli(['search', 'x', '-c', alone, '--json'])).stdout);
    expect(plain.warnings).toEqual(['plain gave no currency; set `currency:` on the source']);
  });

  it('says nothing when the source sets its currency', async () => {
    const file = writeConfig([source('usair', `${server.url}/a`, '\n    currency: USD')], '');
    const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--json'])).stdout);
    expect(doc.offers[0]).toMatchObject({ currency: 'USD' });
    expect(doc.warnings).toEqual([]);
  });
});
