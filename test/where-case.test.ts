/**
 * A `--where` that compares a field with text in another case than the offers' own: `carrier = "lh"`
 * (IATA codes are capitals) left out every flight, and the run read `No offers: --where left out all 3.`
 * alone, as when the vendors had no such flight.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { compileWhere, whereTextEquals } from '../src/gather/where.js';
import { runCli } from './helpers/cli.js';
import { source, writeConfig } from './helpers/config.js';
import { json, startServer, type TestServer } from './helpers/server.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A sources file of one flight vendor answering these carriers, one flight each. */
async function flightsFile(carriers: readonly string[]): Promise<string> {
  const items = carriers.map((carrier, i) => ({ title: `JFK → LHR ${i}`, price: 500 + i, currency: 'USD', carrier }));
  const s = await startServer((_req, res) => json(res, { items }));
  servers.push(s);
  return writeConfig([source('air', `${s.url}/s`, '\n      carrier: carrier')]);
}

describe('a --where that compares text in another case than the offers', () => {
  it('is warned of when no offer has the text and one has it in another case', async () => {
    const file = await flightsFile(['LH', 'BA', 'LH, UA']);
    const out = await runCli(['search', 'x', '-c', file, '--where', 'carrier = "lh"']);
    expect(out.code).toBe(1);
    expect(out.stdout).toContain('No offers: --where left out all 3.');
    expect(out.stderr).toContain(
      'warning: --where compares `carrier` = "lh", which no offer has: offers have "LH", and = is exact about case; write "LH", or $lowercase(carrier) = "lh"',
    );
    // One of two: the other is said, on the right side or the left.
    const either = await runCli(['search', 'x', '-c', file, '--where', 'carrier = "LH" or "ba" = carrier']);
    expect(either.code).toBe(0);
    expect(either.stderr).toContain('compares `carrier` = "ba", which no offer has: offers have "BA"');
    expect(either.stderr).not.toContain('"LH", which');
  });

  it('says nothing when an offer has the text as written, or none has it in any case', async () => {
    // Two vendors' spellings: the one written matched some offers, and the others are no mistake of case.
    const mixed = await flightsFile(['LH', 'lh']);
    const some = await runCli(['search', 'x', '-c', mixed, '--where', 'carrier = "lh"']);
    expect(some.stdout).toContain('JFK → LHR 1');
    expect(some.stderr).not.toContain('exact about case');
    const file = await flightsFile(['LH', 'BA']);
    const none = await runCli(['search', 'x', '-c', file, '--where', 'carrier = "Lufthansa"']);
    expect(none.stderr).not.toContain('exact about case');
    const lowered = await runCli(['search', 'x', '-c', file, '--where', '$lowercase(carrier) = "lh"']);
    expect(lowered.stdout).toContain('JFK → LHR 0');
    expect(lowered.stderr).not.toContain('exact about case');
  });

  it('is found in = with text that has letters, of the offer itself, not past a path step', () => {
    const found = (text: string) => whereTextEquals(compileWhere(text));
    expect(found('carrier = "lh" and stops = 0 and "new" = condition')).toEqual([
      { field: 'carrier', text: 'lh' },
      { field: 'condition', text: 'new' },
    ]);
    for (const text of ['carrier != "lh"', 'departure = "2026-12-20"', 'segments.(carrier = "lh")', 'carrier = lh'])
      expect([text, found(text)]).toEqual([text, []]);
  });
});
