/**
 * Hostile shapes and sizes through the whole pipeline (`run()` against a real server): each bad
 * response becomes its own `ok` or `error` row with a reason, and the good source beside it is
 * untouched. Also: a query cannot inject a header, and `agg sources` cleans what the file says.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { source, writeConfig } from './helpers/config.js';
import { TERMINAL_ACTIVE } from './helpers/hostile.js';
import { startServer, type TestServer } from './helpers/server.js';

// Raw JSON text per path, so that shapes JSON.stringify cannot write (1e999, deep nesting) get through.
const BODIES: Record<string, string> = {
  '/good': '{"items":[{"title":"good","price":0.5,"currency":"USD"}]}',
  '/deep': `{"items":[{"title":"deep","price":1,"currency":"USD","extra":${'['.repeat(100_000)}${']'.repeat(100_000)}},{"title":"flat","price":2,"currency":"USD","extra":1}]}`,
  '/deeptitle': `{"items":[{"title":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)},"price":1,"currency":"USD"},{"title":"flat","price":2,"currency":"USD"}]}`,
  // An item that is itself a list nested 100,000 deep: JSONata walks it recursively, and overflows the stack.
  '/deeplist': `{"items":[${'['.repeat(100_000)}${']'.repeat(100_000)},{"title":"flat","price":2,"currency":"USD"}]}`,
  '/huge': `{"items":[${Array.from({ length: 30_000 }, (_, i) => `{"title":"t${i}","price":${1 + (i % 50)},"currency":"USD"}`).join(',')}]}`,
  '/nulls': '{"items":[null,{"title":null,"price":null,"currency":null},{"title":"n","price":1,"currency":null}]}',
  '/nolist': '{"items":null,"total":0}',
  '/arrays': '{"items":[[1,2],[{"title":"x","price":1}],"string",42,true]}',
  '/itemsobj': '{"items":{"title":"single","price":3,"currency":"USD"}}',
  '/wrongtop': '[[["not an object"]]]',
  '/numbers':
    '{"items":[{"title":"a","price":"12"},{"title":"b","price":1e999},{"title":"c","price":-5},{"title":"d","price":NaN}]}',
  '/numbers-ok':
    '{"items":[{"title":"a","price":"12"},{"title":"b","price":1e999},{"title":"c","price":-5},{"title":"d","price":4}]}',
  '/proto':
    '{"__proto__":{"items":[{"title":"inherited","price":1}]},"items":[{"__proto__":{"price":1},"title":"own"}]}',
};

let server: TestServer;
beforeAll(async () => {
  server = await startServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(BODIES[req.url?.split('?')[0] ?? ''] ?? '{}');
  });
});
afterAll(() => server.close());

describe('hostile response shapes and sizes', () => {
  it('give each source ok or error with a reason, and never touch the good one', async () => {
    const names = Object.keys(BODIES).map((p) => p.slice(1));
    const file = writeConfig(
      names.map((n) => source(n, `${server.url}/${n}`, n === 'deep' ? '\n      extra: extra' : '')),
      'currency: USD',
    );
    const out = await runCli(['search', 'x', '-c', file, '--json', '--limit', '500']);
    expect(out.code).toBe(0);
    const doc = JSON.parse(out.stdout);
    const row = (n: string) => doc.sources.find((s: { name: string }) => s.name === n);
    for (const n of names) expect(['ok', 'error']).toContain(row(n).status);
    for (const s of doc.sources) if (s.status === 'error') expect(s.error).toMatch(/\w/);
    expect(row('good')).toMatchObject({ status: 'ok', offers: 1 });
    expect(doc.offers[0]).toMatchObject({ title: 'good', price: 0.5 });
    // One item nested past the limit costs that item, not the source's other offers.
    expect(row('deep')).toMatchObject({
      status: 'ok',
      offers: 1,
      dropped: 1,
      droppedError: 'fields.extra: a value is nested deeper than 100 levels',
    });
    // A title nested as deep: the same limit, not a stack overflow.
    expect(row('deeptitle')).toMatchObject({
      status: 'ok',
      offers: 1,
      dropped: 1,
      droppedError: 'fields.title: a value is nested deeper than 100 levels',
    });
    // That overflow is named as the data's depth, not as V8's "Maximum call stack size exceeded".
    expect(row('deeplist')).toMatchObject({
      status: 'ok',
      offers: 1,
      dropped: 1,
      droppedError: 'fields: a value is nested too deeply to read',
    });
    expect(row('huge')).toMatchObject({ status: 'ok', offers: 30_000 });
    expect(row('nulls')).toMatchObject({ status: 'ok', offers: 1, dropped: 2 });
    // `"items": null` is how many APIs say "none": no items, so none dropped (no status row on stderr).
    expect(row('nolist')).toMatchObject({ status: 'ok', offers: 0 });
    expect(row('nolist')).not.toHaveProperty('dropped');
    // A path flattens nested arrays (JSONata's sequences), so the one object inside a list still maps.
    expect(row('arrays')).toMatchObject({ status: 'ok', offers: 1 });
    expect(row('itemsobj')).toMatchObject({ status: 'ok', offers: 1 });
    expect(row('wrongtop')).toMatchObject({ status: 'ok', offers: 0 });
    // NaN is not JSON: the whole body is refused, with the reason.
    expect(row('numbers').error).toMatch(/^response is not JSON \(application\/json\): GET /);
    expect(row('numbers-ok')).toMatchObject({ status: 'ok', offers: 1, dropped: 3 });
    // `__proto__` is an own key: its `items` are not the response's, and an item's `price` is not inherited.
    // Its one item, dropped, leaves the source nothing: an error that says why.
    expect(row('proto')).toMatchObject({
      status: 'error',
      offers: 0,
      dropped: 1,
      error: 'its one item was dropped: fields.price: no value; is the path right?',
    });
    expect(({} as Record<string, unknown>).price).toBeUndefined();
  });

  it('cuts a long vendor error between characters, never inside an emoji (half of one prints as U+FFFD)', async () => {
    const vendor = await startServer((_req, res) => {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: '😀'.repeat(400) }));
    });
    try {
      // Paths one character apart: one of the two error lines reaches the cut on the first half of an emoji.
      const file = writeConfig(
        [source('odd', `${vendor.url}/e`), source('even', `${vendor.url}/ee`)],
        'defaults: { retries: 0 }',
      );
      const out = await runCli(['search', 'x', '-c', file, '--json']);
      const doc = JSON.parse(out.stdout);
      const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
      for (const row of doc.sources) {
        expect(row.error).toMatch(/😀…$/u);
        expect(row.error).not.toMatch(loneSurrogate);
      }
    } finally {
      await vendor.close();
    }
  });

  it('sends no header a query tried to inject: a line break in a header value is an error row', async () => {
    const file = writeConfig([source('hdr', `${server.url}/good`, '')], 'currency: USD');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('request:', 'request:\n      headers: { X-Query: "{{query}}" }'),
    );
    const before = server.requests.length;
    const out = await runCli(['search', 'a\r\nX-Admin: 1', '-c', file, '--json']);
    const row = JSON.parse(out.stdout).sources[0];
    expect(row.status).toBe('error');
    expect(server.requests.slice(before).some((r) => r.headers['x-admin'] !== undefined)).toBe(false);
  });

  // A `requires` entry is a param name (letters, digits and _), so only tags can carry a control.
  it('agg sources shows tags from the file with their controls made visible', async () => {
    const file = writeConfig(
      [source('shop', `${server.url}/good`, '\n    tags: ["\\e[2Jwiped", "\\u202eevil"]')],
      'currency: USD',
    );
    for (const args of [['sources'], ['sources', '--json']]) {
      const out = await runCli([...args, '-c', file]);
      expect(out.code).toBe(0);
      expect(out.stdout).not.toMatch(TERMINAL_ACTIVE);
    }
    expect((await runCli(['sources', '-c', file])).stdout).toContain('␛[2Jwiped, <U+202E>evil');
  });
});
