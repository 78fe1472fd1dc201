/**
 * `--distinct <fields>`: each flight once, at its cheapest after conversion, with where else it was offered
 * (`alsoAt`), folded after `--where` and the final ranking and before `--limit`. Real vendors on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigText } from '../src/config/index.js';
import { search } from '../src/search/index.js';
import { runCli } from './helpers/cli.js';
import { source, writeConfig } from './helpers/config.js';
import { json, startServer, type TestServer } from './helpers/server.js';

const LH = { carrier: 'LH', departure: '2026-12-20 20:05' };
const flight = (title: string, price: number, currency: string, more: Record<string, unknown> = {}) => ({
  title,
  price,
  currency,
  ...more,
});

// At EUR 1.10 and GBP 1.30 (writeConfig's rates): dollar's LH is the cheapest, $650, though pound's 520
// and euro's 600 are smaller numbers. Pound's title has extra spaces, its `lh` flight another case.
const VENDORS: Record<string, unknown[]> = {
  euro: [flight('LH 673', 600, 'EUR', LH), flight('B6 1279', 300, 'EUR', { carrier: 'B6', departure: '17:30' })],
  dollar: [
    flight('LH 673', 650, 'USD', LH),
    flight('charter', 900, 'USD', { departure: '09:00' }),
    flight('charter 2', 950, 'USD', { carrier: null, departure: '09:00' }),
  ],
  pound: [
    flight('LH  673 ', 520, 'GBP', LH),
    flight('lh 673', 510, 'GBP', { ...LH, carrier: 'lh' }),
    flight('LH 673 flex', 540, 'GBP', LH),
  ],
};

/** Served, but in no file of VENDORS': a currency the files have no rate for. */
const YEN = [flight('LH 673', 90000, 'JPY', LH)];

let server: TestServer;
let file: string;
const FIELDS = '\n      carrier: carrier\n      departure: departure';
beforeAll(async () => {
  server = await startServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const name = url.pathname.slice(1);
    return json(
      res,
      { items: name === 'yen' ? YEN : (VENDORS[name] ?? []) },
      { ms: Number(url.searchParams.get('ms') ?? 0) },
    );
  });
  file = writeConfig(Object.keys(VENDORS).map((name) => source(name, `${server.url}/${name}?q={{query}}`, FIELDS)));
});
afterAll(() => server.close());

type Offer = { rank?: number; source: string; title: string; price: number; alsoAt?: unknown[] };
const docOf = (stdout: string): { offers: Offer[]; sources: Record<string, unknown>[]; warnings: string[] } =>
  JSON.parse(stdout);
const brief = (offers: Offer[]) => offers.map((o) => [o.rank, o.source, o.price, o.alsoAt?.length]);

describe('--distinct', () => {
  it('keeps the cheapest of each group after conversion, and lists the others in alsoAt, cheapest first', async () => {
    const out = await runCli(['search', 'x', '-c', file, '--json', '--distinct', 'carrier,departure']);
    expect(out.code).toBe(0);
    const doc = docOf(out.stdout);
    expect(brief(doc.offers)).toEqual([
      [1, 'euro', 330, 0],
      [2, 'dollar', 650, 3],
      [3, 'pound', 663, 0],
      [4, 'dollar', 900, 0],
      [5, 'dollar', 950, 0],
    ]);
    expect(doc.offers[1]?.alsoAt).toEqual([
      { source: 'euro', price: 660, currency: 'USD' },
      { source: 'pound', price: 676, currency: 'USD' },
      { source: 'pound', price: 702, currency: 'USD' },
    ]);
    // Each row counts its offers folded into another; dollar's LH was kept, so dollar has none.
    expect(doc.sources.map((r) => [r.name, r.folded])).toEqual([
      ['euro', 1],
      ['dollar', undefined],
      ['pound', 2],
    ]);
    expect(doc.warnings).toEqual([]);
  });

  it('compares text exactly but for runs of white space: `LH  673 ` is `LH 673`, `lh 673` is not', async () => {
    const doc = docOf((await runCli(['search', 'x', '-c', file, '--json', '--distinct', 'title'])).stdout);
    expect(doc.offers.map((o) => [o.title, o.alsoAt?.length])).toEqual([
      ['B6 1279', 0],
      ['LH 673', 2],
      ['lh 673', 0],
      ['LH 673 flex', 0],
      ['charter', 0],
      ['charter 2', 0],
    ]);
    expect(doc.offers[1]).toMatchObject({
      source: 'dollar',
      alsoAt: [
        { source: 'euro', price: 660 },
        { source: 'pound', price: 676 },
      ],
    });
  });

  it('never merges offers that lack a field: an absent or null carrier is a group of its own', async () => {
    const doc = docOf((await runCli(['search', 'x', '-c', file, '--json', '--distinct', 'carrier'])).stdout);
    expect(doc.offers.map((o) => o.title)).toEqual(['B6 1279', 'LH 673', 'lh 673', 'charter', 'charter 2']);
  });

  it('keeps the first in the final order: under --desc the dearest', async () => {
    const out = await runCli(['search', 'x', '-c', file, '--json', '--distinct', 'carrier,departure', '--desc']);
    const doc = docOf(out.stdout);
    expect(brief(doc.offers)).toEqual([
      [1, 'dollar', 950, 0],
      [2, 'dollar', 900, 0],
      [3, 'pound', 702, 3],
      [4, 'pound', 663, 0],
      [5, 'euro', 330, 0],
    ]);
    expect(doc.offers[2]?.alsoAt).toMatchObject([{ price: 676 }, { price: 660 }, { price: 650 }]);
  });

  it('folds before --limit: --limit 3 is three different flights, and -s best the top n of them', async () => {
    const limited = docOf(
      (await runCli(['search', 'x', '-c', file, '--json', '--distinct', 'carrier,departure', '--limit', '3'])).stdout,
    );
    expect(brief(limited.offers)).toEqual([
      [1, 'euro', 330, 0],
      [2, 'dollar', 650, 3],
      [3, 'pound', 663, 0],
    ]);
    // The rows count what was folded, not what the limit cut.
    expect(limited.sources.map((r) => r.folded)).toEqual([1, undefined, 2]);
    const best = await runCli([
      'search',
      'x',
      '-c',
      file,
      '--json',
      '-s',
      'best',
      '--distinct',
      'carrier',
      '--limit',
      '2',
    ]);
    expect(brief(docOf(best.stdout).offers)).toEqual([
      [1, 'euro', 330, 0],
      [2, 'dollar', 650, 3],
    ]);
  });

  it('under -s first, folds within the one source that answered', async () => {
    const slow = writeConfig(
      Object.keys(VENDORS).map((name) =>
        source(name, `${server.url}/${name}?q={{query}}&ms=${name === 'pound' ? 0 : 3000}`, FIELDS),
      ),
    );
    const out = await runCli(['search', 'x', '-c', slow, '--json', '-s', 'first', '--distinct', 'carrier,departure']);
    const doc = docOf(out.stdout);
    expect(brief(doc.offers)).toEqual([
      [1, 'pound', 663, 0],
      [2, 'pound', 676, 1],
    ]);
    expect(doc.offers[1]?.alsoAt).toEqual([{ source: 'pound', price: 702, currency: 'USD' }]);
  });

  it('folds after --where: an offer it left out is no one’s alsoAt', async () => {
    const out = await runCli(['search', 'x', '-c', file, '--json', '--distinct', 'carrier', '--where', 'price < 670']);
    const doc = docOf(out.stdout);
    // --where judges converted prices: pound's £520 and £540 LH ($676, $702) are left out, £510 ($663) kept.
    expect(brief(doc.offers)).toEqual([
      [1, 'euro', 330, 0],
      [2, 'dollar', 650, 1],
      [3, 'pound', 663, 0],
    ]);
    expect(doc.offers[1]?.alsoAt).toEqual([{ source: 'euro', price: 660, currency: 'USD' }]);
  });

  it('warns of a field no offer has, naming the one meant, and folds nothing', async () => {
    const out = await runCli(['search', 'x', '-c', file, '--json', '--distinct', 'carier']);
    const doc = docOf(out.stdout);
    expect(doc.offers).toHaveLength(8);
    expect(doc.warnings).toEqual([
      'no offer has a field `carier` for --distinct, so no offer was folded; did you mean `carrier`?',
    ]);
  });

  it('warns when it folds an offer no rate converts into one in another currency: which is cheaper is unknown', async () => {
    const yen = writeConfig(['dollar', 'yen'].map((name) => source(name, `${server.url}/${name}?q={{query}}`, FIELDS)));
    const out = await runCli(['search', 'x', '-c', yen, '--json', '--distinct', 'carrier']);
    const doc = docOf(out.stdout);
    expect(doc.offers[0]).toMatchObject({
      source: 'dollar',
      alsoAt: [{ source: 'yen', price: 90000, currency: 'JPY' }],
    });
    // Not that the limit left the JPY offer out: it is in alsoAt.
    expect(doc.warnings).toEqual([
      '--distinct folded an offer in JPY, which no rate converts, into one in another currency: which is cheaper is not known (see alsoAt)',
    ]);
  });

  it('in the table: a count beside the source, a note on it, and the summary says how many were folded', async () => {
    const out = await runCli(['search', 'x', '-c', file, '--distinct', 'carrier,departure', '--limit', '2']);
    expect(out.stdout).toContain('│ dollar +3 │');
    expect(out.stdout).toContain('│ euro      │');
    expect(out.stdout).toMatch(/\n\+N: N more offers with the same carrier, departure \(alsoAt in --json\)\n$/);
    expect(out.stderr).toMatch(/^3 sources · 3 ok · 2 offers \(3 folded by --distinct\) · \d+\.\d\ds\n$/);
    const verbose = await runCli(['search', 'x', '-c', file, '--distinct', 'carrier', '--verbose']);
    expect(verbose.stderr).toMatch(/^ {2}pound {3}ok {9}2 folded by --distinct$/m);
    // Beside --where's count.
    const both = await runCli(['search', 'x', '-c', file, '--distinct', 'carrier', '--where', 'price < 670']);
    expect(both.stderr).toMatch(/· 3 offers \(4 left out by --where, 1 folded by --distinct\) ·/);
  });

  it('under --format ndjson, writes the final offers at the end, ranked, each with alsoAt', async () => {
    const out = await runCli(['search', 'x', '-c', file, '-f', 'ndjson', '--distinct', 'carrier,departure']);
    // One write, once the run is over: no offer streamed as it came, that a cheaper one folds later.
    expect(out.writes).toHaveLength(1);
    const lines = out.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const offers = lines.filter((l) => l.type === 'offer');
    expect(offers.map((o) => [o.rank, o.source, o.alsoAt.length])).toEqual([
      [1, 'euro', 0],
      [2, 'dollar', 3],
      [3, 'pound', 0],
      [4, 'dollar', 0],
      [5, 'dollar', 0],
    ]);
    expect(lines.filter((l) => l.type === 'source').map((l) => l.folded)).toEqual([1, undefined, 2]);
    expect(lines.at(-1)?.type).toBe('summary');
  });

  it('under --format csv, adds an alsoAt column, last, even when no offer came', async () => {
    const out = await runCli(['search', 'x', '-c', file, '-f', 'csv', '--distinct', 'carrier', '--limit', '2']);
    const [head, , lh] = out.stdout.split('\r\n');
    expect(head).toBe(
      'rank,source,title,price,currency,url,originalPrice,originalCurrency,unconverted,carrier,departure,alsoAt',
    );
    expect(lh).toMatch(/^2,dollar,LH 673,650,USD,,,,,LH,2026-12-20 20:05,"\[{""source"":""euro"",""price"":660,/);
    const none = await runCli(['search', 'x', '-c', file, '-f', 'csv', '--distinct', 'carrier', '--where', 'false']);
    expect(none.stdout.split('\r\n')[0]).toMatch(/,alsoAt$/);
  });

  it.each([
    [[''], /^agg: --distinct needs a field, and was given none \(like --distinct carrier,departure\)\n$/],
    [[',,'], /^agg: --distinct needs a field, and was given none/],
    [['carrier,'], /^agg: --distinct was given an empty field beside "carrier" \(a stray comma, or an empty \$VAR\)/],
    [['carrier,,departure'], /^agg: --distinct was given an empty field beside "carrier", "departure" /],
    [['carrier departure'], /"carrier departure" is no field name: .*; separate fields with commas\n$/],
    [['price.value'], /^agg: --distinct: "price\.value" is no field name: an offer field is letters, digits and _/],
    [['-carrier'], /^agg: --distinct: "-carrier" is no field name/],
    [['rank'], /^agg: --distinct: rank is each offer's own place in the ranking, which no two offers share\n$/],
    [['alsoAt'], /^agg: --distinct: alsoAt is what --distinct adds to each offer it keeps\n$/],
    [['carrier', '--distinct', 'departure'], /^agg: --distinct is given twice \("carrier" and "departure"\)/],
  ])('is a usage error, exit 2, before any request: --distinct %j', async (value, message) => {
    const asked = server.requests.length;
    const out = await runCli(['search', 'x', '-c', file, '--distinct', ...value]);
    expect([out.code, out.stdout]).toEqual([2, '']);
    expect(out.stderr).toMatch(message);
    expect(server.requests.length).toBe(asked);
  });

  it('is search()’s `distinct` option, checked as the flag is', async () => {
    const text = `currency: USD\nrates: { EUR: 1.10, GBP: 1.30 }\nsources:${Object.keys(VENDORS)
      .map((name) => source(name, `${server.url}/${name}?q={{query}}`, FIELDS))
      .join('')}\n`;
    const config = loadConfigText(text, 'sources.yaml', {});
    const result = await search(config, { text: 'x', params: { query: 'x' }, distinct: ['carrier', 'carrier'] });
    expect(result.offers.map((o) => o.title)).toEqual(['B6 1279', 'LH 673', 'lh 673', 'charter', 'charter 2']);
    expect(result.distinct).toEqual(['carrier']);
    const wrong = (distinct: unknown) =>
      search(config, { text: 'x', params: { query: 'x' }, distinct: distinct as string[] });
    await expect(wrong('carrier')).rejects.toThrow("distinct: expected a list of texts, like ['ebay']");
    await expect(wrong([])).rejects.toThrow(
      "distinct needs a field, and was given none (like distinct: ['carrier', 'departure'])",
    );
    await expect(wrong(['a b'])).rejects.toThrow('distinct: "a b" is no field name');
  });
});
