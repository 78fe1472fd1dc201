/**
 * What scripts piping `--json` and `--format ndjson` into jq rely on: real searches, through the command
 * line, against vendors on 127.0.0.1 that answer, fail, stall, limit, page and drop items, and every
 * document and line checked against the output schemas, strictly (a key they do not describe fails),
 * and against the JSON Schema files published from them.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOURCE_KEYS } from '../src/render/json.js';
import { outputSchemas } from '../src/render/output-schema.js';
import { STATUSES } from '../src/types.js';
import { runBin } from './helpers/bin.js';
import { runCli } from './helpers/cli.js';
import { source, writeConfig } from './helpers/config.js';
import { schemaProblems } from './helpers/json-schema.js';
import { json, startServer, type TestServer } from './helpers/server.js';

/** The fields the sources files below map beyond the offer model: an offer may have these, and no other key. */
const MAPPED = ['condition', 'brand'];
const { document, record } = outputSchemas(MAPPED);
const published = (file: string) =>
  JSON.parse(readFileSync(new URL(`../schema/${file}`, import.meta.url), 'utf8')) as Record<string, unknown>;

/** Every source-row key and status the runs printed, per format: the test must reach each, or it proves little. */
const seen = { json: new Set<string>(), ndjson: new Set<string>() };
const note = (format: 'json' | 'ndjson', row: Record<string, unknown>): void => {
  for (const key of Object.keys(row)) seen[format].add(key);
  seen[format].add(`status:${String(row.status)}`);
};

/** The document printed, after checking it against the zod schema and the published JSON Schema. */
function checkedDocument(stdout: string): Record<string, unknown> & { sources: Record<string, unknown>[] } {
  const doc = JSON.parse(stdout);
  expect(document.safeParse(doc).error?.issues ?? []).toEqual([]);
  expect(schemaProblems(published('output.schema.json'), doc)).toEqual([]);
  for (const row of doc.sources) note('json', row);
  return doc;
}

/** The lines printed, each checked as checkedDocument does; the last must be the summary. */
function checkedLines(stdout: string): Record<string, unknown>[] {
  expect(stdout.endsWith('\n')).toBe(true);
  const lines = stdout
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  for (const [i, line] of lines.entries()) {
    expect([i, record.safeParse(line).error?.issues ?? []]).toEqual([i, []]);
    expect([i, schemaProblems(published('ndjson-record.schema.json'), line)]).toEqual([i, []]);
    if (line.type === 'source') note('ndjson', line);
  }
  expect(lines.at(-1)?.type).toBe('summary');
  return lines;
}

const rowOf = (rows: Record<string, unknown>[], name: string) => rows.find((r) => r.name === name);

describe('the output contract, on real searches', () => {
  let server: TestServer;
  let hedgedOnce = false;
  /** Called as /slow is asked: how the Ctrl-C test knows the run is under way. */
  let slowAsked = (): void => {};
  beforeAll(async () => {
    server = await startServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const item = (title: string, price: unknown, currency: string, more = {}) => ({
        title,
        price,
        currency,
        ...more,
      });
      switch (url.pathname) {
        case '/shop':
          return json(res, { items: [item('A', 10, 'EUR', { condition: 'New' }), item('B', 12, 'USD')] });
        case '/partly':
          return json(res, { items: [item('C', '12.50', 'USD'), item('D', 9, 'USD')] });
        case '/none-usable':
          return json(res, { items: [item('E', 'n/a', 'USD')] });
        case '/yen':
          return json(res, { items: [item('F', 1500, 'JPY')] });
        case '/typo':
          return json(res, { items: [item('G', 20, 'USD')] });
        case '/moved':
          return json(res, { results: [item('H', 5, 'USD')] });
        case '/down':
          return json(res, { message: 'down for maintenance' }, { status: 503 });
        case '/limited':
          return json(res, {}, { status: 429, headers: { 'retry-after': '7' } });
        case '/slow':
          slowAsked();
          return json(res, { items: [item('I', 1, 'USD')] }, { ms: 5000 });
        case '/hedged': {
          // The first request stalls past the hedge, so its duplicate is sent and answers.
          const first = !hedgedOnce;
          hedgedOnce = true;
          return json(res, { items: [item('J', 30, 'USD')] }, { ms: first ? 3000 : 0 });
        }
        case '/pages': {
          // Page 2 repeats page 1's listing at a new price (the vendor's list shifted); page 3 fails.
          const page = Number(url.searchParams.get('p') ?? '1');
          if (page === 3) return json(res, { message: 'boom' }, { status: 500 });
          const listing = item('K', 40 + page, 'USD', { url: 'https://shop.example/k' });
          return json(res, { items: [listing], next: `http://${req.headers.host}/pages?p=${page + 1}` });
        }
        default:
          return json(res, {}, { status: 404 });
      }
    });
  });
  afterAll(() => server.close());

  /** Every kind of row agg writes, in one file: `all` waits for each. */
  const everyKind = (): string =>
    writeConfig(
      [
        source('shop', `${server.url}/shop?q={{query}}`, '\n      condition: condition'),
        source('partly', `${server.url}/partly?q={{query}}`),
        source('none-usable', `${server.url}/none-usable?q={{query}}`),
        source('yen', `${server.url}/yen?q={{query}}`),
        source('typo', `${server.url}/typo?q={{query}}`, '\n      brand: brnad'),
        source('moved', `${server.url}/moved?q={{query}}`),
        source('down', `${server.url}/down?q={{query}}`),
        source('limited', `${server.url}/limited?q={{query}}`),
        source('slow', `${server.url}/slow?q={{query}}`, '\n    timeout: 300ms'),
        source('hedged', `${server.url}/hedged?q={{query}}`, '\n    hedge: 100ms\n    timeout: 4s'),
        source('pages', `${server.url}/pages?q={{query}}`, '\n      url: url\n    next: next\n    maxPages: 3'),
        source('flights', `${server.url}/shop?from={{from}}`),
      ],
      'currency: USD\nrates: { EUR: 1.10 }',
    );

  it('--json: ok, dropped, unconverted, unfilled, noted, error, rate limited, timeout, hedged, incomplete, de-duplicated and skipped rows', async () => {
    hedgedOnce = false;
    const { code, stdout } = await runCli(['search', 'sony', '-c', everyKind(), '--json', '--retries', '0', '-q']);
    expect(code).toBe(0);
    const doc = checkedDocument(stdout);
    const rows = doc.sources;
    expect(rows.map((r) => r.status)).toEqual([
      ...['ok', 'ok', 'error', 'ok', 'ok', 'ok', 'error', 'error', 'timeout', 'ok', 'ok', 'skipped'],
    ]);
    expect(rowOf(rows, 'partly')).toMatchObject({ dropped: 1, droppedError: expect.any(String) });
    expect(rowOf(rows, 'typo')).toMatchObject({ unfilled: ['brand'] });
    expect(rowOf(rows, 'limited')).toMatchObject({ rateLimited: true, retryAfterMs: 7000 });
    expect(rowOf(rows, 'hedged')).toMatchObject({ hedged: true });
    expect(rowOf(rows, 'pages')).toMatchObject({ incomplete: true, duplicates: 1, error: expect.any(String) });
    expect(doc.offers).toContainEqual(expect.objectContaining({ source: 'yen', currency: 'JPY', unconverted: true }));
    expect(doc.offers).toContainEqual(expect.objectContaining({ source: 'shop', originalCurrency: 'EUR' }));
    expect(doc).toMatchObject({ partial: true, warnings: expect.arrayContaining([expect.stringContaining('JPY')]) });
  });

  it('--format ndjson: the same rows, streamed in arrival order, with a summary line last', async () => {
    hedgedOnce = false;
    const { stdout } = await runCli(['search', 'sony', '-c', everyKind(), '-f', 'ndjson', '--retries', '0', '-q']);
    const lines = checkedLines(stdout);
    const sources = lines.filter((l) => l.type === 'source');
    expect(sources).toHaveLength(12);
    expect(lines.filter((l) => l.type === 'offer').every((l) => l.rank === undefined)).toBe(true);
    expect(lines.at(-1)).toMatchObject({ currency: 'USD', partial: true });
  });

  it('--format ndjson --limit: lines written at the end, ranked', async () => {
    hedgedOnce = false;
    const { stdout } = await runCli(['search', 'sony', '-c', everyKind(), '-f', 'ndjson', '--limit', '2', '-q']);
    const offers = checkedLines(stdout).filter((l) => l.type === 'offer');
    expect(offers.map((o) => o.rank)).toEqual([1, 2]);
  });

  it('--where: a row counts the offers it left out, in JSON and in NDJSON streamed and ranked', async () => {
    const file = writeConfig([source('shop', `${server.url}/shop?q={{query}}`, '\n      condition: condition')]);
    // Shop's A is 11 USD once converted, B 12 USD: `price < 12` keeps A, leaves out B.
    const where = ['--where', 'price < 12', '-q'];
    const doc = checkedDocument((await runCli(['search', 'sony', '-c', file, '--json', ...where])).stdout);
    expect(rowOf(doc.sources, 'shop')).toMatchObject({ offers: 1, filteredOut: 1 });
    for (const more of [[], ['--limit', '1']]) {
      const { stdout } = await runCli(['search', 'sony', '-c', file, '-f', 'ndjson', ...where, ...more]);
      expect([more, rowOf(checkedLines(stdout), 'shop')]).toEqual([more, expect.objectContaining({ filteredOut: 1 })]);
    }
  });

  it('--distinct: each offer with its alsoAt, a row with its folded count, in JSON and in NDJSON', async () => {
    const file = writeConfig([
      source('shop', `${server.url}/shop?q={{query}}`, '\n      condition: condition'),
      source('partly', `${server.url}/partly?q={{query}}`),
    ]);
    // The cheapest offer of each source: shop's A ($11) keeps B ($12) in its alsoAt.
    const distinct = ['--distinct', 'source', '-q'];
    const doc = checkedDocument((await runCli(['search', 'sony', '-c', file, '--json', ...distinct])).stdout);
    expect(doc.offers).toMatchObject([
      { source: 'partly', alsoAt: [] },
      { source: 'shop', alsoAt: [{ source: 'shop', price: 12, currency: 'USD' }] },
    ]);
    expect(rowOf(doc.sources, 'shop')).toMatchObject({ folded: 1 });
    const lines = checkedLines((await runCli(['search', 'sony', '-c', file, '-f', 'ndjson', ...distinct])).stdout);
    expect(rowOf(lines, 'shop')).toMatchObject({ folded: 1 });
  });

  it('-s first: the slower sources are cancelled rows, in JSON and NDJSON', async () => {
    const file = writeConfig([
      source('shop', `${server.url}/shop?q={{query}}`, '\n      condition: condition'),
      source('slow', `${server.url}/slow?q={{query}}`),
    ]);
    for (const format of ['json', 'ndjson']) {
      const { stdout } = await runCli(['search', 'sony', '-c', file, '-f', format, '-s', 'first', '-q']);
      const rows = format === 'json' ? checkedDocument(stdout).sources : checkedLines(stdout);
      expect([format, rowOf(rows, 'slow')?.status]).toEqual([format, 'cancelled']);
    }
  });

  it('Ctrl-C: what arrived, and the cancelled rows, in both formats', async () => {
    const file = writeConfig([
      source('shop', `${server.url}/shop?q={{query}}`, '\n      condition: condition'),
      source('slow', `${server.url}/slow?q={{query}}`),
    ]);
    for (const format of ['json', 'ndjson']) {
      const interrupt = new AbortController();
      // Once the slow source is asked, the quick one has answered or soon will.
      slowAsked = () => setTimeout(() => interrupt.abort(), 200);
      const { code, stdout, stderr } = await runCli(['search', 'sony', '-c', file, '-f', format], {
        interrupt: interrupt.signal,
      });
      expect([format, code, stderr.endsWith('interrupted\n')]).toEqual([format, 130, true]);
      const rows = format === 'json' ? checkedDocument(stdout).sources : checkedLines(stdout);
      expect([format, rowOf(rows, 'slow')?.status]).toEqual([format, 'cancelled']);
    }
  });

  it('no ranking currency: none in the file, none given, no offer to choose one: the key is absent', async () => {
    const file = writeConfig([source('down', `${server.url}/down?q={{query}}`)], '');
    const json = checkedDocument((await runCli(['search', 'sony', '-c', file, '--json', '--retries', '0'])).stdout);
    expect('currency' in json).toBe(false);
    const lines = checkedLines((await runCli(['search', 'sony', '-c', file, '-f', 'ndjson', '--retries', '0'])).stdout);
    expect('currency' in (lines.at(-1) ?? {})).toBe(false);
  });

  it('streamed lines without a ranking currency carry each vendor’s, and the summary names the one chosen', async () => {
    const file = writeConfig([source('shop', `${server.url}/shop?q={{query}}`, '\n      condition: condition')], '');
    const lines = checkedLines((await runCli(['search', 'sony', '-c', file, '-f', 'ndjson'])).stdout);
    expect(lines.filter((l) => l.type === 'offer').map((l) => l.currency)).toEqual(['EUR', 'USD']);
    expect(lines.at(-1)?.currency).toEqual(expect.any(String));
  });

  it('the built bin, as cron runs it: the same document and lines', async () => {
    hedgedOnce = false;
    const file = everyKind();
    const json = await runBin(['search', 'sony', '-c', file, '--json', '--retries', '0', '-q']);
    expect(checkedDocument(json.stdout).sources).toHaveLength(12);
    hedgedOnce = false;
    const ndjson = await runBin(['search', 'sony', '-c', file, '-f', 'ndjson', '--retries', '0', '-q']);
    expect(checkedLines(ndjson.stdout).filter((l) => l.type === 'source')).toHaveLength(12);
  });

  it('reached every status and every key of a source row, in both formats (so the checks above prove something)', () => {
    for (const format of ['json', 'ndjson'] as const) {
      const wanted = [...SOURCE_KEYS, ...STATUSES.map((s) => `status:${s}`)].sort();
      expect([format, [...seen[format]].filter((k) => k !== 'type').sort()]).toEqual([format, wanted]);
    }
  });
});
