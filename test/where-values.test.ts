/**
 * A `--where` that looks for text no offer has in any case: `carrier = "Lufthansa"` beside offers with
 * IATA codes (`LH`) left out every flight, and the run read `No offers: --where left out all 4.` alone,
 * as when the vendors had no such flight.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { compileWhere, whereChecks } from '../src/gather/where.js';
import { emptyValueTally, noteValues, valueWarnings } from '../src/gather/where-values.js';
import type { Offer } from '../src/types.js';
import { runCli } from './helpers/cli.js';
import { source, writeConfig } from './helpers/config.js';
import { json, startServer, type TestServer } from './helpers/server.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A vendor answering these carriers, one flight each, as a source of a sources file. */
async function vendor(name: string, carriers: readonly unknown[]): Promise<string> {
  const items = carriers.map((carrier, i) => ({ title: `${name} ${i}`, price: 500 + i, currency: 'USD', carrier }));
  const s = await startServer((_req, res) => json(res, { items }));
  servers.push(s);
  return source(name, `${s.url}/s`, '\n      carrier: carrier');
}

/** A sources file of one flight vendor answering these carriers. */
const flightsFile = async (carriers: readonly unknown[]): Promise<string> =>
  writeConfig([await vendor('air', carriers)]);

describe('a --where that looks for text no offer has', () => {
  it('names the values the offers have, most common first, when it left out every offer', async () => {
    const file = await flightsFile(['BA', 'LH', 'B6', 'LH', 'VS', 'BA', 'LH']);
    const out = await runCli(['search', 'x', '-c', file, '--where', 'carrier = "Lufthansa"']);
    expect(out.code).toBe(1);
    expect(out.stdout).toBe('No offers: --where left out all 7.\n');
    expect(out.stderr).toContain(
      'warning: --where: no offer has `carrier` = "Lufthansa"; offers have "LH", "BA", "B6", "VS" (4 values)\n',
    );
    // Each text of an `in` list is looked for, and those no offer has are named together.
    const list = await runCli([
      'search',
      'x',
      '-c',
      file,
      '--where',
      'carrier in ["Lufthansa", "BA", "Virgin"] and price > 900',
    ]);
    expect(list.stderr).toContain('no offer has `carrier` = "Lufthansa" or "Virgin"; offers have "LH", "BA"');
  });

  it('says nothing when it kept an offer, when the text is there in another case, or of !=', async () => {
    const file = await flightsFile(['LH', 'BA']);
    const kept = await runCli(['search', 'x', '-c', file, '--where', 'carrier = "Lufthansa" or price < 501']);
    expect(kept.stdout).toContain('air 0');
    expect(kept.stderr).not.toContain('no offer has');
    // One vendor's offer kept is enough, whichever vendor left out all its own.
    const two = writeConfig([await vendor('one', ['LH']), await vendor('two', ['BA'])]);
    const either = await runCli(['search', 'x', '-c', two, '--where', 'carrier = "Lufthansa" or carrier = "LH"']);
    expect(either.stdout).toContain('one 0');
    expect(either.stderr).not.toContain('no offer has');
    const cased = await runCli(['search', 'x', '-c', file, '--where', 'carrier = "lh"']);
    expect(cased.stderr).toContain('exact about case');
    expect(cased.stderr).not.toContain('no offer has `carrier`');
    // `!=` with text no offer has keeps every offer; what left them out is the rest.
    const unequal = await runCli(['search', 'x', '-c', file, '--where', 'carrier != "Lufthansa" and price > 900']);
    expect(unequal.code).toBe(1);
    expect(unequal.stderr).not.toContain('no offer has');
  });

  it('cuts and cleans the values it names, and names at most 8 of them', async () => {
    const carriers = [`${'\u001b[2J'}${'X'.repeat(100)}`, ...Array.from({ length: 11 }, (_, i) => `C${i}`)];
    const file = await flightsFile(carriers);
    const out = await runCli(['search', 'x', '-c', file, '--where', 'carrier = "Lufthansa"']);
    const line = out.stderr.split('\n').find((l) => l.includes('no offer has')) ?? '';
    expect(line).not.toContain('\u001b');
    expect(line).toContain(`"␛[2J${'X'.repeat(25)}…", "C0", "C1"`);
    expect(line).toMatch(/"C6" and 4 more \(12 values\)$/);
  });

  it('is found in = either side and in a list after in, of the offer itself', () => {
    const found = (text: string) => whereChecks(compileWhere(text)).sought;
    expect(found('carrier = "LH" and "2" = stops and carrier in ["BA", x, "VS"] and code in "X"')).toEqual([
      { field: 'carrier', text: 'LH' },
      { field: 'stops', text: '2' },
      { field: 'carrier', text: 'BA' },
      { field: 'carrier', text: 'VS' },
      { field: 'code', text: 'X' },
    ]);
    for (const text of ['carrier != "LH"', '"LH" in carriers', 'segments.(carrier = "LH")', 'carrier = lh'])
      expect([text, found(text)]).toEqual([text, []]);
  });

  it('tallies at most 1,000 distinct values a field, and says there were more', () => {
    const { sought } = whereChecks(compileWhere('title = "none"'));
    const tally = emptyValueTally();
    const offers = Array.from({ length: 1500 }, (_, i) => ({ title: `t${i % 1200}` }) as unknown as Offer);
    noteValues(offers, sought, tally);
    expect(tally.values.get('title')?.size).toBe(1000);
    const [warning] = valueWarnings(sought, tally, new Set(), 'where');
    expect(warning).toMatch(
      /^where: no offer has `title` = "none"; offers have "t0", "t1", .* and more \(over 1,000 values\)$/,
    );
  });
});
