/**
 * What `--where` left out is said: each row counts its own (`filteredOut`), the summary line the run's,
 * and `No offers.` says when the filter, not the vendors, left nothing. A run whose filter took every
 * offer read `No offers.` and `0 offers`, as one whose vendors had none. Real vendors on 127.0.0.1.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { source, writeConfig } from './helpers/config.js';
import { json, startServer, type TestServer } from './helpers/server.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const item = (title: string, price: number) => ({ title, price, currency: 'USD' });

/** A vendor answering `items` after `ms`. */
async function vendor(items: unknown[], ms = 0): Promise<TestServer> {
  const s = await startServer((_req, res) => json(res, { items }, { ms }));
  servers.push(s);
  return s;
}

/** A file of one source per vendor, named by the keys. */
async function shops(lists: Record<string, { items: unknown[]; ms?: number }>): Promise<string> {
  const sources: string[] = [];
  for (const [name, { items, ms }] of Object.entries(lists))
    sources.push(source(name, `${(await vendor(items, ms)).url}/s`));
  return writeConfig(sources);
}

type Row = { name: string; status: string; offers: number; filteredOut?: number };
const rowsOf = (stdout: string): Row[] => JSON.parse(stdout).sources;

describe('offers --where left out', () => {
  it('are counted on each row that had some, and on no other', async () => {
    const file = await shops({
      cheap: { items: [item('a', 5), item('b', 50), item('c', 500)] },
      dear: { items: [item('d', 400), item('e', 600)] },
      none: { items: [] },
    });
    const out = await runCli(['search', 'x', '-c', file, '--json', '--where', 'price < 100']);
    expect(out.code).toBe(0);
    expect(rowsOf(out.stdout)).toEqual([
      expect.objectContaining({ name: 'cheap', offers: 2, filteredOut: 1 }),
      expect.objectContaining({ name: 'dear', offers: 0, filteredOut: 2 }),
      expect.not.objectContaining({ filteredOut: expect.anything() }),
    ]);
    // Without a --where, or with one that left nothing out, there is nothing to count.
    for (const args of [[], ['--where', 'price > 0']]) {
      const plain = await runCli(['search', 'x', '-c', file, '--json', ...args]);
      expect(rowsOf(plain.stdout).some((r) => 'filteredOut' in r)).toBe(false);
    }
  });

  it('are not confused with those a --limit cut: the row counts --where’s alone', async () => {
    const file = await shops({ shop: { items: [item('a', 5), item('b', 6), item('c', 7), item('d', 500)] } });
    const out = await runCli(['search', 'x', '-c', file, '--json', '--where', 'price < 100', '--limit', '1']);
    expect(JSON.parse(out.stdout).offers).toHaveLength(1);
    expect(rowsOf(out.stdout)[0]).toMatchObject({ offers: 3, filteredOut: 1 });
    const table = await runCli(['search', 'x', '-c', file, '--where', 'price < 100', '--limit', '1']);
    expect(table.stderr).toMatch(/· 1 offer \(1 left out by --where\) ·/);
  });

  it('are said on the summary line, and `No offers.` says --where left out all of them, exit 1', async () => {
    const file = await shops({ a: { items: [item('a', 5), item('b', 6)] }, b: { items: [item('c', 7)] } });
    const out = await runCli(['search', 'x', '-c', file, '--where', 'price < 1']);
    expect(out.code).toBe(1);
    expect(out.stdout).toBe('No offers: --where left out all 3.\n');
    expect(out.stderr).toMatch(/^2 sources · 2 ok · 0 offers \(3 left out by --where\) · \d+\.\d\ds\n$/);
    // --verbose lists each source with its own count.
    const verbose = await runCli(['search', 'x', '-c', file, '--where', 'price < 1', '--verbose']);
    expect(verbose.stderr).toMatch(/^ {2}a {2}ok {9}2 left out by --where$/m);
    // The only offer there was.
    const one = await shops({ a: { items: [item('a', 5)] } });
    expect((await runCli(['search', 'x', '-c', one, '--where', 'price < 1'])).stdout).toBe(
      'No offers: --where left out the one there was.\n',
    );
  });

  it('under -q, keep the `No offers:` line on stdout (the summary goes, as -q says); vendors with none still read `No offers.`', async () => {
    const file = await shops({ a: { items: [item('a', 5), item('b', 6)] } });
    const quiet = await runCli(['search', 'x', '-c', file, '--where', 'price < 1', '-q']);
    expect([quiet.code, quiet.stdout, quiet.stderr]).toEqual([1, 'No offers: --where left out all 2.\n', '']);
    const empty = await shops({ a: { items: [] } });
    const none = await runCli(['search', 'x', '-c', empty, '--where', 'price < 1']);
    expect([none.code, none.stdout]).toEqual([1, 'No offers.\n']);
    expect(none.stderr).toMatch(/· 0 offers · /);
  });

  it('under first, a source whose offers --where all left out does not win: a slower one with offers kept does', async () => {
    const file = await shops({
      fast: { items: [item('dear', 500)] },
      slow: { items: [item('cheap', 5)], ms: 300 },
    });
    const out = await runCli(['search', 'x', '-c', file, '--json', '-s', 'first', '--where', 'price < 100']);
    expect(out.code).toBe(0);
    const doc = JSON.parse(out.stdout);
    expect(doc.offers.map((o: { title: string }) => o.title)).toEqual(['cheap']);
    expect(doc.sources).toEqual([
      expect.objectContaining({ name: 'fast', status: 'ok', offers: 0, filteredOut: 1 }),
      expect.objectContaining({ name: 'slow', status: 'ok', offers: 1 }),
    ]);
  });

  it('are counted on the NDJSON source line written as the source ends', async () => {
    const file = await shops({ a: { items: [item('a', 5), item('b', 500)] } });
    const out = await runCli(['search', 'x', '-c', file, '-f', 'ndjson', '--where', 'price < 100']);
    const lines = out.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.type)).toEqual(['offer', 'source', 'summary']);
    expect(lines[1]).toMatchObject({ name: 'a', offers: 1, filteredOut: 1 });
  });
});
