/**
 * A paged source's listing met again on a later page (a vendor's list that shifted between two page
 * requests) is one offer, counted in the row as a duplicate across pages; offers of one page, of two
 * sources, or without a url are never merged. Real offset-paged vendors on 127.0.0.1, through `run()`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { source, writeConfig } from '../helpers/config.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { LIVE_PRICES_SOURCE, type Listing, livePrices, shiftingList } from './vendors.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const item = (n: number, price = 10 * n): Listing => ({
  title: `item ${n}`,
  price,
  url: `https://shop.example/itm/${n}`,
});
const items = (...ns: number[]): Listing[] => ns.map((n) => item(n));

type Between = Parameters<typeof shiftingList>[3];

/** A vendor per path (`/shop`, …), each an offset-paged list two to a page, and a source reading it. */
async function vendors(lists: Record<string, { list: Listing[]; between?: Between }>) {
  let base = '';
  const handlers = Object.entries(lists).map(([name, { list, between }]) =>
    shiftingList(() => base, `/${name}`, list, between),
  );
  const server = await startServer((req, res) => {
    for (const h of handlers) {
      const answered = h(req, res);
      if (answered) return answered;
    }
    res.writeHead(404).end();
  });
  servers.push(server);
  base = server.url;
  const sources = Object.keys(lists).map((name) =>
    source(name, `${server.url}/${name}?offset=0&limit=2`, '\n      url: url\n    next: next'),
  );
  return { server, file: writeConfig(sources) };
}

/** The search's JSON, with `args` added; each call is a fresh vendor, whose list shifts again. */
async function searchJson(lists: Parameters<typeof vendors>[0], ...args: string[]) {
  const { file } = await vendors(lists);
  const out = await runCli(['search', 'x', '-c', file, '--json', '--sort', 'title', ...args]);
  return { out, doc: JSON.parse(out.stdout) };
}

const titles = (doc: { offers: { title: string }[] }) => doc.offers.map((o) => o.title);

/** Before page 2 one listing goes on top, before page 3 two: `item 2` is on pages 1, 2 and 3, as the user saw. */
const shiftTwice: Between = (list, served) => {
  for (let i = 0; i < (served === 1 ? 1 : served === 2 ? 2 : 0); i++)
    list.unshift({ title: `new ${served}.${i}`, price: 1 });
};

describe('a listing met again on a later page', () => {
  it('is listed once, where the shifting pages had it three times, and the row counts the duplicates', async () => {
    const { out, doc } = await searchJson({ shop: { list: items(1, 2, 3, 4, 5, 6), between: shiftTwice } });
    // Pages: 1 2 | 2 3 | 2 3 | 4 5 | 6.
    expect(titles(doc)).toEqual(['item 1', 'item 2', 'item 3', 'item 4', 'item 5', 'item 6']);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', attempts: 5, offers: 6, duplicates: 3 });
    expect(doc.partial).toBe(false);
    expect(out.code).toBe(0);
    const table = await runCli([
      'search',
      'x',
      '-c',
      (await vendors({ shop: { list: items(1, 2, 3, 4, 5, 6), between: shiftTwice } })).file,
    ]);
    expect(table.stdout.match(/item 2/g)).toHaveLength(1);
    expect(table.stderr).toMatch(/^ {2}shop {2}ok {9}3 duplicates across pages$/m);
  });

  it('is said beside dropped items in the JSON, and only there under -q', async () => {
    // Each vendor's list shifts as it is paged: a fresh one for each.
    const list = () => [{ title: 'no price', price: 'n/a' as unknown as number }, ...items(1, 2, 3)];
    const { out, doc } = await searchJson({ shop: { list: list() } }, '-q');
    // Pages: n/a 1 | 1 2 | 2 3: dropped, then the same listing on two pages, twice.
    expect(titles(doc)).toEqual(['item 1', 'item 2', 'item 3']);
    expect(Object.keys(doc.sources[0])).toEqual([
      'name',
      'status',
      'httpStatus',
      'ms',
      'attempts',
      'offers',
      'dropped',
      'droppedError',
      'duplicates',
    ]);
    expect(doc.sources[0]).toMatchObject({ offers: 3, dropped: 1, duplicates: 2 });
    expect(out.stderr).toBe('');
    const { file } = await vendors({ shop: { list: list() } });
    const table = await runCli(['search', 'x', '-c', file]);
    expect(table.stderr).toMatch(/shop {2}ok {9}dropped 1 item \(.*\); 2 duplicates across pages$/m);
  });

  it("takes the later page's price, the vendor's newer answer, in the earlier one's place", async () => {
    // The seller cuts item 2 from $20 to $15 between page 1 and page 2, as a listing goes on top.
    const between: Between = (list, served) => {
      list.unshift({ title: `new ${served}`, price: 1 });
      if (served === 1) Object.assign(list.find((l) => l.title === 'item 2') ?? {}, { price: 15 });
    };
    const { doc } = await searchJson({ shop: { list: items(1, 2, 3), between } });
    expect(doc.offers.map((o: Listing) => [o.title, o.price])).toEqual([
      ['item 1', 10],
      ['item 2', 15],
      ['item 3', 30],
    ]);
    expect(doc.sources[0]).toMatchObject({ offers: 3, duplicates: 1 });
  });

  it('keeps offers of one page that share a url, and that url merges nothing on a later page', async () => {
    // Two variants of one product page; the silver one shifts onto page 2, and cannot be told from a third.
    const product = 'https://shop.example/p/headphones';
    const list = [
      { title: 'black', price: 80, url: product },
      { title: 'silver', price: 90, url: product },
      { title: 'white', price: 95, url: product },
      item(4),
    ];
    const { doc } = await searchJson({ shop: { list } });
    // Pages: black silver | silver white | white item 4.
    expect(titles(doc)).toEqual(['black', 'item 4', 'silver', 'silver', 'white', 'white']);
    expect(doc.sources[0].duplicates).toBeUndefined();
    expect(doc.sources[0].offers).toBe(6);
  });

  it('never merges the offers of two sources: each is its own vendor, the point of comparing', async () => {
    const { doc } = await searchJson({ shop: { list: items(1, 2, 3) }, mall: { list: items(1, 2, 3) } });
    expect(doc.offers).toHaveLength(6);
    expect(doc.offers.filter((o: Listing) => o.url === item(1).url).map((o: { source: string }) => o.source)).toEqual([
      'shop',
      'mall',
    ]);
    expect(doc.sources).toMatchObject([
      { name: 'shop', offers: 3, duplicates: 1 },
      { name: 'mall', offers: 3, duplicates: 1 },
    ]);
  });

  it('never takes an offer without a url for a duplicate: nothing says it is the same listing', async () => {
    const list = [1, 2, 3].map((n) => ({ title: `item ${n}`, price: n }));
    const { doc } = await searchJson({ shop: { list } });
    // Pages: 1 2 | 2 3.
    expect(titles(doc)).toEqual(['item 1', 'item 2', 'item 2', 'item 3']);
    expect(doc.sources[0].duplicates).toBeUndefined();
    // One without a url on each page, alone there: an absent url taken as a key ('') would merge them.
    const lone = [{ title: 'item 1', price: 1 }, item(2), { title: 'item 3', price: 3 }];
    const { doc: loneDoc } = await searchJson({ shop: { list: lone } });
    // Pages: 1 2 | 2 3; item 2, which has a url, is met again.
    expect(titles(loneDoc)).toEqual(['item 1', 'item 2', 'item 3']);
    expect(loneDoc.sources[0].duplicates).toBe(1);
  });

  it('leaves create-then-poll alone: each poll replaces the last, so no listing is met twice', async () => {
    const vendor = livePrices(2);
    const server = await startServer((req, res) => vendor.handle(req, res) ?? void res.writeHead(404).end());
    servers.push(server);
    const out = await runCli(['search', 'from=JFK', '-c', writeConfig([LIVE_PRICES_SOURCE(server.url)]), '--json']);
    const row = JSON.parse(out.stdout).sources[0];
    expect(row).toMatchObject({ name: 'sky', status: 'ok', offers: 5, attempts: 3 });
    expect(row.duplicates).toBeUndefined();
  });
});

describe('NDJSON of a paged source with duplicates', () => {
  const parse = (stdout: string) =>
    stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));

  it('writes each listing once, page by page, and its source line counts the duplicates', async () => {
    const { file } = await vendors({ shop: { list: items(1, 2, 3, 4) } });
    const out = await runCli(['search', 'x', '-c', file, '--format', 'ndjson']);
    // Pages: 1 2 | 2 3 | 3 4. Page 3, the last, goes out with the source line.
    const offerTitles = out.writes
      .map((w) =>
        parse(w)
          .filter((l) => l.type === 'offer')
          .map((l) => l.title),
      )
      .filter((w) => w.length > 0);
    expect(offerTitles).toEqual([['item 1', 'item 2'], ['item 3'], ['item 4']]);
    const lines = parse(out.stdout);
    expect(lines.filter((l) => l.type === 'source')).toEqual([
      expect.objectContaining({ name: 'shop', offers: 4, duplicates: 2 }),
    ]);
    expect(lines.filter((l) => l.type === 'offer')).toHaveLength(4);
  });

  it('writes a listing whose price a later page changed once more, with the new price, as a poll does', async () => {
    const between: Between = (list, served) => {
      list.unshift({ title: `new ${served}`, price: 1 });
      if (served === 1) Object.assign(list.find((l) => l.title === 'item 2') ?? {}, { price: 15 });
    };
    const { file } = await vendors({ shop: { list: items(1, 2, 3, 4), between } });
    const out = await runCli(['search', 'x', '-c', file, '--format', 'ndjson']);
    const lines = parse(out.stdout);
    // Never one silently gone: the later line is the listing's newer price, and the source line says why two.
    expect(lines.filter((l) => l.title === 'item 2').map((l) => l.price)).toEqual([20, 15]);
    expect(lines.find((l) => l.type === 'source')).toMatchObject({ offers: 4, duplicates: 2 });
  });

  it('leaves the earlier line standing when --where leaves out the newer one, and the source line counts what is kept', async () => {
    // An auction's bid on item 2 rises from $20 to $55 between page 1 and page 2.
    const between: Between = (list, served) => {
      list.unshift({ title: `new ${served}`, price: 1 });
      if (served === 1) Object.assign(list.find((l) => l.title === 'item 2') ?? {}, { price: 55 });
    };
    const { file } = await vendors({ shop: { list: items(1, 2, 3, 4), between } });
    const out = await runCli(['search', 'x', '-c', file, '--format', 'ndjson', '--where', 'price < 50']);
    const lines = parse(out.stdout);
    expect(lines.filter((l) => l.title === 'item 2').map((l) => l.price)).toEqual([20]);
    expect(lines.find((l) => l.type === 'source')).toMatchObject({ offers: 3, duplicates: 2 });
  });
});
