/**
 * Expressions from the sources file or `--where` that loop or recurse without end are stopped and
 * reported against their source and field, and while one runs, the other sources carry on.
 * The time limit is lowered through setGuardrails so that these tests take a fraction of 5 s.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.js';
import { applyMapping, compileMapping, MappingError } from '../src/map/index.js';
import { type Guardrails, setGuardrails } from '../src/shared/expression.js';
import { runCli } from './helpers/cli.js';
import { writeConfig } from './helpers/config.js';
import { json, startServer, type TestServer } from './helpers/server.js';

const LOOP = '($f := function($x){ $f($x) }; $f(1))';
const RECURSION = '($f := function($x){ 1 + $f($x) }; $f(1))';

let server: TestServer;
let previous: Readonly<Guardrails>;
beforeAll(async () => {
  server = await startServer((req, res) =>
    json(
      res,
      { items: [{ title: 'fine', price: 10, currency: 'USD' }] },
      { ms: req.url?.startsWith('/slow') ? 100 : 0 },
    ),
  );
});
afterAll(() => server.close());
afterEach(() => {
  if (previous) setGuardrails(previous);
});

const src = (name: string, url: string, price = 'price', extra = ''): string => `
  - name: ${name}
    request: { url: "${url}" }${extra}
    offers: items
    fields: { title: title, price: "${price}", currency: currency }`;

describe('guardrails', () => {
  it('stops a mapping field that loops, naming the field', async () => {
    previous = setGuardrails({ timeout: 200 });
    const m = compileMapping('items', { title: 'title', price: LOOP });
    const err = await applyMapping(m, { items: [{ title: 'x' }] }, 's', 'USD').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MappingError);
    expect((err as MappingError).message).toBe('fields.price: stopped after 0.2s: an endless loop, or too much data?');
  });

  // An embedder passes its own settings through: one it does not have must not turn a limit off.
  it('keeps a limit given as undefined, and refuses one that is no number above 0', async () => {
    previous = setGuardrails({ timeout: 200, stack: undefined });
    setGuardrails({ timeout: undefined });
    const m = compileMapping('items', { title: 'title', price: LOOP });
    const err = await applyMapping(m, { items: [{ title: 'x' }] }, 's', 'USD').catch((e: unknown) => e);
    expect((err as MappingError).message).toBe('fields.price: stopped after 0.2s: an endless loop, or too much data?');
    expect(() => setGuardrails({ stack: Number.NaN })).toThrow(
      'setGuardrails: stack: expected a number above 0, got NaN',
    );
    expect(() => setGuardrails({ timeout: 0 })).toThrow(UsageError);
  });

  // One item that throws sends the response item by item, each evaluation with its own time budget:
  // a few milliseconds an item for thousands of items must still stop at the budget, not take minutes.
  it('stops the item-by-item path as a whole at the time limit, though no item reaches it', async () => {
    previous = setGuardrails({ timeout: 200 });
    // `$.items` is no plain path: the whole mapping is JSONata's, and the fused pass throws at the first item.
    const m = compileMapping('$.items', { title: 'title', price: '$number(p)', w: '$sum([1..20000])' });
    const items = [{ title: 'bad', p: 'n/a' }, ...Array.from({ length: 2000 }, (_, i) => ({ title: `t${i}`, p: 1 }))];
    const err = await applyMapping(m, { items }, 's', 'USD').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MappingError);
    expect((err as MappingError).message).toBe('fields: stopped after 0.2s: an endless loop, or too much data?');
  });

  it('names the one JSONata field when the stop carries no position (a huge range)', async () => {
    previous = setGuardrails({ timeout: 100 });
    // title and price are read directly; x alone goes through JSONata, and a range's stop has no position.
    const m = compileMapping('items', { title: 'title', price: 'price', x: '[1..3000000].($ * 2)' });
    const err = await applyMapping(m, { items: [{ title: 't', price: 1 }] }, 's', 'USD').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MappingError);
    expect((err as MappingError).message).toMatch(/^fields\.x: stopped/);
  });

  it('does not blame the one field for a position-less stop when `offers` is the culprit', async () => {
    previous = setGuardrails({ timeout: 100 });
    const m = compileMapping('$append(items, [1..3000000].($ * 2))', { price: 'p' });
    const err = await applyMapping(m, { items: [{ p: 1 }] }, 's', 'USD').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MappingError);
    // `offers` runs alone before the fields, so its stop is its own.
    expect((err as MappingError).message).toMatch(/^offers: stopped/);
  });

  it('stops an `offers` expression that recurses without end, at depth 1000, at once', async () => {
    const m = compileMapping(RECURSION, { title: 'title', price: 'price' });
    const err = await applyMapping(m, {}, 's', 'USD').catch((e: unknown) => e);
    expect((err as MappingError).message).toBe('offers: stopped at depth 1000: a recursion without end?');
  });

  it('reports looping mappings and templates as error rows, and the other sources still answer', async () => {
    previous = setGuardrails({ timeout: 1000 });
    const file = writeConfig([
      src('loop', `${server.url}/a`, LOOP),
      src('tmpl', `${server.url}/b?q={{ ${LOOP.replaceAll('"', '\\"')} }}`),
      // Answers 100 ms in, within 900 ms: a mapping that held the event loop for its whole second
      // would leave this response unread until its time limit had passed. (600 ms failed once on a
      // machine busy with other test runs: 9x the answer's time leaves room for that.)
      src('slow', `${server.url}/slow`, 'price', '\n    timeout: 900ms'),
    ]);
    const out = await runCli(['search', 'x', '-c', file, '--json']);
    expect(out.code).toBe(0);
    const rows = Object.fromEntries(JSON.parse(out.stdout).sources.map((s: { name: string }) => [s.name, s])) as Record<
      string,
      { status: string; error?: string; offers: number }
    >;
    expect(rows.loop).toMatchObject({
      status: 'error',
      error: 'mapping failed: fields.price: stopped after 1s: an endless loop, or too much data?',
    });
    expect(rows.tmpl).toMatchObject({
      status: 'error',
      error: 'template failed: request.url: stopped after 1s: an endless loop, or too much data?',
    });
    expect(rows.slow).toMatchObject({ status: 'ok', offers: 1 });
    expect(out.stderr).toMatch(/loop\s+error\s+mapping failed: fields\.price: stopped after 1s/);
  });

  it('names each template failure by its own field, when sources share an expression', async () => {
    const file = writeConfig([
      src('inurl', `${server.url}/a?m={{ $number(max) }}`),
      `
  - name: inbody
    request: { method: POST, url: "${server.url}/b", body: { m: "{{ $number(max) }}" } }
    offers: items
    fields: { title: title, price: price }`,
    ]);
    const out = await runCli(['search', 'max=abc', '-c', file, '--json']);
    const rows = JSON.parse(out.stdout).sources as { name: string; error?: string }[];
    expect(rows.find((r) => r.name === 'inurl')?.error).toMatch(/^template failed: request\.url: /);
    expect(rows.find((r) => r.name === 'inbody')?.error).toMatch(/^template failed: request\.body\.m: /);
  });

  it('names the field when a value in a URL path is refused as "." or "..", and sends one in the query', async () => {
    const before = server.requests.length;
    const file = writeConfig([src('path', `${server.url}/s/{{query}}`)]);
    for (const q of ['.', '..']) {
      const out = await runCli(['search', q, '-c', file, '--json']);
      expect(JSON.parse(out.stdout).sources[0]).toMatchObject({
        status: 'error',
        attempts: 0,
        error: `template failed: request.url: a value in a URL's path may not be "${q}": it would change the path`,
      });
    }
    expect(server.requests.length).toBe(before);
    // In the query string, `..` is only text (a cabin code, say): it goes out as written.
    const inQuery = writeConfig([src('query', `${server.url}/s?q={{query}}&cabin={{cabin}}`)]);
    const out = await runCli(['search', '..', 'cabin=..', '-c', inQuery, '--json']);
    expect(JSON.parse(out.stdout).sources[0]).toMatchObject({ name: 'query', status: 'ok' });
    expect(server.requests.at(-1)?.url).toBe('/s?q=..&cabin=..');
  });

  it('names the header when a query value is text a header cannot carry, and sends nothing', async () => {
    const before = server.requests.length;
    const withHeader = writeConfig([
      `
  - name: hdr
    request: { url: "${server.url}/h", headers: { X-Q: "q={{query}}" } }
    offers: items
    fields: { title: title, price: price, currency: currency }`,
    ]);
    for (const [q, what] of [
      ['café€', 'a control character or one past U+00FF'],
      ['a\r\nX-Admin: 1', 'a line break'],
    ]) {
      const out = await runCli(['search', q as string, '-c', withHeader, '--json']);
      expect(JSON.parse(out.stdout).sources[0]).toMatchObject({
        status: 'error',
        attempts: 0,
        error: `template failed: request.headers.X-Q: the value has ${what}, which a header cannot carry`,
      });
    }
    expect(server.requests.length).toBe(before);
    // Latin-1 text is what a header can carry: it goes out.
    const out = await runCli(['search', 'café', '-c', withHeader, '--json']);
    expect(JSON.parse(out.stdout).sources[0]).toMatchObject({ name: 'hdr', status: 'ok' });
  });

  it('makes a --where that recurses without end a usage error (exit 2)', async () => {
    const file = writeConfig([src('shop', `${server.url}/a`)]);
    const out = await runCli(['search', 'x', '-c', file, '--where', RECURSION]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('agg: --where: stopped at depth 1000: a recursion without end?');
  });
});
