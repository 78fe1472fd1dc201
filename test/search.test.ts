/**
 * The scatter-gather core through `run()`: real servers on 127.0.0.1, a real sources file,
 * undici underneath. Each test reads as a user-visible behaviour.
 */

import { getEventListeners } from 'node:events';
import type jsonata from 'jsonata';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfigText } from '../src/config/index.js';
import { UsageError } from '../src/errors.js';
import { compileWhere } from '../src/gather/where.js';
import { REST_BATCH } from '../src/map/fast.js';
import { createDispatcher } from '../src/scatter/dispatcher.js';
import { search } from '../src/search/index.js';
import { setGuardrails } from '../src/shared/expression.js';
import { LIVE_PRICES_SOURCE, livePrices } from './flows/vendors.js';
import { runBin } from './helpers/bin.js';
import { runCli } from './helpers/cli.js';
import { source, writeConfig } from './helpers/config.js';
import { json, startServer, type TestServer } from './helpers/server.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A vendor answering `items` after `ms`. */
async function vendor(items: unknown[], { ms = 0, status = 200 } = {}): Promise<TestServer> {
  const s = await startServer((_req, res) => json(res, { items }, { ms, status }));
  servers.push(s);
  return s;
}

/** One paged source at `url` whose mapping has a JSONata field, so its items are evaluated in batches. */
const pagedConfig = (url: string) =>
  loadConfigText(
    `currency: USD\nsources:${source('paged', `${url}/s`, '\n      tag: $uppercase(title)\n    next: next')}\n`,
    'sources.yaml',
    {},
  );

/**
 * Calls `seen` with the number of items each evaluation of the source's JSONata field is given, preview
 * and row alike: a test acts at a given batch, never on a timer that races the mapping.
 */
function onEachBatch(config: ReturnType<typeof loadConfigText>, seen: (items: number) => void): void {
  const restOf = config.sources[0]?.compiled.mapping.fast?.rest;
  if (!restOf) throw new Error('expected a fast path with a JSONata field');
  const rest: jsonata.Expression = restOf();
  const evaluate = rest.evaluate.bind(rest);
  rest.evaluate = ((input: unknown, bindings: Record<string, unknown[]>) => {
    seen(bindings.agg_item?.length ?? -1);
    return evaluate(input, bindings);
  }) as typeof rest.evaluate;
}

const item = (title: string, price: unknown, currency = 'USD', extra: object = {}) => ({
  title,
  price,
  currency,
  ...extra,
});

describe('strategies', () => {
  it('all: returns every offer from every source, ranked across currencies', async () => {
    const usd = await vendor([item('usd-120', 120), item('usd-300', 300)]);
    const gbp = await vendor([item('gbp-100', 100, 'GBP')]);
    const eur = await vendor([item('eur-105', 105, 'EUR')]);
    const file = writeConfig([
      source('usd', `${usd.url}/s`),
      source('gbp', `${gbp.url}/s`),
      source('eur', `${eur.url}/s`),
    ]);
    const out = await runCli(['search', 'x', '-c', file, '--json']);
    expect(out.code).toBe(0);
    const doc = JSON.parse(out.stdout);
    // 100 GBP is the smallest number but the dearest offer once converted at 1.30.
    expect(doc.offers.map((o: { title: string; price: number }) => [o.title, o.price])).toEqual([
      ['eur-105', 115.5],
      ['usd-120', 120],
      ['gbp-100', 130],
      ['usd-300', 300],
    ]);
    expect(doc.offers[0]).toMatchObject({ rank: 1, currency: 'USD', originalPrice: 105, originalCurrency: 'EUR' });
    expect(doc.partial).toBe(false);
  });

  it('--verbose gives every source a status row, ok ones included; without it they have none', async () => {
    const a = await vendor([item('a1', 50)]);
    const b = await vendor([item('b1', 30)]);
    const file = writeConfig([source('alpha', `${a.url}/s`), source('beta', `${b.url}/s`)]);
    const verbose = await runCli(['search', 'x', '-c', file, '--json', '--verbose']);
    expect(verbose.stderr).toMatch(/^ {2}alpha +ok$/m);
    expect(verbose.stderr).toMatch(/^ {2}beta +ok$/m);
    const plain = await runCli(['search', 'x', '-c', file, '--json']);
    expect(plain.stderr).not.toMatch(/^ {2}alpha/m);
  });

  it('best: returns only the cheapest offer, or the top n with --limit', async () => {
    const a = await vendor([item('a1', 50), item('a2', 20)]);
    const b = await vendor([item('b1', 30)]);
    const file = writeConfig([source('a', `${a.url}/s`), source('b', `${b.url}/s`)]);
    const best = JSON.parse((await runCli(['search', 'x', '-c', file, '-s', 'best', '--json'])).stdout);
    expect(best.offers.map((o: { title: string }) => o.title)).toEqual(['a2']);
    const top2 = JSON.parse((await runCli(['search', 'x', '-c', file, '-s', 'best', '--limit', '2', '--json'])).stdout);
    expect(top2.offers.map((o: { title: string }) => o.title)).toEqual(['a2', 'b1']);
    // The first of the ranking, as the README says: under --sort, not the cheapest.
    const byTitle = JSON.parse(
      (await runCli(['search', 'x', '-c', file, '-s', 'best', '--sort', 'title', '--desc', '--json'])).stdout,
    );
    expect(byTitle.offers.map((o: { title: string }) => o.title)).toEqual(['b1']);
  });

  it('first: cancels the other sources once one has offers, closing their connections', async () => {
    const slow = await vendor([item('slow', 1)], { ms: 8000 });
    const empty = await vendor([], { ms: 0 });
    // `fast` answers 300 ms after `empty` has, not 20 ms after the start: on a starved machine empty's
    // answer was not read by then, and it was cancelled with the slow one.
    const fast = await startServer(async (_req, res) => {
      while (empty.requests.length === 0) await new Promise((r) => setTimeout(r, 10));
      await json(res, { items: [item('fast', 99)] }, { ms: 300 });
    });
    servers.push(fast);
    const file = writeConfig([
      source('slow', `${slow.url}/s`),
      source('empty', `${empty.url}/s`),
      source('fast', `${fast.url}/s`),
    ]);
    const started = Date.now();
    const out = await runCli(['search', 'x', '-c', file, '-s', 'first', '--json']);
    const elapsed = Date.now() - started;
    const doc = JSON.parse(out.stdout);
    expect(doc.offers.map((o: { title: string }) => o.title)).toEqual(['fast']);
    const status = Object.fromEntries(doc.sources.map((s: { name: string; status: string }) => [s.name, s.status]));
    expect(status).toEqual({ slow: 'cancelled', empty: 'ok', fast: 'ok' });
    expect(doc.sources[0].error).toMatch(/^cancelled: fast answered first: GET http/);
    // The slow server sees its connection closed, and the run did not wait for its 8 s.
    await slow.clientAborted;
    expect(elapsed).toBeLessThan(4000);
    expect(out.code).toBe(0);
  });

  it('a source the run ended before it was sent made no attempt: attempts 0, and no request', async () => {
    const shop = await vendor([item('a', 1)]);
    const yaml = `currency: USD\nsources:${[source('a', `${shop.url}/s`), source('b', `${shop.url}/s`)].join('')}\n`;
    const over = new AbortController();
    over.abort();
    const dispatcher = createDispatcher();
    try {
      const result = await search(loadConfigText(yaml, 'sources.yaml', {}), {
        text: 'x',
        params: { query: 'x' },
        strategy: 'all',
        sort: { field: 'price', desc: false },
        dispatcher,
        signal: over.signal,
      });
      expect(result.sources.map((s) => [s.status, s.attempts])).toEqual([
        ['cancelled', 0],
        ['cancelled', 0],
      ]);
    } finally {
      await dispatcher.close();
    }
    expect(shop.requests).toHaveLength(0);
  });

  it('first, as main() runs it: the same answer, with the cancelled connections left to the exit', async () => {
    const fast = await vendor([item('fast', 99)], { ms: 20 });
    const slow = await vendor([item('slow', 1)], { ms: 8000 });
    const file = writeConfig([source('slow', `${slow.url}/s`), source('fast', `${fast.url}/s`)]);
    const started = Date.now();
    const out = await runCli(['search', 'x', '-c', file, '-s', 'first', '--json'], { exitsAfter: true });
    expect(Date.now() - started).toBeLessThan(4000);
    const doc = JSON.parse(out.stdout);
    expect(doc.offers.map((o: { title: string }) => o.title)).toEqual(['fast']);
    expect(doc.sources.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([
      ['slow', 'cancelled'],
      ['fast', 'ok'],
    ]);
    expect(doc.sources[0].error).toMatch(/^cancelled: fast answered first: GET http/);
    expect(out.code).toBe(0);
    // The process would exit now and close it; until then the slow request is still in flight.
    const closed = await Promise.race([
      slow.clientAborted.then(() => true),
      new Promise((r) => setTimeout(() => r(false), 300)),
    ]);
    expect(closed).toBe(false);
  });

  /**
   * Take-first where `win` answers 5,000 items that take a second or more to map, and `late` answers
   * `lateItems` meanwhile: once agg has read the winner's answer (it logs it). Not at a fixed delay: on a busy
   * machine the winner's 5,000 items were not all read by then, `late` answered first, and it won.
   */
  async function lateWhileMapping(
    lateItems: unknown[],
    opts: { where?: ReturnType<typeof compileWhere> } = {},
    lateYaml = '',
    morePage?: unknown[],
  ) {
    const many = Array.from({ length: 5000 }, (_, i) => item(`w${i}`, i + 1));
    let winnerIn = (): void => {};
    const winnerRead = new Promise<void>((resolve) => {
      winnerIn = resolve;
    });
    const winner = await vendor(many);
    const late = await startServer(async (req, res) => {
      await winnerRead;
      // A `next` only a source whose lateYaml pages reads; its page 2 is `morePage`, if given.
      json(res, { items: req.url?.startsWith('/more') ? (morePage ?? lateItems) : lateItems, next: '/more' });
    });
    servers.push(late);
    const slowPrice =
      '\n    fields: { title: title, price: "$sum($map([1..50], function($i){ price }))/50", currency: currency }';
    // The winner's mapping is slow on purpose, but must not meet the 5 s limit of an evaluation: on a starved
    // machine it did, `win` failed as 'mapping failed', and the run had no offers (1 run in 2 beside
    // another test run, 5.1 s).
    const previous = setGuardrails({ timeout: 60_000 });
    return search(
      loadConfigText(
        `currency: USD\nsources:${source('win', `${winner.url}/s`).replace(/\n {4}fields:[\s\S]*$/, slowPrice)}${source('late', `${late.url}/s`, lateYaml)}\n`,
        'sources.yaml',
        {},
      ),
      {
        text: 'x',
        params: { query: 'x' },
        strategy: 'first',
        sort: { field: 'price', desc: false },
        ...opts,
        log: (line) => {
          if (line.startsWith('win:')) winnerIn();
        },
      },
    ).finally(() => setGuardrails(previous));
  }

  it('first: a source that answered while the winner was being mapped says its offers are not used', async () => {
    const result = await lateWhileMapping([item('l1', 0.5), item('l2', 0.6)]);
    expect(result.offers).toHaveLength(5000);
    expect(result.offers.every((o) => o.source === 'win')).toBe(true);
    expect(result.sources.find((s) => s.name === 'late')).toMatchObject({
      status: 'ok',
      offers: 2,
      note: 'its offers are not used: win answered first',
    });
    expect(result.sources.find((s) => s.name === 'win')?.note).toBeUndefined();
  });

  it('first: the note that its offers are not used goes beside the note a row had, not in its place', async () => {
    const result = await lateWhileMapping([item('l1', 0.5)], {}, '\n    next: next\n    maxPages: 1');
    expect(result.sources.find((s) => s.name === 'late')?.note).toBe(
      'stopped at maxPages (1); page 2 is linked; its offers are not used: win answered first',
    );
  });

  // Mappings run over batches of 10,000 items, each with its own 5 s: without a look at the run between
  // them, a large answer went on being mapped after the run had ended (90,000 items with a bad price in
  // every hundred: 16 s under `--deadline 3s`, deaf to Ctrl-C).
  it('first: a large answer still being mapped when the run ends stops between batches, as cancelled', async () => {
    const many = Array.from({ length: 2 * REST_BATCH + 5 }, (_, i) => item(`l${i}`, 0.5));
    // A JSONata field: plain reads alone take no batches (a million items a second).
    const result = await lateWhileMapping(many, {}, '\n      tag: $uppercase(title)');
    expect(result.offers.every((o) => o.source === 'win')).toBe(true);
    expect(result.sources.find((s) => s.name === 'late')).toMatchObject({
      status: 'cancelled',
      offers: 0,
      error: 'cancelled: win answered first while its answer was mapped',
    });
  });

  it('first: a large answer the slow path maps stops between its batches too, as cancelled', async () => {
    const many = Array.from({ length: 2 * REST_BATCH + 5 }, (_, i) => item(`l${i}`, 0.5));
    // $number of a title throws on the fast path, which then leaves the whole answer to JSONata's batches.
    const result = await lateWhileMapping(many, {}, '\n      tag: $number(title)');
    expect(result.sources.find((s) => s.name === 'late')).toMatchObject({
      status: 'cancelled',
      offers: 0,
      error: 'cancelled: win answered first while its answer was mapped',
    });
  });

  // Stopped while its page 2 was mapped, a paged source that answered after take-first's winner kept page 1,
  // `ok` and incomplete, where the README says take-first keeps nothing of a flow: its row is cancelled.
  it('first: a paged answer stopped on a later page after the winner is cancelled, not ok and incomplete', async () => {
    const big = Array.from({ length: 2 * REST_BATCH + 5 }, (_, i) => item(`p2-${i}`, 0.5));
    const result = await lateWhileMapping(
      [item('l1', 0.5)],
      {},
      '\n      tag: $uppercase(title)\n    next: next\n    maxPages: 2',
      big,
    );
    expect(result.offers.every((o) => o.source === 'win')).toBe(true);
    expect(result.sources.find((s) => s.name === 'late')).toMatchObject({
      status: 'cancelled',
      offers: 0,
      error: 'cancelled: win answered first while its answer was mapped',
    });
  });

  it('a paged answer that comes in after Ctrl-C is mapped whole: every page that arrived is kept', async () => {
    const big = Array.from({ length: 2 * REST_BATCH + 5 }, (_, i) => item(`p2-${i}`, 2));
    const s = await startServer((req, res) =>
      req.url?.startsWith('/more')
        ? json(res, { items: big })
        : json(res, { items: [item('p1', 1)], next: `${s.url}/more` }),
    );
    servers.push(s);
    // Ctrl-C once page 2 has come and been previewed: the source's mapping of both pages starts after
    // the run has ended, and what arrived is the result (README: `the result uses what arrived`).
    const ctrlC = new AbortController();
    const result = await search(
      loadConfigText(
        `currency: USD\nsources:${source('paged', `${s.url}/s`, '\n      tag: $uppercase(title)\n    next: next')}\n`,
        'sources.yaml',
        {},
      ),
      {
        text: 'x',
        params: { query: 'x' },
        limit: 1,
        signal: ctrlC.signal,
        onProgress: (_name, offers) => {
          if (offers.length > 1) ctrlC.abort();
        },
      },
    );
    expect(result.offers.map((o) => o.title)).toEqual(['p1']);
    expect(result.sources[0]).toMatchObject({ status: 'ok', offers: 1 + big.length });
  });

  // The pages of a flow that ended before the run did are mapped under the run's stop: Ctrl-C while a
  // later page is mapped keeps the pages before it, and the row says how many of how many.
  it('Ctrl-C while a later page is mapped keeps the pages before it: kept 2 of 3 pages', async () => {
    const big = Array.from({ length: 3 * REST_BATCH }, (_, i) => item(`p3-${i}`, 3));
    const s = await startServer((req, res) => {
      if (req.url?.startsWith('/three')) json(res, { items: big });
      else if (req.url?.startsWith('/two')) json(res, { items: [item('p2', 2)], next: `${s.url}/three` });
      else json(res, { items: [item('p1', 1)], next: `${s.url}/two` });
    });
    servers.push(s);
    const config = pagedConfig(s.url);
    // Ctrl-C as page 3's first batch is evaluated, so the run ends while that page is mapped whatever
    // the machine's speed (a timer after the page was sent raced the mapping on a fast machine).
    const ctrlC = new AbortController();
    onEachBatch(config, (items) => {
      if (items === REST_BATCH) ctrlC.abort();
    });
    const result = await search(config, { text: 'x', params: { query: 'x' }, signal: ctrlC.signal });
    expect(result.offers.map((o) => o.title)).toEqual(['p1', 'p2']);
    expect(result.sources[0]).toMatchObject({ offers: 2, incomplete: true });
    expect(result.sources[0]?.error).toMatch(/^incomplete, kept 2 of 3 pages; page 3: .* while it was mapped$/);
  });

  // A page's preview for streaming (NDJSON) was mapped whole whatever the run: under --deadline 2s a first
  // page of 90,000 items went on being mapped, its flow waiting, past the deadline and deaf to Ctrl-C.
  it('a page previewed for streaming stops between batches once the run has ended, as its row mapping does', async () => {
    const big = Array.from({ length: 2 * REST_BATCH + 5 }, (_, i) => item(`p1-${i}`, 1));
    const s = await startServer((req, res) =>
      req.url?.startsWith('/more') ? json(res, { items: [] }) : json(res, { items: big, next: `${s.url}/more` }),
    );
    servers.push(s);
    const config = pagedConfig(s.url);
    // The items each evaluation of the JSONata field is given, preview and row alike.
    const batches: number[] = [];
    onEachBatch(config, (items) => batches.push(items));
    // Ctrl-C once the first page has come, before its preview is mapped.
    const ctrlC = new AbortController();
    const result = await search(config, {
      text: 'x',
      params: { query: 'x' },
      limit: 1,
      signal: ctrlC.signal,
      // The first line is the first page's answer.
      log: () => ctrlC.abort(),
      onProgress: () => {},
    });
    // One batch of the preview, then the row's whole mapping of what arrived.
    expect(batches).toEqual([REST_BATCH, REST_BATCH, REST_BATCH, 5]);
    expect(result.sources[0]).toMatchObject({ status: 'ok', incomplete: true, offers: big.length });
  });

  // All its pages in before the run's end, a flow whose first page Ctrl-C (or the deadline) stopped was a
  // row with no offers, where a flow the same end cut short kept that page: a longer --deadline gave less.
  it("a flow whose first page the run's end stops while it is mapped keeps that page, as a flow cut short does", async () => {
    const big = Array.from({ length: 2 * REST_BATCH + 5 }, (_, i) => item(`p1-${i}`, 1));
    const s = await startServer((req, res) =>
      req.url?.startsWith('/more')
        ? json(res, { items: big.map((o) => ({ ...o, title: `p2-${o.title}` })) })
        : json(res, { items: big, next: `${s.url}/more` }),
    );
    servers.push(s);
    const config = pagedConfig(s.url);
    const ctrlC = new AbortController();
    const batches: number[] = [];
    // Ctrl-C at the first evaluation: both pages are in by then (no preview maps them before).
    onEachBatch(config, (items) => {
      batches.push(items);
      ctrlC.abort();
    });
    const result = await search(config, { text: 'x', params: { query: 'x' }, signal: ctrlC.signal });
    expect(batches.slice(0, 4)).toEqual([REST_BATCH, REST_BATCH, REST_BATCH, 5]);
    expect(result.sources[0]).toMatchObject({ status: 'ok', incomplete: true, offers: big.length });
    expect(result.sources[0]?.error).toBe('incomplete, kept 1 of 2 pages; page 2: interrupted while it was mapped');
  });

  // Mapped again for its row, a previewed page could be stopped there by Ctrl-C or the deadline where
  // its preview had not been: the source's line read `cancelled`, 0 offers, after the stream had written them all.
  it('a page previewed for streaming is not mapped again for its row: Ctrl-C after the stream leaves the row whole', async () => {
    const big = Array.from({ length: 2 * REST_BATCH + 5 }, (_, i) => item(`p1-${i}`, 1));
    const s = await startServer((req, res) =>
      req.url?.startsWith('/more')
        ? json(res, { items: [item('p2', 2)] })
        : json(res, { items: big, next: `${s.url}/more` }),
    );
    servers.push(s);
    const config = pagedConfig(s.url);
    const ctrlC = new AbortController();
    let previews = 0;
    let streamed = 0;
    const batches: number[] = [];
    // Ctrl-C at any evaluation after both pages were previewed: there should be none.
    onEachBatch(config, (items) => {
      batches.push(items);
      if (previews === 2) ctrlC.abort();
    });
    const result = await search(config, {
      text: 'x',
      params: { query: 'x' },
      signal: ctrlC.signal,
      onProgress: (_name, offers) => {
        previews++;
        streamed += offers.length;
      },
    });
    expect(batches).toEqual([REST_BATCH, REST_BATCH, 5, 1]);
    expect(streamed).toBe(big.length + 1);
    expect(result.sources[0]).toMatchObject({ status: 'ok', offers: big.length + 1 });
    expect(result.sources[0]?.incomplete).toBeUndefined();
  });

  // A flow's pages come to be mapped only once it ends, and the deadline ends it: stopped between batches
  // like a mapping the deadline overtakes, a first page of 10,001 items read `timeout: deadline 2s passed
  // while its answer was mapped`, no offers, where the README promises `a flow with data: ok, incomplete`.
  it('--deadline: a flow cut short keeps a first page larger than a batch, ok and incomplete', async () => {
    const big = Array.from({ length: REST_BATCH + 5 }, (_, i) => item(`p1-${i}`, i + 1));
    const s = await startServer((req, res) => {
      // Page 2 never comes.
      if (!req.url?.startsWith('/more')) json(res, { items: big, next: `${s.url}/more` });
    });
    servers.push(s);
    const result = await search(
      loadConfigText(
        `currency: USD\nsources:${source('paged', `${s.url}/s`, '\n      tag: $uppercase(title)\n    next: next')}\n`,
        'sources.yaml',
        {},
      ),
      { text: 'x', params: { query: 'x' }, limit: 1, deadlineMs: 1000 },
    );
    expect(result.offers.map((o) => o.title)).toEqual(['p1-0']);
    expect(result.sources[0]).toMatchObject({ status: 'ok', incomplete: true, offers: big.length });
  });

  // Its pages all mapped, a paged source the run's end stopped in its --where lost every offer, a
  // `timeout` row 'while its answer was mapped', where one stopped mapping a later page keeps the pages before.
  // Mapped whole after the deadline, a flow's page went on being mapped past a Ctrl-C: 8 s of 90,000 items,
  // deaf to it, as every mapping was before d60062f.
  it('--deadline: a Ctrl-C stops the mapping of what arrived after the deadline, between batches', async () => {
    const big = Array.from({ length: 2 * REST_BATCH + 5 }, (_, i) => item(`p1-${i}`, i + 1));
    const s = await startServer((req, res) => {
      // Page 2 never comes: the deadline ends the flow, and only then is page 1 mapped.
      if (!req.url?.startsWith('/more')) json(res, { items: big, next: `${s.url}/more` });
    });
    servers.push(s);
    const config = pagedConfig(s.url);
    const batches: number[] = [];
    // Ctrl-C as the first batch is mapped, after the deadline.
    const ctrlC = new AbortController();
    onEachBatch(config, (items) => {
      batches.push(items);
      ctrlC.abort();
    });
    const result = await search(config, {
      text: 'x',
      params: { query: 'x' },
      deadlineMs: 1000,
      signal: ctrlC.signal,
    });
    expect(batches).toEqual([REST_BATCH]);
    expect(result.sources[0]).toMatchObject({
      status: 'cancelled',
      offers: 0,
      error: 'interrupted while its answer was mapped',
    });
  });

  it('a paged source stopped in its --where keeps the offers judged before, ok and incomplete', async () => {
    const page = (n: number) => Array.from({ length: 0.6 * REST_BATCH }, (_, i) => item(`p${n}-${i}`, i + 1));
    const s = await startServer((req, res) => {
      const n = Number(new URL(req.url ?? '/', s.url).searchParams.get('page') ?? 1);
      json(res, { items: page(n), next: n < 3 ? `${s.url}/s?page=${n + 1}` : null });
    });
    servers.push(s);
    // Ctrl-C while --where judges its first batch: once every page has come and been mapped.
    const ctrlC = new AbortController();
    const where = compileWhere('price > 0');
    const evaluate = where.evaluate.bind(where);
    where.evaluate = ((...args: Parameters<typeof evaluate>) => {
      ctrlC.abort();
      return evaluate(...args);
    }) as typeof where.evaluate;
    const config = loadConfigText(
      `currency: USD\nsources:${source('paged', `${s.url}/s`, '\n    next: next\n    maxPages: 3')}\n`,
      'sources.yaml',
      {},
    );
    const result = await search(config, { text: 'x', params: { query: 'x' }, where, signal: ctrlC.signal });
    expect(result.sources[0]).toMatchObject({
      status: 'ok',
      incomplete: true,
      offers: REST_BATCH,
      error: `incomplete, --where judged ${REST_BATCH} of ${1.8 * REST_BATCH} offers; interrupted while it judged the rest`,
    });
    expect(result.offers).toHaveLength(REST_BATCH);
    // One answer is stopped as before, as a source still on its way, and says what it was doing.
    const one = await startServer((_req, res) => json(res, { items: page(1).concat(page(2)) }));
    servers.push(one);
    const ctrlC2 = new AbortController();
    where.evaluate = ((...args: Parameters<typeof evaluate>) => {
      ctrlC2.abort();
      return evaluate(...args);
    }) as typeof where.evaluate;
    const plain = loadConfigText(`currency: USD\nsources:${source('plain', `${one.url}/s`)}\n`, 'sources.yaml', {});
    const stopped = await search(plain, { text: 'x', params: { query: 'x' }, where, signal: ctrlC2.signal });
    expect(stopped.sources[0]).toMatchObject({
      status: 'cancelled',
      offers: 0,
      error: 'interrupted while --where judged its offers',
    });
  });

  it('first: a source that answered while the winner was being mapped is no part of the warnings', async () => {
    // `late` answers in yen, with no rate: judged by `where`, it would be warned of as left out.
    const result = await lateWhileMapping([item('l1', 50, 'JPY')], { where: compileWhere('price > 0') });
    expect(result.offers).toHaveLength(5000);
    // Its one offer was left out by `where`: it has none that are not used, and no note says so.
    expect(result.sources.find((s) => s.name === 'late')).toMatchObject({ offers: 0 });
    expect(result.sources.find((s) => s.name === 'late')?.note).toBeUndefined();
    expect(result.warnings).toEqual([]);
  });

  it('first: past the deadline, a flow that kept what arrived after the one taken says its offers are not used', async () => {
    // Two paged sources whose second pages come too late: the deadline keeps each one's first page.
    const paged = async (title: string, price: number) => {
      const s = await startServer((req, res) =>
        req.url?.startsWith('/more')
          ? json(res, { items: [] }, { ms: 5000 })
          : json(res, { items: [item(title, price)], next: `${s.url}/more` }),
      );
      servers.push(s);
      return s;
    };
    const one = await paged('one-1', 30);
    const two = await paged('two-1', 10);
    const file = writeConfig([
      source('one', `${one.url}/s`, '\n    next: next'),
      source('two', `${two.url}/s`, '\n    next: next'),
    ]);
    // 1200 ms, not 500: a starved machine took over 400 ms for a local answer (hedge.test.ts's s29).
    const out = await runCli(['search', 'x', '-c', file, '-s', 'first', '--deadline', '1200ms', '--json']);
    const doc = JSON.parse(out.stdout);
    expect(doc.offers).toHaveLength(1);
    const taken = doc.offers[0].source;
    const other = taken === 'one' ? 'two' : 'one';
    const rows = Object.fromEntries(doc.sources.map((r: { name: string }) => [r.name, r]));
    expect(rows[taken]).toMatchObject({ status: 'ok', incomplete: true, offers: 1 });
    expect(rows[taken].note).toBeUndefined();
    expect(rows[other]).toMatchObject({ status: 'ok', incomplete: true, offers: 1 });
    expect(rows[other].note).toBe(`its offers are not used: ${taken} answered first`);
  });

  it('first: a --where that threw on the offers of a source answering after the winner warns of nothing', async () => {
    // The winner's titles end in a number (`w1`); `late`'s does not, and the predicate throws on it.
    const result = await lateWhileMapping([item('l-x', 5)], {
      where: compileWhere('$number($substring(title, 1)) > 0'),
    });
    expect(result.sources.find((s) => s.name === 'late')?.status).toBe('ok');
    expect(result.offers).toHaveLength(4999);
    expect(result.warnings).toEqual([]);
  });

  it('first: with no source yielding offers, waits for all and exits 1', async () => {
    const a = await vendor([]);
    const b = await vendor([]);
    const out = await runCli([
      'search',
      'x',
      '-c',
      writeConfig([source('a', `${a.url}/s`), source('b', `${b.url}/s`)]),
      '-s',
      'first',
    ]);
    expect(out.code).toBe(1);
    expect(out.stdout).toBe('No offers.\n');
  });
});

describe('failures are rows', () => {
  it('reports a timeout, an HTTP error and invalid JSON as rows, and still prints the offers', async () => {
    const ok = await vendor([item('ok', 10)]);
    const slow = await vendor([item('slow', 1)], { ms: 5000 });
    const broken = await startServer((_req, res) => {
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ detail: 'maintenance window' }] }));
    });
    const html = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>oops</html>');
    });
    servers.push(broken, html);
    const file = writeConfig([
      source('ok', `${ok.url}/s`),
      source('slow', `${slow.url}/s`, '\n    timeout: 300ms'),
      source('broken', `${broken.url}/s`, '\n    retries: 0'),
      source('html', `${html.url}/s`),
    ]);
    const out = await runCli(['search', 'x', '-c', file, '--json']);
    const doc = JSON.parse(out.stdout);
    expect(out.code).toBe(0);
    expect(doc.partial).toBe(true);
    const rows = Object.fromEntries(doc.sources.map((s: { name: string }) => [s.name, s]));
    expect(rows.ok).toMatchObject({ status: 'ok', httpStatus: 200, attempts: 1, offers: 1 });
    expect(rows.slow).toMatchObject({ status: 'timeout', offers: 0 });
    expect(rows.slow.error).toBe(`no response within 300ms: GET ${slow.url}/s`);
    expect(rows.broken).toMatchObject({ status: 'error', httpStatus: 503 });
    expect(rows.broken.error).toBe(`HTTP 503 Service Unavailable: GET ${broken.url}/s (maintenance window)`);
    expect(rows.html.error).toBe(`response is not JSON (text/html): GET ${html.url}/s`);
    expect(out.stderr).toMatch(/slow\s+timeout\s+no response within 300ms/);
  });

  it('names what a JSON:API error is about when its text does not: `This attribute is required` of what?', async () => {
    const amadeus = await startServer((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      const missing = {
        status: 400,
        code: 32171,
        title: 'MANDATORY DATA MISSING',
        detail: 'This attribute is required',
      };
      res.end(JSON.stringify({ errors: [{ ...missing, source: { parameter: 'adults' } }] }));
    });
    const duffel = await startServer((_req, res) => {
      res.writeHead(422, { 'content-type': 'application/json' });
      const message = 'departure_date must be a date';
      res.end(JSON.stringify({ errors: [{ message, source: { field: 'departure_date', pointer: '/slices/0' } }] }));
    });
    // A JSON pointer is about its last step: the text naming `departure_date` names it.
    const pointed = await startServer((req, res) => {
      res.writeHead(422, { 'content-type': 'application/json' });
      const [pointer, detail] = req.url?.startsWith('/named')
        ? ['/data/attributes/departure_date', 'departure_date must be a date']
        : ['/data/attributes/return_date', 'must be a date'];
      res.end(JSON.stringify({ errors: [{ detail, source: { pointer } }] }));
    });
    servers.push(amadeus, duffel, pointed);
    const file = writeConfig([
      source('amadeus', `${amadeus.url}/s`),
      source('duffel', `${duffel.url}/s`),
      source('named', `${pointed.url}/named`),
      source('unnamed', `${pointed.url}/unnamed`),
    ]);
    const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--json'])).stdout);
    expect(doc.sources[0].error).toBe(
      `HTTP 400 Bad Request: GET ${amadeus.url}/s (adults: This attribute is required)`,
    );
    // A message that names it already is left as it is.
    expect(doc.sources[1].error).toBe(
      `HTTP 422 Unprocessable Entity: GET ${duffel.url}/s (departure_date must be a date)`,
    );
    expect(doc.sources[2].error).toBe(
      `HTTP 422 Unprocessable Entity: GET ${pointed.url}/named (departure_date must be a date)`,
    );
    expect(doc.sources[3].error).toBe(
      `HTTP 422 Unprocessable Entity: GET ${pointed.url}/unnamed (return_date: must be a date)`,
    );
  });

  it("shows an RFC 9457 problem's detail (or its title): a 422 read only 'HTTP 422 Unprocessable Entity'", async () => {
    const problem = await startServer((req, res) => {
      if (req.url?.startsWith('/bare')) {
        res.writeHead(404, { 'content-type': 'application/problem+json' });
        res.end(JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404 }));
        return;
      }
      res.writeHead(req.url?.startsWith('/titled') ? 400 : 422, { 'content-type': 'application/problem+json' });
      const body = req.url?.startsWith('/titled')
        ? {
            type: 'https://tools.ietf.org/html/rfc9110#section-15.5.1',
            title: 'One or more validation errors occurred.',
            status: 400,
            errors: { q: ['The q field is required.'] },
          }
        : {
            type: 'about:blank',
            title: 'Unprocessable Content',
            status: 422,
            detail: 'q must be at least 3 characters',
          };
      res.end(JSON.stringify(body));
    });
    servers.push(problem);
    const file = writeConfig([
      source('detailed', `${problem.url}/detailed`),
      source('titled', `${problem.url}/titled`),
      source('bare', `${problem.url}/bare`),
    ]);
    const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--json'])).stdout);
    expect(doc.sources[0].error).toBe(
      `HTTP 422 Unprocessable Entity: GET ${problem.url}/detailed (q must be at least 3 characters)`,
    );
    expect(doc.sources[1].error).toBe(
      `HTTP 400 Bad Request: GET ${problem.url}/titled (One or more validation errors occurred.)`,
    );
    // A title that is the status line's own words adds nothing: not `HTTP 404 Not Found: GET … (Not Found)`.
    expect(doc.sources[2].error).toBe(`HTTP 404 Not Found: GET ${problem.url}/bare`);
  });

  it('retries an idempotent request once on 503 and counts the attempts', async () => {
    let calls = 0;
    const flaky = await startServer((_req, res) => {
      calls++;
      return calls === 1 ? json(res, {}, { status: 503 }) : json(res, { items: [item('second try', 5)] });
    });
    servers.push(flaky);
    const out = await runCli(['search', 'x', '-c', writeConfig([source('flaky', `${flaky.url}/s`)]), '--json']);
    const doc = JSON.parse(out.stdout);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', attempts: 2, offers: 1 });
  });

  it('reports a 429 as rate limited, without a retry, when its Retry-After is longer than the time left', async () => {
    const limited = await startServer((_req, res) => {
      res.writeHead(429, { 'retry-after': '30', 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'slow down' }));
    });
    servers.push(limited);
    const file = writeConfig([source('limited', `${limited.url}/s`, '\n    timeout: 2s')]);
    const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--json'])).stdout);
    expect(doc.sources[0]).toMatchObject({
      status: 'error',
      httpStatus: 429,
      attempts: 1,
      rateLimited: true,
      retryAfterMs: 30_000,
    });
    expect(doc.sources[0].error).toBe(
      `rate limited (HTTP 429 Too Many Requests, retry after 30s): GET ${limited.url}/s (slow down)`,
    );
  });

  it('counts the timeout over the whole body, not just the headers', async () => {
    const trickle = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"items": [');
      // Headers at once, the rest never: a headers-only timeout would hang here.
    });
    servers.push(trickle);
    const out = await runCli([
      'search',
      'x',
      '-c',
      writeConfig([source('trickle', `${trickle.url}/s`)]),
      // 800 ms, not 300: the headers must be in first, and a starved machine took over 400 ms for a local
      // answer (hedge.test.ts's s29).
      '--timeout',
      '800ms',
      '--json',
    ]);
    const doc = JSON.parse(out.stdout);
    expect(doc.sources[0]).toMatchObject({ status: 'timeout', httpStatus: 200 });
    expect(doc.sources[0].error).toMatch(/^HTTP 200, body not complete within 800ms: GET /);
    expect(out.code).toBe(4);
    // The run's deadline says what ended it, and keeps the status the vendor sent too.
    const cut = await runCli([
      'search',
      'x',
      '-c',
      writeConfig([source('trickle', `${trickle.url}/s`)]),
      '--deadline',
      '800ms',
      '--json',
    ]);
    expect(JSON.parse(cut.stdout).sources[0]).toMatchObject({ status: 'timeout', httpStatus: 200 });
    expect(JSON.parse(cut.stdout).sources[0].error).toMatch(/^deadline 800ms passed: GET /);
  });

  it('--deadline turns pending sources into timeouts and answers with what arrived', async () => {
    const fast = await vendor([item('fast', 5)]);
    const slow = await vendor([item('slow', 1)], { ms: 8000 });
    const file = writeConfig([source('fast', `${fast.url}/s`), source('slow', `${slow.url}/s`)]);
    const started = Date.now();
    // 1200 ms, not 400: fast's answer must be in by then, and a starved machine took over 400 ms for a
    // local answer (hedge.test.ts's s29).
    const out = await runCli(['search', 'x', '-c', file, '--deadline', '1200ms', '--json']);
    const doc = JSON.parse(out.stdout);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(doc.offers.map((o: { title: string }) => o.title)).toEqual(['fast']);
    expect(doc.sources[1]).toMatchObject({ name: 'slow', status: 'timeout' });
    expect(doc.sources[1].error).toMatch(/^deadline 1\.2s passed: GET /);
  });

  it('Ctrl-C before any request goes out ends the run at once, with 130', async () => {
    const never = await startServer(() => new Promise(() => {}));
    servers.push(never);
    const interrupt = new AbortController();
    interrupt.abort();
    const out = await runCli(['search', 'x', '-c', writeConfig([source('never', `${never.url}/s`)])], {
      interrupt: interrupt.signal,
    });
    expect(out.code).toBe(130);
    expect(never.requests).toHaveLength(0);
  });

  it('Ctrl-C aborts in-flight requests and exits 130', async () => {
    const slow = await vendor([item('slow', 1)], { ms: 8000 });
    const interrupt = new AbortController();
    const running = runCli(['search', 'x', '-c', writeConfig([source('slow', `${slow.url}/s`)])], {
      interrupt: interrupt.signal,
    });
    // Once the request is in flight, not at a fixed 200 ms: on a starved machine it may not have gone out
    // by then, and the vendor would never see it hung up on.
    await expect.poll(() => slow.requests.length, { timeout: 10_000 }).toBe(1);
    interrupt.abort();
    const out = await running;
    expect(out.code).toBe(130);
    await slow.clientAborted;
  });
});

describe('templates and selection', () => {
  it('skips a source whose template needs a missing param, without sending it', async () => {
    const flights = await vendor([item('f', 1)]);
    const shop = await vendor([item('p', 2)]);
    const file = writeConfig([
      source('flights', `${flights.url}/s?from={{from}}`),
      source('shop', `${shop.url}/s?q={{query}}`),
    ]);
    const out = await runCli(['search', 'sony', '-c', file, '--json']);
    const doc = JSON.parse(out.stdout);
    expect(doc.sources[0]).toMatchObject({ name: 'flights', status: 'skipped', error: 'needs from' });
    expect(flights.requests).toHaveLength(0);
    expect(shop.requests[0]?.url).toBe('/s?q=sony');
    expect(doc.partial).toBe(false);
  });

  it('sends a typed JSON body built from params', async () => {
    const api = await startServer((_req, res) => json(res, { items: [item('x', 1)] }));
    servers.push(api);
    const file = writeConfig([
      `
  - name: duffel
    request:
      method: POST
      url: "${api.url}/offer_requests"
      body: { data: { origin: "{{from}}", max: "{{ $number(max) }}" } }
    offers: items
    fields: { title: title, price: price, currency: currency }`,
    ]);
    await runCli(['search', 'from=JFK', 'max=2', '-c', file, '--json']);
    expect(api.requests[0]).toMatchObject({ method: 'POST' });
    expect(JSON.parse(api.requests[0]?.body ?? '')).toEqual({ data: { origin: 'JFK', max: 2 } });
    expect(api.requests[0]?.headers['content-type']).toBe('application/json');
  });

  it('sends a form body as form fields, and a string body under another type as written', async () => {
    const api = await startServer((_req, res) => json(res, { items: [item('x', 1)] }));
    servers.push(api);
    const post = (name: string, type: string, body: string) => `
  - name: ${name}
    request:
      method: POST
      url: "${api.url}/${name}"
      headers: { Content-Type: "${type}" }
      body: ${body}
    offers: items
    fields: { title: title, price: price, currency: currency }`;
    const form = 'application/x-www-form-urlencoded';
    const file = writeConfig([
      post('fields', form, '{ q: "{{query}}", limit: 20, tag: [a, b], none: null }'),
      post('written', `${form}; charset=utf-8`, '"grant=search&q={{query}}"'),
      post('whole', form, `"{{ 'q=' & query }}"`),
      post('mapped', form, `"{{ {'q': query, 'n': 2} }}"`),
      post('xml', 'application/xml', '"<q>{{query}}</q>"'),
      post('soap', 'application/soap+xml; charset=utf-8', `"{{ '<q>' & query & '</q>' }}"`),
      post('plain', 'text/plain', '"q: {{query}}"'),
      post('svg', 'image/svg+xml', '"<text>{{query}}</text>"'),
    ]);
    await runCli(['search', 'tea & <cake>', '-c', file, '--json']);
    const sent = Object.fromEntries(api.requests.map((r) => [r.url.slice(1), r.body]));
    expect(sent).toEqual({
      fields: 'q=tea+%26+%3Ccake%3E&limit=20&tag=a&tag=b',
      // Each value form-encoded, a body that is one `{{ }}` too: the query cannot add a field of its own.
      written: 'grant=search&q=tea+%26+%3Ccake%3E',
      whole: 'q%3Dtea+%26+%3Ccake%3E',
      mapped: 'q=tea+%26+%3Ccake%3E&n=2',
      // Under an XML type each value is escaped: the query cannot add an element.
      xml: '<q>tea &amp; &lt;cake&gt;</q>',
      soap: '&lt;q&gt;tea &amp; &lt;cake&gt;&lt;/q&gt;',
      plain: 'q: tea & <cake>',
      svg: '<text>tea &amp; &lt;cake&gt;</text>',
    });
  });

  it('selects by --source and --tag, and rejects an unknown name with exit 2', async () => {
    const a = await vendor([item('a', 1)]);
    const b = await vendor([item('b', 2)]);
    const file = writeConfig([
      source('a', `${a.url}/s`, '\n    tags: [shops]'),
      source('b', `${b.url}/s`, '\n    tags: [air]'),
    ]);
    const bySource = JSON.parse((await runCli(['search', 'x', '-c', file, '--source', 'b', '--json'])).stdout);
    expect(bySource.sources.map((s: { name: string }) => s.name)).toEqual(['b']);
    const byTag = JSON.parse((await runCli(['search', 'x', '-c', file, '--tag', 'shops', '--json'])).stdout);
    expect(byTag.offers.map((o: { title: string }) => o.title)).toEqual(['a']);
    const bad = await runCli(['search', 'x', '-c', file, '--source', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown source "nope"; configured: a, b');
  });

  it('rejects an unknown --tag naming the tags in use', async () => {
    const a = await vendor([item('a', 1)]);
    const file = writeConfig([source('a', `${a.url}/s`, '\n    tags: [shops, air]')]);
    const bad = await runCli(['search', 'x', '-c', file, '--tag', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('no source has tag "nope"; tags in use: shops, air');
  });

  it('skips a source whose required param is given empty (`from=`), and names only the params given a value', async () => {
    const a = await vendor([item('a', 1)]);
    const file = writeConfig([source('a', `${a.url}/s`, '\n    requires: [from]')]);
    const out = await runCli(['search', 'x', 'from=', 'to=LIS', '-c', file, '--json']);
    expect(out.stderr).toContain('(a needs from; given: to, query;');
    expect(a.requests).toHaveLength(0);
  });

  it('an empty --source or --tag (`--source "$VENDORS"`, VENDORS unset) is a usage error, not every source', async () => {
    const a = await vendor([item('a', 1)]);
    const file = writeConfig([source('a', `${a.url}/s`, '\n    tags: [shops]')]);
    for (const [flag, value] of [
      ['--source', ''],
      ['--tag', ' , '],
    ] as const) {
      const out = await runCli(['search', 'x', '-c', file, flag, value, '--json']);
      expect(out.code).toBe(2);
      expect(out.stdout).toBe('');
      expect(out.stderr).toContain(`${flag} needs a name, and was given none`);
      expect(a.requests).toHaveLength(0);
    }
  });

  it('an empty --where (`--where "$FILTER"`, FILTER unset) is a usage error that says so, not a JSONata one', async () => {
    const a = await vendor([item('a', 1)]);
    const file = writeConfig([source('a', `${a.url}/s`)]);
    const out = await runCli(['search', 'x', '-c', file, '--where', ' ', '--json']);
    expect(out.code).toBe(2);
    expect(out.stderr).toBe('agg: --where needs an expression, and was given none (like --where "stops = 0")\n');
    expect(a.requests).toHaveLength(0);
  });

  it('--where filters on converted prices and extra fields', async () => {
    const a = await vendor([
      item('direct', 400, 'EUR', { stops: 0 }),
      item('one-stop', 300, 'USD', { stops: 1 }),
      item('dear', 600, 'USD', { stops: 0 }),
    ]);
    const file = writeConfig([source('a', `${a.url}/s`, '\n      stops: stops')]);
    const doc = JSON.parse(
      (await runCli(['search', 'x', '-c', file, '--where', 'stops = 0 and price < 500', '--json'])).stdout,
    );
    expect(doc.offers.map((o: { title: string; price: number }) => [o.title, o.price])).toEqual([['direct', 440]]);
    const bad = await runCli(['search', 'x', '-c', file, '--where', 'price <']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^agg: --where: invalid JSONata/);
    expect(bad.stderr).not.toContain('JSONata writes');
    // Text that compiles alone but not inside the filter that wraps it (a regex after `(`) is the
    // user's mistake too: it was 'internal error', exit 70.
    const regex = await runCli(['search', 'x', '-c', file, '--where', '/a/']);
    expect(regex.code).toBe(2);
    // Quoting what the user wrote, not the filter agg wraps it in, and placing the error in it.
    expect(regex.stderr).toBe(
      'agg: --where: invalid JSONata "/a/": The symbol "/" cannot be used as a unary operator (at character 1)\n',
    );
    // `==` and `&&` from other languages: JSONata's own message names a unary operator, not the fix.
    for (const where of ['stops == 0', 'stops = 0 && price < 500', '!(stops = 0)']) {
      const other = await runCli(['search', 'x', '-c', file, '--where', where]);
      expect(other.code).toBe(2);
      expect(other.stderr).toContain(
        '; JSONata writes `=`, `!=`, `and`, `or` and `$not()` (`stops = 0 and price < 500`)',
      );
    }
    // A `!` or `==` inside a string is text: the error is elsewhere, and the hint would mislead.
    for (const where of ['title = "Sale!" and price <', "title = 'a==b' and ("]) {
      const quoted = await runCli(['search', 'x', '-c', file, '--where', where]);
      expect(quoted.code).toBe(2);
      expect(quoted.stderr).toMatch(/^agg: --where: invalid JSONata/);
      expect(quoted.stderr).not.toContain('JSONata writes');
    }
  });

  it('--where that names a field no offer has says so, rather than a silent "No offers."', async () => {
    const a = await vendor([item('direct', 400, 'USD', { stops: 0 }), item('one-stop', 300, 'USD', { stops: 1 })]);
    const file = writeConfig([source('a', `${a.url}/s`, '\n      stops: stops')]);
    const typo = await runCli(['search', 'x', '-c', file, '--where', 'stop = 0']);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain("warning: --where reads `stop`, which no offer has; the offers' fields: ");
    expect(typo.stderr).toMatch(/the offers' fields: .*\bstops\b/);
    // Fields the offers have, and names past a path's first step or in a predicate, are not warned about.
    const fine = await runCli([
      'search',
      'x',
      '-c',
      file,
      '--where',
      'stops = 0 and price < 500 and $count(stops[$ = 0]) = 1',
    ]);
    expect(fine.code).toBe(0);
    expect(fine.stderr).not.toContain('which no offer has');
  });

  it('--currency that ISO 4217 does not have, with no rate and no offer in it, says so with the code meant', async () => {
    // Every offer went unconverted, and the warnings named USD and EUR as having no rate to UDS, not the typo.
    const a = await vendor([item('dollars', 40, 'USD'), item('euros', 30, 'EUR'), item('coins', 0.001, 'BTC')]);
    const file = writeConfig([source('a', `${a.url}/s`)]);
    const typo = await runCli(['search', 'x', '-c', file, '--currency', 'uds']);
    expect(typo.code).toBe(0);
    expect(typo.stderr).toContain(
      'warning: the ranking currency UDS is no ISO 4217 code, and no offer came in it; did you mean USD?',
    );
    // A typo wants no rate: the line that says to add one is for a real currency.
    expect(typo.stderr).not.toContain('`rates` has no');
    // A vendor's own code is ranked in as any other (nothing is converted to it), and an ISO code or a
    // code the rates give is no mistake.
    for (const code of ['BTC', 'JPY', 'EUR'])
      expect((await runCli(['search', 'x', '-c', file, '--currency', code])).stderr).not.toContain('ISO 4217');
    const rated = writeConfig([source('a', `${a.url}/s`)], 'currency: USD\nrates: { EUR: 1.10, PTS: 0.01 }');
    expect((await runCli(['search', 'x', '-c', rated, '--currency', 'PTS'])).stderr).not.toContain('ISO 4217');
  });

  it('--where that compares a field with a number, where every offer has it as text, says so', async () => {
    // `stops: "0"` from the mapping: `stops = 0` is false for text, and the run read 'No offers.' alone.
    const a = await vendor([item('direct', 400, 'USD', { stops: '0' }), item('one-stop', 300, 'USD', { stops: '1' })]);
    const file = writeConfig([source('a', `${a.url}/s`, '\n      stops: stops')]);
    const text = await runCli(['search', 'x', '-c', file, '--where', 'stops = 0 and price < 500']);
    expect(text.code).toBe(1);
    expect(text.stderr).toContain(
      'warning: --where compares `stops` with a number, but every offer has it as text ("0"): text never equals a number; map it as one ($number() in the source\'s fields), or compare it with text',
    );
    // Compared with text, or as a number on some offers, it is no mistake of type.
    const quoted = await runCli(['search', 'x', '-c', file, '--where', 'stops = "0"']);
    expect(quoted.code).toBe(0);
    expect(quoted.stderr).not.toContain('compares');
    const b = await vendor([item('direct', 400, 'USD', { stops: 0 }), item('one-stop', 300, 'USD', { stops: '1' })]);
    const mixed = writeConfig([source('b', `${b.url}/s`, '\n      stops: stops')]);
    const some = await runCli(['search', 'x', '-c', mixed, '--where', 'stops = 0']);
    expect(some.code).toBe(0);
    expect(some.stderr).not.toContain('compares');
  });

  it("--where that compares a later path step's field with a number does not take it for the offer's own", async () => {
    // The offer's `stops` is text ("0"), each segment's a number: `segments.(stops = 0)` compares the segments'.
    const segments = [{ stops: 0 }];
    const a = await vendor([item('direct', 400, 'USD', { stops: '0', segments })]);
    const file = writeConfig([source('a', `${a.url}/s`, '\n      stops: stops\n      segments: segments')]);
    const out = await runCli(['search', 'x', '-c', file, '--where', 'segments.(stops = 0)']);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('direct');
    expect(out.stderr).not.toContain('compares');
  });

  it('--where that starts a path with `$`, the offer itself, is checked as the bare name is', async () => {
    // `$.stop = 0` read the offer's `stop` as `stop = 0` does, and said nothing of the typo or of text.
    const a = await vendor([item('direct', 400, 'USD', { stops: '0' }), item('one-stop', 300, 'USD', { stops: '1' })]);
    const file = writeConfig([source('a', `${a.url}/s`, '\n      stops: stops')]);
    const typo = await runCli(['search', 'x', '-c', file, '--where', '$.stop = 0']);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain("warning: --where reads `stop`, which no offer has; the offers' fields: ");
    const text = await runCli(['search', 'x', '-c', file, '--where', '$.(stops = 0) and $.price < 500']);
    expect(text.code).toBe(1);
    expect(text.stderr).toContain('warning: --where compares `stops` with a number, but every offer has it as text');
    expect(text.stderr).not.toContain('which no offer has');
    // `$` alone and a function of it read no field by name.
    const fine = await runCli(['search', 'x', '-c', file, '--where', '$exists($) and $lookup($, "stops") = "0"']);
    expect(fine.code).toBe(0);
    expect(fine.stdout).toContain('direct');
    expect(fine.stderr).not.toMatch(/which no offer has|compares/);
  });

  it('--where does not warn about names in a predicate on a variable, block or function result', async () => {
    const segments = [{ carrier: 'BA' }];
    const a = await vendor([item('direct', 400, 'USD', { segments }), item('other', 300, 'USD', { segments: [] })]);
    const file = writeConfig([source('a', `${a.url}/s`, '\n      segments: segments')]);
    for (const where of [
      '($s := segments; $count($s[carrier = "BA"]) > 0)',
      '$count((segments)[carrier = "BA"]) > 0',
      '$count($append(segments, [])[carrier = "BA"]) > 0',
    ]) {
      const out = await runCli(['search', 'x', '-c', file, '--where', where, '--json']);
      expect(out.code).toBe(0);
      expect(JSON.parse(out.stdout).offers.map((o: { title: string }) => o.title)).toEqual(['direct']);
      expect(out.stderr).not.toContain('which no offer has');
    }
  });

  it('--where that throws on every offer is a usage error; on some, a warning', async () => {
    const a = await vendor([item('one', 1, 'USD', { stops: 1 }), item('odd', 2, 'USD', { stops: 'direct' })]);
    const file = writeConfig([source('a', `${a.url}/s`, '\n      stops: stops')]);
    const typo = await runCli(['search', 'x', '-c', file, '--where', '$nosuch(price)']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/^agg: --where: /m);
    const mixed = await runCli(['search', 'x', '-c', file, '--where', 'stops > 0', '--json']);
    expect(JSON.parse(mixed.stdout).offers.map((o: { title: string }) => o.title)).toEqual(['one']);
    expect(mixed.stderr).toMatch(/^warning: --where: /m);
  });

  it('--where that throws on many offers names a few of its errors, each cut short, and counts the rest', async () => {
    // Each error quotes the offer's value: one warning per offer, each as long as the vendor made the value.
    const odd = Array.from({ length: 29 }, (_, i) => item(`odd${i}`, 2, 'USD', { stops: `${i}${'x'.repeat(5000)}` }));
    const a = await vendor([item('one', 1, 'USD', { stops: 1 }), ...odd]);
    const file = writeConfig([source('a', `${a.url}/s`, '\n      stops: stops')]);
    const out = await runCli(['search', 'x', '-c', file, '--where', 'stops > 0', '--json']);
    const doc = JSON.parse(out.stdout);
    expect(doc.offers.map((o: { title: string }) => o.title)).toEqual(['one']);
    expect(doc.warnings).toHaveLength(6);
    for (const w of doc.warnings.slice(0, 5)) expect(w).toMatch(/^--where: The values "\d+x+…$/);
    expect(doc.warnings[0].length).toBeLessThanOrEqual(200);
    expect(doc.warnings[5]).toBe('--where threw on 24 more offers, left out too');
  });

  it('lists an offer in a currency with no rate after the others, with a warning', async () => {
    const a = await vendor([item('yen', 100, 'JPY'), item('dollar', 500, 'USD')]);
    const out = await runCli(['search', 'x', '-c', writeConfig([source('a', `${a.url}/s`)]), '--json']);
    const doc = JSON.parse(out.stdout);
    expect(doc.offers.map((o: { title: string; unconverted?: boolean }) => [o.title, o.unconverted])).toEqual([
      ['dollar', undefined],
      ['yen', true],
    ]);
    expect(doc.warnings).toEqual(['no rate for JPY to USD: those offers are listed after the others, unconverted']);
    expect(out.stderr).toContain('warning: no rate for JPY to USD');
  });

  it('says a currency with no rate was cut by the limit, rather than speak of offers not listed', async () => {
    const a = await vendor([item('dollar', 5, 'USD'), item('yen', 1000, 'JPY'), item('euro', 3, 'EUR')]);
    const file = writeConfig([source('a', `${a.url}/s`)]);
    for (const flags of [
      ['--limit', '1'],
      ['-s', 'best'],
      ['--limit', '2'],
    ]) {
      const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--json', '-q', ...flags])).stdout);
      expect(doc.offers.map((o: { title: string }) => o.title)).toEqual(
        ['euro', 'dollar'].slice(0, flags[1] === '2' ? 2 : 1),
      );
      expect(doc.warnings).toEqual([
        'no rate for JPY to USD: those offers come after the others, and the limit left them out',
      ]);
    }
  });

  it("says the ranking currency has no rate, with the fix, when the offers' currencies have theirs", async () => {
    const a = await vendor([item('euro', 10, 'EUR'), item('dollar', 12, 'USD')]);
    const file = writeConfig([source('a', `${a.url}/s`)]);
    // EUR has its rate in USD; JPY, asked for by --currency, has none: `no rate for EUR to JPY` alone
    // sent the reader to look at EUR.
    const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--currency', 'JPY', '--json'])).stdout);
    expect(doc.warnings).toEqual([
      '`rates` has no JPY, the ranking currency: add what one JPY is worth in USD to convert the other currencies to it',
      'no rate for EUR to JPY: those offers are unconverted',
      'no rate for USD to JPY: those offers are unconverted',
    ]);
    // A --where that left out every unconverted offer (they have no `price` to compare) is why none is listed:
    // the missing rate is still the thing to fix.
    const where = await runCli(['search', 'x', '-c', file, '--currency', 'JPY', '--where', 'price < 1', '--json']);
    expect(JSON.parse(where.stdout).warnings[0]).toBe(doc.warnings[0]);
    // A ranking currency with a rate converts through the file's: no such line.
    const gbp = JSON.parse((await runCli(['search', 'x', '-c', file, '--currency', 'GBP', '--json'])).stdout);
    expect(gbp.warnings).toEqual([]);
    expect(gbp.offers.map((o: { price: number }) => o.price)).toEqual([8.46, 9.23]);
  });

  it('does not say unconverted offers are listed after the others when no offer was converted', async () => {
    const a = await vendor([item('yen', 1000, 'JPY'), item('dollar', 5, 'USD')]);
    const file = writeConfig([source('a', `${a.url}/s`)]);
    // --currency CHF: no rate from USD or JPY, so every offer is unconverted and none comes before them.
    const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--currency', 'CHF', '--json'])).stdout);
    expect(doc.offers.every((o: { unconverted?: boolean }) => o.unconverted)).toBe(true);
    expect(doc.warnings).toEqual([
      '`rates` has no CHF, the ranking currency: add what one CHF is worth in USD to convert the other currencies to it',
      'no rate for JPY to CHF: those offers are unconverted',
      'no rate for USD to CHF: those offers are unconverted',
    ]);
  });

  it('says a currency the limit cut when no offer was converted: -s best must not hide a cheaper one', async () => {
    const a = await vendor([item('euro', 64.5, 'EUR'), item('dollar', 60.99, 'USD'), item('pound', 50, 'GBP')]);
    const file = writeConfig([source('a', `${a.url}/s`)]);
    // --currency CHF: no rate at all, so offers are grouped by code and `best` is the EUR group's cheapest.
    const doc = JSON.parse(
      (await runCli(['search', 'x', '-c', file, '--currency', 'CHF', '-s', 'best', '--json'])).stdout,
    );
    expect(doc.offers.map((o: { title: string }) => o.title)).toEqual(['euro']);
    expect(doc.warnings).toEqual([
      '`rates` has no CHF, the ranking currency: add what one CHF is worth in USD to convert the other currencies to it',
      'no rate for EUR to CHF: those offers are unconverted',
      'no rate for USD to CHF: those offers are grouped by currency, as amounts in different currencies do not compare, and the limit left them out',
      'no rate for GBP to CHF: those offers are grouped by currency, as amounts in different currencies do not compare, and the limit left them out',
    ]);
  });

  it('does not say an unconverted offer is listed last under --sort of another field, where it is not', async () => {
    const a = await vendor([item('two stops', 100, 'USD', { stops: 2 }), item('non-stop', 15000, 'JPY', { stops: 0 })]);
    const file = writeConfig([source('a', `${a.url}/s`, '\n      stops: stops')]);
    const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--json', '--sort', 'stops'])).stdout);
    expect(doc.offers.map((o: { title: string }) => o.title)).toEqual(['non-stop', 'two stops']);
    expect(doc.warnings).toEqual(['no rate for JPY to USD: those offers are unconverted']);
    const table = await runCli(['search', 'x', '-c', file, '--sort', 'stops']);
    expect(table.stdout).toContain('* not converted to USD: no exchange rate\n');
    expect(table.stdout).not.toContain('ranked last');
  });

  it('does not say an unconverted offer is ranked last when --sort of another field lists it last', async () => {
    // Under --sort stops --desc the yen non-stop is last for its stops: the footnote must not blame its currency.
    const a = await vendor([item('two stops', 100, 'USD', { stops: 2 }), item('non-stop', 15000, 'JPY', { stops: 0 })]);
    const file = writeConfig([source('a', `${a.url}/s`, '\n      stops: stops')]);
    const table = await runCli(['search', 'x', '-c', file, '--sort', 'stops', '--desc']);
    expect(table.stdout.indexOf('two stops')).toBeLessThan(table.stdout.indexOf('non-stop'));
    expect(table.stdout).toContain('* not converted to USD: no exchange rate\n');
    expect(table.stdout).not.toContain('ranked last');
    // By price it is last for its currency, and the footnote says so.
    const byPrice = await runCli(['search', 'x', '-c', file]);
    expect(byPrice.stdout).toContain('* not converted to USD: no exchange rate; ranked last\n');
  });

  it('finds the currencies with no rate in one pass, however many codes there are, and names a few', async () => {
    // `currency` mapped from a field that differs on each item (an id): 20,000 codes with no rate. A
    // pass over every offer per code took 36 s; one pass takes milliseconds.
    const items = Array.from({ length: 20_000 }, (_, i) => item(`t${i}`, (i % 100) + 1, `ID${i}`));
    const a = await vendor([...items, item('dollar', 5, 'USD')]);
    const b = await vendor([item('b', 7, 'ID3')]);
    const file = writeConfig([source('a', `${a.url}/s`), source('b', `${b.url}/s`)]);
    const started = performance.now();
    const out = await runCli(['search', 'x', '-c', file, '--json', '--limit', '2']);
    const doc = JSON.parse(out.stdout);
    expect(doc.offers.map((o: { title: string }) => o.title)).toEqual(['dollar', 't0']);
    // One line for the one listed, one for the codes the limit cut: not 20,000.
    expect(doc.warnings).toEqual([
      'no rate for ID0 to USD: those offers are listed after the others, unconverted',
      'no rate for ID1, ID2, ID3, ID4, ID5 and 19994 more to USD: those offers come after the others, and the limit left them out',
    ]);
    expect(performance.now() - started).toBeLessThan(15_000);
  }, 60_000);

  it('a price a mapping adds up has no binary noise: --where keeps the $655.55 it shows, and JSON says 655.55', async () => {
    // 543.21 + 112.34 is 655.5500000000001 in binary, as about one sum of two prices in four is.
    const a = await vendor([{ title: 'fare', base: '543.21', tax: '112.34', currency: 'USD' }]);
    const file = writeConfig([
      source('a', `${a.url}/s`).replace('price: price', 'price: $number(base) + $number(tax)'),
    ]);
    const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--where', 'price <= 655.55', '--json'])).stdout);
    expect(doc.offers.map((o: { title: string; price: number }) => [o.title, o.price])).toEqual([['fare', 655.55]]);
  });

  it('--where sees no ranking-currency price on an unconverted offer: only its originalPrice', async () => {
    const a = await vendor([item('yen', 1000, 'JPY'), item('dollar', 5, 'USD'), item('euro', 4, 'EUR')]);
    const file = writeConfig([source('a', `${a.url}/s`)]);
    const where = async (predicate: string) =>
      JSON.parse((await runCli(['search', 'x', '-c', file, '--where', predicate, '--json'])).stdout).offers.map(
        (o: { title: string; price: number; unconverted?: boolean }) => [o.title, o.price, o.unconverted ?? false],
      );
    // ¥1000 is not "under 10" in USD: nobody knows what it is in USD.
    expect(await where('price < 10')).toEqual([
      ['euro', 4.4, false],
      ['dollar', 5, false],
    ]);
    // The vendor's own amounts, converted or not, are originalPrice and originalCurrency.
    expect(await where('originalCurrency = "JPY" and originalPrice < 2000')).toEqual([['yen', 1000, true]]);
    expect(await where('originalPrice = 4')).toEqual([['euro', 4.4, false]]);
  });

  it('counts the listed currencies with no rate towards the five lines, and groups the ones the limit cut', async () => {
    const codes = ['AAA', 'BBB', 'CCC', 'DDD', 'EEE', 'FFF', 'GGG'];
    const a = await vendor([item('dollar', 5), ...codes.map((c, i) => item(`t${c}`, 10 + i, c))]);
    const file = writeConfig([source('a', `${a.url}/s`)]);
    const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--limit', '3', '--json'])).stdout);
    expect(doc.offers.map((o: { title: string }) => o.title)).toEqual(['dollar', 'tAAA', 'tBBB']);
    // Two lines for the listed codes and five for the cut ones, one a code, were seven.
    expect(doc.warnings).toEqual([
      'no rate for AAA to USD: those offers are listed after the others, unconverted',
      'no rate for BBB to USD: those offers are listed after the others, unconverted',
      'no rate for CCC, DDD, EEE, FFF, GGG to USD: those offers come after the others, and the limit left them out',
    ]);
  });

  it('--where leaving out the offers of many currencies with no rate says so of every one, in one warning', async () => {
    const codes = ['AAA', 'BBB', 'CCC', 'DDD', 'EEE', 'FFF', 'GGG'];
    const a = await vendor([item('dollar', 5), ...codes.map((c, i) => item(`t${c}`, 10 + i, c))]);
    const file = writeConfig([source('a', `${a.url}/s`)]);
    const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--where', 'price < 100', '--json'])).stdout);
    expect(doc.offers.map((o: { title: string }) => o.title)).toEqual(['dollar']);
    // Past the fifth code the others were left out without a word.
    expect(doc.warnings).toEqual([
      'no rate for AAA, BBB, CCC, DDD, EEE and 2 more to USD: --where left out the offers in them (a): they have no USD price to compare',
    ]);
  });

  it('--where on an unconverted offer’s originalPrice is no field "no offer has", with no converted offer either', async () => {
    // Only dollars and yen: no offer has an originalPrice of its own, but the predicate saw the yen's.
    const a = await vendor([item('yen', 1000, 'JPY'), item('dollar', 5, 'USD')]);
    const out = await runCli([
      'search',
      'x',
      '-c',
      writeConfig([source('a', `${a.url}/s`)]),
      '--where',
      'originalCurrency = "JPY" and originalPrice < 2000',
      '--json',
    ]);
    const doc = JSON.parse(out.stdout);
    expect(doc.offers.map((o: { title: string }) => o.title)).toEqual(['yen']);
    expect(out.stderr).not.toContain('which no offer has');
  });

  it('best picks the truly cheapest of converted offers that round to the same cents, through --where too', async () => {
    const a = await vendor([item('dearer', 1500, 'JPY'), item('cheaper', 1499.5, 'JPY')]);
    const file = writeConfig([source('a', `${a.url}/s`)], 'currency: USD\nrates: { JPY: 0.0067 }');
    for (const extra of [[], ['--where', 'price > 0']]) {
      const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '-s', 'best', '--json', ...extra])).stdout);
      expect(doc.offers.map((o: { title: string; price: number }) => [o.title, o.price])).toEqual([['cheaper', 10.05]]);
    }
    // In yen, both are written ¥1,500 (yen have no minor unit), the cheaper first: ranked by the exact amount.
    const yen = JSON.parse((await runCli(['search', 'x', '-c', file, '--currency', 'JPY', '--json'])).stdout);
    expect(yen.offers.map((o: { title: string; price: number }) => [o.title, o.price])).toEqual([
      ['cheaper', 1500],
      ['dearer', 1500],
    ]);
    expect(yen.offers[0]).toMatchObject({ originalPrice: 1499.5, originalCurrency: 'JPY' });
    expect(yen.offers[1]).not.toHaveProperty('originalPrice');
  });

  it('an offer in the ranking currency with sub-cent digits agrees with --where as a converted one does', async () => {
    // $10.003 (a milli-unit price) and €9.095 at 1.10 (10.0045): both $10.00, the dollar offer cheaper.
    // `--where 'price <= 10'` kept the euro one and dropped the cheaper dollar one, left whole at 10.003.
    const a = await vendor([item('euro', 9.095, 'EUR'), item('dollar', 10.003, 'USD')]);
    const file = writeConfig([source('a', `${a.url}/s`)], 'currency: USD\nrates: { EUR: 1.10 }');
    const all = JSON.parse((await runCli(['search', 'x', '-c', file, '--json'])).stdout);
    expect(all.offers.map((o: { title: string; price: number }) => [o.title, o.price])).toEqual([
      ['dollar', 10],
      ['euro', 10],
    ]);
    const best = JSON.parse(
      (await runCli(['search', 'x', '-c', file, '-s', 'best', '--where', 'price <= 10', '--json'])).stdout,
    );
    expect(best.offers.map((o: { title: string }) => o.title)).toEqual(['dollar']);
  });

  it('says why --where left out offers with no rate, and counts every judged offer’s currency', async () => {
    const a = await vendor([item('yen', 700, 'JPY'), item('dollar', 400, 'USD'), item('pound', 455, 'GBP')]);
    const warningsOf = async (file: string, extra: string[]) =>
      JSON.parse((await runCli(['search', 'x', '-c', file, '--json', ...extra])).stdout).warnings;
    const known = writeConfig([source('a', `${a.url}/s`)], 'currency: USD\nrates: { GBP: 1.30 }');
    // The cheapest offer (¥700) has no USD price: --where drops it, and says so.
    expect(await warningsOf(known, ['--where', 'price < 800'])).toEqual([
      'no rate for JPY to USD: --where left out the offers in JPY (a): they have no USD price to compare',
    ]);
    // --currency with no rate at all to it: "No offers." is explained.
    const none = writeConfig([source('a', `${a.url}/s`)], '');
    expect(await warningsOf(none, ['--currency', 'EUR', '--where', 'price < 1000'])).toEqual([
      'no rate for JPY to EUR: --where left out the offers in JPY (a): they have no EUR price to compare',
      'no rate for USD to EUR: --where left out the offers in USD (a): they have no EUR price to compare',
      'no rate for GBP to EUR: --where left out the offers in GBP (a): they have no EUR price to compare',
    ]);
    // No ranking currency: --where compared each offer's own amount, which the warning says came in
    // three; the ranking currency is still one the listed offers have.
    const inferred = JSON.parse((await runCli(['search', 'x', '-c', none, '--where', 'price < 500', '--json'])).stdout);
    expect(inferred.warnings[0]).toBe(
      'offers come in JPY, USD, GBP; set `currency` and `rates` in the sources file to rank them together',
    );
    expect(inferred.currency).toBe('USD');
    expect(inferred.offers.map((o: { title: string }) => o.title)).toEqual(['dollar', 'pound']);
  });

  it('when every source is skipped at search time, says why and which template, and exits 2', async () => {
    const a = await vendor([item('a1', 5)]);
    // `$lookup` keeps `cabin` out of `requires`, so only rendering finds it missing.
    const file = writeConfig([source('a', `${a.url}/s?q={{query}}&cabin={{ $lookup($, 'cabin') }}`)]);
    const out = await runCli(['search', 'x', '-c', file]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^ {2}a +skipped +request\.url: a template yields nothing for these params$/m);
    expect(a.requests).toHaveLength(0);
    // Under --quiet too: exit 2 is the file's or the params' fault, and only the rows say which.
    const quiet = await runCli(['search', 'x', '-c', file, '-q']);
    expect(quiet.code).toBe(2);
    expect(quiet.stderr).toMatch(/^ {2}a +skipped +request\.url: a template yields nothing for these params\n$/);
    // With the param, it runs.
    expect((await runCli(['search', 'x', 'cabin=economy', '-c', file])).code).toBe(0);
  });

  it('does not blame a missing rate when --where left offers out for another reason', async () => {
    const a = await vendor([item('yen-1-stop', 700, 'JPY', { stops: 1 }), item('dollar', 400, 'USD', { stops: 0 })]);
    const file = writeConfig([source('a', `${a.url}/s`, '\n      stops: stops')], 'currency: USD');
    const warningsOf = async (where: string) =>
      JSON.parse((await runCli(['search', 'x', '-c', file, '--json', '--where', where])).stdout).warnings;
    // The ¥700 flight has a stop: `stops = 0` leaves it out whatever its price.
    expect(await warningsOf('stops = 0')).toEqual([]);
    // A predicate that reads the price, by name or not, still says why the offers in JPY are gone.
    const missing = 'no rate for JPY to USD: --where left out the offers in JPY (a): they have no USD price to compare';
    expect(await warningsOf('stops < 2 and price < 800')).toEqual([missing]);
    expect(await warningsOf('$lookup($, "price") < 800')).toEqual([missing]);
  });

  it('under take-first, a source that answered after the winner is no part of the warnings', async () => {
    // The winner's 50,000 offers take a while to map; the loser's answer is in by then, and is dropped.
    const many = JSON.stringify({ items: Array.from({ length: 50_000 }, (_, i) => item(`usd-${i}`, 10 + (i % 100))) });
    const winner = await startServer((_req, res) => {
      // Serialised up front: the answer goes out whole at 100 ms.
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(many), 100);
    });
    servers.push(winner);
    const loser = await vendor([item('yen', 700, 'JPY')], { ms: 120 });
    const file = writeConfig([source('a', `${winner.url}/s`), source('b', `${loser.url}/s`)], 'currency: USD');
    // The bin, in a process of its own: the vendors must go on answering while agg maps.
    const argv = ['search', 'x', '-c', file, '-s', 'first', '--where', 'true', '--limit', '1', '--json'];
    const doc = JSON.parse((await runBin(argv)).stdout);
    expect(doc.offers).toHaveLength(1);
    // Usually `a` wins and `b` has answered in full by then (`ok`, but not taken); on a machine quick
    // enough it is cancelled instead, and on a slow one `b` may win. No case warns of --where.
    expect(doc.sources.map((r: { name: string }) => r.name)).toEqual(['a', 'b']);
    expect(doc.warnings.filter((w: string) => w.includes('--where'))).toEqual([]);
  });

  it('drops an offer whose converted price would be infinite, counting it, and keeps a finite huge one', async () => {
    // £1e308 is $1.3e308, finite (it was dropped when rounding to cents overflowed); £1.5e308 is not.
    const a = await vendor([item('huge', 1e308, 'GBP'), item('huger', 1.5e308, 'GBP'), item('fine', 10, 'GBP')]);
    const doc = JSON.parse(
      (
        await runCli([
          'search',
          'x',
          '-c',
          writeConfig([source('a', `${a.url}/s`)]),
          '--json',
          '--sort',
          'price',
          '--desc',
        ])
      ).stdout,
    );
    expect(doc.offers.map((o: { title: string; price: number }) => [o.title, o.price])).toEqual([
      ['huge', 1.3e308],
      ['fine', 13],
    ]);
    expect(doc.sources[0]).toMatchObject({
      status: 'ok',
      offers: 2,
      dropped: 1,
      droppedError: 'fields.price: 1.5e+308 GBP is too large to convert to USD',
    });
    // The table writes it as the cheapest's column can hold it, first under --desc.
    const table = await runCli(['search', 'x', '-c', writeConfig([source('a', `${a.url}/s`)]), '--desc']);
    expect(table.stdout).toMatch(/│ 1 │ +\$1\.30E308 │ +£1\.00E308 │ huge /);
  });

  it('writes no `dropped` on a row that dropped nothing', async () => {
    const a = await vendor([item('fine', 10)]);
    const doc = JSON.parse(
      (await runCli(['search', 'x', '-c', writeConfig([source('a', `${a.url}/s`)]), '--json'])).stdout,
    );
    expect(doc.sources[0]).toMatchObject({ status: 'ok', offers: 1 });
    expect(Object.keys(doc.sources[0])).not.toContain('dropped');
  });
});

describe('streaming', () => {
  it('writes a fast source’s NDJSON lines before a slow source has answered', async () => {
    let release: () => void = () => {};
    const released = new Promise<void>((r) => {
      release = r;
    });
    const fast = await vendor([item('fast', 5)]);
    const slow = await startServer(async (_req, res) => {
      await released;
      await json(res, { items: [item('slow', 1)] });
    });
    servers.push(slow);
    const file = writeConfig([source('slow', `${slow.url}/s`), source('fast', `${fast.url}/s`)]);
    // The slow vendor answers only once the fast source's lines are on stdout: without
    // streaming this run could not finish before its timeout.
    const out = await runCli(['search', 'x', '-c', file, '--format', 'ndjson', '--timeout', '5s'], {
      onStdout: (chunk) => {
        if (chunk.includes('"source":"fast"')) release();
      },
    });
    const lines = out.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.type, l.source ?? l.name])).toEqual([
      ['offer', 'fast'],
      ['source', 'fast'],
      ['offer', 'slow'],
      ['source', 'slow'],
      ['summary', undefined],
    ]);
    expect(lines[0].rank).toBeUndefined();
  });
});

describe('search() as a library', () => {
  const run = async (yaml: string, opts: Partial<Parameters<typeof search>[1]>) =>
    search(loadConfigText(yaml, 'sources.yaml', {}), {
      text: 'x',
      params: { query: 'x' },
      strategy: 'all',
      sort: { field: 'price', desc: false },
      ...opts,
    });

  it('names a few currencies with no rate, each cut short, and counts the rest in one warning', async () => {
    // `currency` mapped from a field that differs on every offer: one warning line per code, as long as the vendor made it.
    const codes = Array.from({ length: 40 }, (_, i) => `${'X'.repeat(1000)}${i}`);
    const shop = await vendor(codes.map((c, i) => item(`t${i}`, i + 1, c)));
    const result = await run(`currency: USD\nsources:${source('a', `${shop.url}/s`)}\n`, {});
    expect(result.offers).toHaveLength(40);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(
      /^no rate for X{15}…(, X{15}…){4} and 35 more to USD: those offers are unconverted$/,
    );
  });

  it('names a ranking currency inferred from a vendor cut short, as it names the codes with no rate', async () => {
    // No `currency:` in the file: the code most offers use ranks them, however long the vendor made it.
    const long = 'Y'.repeat(100_000);
    const shop = await vendor([item('a', 1, long), item('b', 2, long), item('c', 3, 'USD')]);
    const result = await run(`sources:${source('a', `${shop.url}/s`)}\n`, {});
    expect(result.currency).toBe(long);
    expect(result.warnings).toEqual([
      `offers come in ${'Y'.repeat(15)}…, USD; set \`currency\` and \`rates\` in the sources file to rank them together`,
      `no rate for USD to ${'Y'.repeat(15)}…: those offers are listed after the others, unconverted`,
    ]);
  });

  it('without a dispatcher, makes its own for the run: the sources answer', async () => {
    const shop = await vendor([item('a', 1), item('b', 2, 'EUR')]);
    const result = await run(`currency: USD\nrates: { EUR: 1.1 }\nsources:${source('a', `${shop.url}/s`)}\n`, {});
    expect(result.sources.map((s) => [s.status, s.error])).toEqual([['ok', undefined]]);
    expect(result.offers.map((o) => [o.title, o.price])).toEqual([
      ['a', 1],
      ['b', 2.2],
    ]);
  });

  it('takes a currency in either case, and rejects a bad currency or strategy as a UsageError', async () => {
    const shop = await vendor([item('a', 11, 'USD'), item('b', 2, 'EUR')]);
    const yaml = `currency: USD\nrates: { EUR: 1.1 }\nsources:${source('a', `${shop.url}/s`)}\n`;
    const dispatcher = createDispatcher();
    try {
      const result = await run(yaml, { dispatcher, currency: 'eur' });
      expect(result.currency).toBe('EUR');
      expect(result.offers.map((o) => [o.title, o.price, o.currency, o.unconverted])).toEqual([
        ['b', 2, 'EUR', undefined],
        ['a', 10, 'EUR', undefined],
      ]);
      expect(result.warnings).toEqual([]);
      await expect(run(yaml, { dispatcher, currency: 'euro' })).rejects.toThrow(UsageError);
      // A JavaScript caller's typo: the types rule it out.
      await expect(run(yaml, { dispatcher, strategy: 'fastest' as 'all' })).rejects.toThrow(UsageError);
      await expect(run(yaml, { dispatcher, sort: {} as never })).rejects.toThrow(UsageError);
      expect(shop.requests).toHaveLength(1);
    } finally {
      await dispatcher.close();
    }
  });

  it('rejects a currency, path or number of the wrong type from JavaScript as a UsageError, not a TypeError', async () => {
    const shop = await vendor([item('a', 1)]);
    const yaml = `currency: USD\nsources:${source('a', `${shop.url}/s`)}\n`;
    // `currency: 5` threw `opts.currency?.trim is not a function`; a value String() cannot print (a
    // Symbol, an object without a prototype) threw `Cannot convert object to primitive value`.
    const bad: [Partial<Parameters<typeof search>[1]>, RegExp][] = [
      [{ currency: 5 as never }, /^currency: expected a text, got number$/],
      [{ text: 5 as never }, /^text: expected a text, got number$/],
      [{ currency: ['EUR'] as never }, /^currency: expected a text, got a list$/],
      [{ historyFile: {} as never }, /^historyFile: expected a text, got object$/],
      [{ limit: Object.create(null) }, /^limit: expected a whole number from 1 to \d+, got object$/],
      [{ timeoutMs: Symbol('x') as never }, /^timeoutMs: expected a number of ms .*, got symbol$/],
      [{ strategy: Object.create(null) }, /^unknown strategy object; expected best, all, first$/],
    ];
    for (const [opts, message] of bad) {
      const err = await run(yaml, opts).catch((e: unknown) => e);
      expect(err, String(message)).toBeInstanceOf(UsageError);
      expect((err as Error).message).toMatch(message);
    }
    expect(shop.requests).toHaveLength(0);
  });

  it('rejects a limit, retries or time it could not honour as a UsageError, before any request', async () => {
    const shop = await vendor([item('a', 1), item('b', 2), item('c', 3)]);
    const yaml = `currency: USD\nsources:${source('a', `${shop.url}/s`)}\n`;
    // What the command line refuses as flags; here they made every source a `timeout` (a 30-day
    // deadline overflowed Node's timer and fired at once) or quietly dropped the last offer (-1).
    const bad: Partial<Parameters<typeof search>[1]>[] = [
      { timeoutMs: Number.NaN },
      { timeoutMs: 0 },
      { deadlineMs: 30 * 24 * 3600 * 1000 },
      { deadlineMs: -5 },
      { hedge: 0 },
      { limit: -1 },
      { limit: 1.5 },
      { retries: 9 },
      { hedgeBudget: Number.NaN },
      // Nothing typed into a "which vendors" box: every source would have run.
      { names: [] },
      { tags: [] },
    ];
    for (const opts of bad) {
      await expect(run(yaml, opts), JSON.stringify(opts)).rejects.toThrow(UsageError);
    }
    expect(shop.requests).toHaveLength(0);
    const ok = await run(yaml, { limit: 2, timeoutMs: 2 ** 31 - 1, deadlineMs: 5000, retries: 0, hedge: 'auto' });
    expect(ok.offers.map((o) => o.title)).toEqual(['a', 'b']);
  });

  it('refuses a dispatcher with a number of connections the sources file would refuse, as a UsageError', () => {
    // -1 (or "4" read from the environment) failed every source as an `invalid request`; 0 and NaN set no limit.
    for (const connections of [-1, 0, Number.NaN, 1.5, 1025, '4' as unknown as number]) {
      expect(() => createDispatcher({ connections }), String(connections)).toThrow(
        /^connections: expected a whole number from 1 to 1024, got /,
      );
    }
    expect(() => createDispatcher({ connections: 0 })).toThrow(UsageError);
    // Both ends of the range the sources file allows are taken.
    for (const connections of [1, 1024]) void createDispatcher({ connections }).destroy();
  });

  it('puts one listener on a signal that concurrent searches share, and leaves none', async () => {
    const slow = await vendor([item('a', 1)], { ms: 5000 });
    const yaml = `currency: USD\nsources:${source('a', `${slow.url}/s`)}\n`;
    const dispatcher = createDispatcher();
    const shutdown = new AbortController();
    try {
      // A service's shutdown signal, given to every search: one listener each made Node print a
      // MaxListenersExceededWarning at the eleventh.
      const runs = Array.from({ length: 12 }, () => run(yaml, { dispatcher, signal: shutdown.signal }));
      await expect.poll(() => slow.requests.length).toBe(12);
      expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(1);
      shutdown.abort();
      const results = await Promise.all(runs);
      expect(results.map((r) => r.sources[0]?.status)).toEqual(Array(12).fill('cancelled'));
      expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(0);
      const later = new AbortController();
      await Promise.all([
        run(yaml, { dispatcher, signal: later.signal, deadlineMs: 50 }),
        run(yaml, { dispatcher, signal: later.signal, deadlineMs: 80 }),
      ]);
      expect(getEventListeners(later.signal, 'abort')).toHaveLength(0);
    } finally {
      await dispatcher.destroy();
    }
  });

  it('rejects with the error of an onProgress that throws, as with onSource: it is no vendor failure', async () => {
    const vendor = livePrices(3);
    const server = await startServer(vendor.handle);
    servers.push(server);
    const yaml = `sources:${LIVE_PRICES_SOURCE(server.url)}\n`;
    const boom = new Error('the caller’s own bug');
    const calls: string[] = [];
    const failing = run(yaml, {
      params: { query: 'x', from: 'JFK' },
      onProgress: (name) => {
        calls.push(name);
        throw boom;
      },
    });
    await expect(failing).rejects.toBe(boom);
    // The run ended there: no poll after the one that threw.
    expect(calls).toEqual(['sky']);
    expect(vendor.polls).toBeLessThanOrEqual(1);
  });

  it('without a strategy or a sort, ranks every offer by price, cheapest first, as the command line does', async () => {
    const shop = await vendor([item('dear', 9), item('cheap', 1), item('mid', 5)]);
    const config = loadConfigText(`currency: USD\nsources:${source('a', `${shop.url}/s`)}\n`, 'sources.yaml', {});
    const result = await search(config, { text: 'x', params: { query: 'x' } });
    expect(result.strategy).toBe('all');
    expect(result.offers.map((o) => [o.rank, o.title])).toEqual([
      [1, 'cheap'],
      [2, 'mid'],
      [3, 'dear'],
    ]);
  });
});
