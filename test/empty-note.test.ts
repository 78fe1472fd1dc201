/**
 * An `ok` answer whose `offers` found nothing at all says where it looked and what the answer has there
 * (`note`): a wrong path was otherwise `1 ok · 0 offers` and nothing more, the dead end of a first source.
 * An empty or `null` list is how vendors say "none", and says nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyReason } from '../src/map/empty-reason.js';
import { runCli } from './helpers/cli.js';
import { writeConfig } from './helpers/config.js';
import { json, startServer, type TestServer } from './helpers/server.js';

const ITEM = { title: 'Sony WH-1000XM5', price: 279, currency: 'USD' };
let server: TestServer;
beforeAll(async () => {
  server = await startServer((req, res) => {
    const url = req.url ?? '';
    if (url.startsWith('/nested')) return json(res, { results: { data: [ITEM], total: 1 }, meta: { page: 1 } });
    if (url.startsWith('/list')) return json(res, [ITEM, ITEM]);
    if (url.startsWith('/mixed')) return json(res, { items: [{ ...ITEM }, { ...ITEM, name: 'named' }] });
    if (url.startsWith('/none')) return json(res, { items: [], total: 0 });
    if (url.startsWith('/null')) return json(res, { items: null });
    if (url.startsWith('/page1')) return json(res, { items: [], next: '/page2' });
    if (url.startsWith('/page2')) return json(res, { total: 0 });
    if (url.startsWith('/then-empty')) return json(res, { items: [], next: '/no-body' });
    if (url.startsWith('/no-body') || url.startsWith('/no-content')) {
      res.writeHead(url.startsWith('/no-body') ? 200 : 204, { 'content-type': 'application/json' });
      res.end(url.startsWith('/no-body') ? ' \n' : undefined);
      return;
    }
    if (url.startsWith('/blank'))
      return json(res, {
        items: [
          { ...ITEM, title: '', carrier: null },
          { ...ITEM, title: '', carrier: null },
        ],
      });
    if (url.startsWith('/bare-null')) return json(res, null);
    if (url.startsWith('/outer-null')) return json(res, { data: null });
    if (url.startsWith('/graphql-error'))
      return json(res, { errors: [{ message: 'Cannot query field "serch" on type "Query".' }], data: null });
    if (url.startsWith('/graphql-none')) return json(res, { errors: [], data: { search: { edges: [] } } });
    if (url.startsWith('/graphql-partial'))
      return json(res, { errors: [{ message: 'price service slow' }], data: { search: null } });
    if (url.startsWith('/rest-errors'))
      return json(res, { items: [], errors: [{ message: 'no product matches "sony"' }] });
    if (url.startsWith('/rest-failed')) return json(res, { errors: [{ message: 'invalid key' }] });
    if (url.startsWith('/outer-empty')) return json(res, { data: [] });
    if (url.startsWith('/each-empty')) return json(res, { results: [{ items: [] }, { items: [] }] });
    return json(res, { items: [ITEM] });
  });
});
afterAll(() => server.close());

const src = (name: string, path: string, offers: string): string => `
  - name: ${name}
    request: { url: "${server.url}${path}" }
    offers: ${offers}
    fields: { title: title, price: price, currency: currency }`;

const rowsOf = (stdout: string) =>
  Object.fromEntries((JSON.parse(stdout).sources as { name: string; note?: string }[]).map((r) => [r.name, r]));

describe('a note when `offers` finds nothing', () => {
  it('says a HEAD source never has offers, as its answer has no body', async () => {
    // It was `ok` with 0 offers and no word of why, in the table and in JSON.
    const head = src('head', '/found', 'items').replace('request: { url:', 'request: { method: HEAD, url:');
    const file = writeConfig([head, src('get', '/found', 'items')]);
    const rows = rowsOf((await runCli(['search', 'sony', '-c', file, '--json'])).stdout);
    expect(rows.head).toMatchObject({
      status: 'ok',
      offers: 0,
      note: 'a HEAD answer has no body, so `offers` finds nothing in it: use GET',
    });
    // The same answer to a GET has its offer, and no note.
    expect(rows.get).toMatchObject({ status: 'ok', offers: 1 });
    expect(rows.get).not.toHaveProperty('note');
  });

  it('says where a wrong path looked and what the answer has, in JSON and on stderr when nothing was found', async () => {
    const file = writeConfig([src('shop', '/nested', 'data'), src('deep', '/nested', 'results.items')]);
    const out = await runCli(['search', 'sony', '-c', file, '--json']);
    const rows = rowsOf(out.stdout);
    expect(rows.shop).toMatchObject({
      status: 'ok',
      offers: 0,
      note: 'no `data` in the answer; it has `results`, `meta`',
    });
    expect(rows.deep).toMatchObject({ note: 'no `items` under `results`; `results` has `data`, `total`' });
    expect(out.code).toBe(1);
    // In the table, with no offers at all, the rows say it: the wrong path's only sign.
    const table = await runCli(['search', 'sony', '-c', file]);
    expect(table.stdout).toContain('No offers.');
    expect(table.stderr).toMatch(/shop\s+ok\s+no `data` in the answer; it has `results`, `meta`/);
    expect(table.stderr).toMatch(/deep\s+ok\s+no `items` under `results`/);
  });

  it('points at `$` when the answer is a list', async () => {
    const file = writeConfig([src('flat', '/list', 'items')]);
    const out = await runCli(['search', 'sony', '-c', file, '--json']);
    expect(rowsOf(out.stdout).flat?.note).toBe(
      '`items` found nothing: the answer is a list of 2 (`offers: $` reads the list itself)',
    );
  });

  it('says nothing for an empty or null list, and lists no row when other sources have offers', async () => {
    const file = writeConfig([
      src('empty', '/none', 'items'),
      src('nulled', '/null', 'items'),
      src('missing', '/nested', 'items'),
      src('good', '/items', 'items'),
    ]);
    const out = await runCli(['search', 'sony', '-c', file, '--json']);
    const rows = rowsOf(out.stdout);
    expect(rows.empty).not.toHaveProperty('note');
    expect(rows.nulled).not.toHaveProperty('note');
    // A vendor that leaves the list out when it has none (eBay): the note is in JSON, for who looks.
    expect(rows.missing?.note).toBe('no `items` in the answer; it has `results`, `meta`');
    expect(rows.good).toMatchObject({ status: 'ok', offers: 1 });
    const table = await runCli(['search', 'sony', '-c', file]);
    expect(table.code).toBe(0);
    expect(table.stderr).not.toContain('missing');
    expect((await runCli(['search', 'sony', '-c', file, '--verbose'])).stderr).toMatch(/missing\s+ok\s+no `items`/);
  });

  it('names any expression as written, and at most eight keys', () => {
    const keys = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, i]));
    expect(emptyReason('$.results[type="x"]', keys)).toBe(
      '`$.results[type="x"]` found nothing in the answer; it has `k0`, `k1`, `k2`, `k3`, `k4`, `k5`, `k6`, `k7` and 3 more',
    );
    expect(emptyReason('a.b', {})).toBe('no `a` in the answer; it has no keys');
    // Cut short, the keys that hold a list or an object are among those shown: Best Buy's answer, for
    // `offers: product`, read "it has `from`, `to`, … and 2 more", and the 2 more held `products`.
    const bestbuy = {
      from: 1,
      to: 2,
      currentPage: 1,
      total: 2,
      totalPages: 1,
      queryTime: '0.005',
      totalTime: '0.020',
      partial: false,
      canonicalUrl: '/v1/products(search=sony)',
      products: [{ name: 'x', salePrice: 1 }],
    };
    expect(emptyReason('product', bestbuy)).toBe(
      'no `product` in the answer; it has `products`, `from`, `to`, `currentPage`, `total`, `totalPages`, `queryTime`, `totalTime` and 2 more',
    );
    // A function's list may be there and empty: no note rather than a false one.
    expect(emptyReason('$filter(items, function($v) { $v.price > 0 })', { items: [] })).toBeUndefined();
  });

  it('says nothing when the path reaches a null or empty list on the way, or empty lists in each item', async () => {
    // `{"data": null}` and `{"data": []}` for `data.items` are a vendor's "none": "no `data`; it has `data`" was wrong.
    const file = writeConfig([
      src('outernull', '/outer-null', 'data.items'),
      src('outerempty', '/outer-empty', 'data.items'),
      src('lists', '/each-empty', 'results.items'),
    ]);
    const out = await runCli(['search', 'sony', '-c', file, '--json']);
    const rows = rowsOf(out.stdout);
    for (const name of ['outernull', 'outerempty', 'lists']) expect(rows[name]).not.toHaveProperty('note');
    expect(emptyReason('data.items', { data: 'none' })).toBe('no `items` under `data`: `data` is text');
    expect(emptyReason('results.items', { results: [{ other: 1 }] })).toBe(
      'no `items` under `results`; `results` has `other`',
    );
    expect(emptyReason('items', [{ items: [] }])).toBeUndefined();
  });

  it('a GraphQL answer with `errors` and no `data` is the source failing: HTTP 200 with `data: null`', async () => {
    const file = writeConfig([
      src('gql', '/graphql-error', 'data.search.edges.node'),
      src('gqlnone', '/graphql-none', 'data.search.edges.node'),
      src('gqlpartial', '/graphql-partial', 'data.search.edges.node'),
    ]);
    const out = await runCli(['search', 'sony', '-c', file]);
    expect(out.stderr).toMatch(/gql\s+error\s+the answer has `errors`: Cannot query field "serch" on type "Query"\./);
    const json = await runCli(['search', 'sony', '-c', file, '--json']);
    const rows = rowsOf(json.stdout);
    expect(rows.gql).toMatchObject({
      status: 'error',
      offers: 0,
      error: 'the answer has `errors`: Cannot query field "serch" on type "Query".',
    });
    expect(rows.gql).not.toHaveProperty('note');
    // An empty `errors` list is no error: the search found nothing.
    expect(rows.gqlnone).toMatchObject({ status: 'ok' });
    expect(rows.gqlnone).not.toHaveProperty('note');
    // Errors beside data are a partial answer: ok, and the note says what they say.
    expect(rows.gqlpartial).toMatchObject({ status: 'ok', note: 'the answer has `errors`: price service slow' });
    // Every source that ran failed or found nothing: --strict now sees the failure.
    expect((await runCli(['search', 'sony', '-c', file, '--strict'])).code).toBe(3);
  });

  it('errors beside the list `offers` reads, in a REST answer with no `data`, are a note: the search found nothing', async () => {
    const file = writeConfig([
      src('rest', '/rest-errors', 'items'),
      src('filtered', '/rest-errors', 'items[price > 0]'),
      src('failed', '/rest-failed', 'items'),
    ]);
    const rows = rowsOf((await runCli(['search', 'sony', '-c', file, '--json'])).stdout);
    const note = 'the answer has `errors`: no product matches "sony"';
    expect(rows.rest).toMatchObject({ status: 'ok', offers: 0, note });
    expect(rows.filtered).toMatchObject({ status: 'ok', offers: 0, note });
    // Errors with no list at all are still the source failing.
    expect(rows.failed).toMatchObject({ status: 'error', error: 'the answer has `errors`: invalid key' });
  });

  it('says an answer had no body (a 204, or a 200 with none) or was a bare null: ok, with 0 offers', async () => {
    // Each was `ok` with 0 offers and not a word, where an answer of any other shape says what `offers` found.
    const file = writeConfig([
      src('empty', '/no-body', 'items'),
      src('nocontent', '/no-content', 'items'),
      src('nulled', '/bare-null', 'items'),
      `${src('paged', '/then-empty', 'items')}\n    next: next`,
    ]);
    const out = await runCli(['search', 'sony', '-c', file, '--json']);
    const rows = rowsOf(out.stdout);
    const noBody = 'the answer has no body, so `offers` finds nothing in it';
    expect(rows.empty).toMatchObject({ status: 'ok', httpStatus: 200, offers: 0, note: noBody });
    expect(rows.nocontent).toMatchObject({ status: 'ok', httpStatus: 204, offers: 0, note: noBody });
    expect(rows.nulled).toMatchObject({
      status: 'ok',
      offers: 0,
      note: 'the answer is `null`, so `offers` finds nothing in it',
    });
    // A first page with its list, empty, and a last one with no body: the vendor's "none", said as nothing.
    expect(rows.paged).toMatchObject({ status: 'ok', offers: 0, attempts: 2 });
    expect(rows.paged).not.toHaveProperty('note');
    // No source had offers: the notes are on stderr too.
    expect(out.stderr).toMatch(/nocontent\s+ok\s+the answer has no body/);
  });

  it('says nothing for a paged answer whose first page had an empty list and whose last page had none', async () => {
    const file = writeConfig([`${src('paged', '/page1', 'items')}\n    next: next`]);
    const out = await runCli(['search', 'sony', '-c', file, '--json']);
    const row = rowsOf(out.stdout).paged;
    expect(row).toMatchObject({ status: 'ok', offers: 0, attempts: 2 });
    expect(row).not.toHaveProperty('note');
  });

  it('says nothing when the path a predicate is on reaches its list: empty, null, or none kept', async () => {
    const file = writeConfig([
      src('filtered', '/none', 'items[price > 0]'),
      src('rooted', '/outer-null', '$.data.items'),
    ]);
    const rows = rowsOf((await runCli(['search', 'sony', '-c', file, '--json'])).stdout);
    expect(rows.filtered).not.toHaveProperty('note');
    expect(rows.rooted).not.toHaveProperty('note');
    expect(emptyReason('items[type = "flight"]', { items: [{ type: 'hotel' }] })).toBeUndefined();
    expect(emptyReason('stuff[0]', { items: [] })).toBe('`stuff[0]` found nothing in the answer; it has `items`');
  });
});

describe('a warning when no offer has a value for a field the mapping lists', () => {
  it('names each such field, and leaves the offers and the status as they are', async () => {
    // `title: lable` gave blank titles and an `ok` row with no word, where a price path that found nothing was said.
    const typo = src('typo', '/list', 'items').replace(
      'fields: { title: title,',
      'fields: { carrier: carier, url: link, title: lable,',
    );
    const file = writeConfig([typo.replace('offers: items', 'offers: $')]);
    const out = await runCli(['search', 'sony', '-c', file, '--json']);
    expect(out.code).toBe(0);
    const doc = JSON.parse(out.stdout);
    expect(doc.offers).toHaveLength(2);
    expect(doc.sources[0]).toMatchObject({
      status: 'ok',
      offers: 2,
      unfilled: ['title', 'carrier', 'url'],
    });
    // A warning, in the JSON's `warnings` and on stderr: under -q too, where status rows are not shown.
    const warning = 'typo: no offer has a value for fields.title, fields.carrier, fields.url; is the path right?';
    expect(doc.warnings).toContain(warning);
    const quiet = await runCli(['search', 'sony', '-c', file, '-q']);
    expect(quiet.stderr).toContain(`warning: ${warning}\n`);
    expect((await runCli(['search', 'sony', '-c', file])).stderr).toContain(`warning: ${warning}\n`);
  });

  it('counts an empty text or a null as no value, and reads only the offer’s own fields', async () => {
    // `toString` is an allowed field name; every object has one on its prototype, which is no value of the vendor's.
    const blank = src('blank', '/blank', 'items').replace(
      'fields: { title: title,',
      'fields: { toString: nothing, carrier: carrier, title: title,',
    );
    const rows = rowsOf((await runCli(['search', 'sony', '-c', writeConfig([blank]), '--json'])).stdout);
    expect(rows.blank).toMatchObject({ status: 'ok', offers: 2, unfilled: ['title', 'toString', 'carrier'] });
  });

  it('says nothing when one offer has it: vendors leave optional fields out of some items', async () => {
    const file = writeConfig([
      src('list', '/list', '$'),
      src('one', '/mixed', 'items').replace('title: title', 'title: name'),
    ]);
    const rows = rowsOf((await runCli(['search', 'sony', '-c', file, '--json'])).stdout);
    expect(rows.list).not.toHaveProperty('unfilled');
    expect(rows.one).toMatchObject({ offers: 2 });
    expect(rows.one).not.toHaveProperty('unfilled');
  });

  it('says nothing of a field written as a condition with no else, which may have no value by design', async () => {
    // A round trip's `back` (`itineraries[1] ? …`) is absent from every one-way offer: it was warned of on
    // every one-way search. A condition with an else, or one inside a call, is no such promise.
    const optional = src('optional', '/list', '$').replace(
      'fields: { title: title,',
      `fields: { back: "legs[1] ? legs[1].at", ret: "($l := legs; $l[1] ? $l[1].at)", bags: 'bags ? bags : "none"',
        leg: "$string(legs[1] ? 1)", title: title,`,
    );
    const doc = JSON.parse((await runCli(['search', 'sony', '-c', writeConfig([optional]), '--json'])).stdout);
    expect(doc.offers[0]).not.toHaveProperty('back');
    expect(doc.sources[0]).toMatchObject({ status: 'ok', offers: 2, unfilled: ['leg'] });
    expect(doc.warnings).toEqual(['optional: no offer has a value for fields.leg; is the path right?']);
  });
});
