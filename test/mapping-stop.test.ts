/**
 * A mapping still running when the run ends stops at its next turn: past `--deadline` its source is a
 * `timeout`, after the caller's abort `cancelled`. It mapped on for seconds (a 2 MB answer through
 * JSONata) while the deadline and the abort waited for it. Real servers on 127.0.0.1.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfigText } from '../src/config/index.js';
import { EvaluationStopped } from '../src/expression.js';
import { applyMapping, compileMapping } from '../src/map.js';
import { search } from '../src/search.js';
import { json, startServer, type TestServer } from './helpers/server.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A hundred calls per item: 20,000 items take seconds to map (about 7 s on a 2-core machine). */
const SLOW_PRICE = '$sum($map([1..100], function($i){ p }))/100';
const items = (n: number) => Array.from({ length: n }, (_, i) => ({ title: `t${i}`, p: i + 1 }));

async function vendor(body: unknown): Promise<string> {
  const s = await startServer((_req, res) => json(res, body));
  servers.push(s);
  return s.url;
}

const config = (slowUrl: string, quickUrl: string) =>
  loadConfigText(
    `currency: USD
sources:
  - name: slow
    request: { url: "${slowUrl}/s" }
    offers: items
    fields: { title: title, price: '${SLOW_PRICE}', currency: '"USD"' }
  - name: quick
    request: { url: "${quickUrl}/s" }
    offers: items
    fields: { title: title, price: p, currency: '"USD"' }
`,
    'sources.yaml',
    {},
  );

const options = { text: 'x', params: { query: 'x' }, strategy: 'all', sort: { field: 'price', desc: false } } as const;

describe('a mapping the run outlives', () => {
  it('stops at the deadline: its source is a timeout, and the others keep their offers', async () => {
    const cfg = config(await vendor({ items: items(20_000) }), await vendor({ items: items(2) }));
    const result = await search(cfg, { ...options, deadlineMs: 1000 });
    const slow = result.sources.find((s) => s.name === 'slow');
    expect(slow).toMatchObject({
      status: 'timeout',
      offers: 0,
      error: 'deadline 1s passed while its answer was mapped',
    });
    expect(result.sources.find((s) => s.name === 'quick')).toMatchObject({ status: 'ok', offers: 2 });
    expect(result.offers.map((o) => o.source)).toEqual(['quick', 'quick']);
  });

  it("stops at the caller's abort: its source is cancelled, and the result is partial", async () => {
    const cfg = config(await vendor({ items: items(20_000) }), await vendor({ items: items(2) }));
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(), 1000);
    try {
      const result = await search(cfg, { ...options, signal: stop.signal });
      expect(result.sources.find((s) => s.name === 'slow')).toMatchObject({
        status: 'cancelled',
        error: 'interrupted while its answer was mapped',
      });
      expect(result.partial).toBe(true);
    } finally {
      clearTimeout(timer);
    }
  });

  it('stops on either path at its first turn once the signal has aborted', async () => {
    const aborted = AbortSignal.abort();
    // The plain-path fast path loops over rows itself; the JSONata path turns in jsonata's node hook.
    const plain = compileMapping('items', { title: 'title', price: 'p' });
    const body = { items: items(300_000) };
    expect(plain.fast).toBeDefined();
    await expect(applyMapping(plain, body, 's', 'USD', aborted)).rejects.toThrow(EvaluationStopped);
    const slow = compileMapping('items', { title: 'title', price: SLOW_PRICE });
    await expect(applyMapping(slow, { items: items(2000) }, 's', 'USD', aborted)).rejects.toThrow(EvaluationStopped);
    // Without a signal, or with one that has not aborted, both map everything.
    expect((await applyMapping(plain, body, 's', 'USD')).offers).toHaveLength(300_000);
    expect(
      (await applyMapping(slow, { items: items(50) }, 's', 'USD', new AbortController().signal)).offers,
    ).toHaveLength(50);
  });
});
