/**
 * Items a field threw on are dropped; the row says which field and why, not "without a usable price":
 * a typo in `carrier` must not send the user to debug a price mapping that works.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { source, writeConfig } from './helpers/config.js';
import { json, startServer, type TestServer } from './helpers/server.js';

const SECRET = 'fare-code-supersecret';
/** The source sends FARE_CODE in a header: a `${VAR}` value, so every output must hide it. */
const withSecretHeader = (yaml: string): string =>
  yaml.replace('url: "', 'headers: { X-Code: "${FARE_CODE}" }\n      url: "');
let server: TestServer;
beforeAll(async () => {
  server = await startServer((req, res) => {
    if (req.url?.startsWith('/fares')) {
      return json(res, {
        items: [
          { title: 'BA 178', price: '512.40', currency: 'EUR', carriers: ['BA'] },
          { title: 'VS 4', price: '1.299,00', currency: 'EUR', carriers: ['VS'] },
        ],
      });
    }
    if (req.url?.startsWith('/long')) {
      // The secret ends past the 200th character of the error: a cut before redaction showed its start.
      return json(res, {
        items: [
          { title: 'ok', price: '1', currency: 'EUR' },
          { title: 'echo', price: `${'x'.repeat(130)}${SECRET}` },
        ],
      });
    }
    if (req.url?.startsWith('/straddle')) {
      // Text where a number goes, the secret across its 40th character.
      return json(res, { items: [{ title: 'echo', price: `${'x'.repeat(30)}${SECRET}` }] });
    }
    // Page 1's one item has text for a price; page 2 fails to arrive (`/cut`) or to map (`/err`).
    if (req.url?.startsWith('/paged/')) {
      const [, , kind, page] = req.url.split('/');
      if (page === '2' && kind === 'cut') return json(res, { message: 'down' }, { status: 500 });
      // Its message quotes the source's secret, then runs on past any row's length.
      if (page === '2') return json(res, { status: 'ERR', message: `gone ${SECRET} ${'x'.repeat(400)}` });
      return json(res, {
        items: [{ title: 'a', price: 'n/a', currency: 'EUR' }],
        next: `${server.url}/paged/${kind}/2`,
      });
    }
    if (req.url?.startsWith('/partial')) {
      // A vendor that leaves the price out of some items (not yet priced): the path finds the others'.
      return json(res, {
        items: [
          { title: 'a', price: 5, currency: 'EUR' },
          { title: 'b', currency: 'EUR' },
          { title: 'c', price: 7, currency: 'EUR' },
        ],
      });
    }
    if (req.url?.startsWith('/echo')) {
      return json(res, {
        items: [
          { title: 'ok', price: '1', currency: 'EUR' },
          { title: 'echo', price: SECRET },
        ],
      });
    }
    return json(res, {}, { status: 404 });
  });
});
afterAll(() => server.close());

/** A source whose price is `$number(price)`, plus `extra` lines under `fields`. */
const fares = (extra = '') =>
  writeConfig([source('fares', `${server.url}/fares`, extra).replace('price: price', 'price: $number(price)')]);

describe('items dropped because a field threw', () => {
  it('names the field and the error of a typo in an extra field, which drops every item: the source failed', async () => {
    // It was `ok` with 0 offers (exit 1, "nothing matched"), and `--strict -q` never said a word.
    const file = fares('\n      carrier: $joim(carriers, ",")');
    const out = await runCli(['search', 'x', '-c', file]);
    expect(out.code).toBe(4);
    expect(out.stderr).toMatch(
      /fares\s+error\s+all 2 items were dropped: fields\.carrier: Attempted to invoke a non-function\n/,
    );
    expect(out.stderr).not.toContain('without a usable price');

    const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--json'])).stdout);
    expect(doc.sources[0]).toMatchObject({
      status: 'error',
      error: 'all 2 items were dropped: fields.carrier: Attempted to invoke a non-function',
      dropped: 2,
      droppedError: 'fields.carrier: Attempted to invoke a non-function',
    });
  });

  it('says a price with no value beside the items that had one, not to check a path that found theirs', async () => {
    // `dropped 1 item (fields.price: no value; is the path right?)` beside the two offers the path mapped.
    for (const price of ['price', 'price * 1']) {
      const file = writeConfig([source('part', `${server.url}/partial`).replace('price: price', `price: ${price}`)]);
      const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--json'])).stdout);
      expect([price, doc.sources[0]]).toEqual([
        price,
        expect.objectContaining({
          status: 'ok',
          offers: 2,
          dropped: 1,
          droppedError: 'fields.price: no value, where 2 other items have one: the vendor leaves it out of some',
        }),
      ]);
    }
  });

  it('says a price in cents sent as text needs $number() before it is divided', async () => {
    // `price_cents / 100` over `"51240"`: JSONata's words alone said a side "must evaluate to a number".
    const file = writeConfig([source('fares', `${server.url}/fares`).replace('price: price', 'price: price / 100')]);
    const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--json'])).stdout);
    expect(doc.sources[0].droppedError).toBe(
      'fields.price: The left side of the "/" operator must evaluate to a number, and it is text: wrap it in $number()',
    );
  });

  it('a source that kept none of its items fails --strict, even under -q, where its row is not shown', async () => {
    // A vendor that moved its price: a cron job running `--strict -q` exited 0 on the other sources' offers.
    const moved = source('moved', `${server.url}/fares`).replace('price: price', 'price: $number(amount)');
    const file = writeConfig([
      source('good', `${server.url}/echo`).replace('price: price', 'price: $number(price)'),
      moved,
    ]);
    const out = await runCli(['search', 'x', '-c', file, '-q', '--strict', '--json']);
    expect(out.code).toBe(3);
    const rows = JSON.parse(out.stdout).sources;
    expect(rows.map((r: { status: string }) => r.status)).toEqual(['ok', 'error']);
    expect(rows[1]).toMatchObject({
      offers: 0,
      dropped: 2,
      droppedError: 'fields.price: no value; is the path right?',
    });
    // Without --strict the run stands on the offers it has.
    expect((await runCli(['search', 'x', '-c', file, '-q'])).code).toBe(0);
  });

  it('offers that --where leaves out are not dropped items: that source is ok with none', async () => {
    const file = writeConfig([source('good', `${server.url}/echo`).replace('price: price', 'price: $number(price)')]);
    const out = await runCli(['search', 'x', '-c', file, '--json', '--where', 'price > 100']);
    expect(out.code).toBe(1);
    // Its one unusable item is still said; the usable one was an offer --where did not keep.
    expect(JSON.parse(out.stdout).sources[0]).toMatchObject({ status: 'ok', offers: 0, dropped: 1 });
  });

  it('says where a paged answer whose items were all dropped was cut short, by a page that failed or did not map', async () => {
    const paged = (kind: string) =>
      source(kind, `${server.url}/paged/${kind}/1`, '\n    next: next').replace(
        'offers: items',
        `offers: 'status = "ERR" ? $error("vendor said " & message) : items'`,
      );
    const file = writeConfig([paged('cut'), withSecretHeader(paged('err'))]);
    const out = await runCli(['search', 'x', '-c', file, '--json'], { env: { FARE_CODE: SECRET } });
    const [cut, err] = JSON.parse(out.stdout).sources;
    const dropped = 'its one item was dropped: fields.price: "n/a" is text, not a number; is the path right?';
    expect(cut).toMatchObject({ status: 'error', offers: 0, dropped: 1 });
    expect(cut.error).toMatch(
      `${dropped}; incomplete, kept 1 page; page 2 failed: HTTP 500 Internal Server Error: GET ${server.url}/paged/cut/2`,
    );
    expect(cut).not.toHaveProperty('incomplete');
    // Hidden, then cut to a row's 300 characters.
    expect(err).toMatchObject({ status: 'error', offers: 0, dropped: 1 });
    expect(err.error).toMatch(
      `${dropped}; incomplete, kept 1 page; page 2 failed: mapping failed: offers: vendor said gone *** x`,
    );
    expect(err.error).toHaveLength(300);
    expect(err.error.endsWith('…')).toBe(true);
    expect(out.stdout).not.toContain(SECRET);
    expect(err).not.toHaveProperty('incomplete');
  });

  it('names a price that does not cast, and keeps the other items', async () => {
    const out = await runCli(['search', 'x', '-c', fares(), '-f', 'ndjson']);
    expect(out.code).toBe(0);
    const lines = out.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.type === 'offer').map((l) => l.title)).toEqual(['BA 178']);
    const row = lines.find((l) => l.type === 'source');
    expect(row).toMatchObject({
      dropped: 1,
      droppedError: 'fields.price: Unable to cast value to a number: "1.299,00"',
    });
    expect(out.stderr).toMatch(/dropped 1 item \(fields\.price: Unable to cast value to a number: "1\.299,00"\)/);
  });

  it('hides an environment secret that the error quotes from the vendor', async () => {
    const file = writeConfig([
      withSecretHeader(source('echo', `${server.url}/echo`).replace('price: price', 'price: $number(price)')),
    ]);
    const out = await runCli(['search', 'x', '-c', file, '--json'], { env: { FARE_CODE: SECRET } });
    expect(out.code).toBe(0);
    const doc = JSON.parse(out.stdout);
    expect(doc.sources[0]).toMatchObject({
      dropped: 1,
      droppedError: 'fields.price: Unable to cast value to a number: "***"',
    });
    expect(`${out.stdout}${out.stderr}`).not.toContain(SECRET);
  });

  it('cuts a long error after hiding the secret, so that no part of it shows', async () => {
    const file = writeConfig([
      withSecretHeader(source('long', `${server.url}/long`).replace('price: price', 'price: $number(price)')),
    ]);
    const out = await runCli(['search', 'x', '-c', file, '--json'], { env: { FARE_CODE: SECRET } });
    const { droppedError } = JSON.parse(out.stdout).sources[0];
    expect(droppedError).toBe(`fields.price: Unable to cast value to a number: "${'x'.repeat(130)}***"`);
    expect(`${out.stdout}${out.stderr}`).not.toContain(SECRET.slice(0, 8));

    // Still cut at 200 characters when it is long after redaction.
    const longer = writeConfig([source('long', `${server.url}/long`).replace('price: price', 'price: $number(price)')]);
    const cut = JSON.parse((await runCli(['search', 'x', '-c', longer, '--json'])).stdout).sources[0].droppedError;
    expect(cut).toHaveLength(200);
    expect(cut.endsWith('…')).toBe(true);
  });

  it('hides a secret in a text price whole, then cuts: a cut of the text before redaction showed its start', async () => {
    const file = writeConfig([withSecretHeader(source('straddle', `${server.url}/straddle`))]);
    const out = await runCli(['search', 'x', '-c', file, '--json'], { env: { FARE_CODE: SECRET } });
    expect(JSON.parse(out.stdout).sources[0].droppedError).toBe(
      `fields.price: "${'x'.repeat(30)}***" is text, not a number; is the path right?`,
    );
    expect(`${out.stdout}${out.stderr}`).not.toContain(SECRET.slice(0, 6));
  });

  it('says what the first dropped price was when no field threw, so the row leads to the fix', async () => {
    // `price: price` on a vendor that sends text: the row names the text and the fix, not only "no usable price".
    const text = await runCli(['search', 'x', '-c', writeConfig([source('fares', `${server.url}/fares`)]), '--json']);
    expect(JSON.parse(text.stdout).sources[0]).toMatchObject({
      dropped: 2,
      droppedError: 'fields.price: "512.40" is text, not a number; wrap it in $number()',
    });
    expect(text.stderr).toMatch(
      /fares\s+error\s+all 2 items were dropped: fields\.price: "512\.40" is text, not a number; wrap it in \$number\(\)\n/,
    );

    // A path that reads nothing (the vendor's key is `price`, not `amount`).
    const missing = writeConfig([
      source('fares', `${server.url}/fares`).replace('price: price', 'price: $number(amount)'),
    ]);
    const out = await runCli(['search', 'x', '-c', missing]);
    expect(out.code).toBe(4);
    expect(out.stderr).toMatch(
      /fares\s+error\s+all 2 items were dropped: fields\.price: no value; is the path right\?\n/,
    );

    // Below zero.
    const negative = writeConfig([source('fares', `${server.url}/fares`).replace('price: price', 'price: "-5"')]);
    const neg = JSON.parse((await runCli(['search', 'x', '-c', negative, '--json'])).stdout);
    expect(neg.sources[0].droppedError).toBe('fields.price: -5 is below zero');
  });
});
