/**
 * An offer priced 0 is warned of: many shop APIs write 0 for a price they do not give, and ranked by price
 * such an offer topped the table and won `-s best` as the cheapest, without a word. Real vendors on 127.0.0.1.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { source, writeConfig } from './helpers/config.js';
import { json, startServer, type TestServer } from './helpers/server.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function vendor(items: unknown[]): Promise<string> {
  const s = await startServer((_req, res) => json(res, { items }));
  servers.push(s);
  return `${s.url}/s`;
}

const item = (title: string, price: number) => ({ title, price, currency: 'USD' });

describe('an offer priced 0', () => {
  it('is kept, and warned of with its source, its title and the filter that leaves it out', async () => {
    const file = writeConfig([
      source('real', await vendor([item('Headphones', 79)])),
      source('odd', await vendor([item('Headphones, price in cart', 0), item('Cable', 0), item('Case', 9)])),
    ]);
    const best = await runCli(['search', 'x', '-c', file, '-s', 'best', '--json']);
    const doc = JSON.parse(best.stdout);
    expect(doc.offers.map((o: { title: string }) => o.title)).toEqual(['Headphones, price in cart']);
    expect(doc.warnings).toEqual([
      `odd: an offer priced 0 ("Headphones, price in cart"); a vendor's 0 is often no price at all (on request, shown in the cart): --where 'price > 0' leaves such offers out`,
    ]);
    // Of all the offers listed, each source's counted; on stderr under -q too, as every warning is.
    const all = await runCli(['search', 'x', '-c', file, '--json']);
    expect(JSON.parse(all.stdout).warnings).toEqual([
      `odd: 2 offers priced 0 ("Headphones, price in cart", …); a vendor's 0 is often no price at all (on request, shown in the cart): --where 'price > 0' leaves such offers out`,
    ]);
    const quiet = await runCli(['search', 'x', '-c', file, '-q']);
    expect(quiet.stderr).toMatch(/^warning: odd: 2 offers priced 0 /);
  });

  it('is not warned of once --where or the limit leaves it out, nor when no offer is priced 0', async () => {
    const file = writeConfig([source('odd', await vendor([item('Free?', 0), item('Case', 9)]))]);
    const filtered = await runCli(['search', 'x', '-c', file, '--json', '--where', 'price > 0']);
    expect(JSON.parse(filtered.stdout).warnings).toEqual([]);
    const dear = await runCli(['search', 'x', '-c', file, '--json', '--sort', 'price', '--desc', '--limit', '1']);
    expect(JSON.parse(dear.stdout).warnings).toEqual([]);
    const one = writeConfig([source('one', await vendor([item('Free?', 0)]))]);
    expect(JSON.parse((await runCli(['search', 'x', '-c', one, '--json'])).stdout).warnings).toEqual([
      `one: an offer priced 0 ("Free?"); a vendor's 0 is often no price at all (on request, shown in the cart): --where 'price > 0' leaves such offers out`,
    ]);
  });
});
