/**
 * The same answers give the same output whichever source answers first: a cron job that diffs
 * yesterday's output must not see a change that is only the vendors' timing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfigText } from '../src/config/index.js';
import { compileWhere } from '../src/gather/where.js';
import { search } from '../src/search/index.js';
import { source } from './helpers/config.js';
import { json, startServer, type TestServer } from './helpers/server.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/**
 * One vendor per entry, each answering its items only once the vendor after it in the list has
 * answered (and 100 ms more): the last answers first, the first last, the reverse of the file's order.
 */
async function vendorsAnsweringInReverse(answers: readonly unknown[][]): Promise<TestServer[]> {
  const started: TestServer[] = [];
  let previous: Promise<void> = Promise.resolve();
  for (const items of [...answers].reverse()) {
    const after = previous;
    let answered: () => void = () => {};
    previous = new Promise<void>((resolve) => {
      answered = resolve;
    });
    const s = await startServer(async (_req, res) => {
      await after;
      await json(res, { items }, { ms: 100 });
      answered();
    });
    started.unshift(s);
  }
  servers.push(...started);
  return started;
}

/** Sources a, b, c (with the extra field each item has) in that order in the file, answering c, b, a. */
async function reversedSources(answers: readonly { items: unknown[]; field?: string }[]) {
  const vendors = await vendorsAnsweringInReverse(answers.map((a) => a.items));
  const sources = answers.map(({ field }, i) =>
    source('abc'[i] ?? 'z', `${vendors[i]?.url}/s`, field ? `\n      ${field}: ${field}` : ''),
  );
  return loadConfigText(`sources:${sources.join('')}\n`, 'sources.yaml', {});
}

const item = (title: string, currency: string, extra: object = {}) => ({ title, price: 10, currency, ...extra });

describe('arrival order', () => {
  it("--where's warnings name currencies and fields in the file's order, not the order of the answers", async () => {
    const config = await reversedSources([
      { items: [item('dollar', 'USD', { stops: 0 })], field: 'stops' },
      { items: [item('euro', 'EUR', { cabin: 'M' })], field: 'cabin' },
      { items: [item('pound', 'GBP', { carrier: 'BA' })], field: 'carrier' },
    ]);
    // `stop`, a typo for `stops`: a field no offer has.
    const result = await search(config, {
      text: 'x',
      params: { query: 'x' },
      where: compileWhere('price > 0 or stop = 0'),
    });
    expect(result.warnings).toEqual([
      "where reads `stop`, which no offer has; the offers' fields: source, title, price, currency, stops, cabin, carrier",
      'offers come in USD, EUR, GBP; set `currency` and `rates` in the sources file to rank them together',
      'no rate for EUR to USD: those offers are listed after the others, unconverted',
      'no rate for GBP to USD: those offers are listed after the others, unconverted',
    ]);
  });

  it("--where's warnings name the codes it left out with no rate in the file's order", async () => {
    const config = await reversedSources([
      { items: [item('dollar', 'USD')] },
      { items: [item('euro', 'EUR')] },
      { items: [item('pound', 'GBP')] },
    ]);
    const where = compileWhere('price < 100');
    const result = await search(config, { text: 'x', params: { query: 'x' }, currency: 'CHF', where });
    expect(result.warnings).toEqual(
      ['USD (a)', 'EUR (b)', 'GBP (c)'].map(
        (left) =>
          `no rate for ${left.slice(0, 3)} to CHF: where left out the offers in ${left}: they have no CHF price to compare`,
      ),
    );
  });
});
