/**
 * A `--where` that orders a date-time against text written otherwise than the offers' own:
 * `departure > "2026-12-20T15:00"` beside `2026-12-20 17:30` compared them letter by letter, a space
 * before `T`, and kept no flight of the day, without a word.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { compileWhere, whereChecks } from '../src/gather/where.js';
import { runCli } from './helpers/cli.js';
import { source, writeConfig } from './helpers/config.js';
import { json, startServer, type TestServer } from './helpers/server.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A sources file of one vendor whose flights leave at these times. */
async function flightsFile(departures: readonly string[]): Promise<string> {
  const items = departures.map((departure, i) => ({
    title: `flight ${i}`,
    price: 500 + i,
    currency: 'USD',
    departure,
  }));
  const s = await startServer((_req, res) => json(res, { items }));
  servers.push(s);
  return writeConfig([source('air', `${s.url}/s`, '\n      departure: departure')]);
}

describe('a --where that orders a date-time against text written otherwise', () => {
  it('is warned of, with the text written as the offers write theirs', async () => {
    const file = await flightsFile(['2026-12-20 09:30', '2026-12-20 17:30']);
    const out = await runCli(['search', 'x', '-c', file, '--where', 'departure > "2026-12-20T15:00"']);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(
      'warning: --where compares `departure` > "2026-12-20T15:00" as text, letter by letter, and the offers write date-times otherwise ("2026-12-20 17:30"), so some were judged against their time: write "2026-12-20 15:00"',
    );
    // As written there, the afternoon flight is kept, and nothing is said.
    const fixed = await runCli(['search', 'x', '-c', file, '--where', 'departure > "2026-12-20 15:00"']);
    expect(fixed.stdout).toContain('flight 1');
    expect(fixed.stdout).not.toContain('flight 0');
    expect(fixed.stderr).not.toContain('as text');
    // A date alone orders as its midnight does, as text too: no offer is judged otherwise.
    const day = await runCli(['search', 'x', '-c', file, '--where', 'departure < "2026-12-21"']);
    expect(day.stderr).not.toContain('as text');
  });

  it('is warned of when not zero-padded, with the padded text', async () => {
    const file = await flightsFile(['2026-12-05 08:30', '2026-12-20 17:30']);
    // `1` comes before `9`: the afternoon flight was kept as "before 9:00".
    const hour = await runCli(['search', 'x', '-c', file, '--where', 'departure < "2026-12-20 9:00"']);
    expect(hour.stdout).toContain('flight 1');
    expect(hour.stderr).toContain(
      'warning: --where compares `departure` < "2026-12-20 9:00" as text, letter by letter, and it is not zero-padded, as the offers\' date-times are ("2026-12-20 17:30"), so some were judged against their time: write "2026-12-20 09:00"',
    );
    // A date alone, on the right or the left; `"2026-12-20" < "2026-12-5"` as text.
    const day = await runCli(['search', 'x', '-c', file, '--where', '"2026-12-5" > departure']);
    expect(day.stderr).toContain('compares `departure` < "2026-12-5" as text');
    expect(day.stderr).toContain('write "2026-12-05"');
    // Padded, each keeps the flight before it, and nothing is said.
    const fixed = await runCli(['search', 'x', '-c', file, '--where', 'departure < "2026-12-20 09:00"']);
    expect(fixed.stdout).toContain('flight 0');
    expect(fixed.stdout).not.toContain('flight 1');
    expect(fixed.stderr).not.toContain('as text');
  });

  it('says nothing of zoned date-times, whose text and instant differ for their zone', async () => {
    const file = await flightsFile(['2026-12-20T17:30:00-05:00', '2026-12-20T09:30:00+01:00']);
    const out = await runCli(['search', 'x', '-c', file, '--where', 'departure > "2026-12-20 15:00"']);
    expect(out.stderr).not.toContain('as text');
  });

  it('is found where an offer field is ordered against local date-time text, either side', () => {
    const found = (text: string) => whereChecks(compileWhere(text)).dateTexts;
    expect(found('departure > "2026-12-20T15:00" and "2026-12-21" >= arrival')).toEqual([
      { field: 'departure', op: '>', text: '2026-12-20T15:00' },
      { field: 'arrival', op: '<=', text: '2026-12-21' },
    ]);
    expect(found('departure >= "2026-12-20T9:5" or departure < "2026-1-2"')).toEqual([
      { field: 'departure', op: '>=', text: '2026-12-20T9:5' },
      { field: 'departure', op: '<', text: '2026-1-2' },
    ]);
    for (const text of [
      'departure = "2026-12-20 15:00"',
      'departure > "2026-12-20T15:00Z"',
      'departure > "15:00"',
      'departure > "2026-12-20 9:00Z"',
      'departure > "2026-2-30"',
      'legs.(departure > "2026-12-20T15:00")',
    ])
      expect([text, found(text)]).toEqual([text, []]);
  });

  it('is found once however often the predicate repeats it: each was warned of once a copy', () => {
    const found = whereChecks(
      compileWhere('(price < 500 and departure > "2026-12-20T15:00") or "2026-12-20T15:00" < departure'),
    ).dateTexts;
    expect(found).toEqual([{ field: 'departure', op: '>', text: '2026-12-20T15:00' }]);
  });
});
