/**
 * A `--where` that orders a flight's duration as text: `duration < "PT8H"` kept an 11-hour `PT11H20M`
 * (`1` before `8`) and `duration < "8h"` kept none, without a word, and `duration < 480` stopped the run
 * with JSONata's words on data types alone.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { compileWhere, filterOffers, whereDurationTexts } from '../src/gather/where.js';
import type { Offer } from '../src/types.js';
import { runCli } from './helpers/cli.js';
import { source, writeConfig } from './helpers/config.js';
import { json, startServer, type TestServer } from './helpers/server.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const flight = (title: string, duration: unknown) => ({ title, price: 500, currency: 'USD', duration });

/** A flight vendor answering a nonstop of 7h 25m and a one-stop of 11h 20m, as ISO 8601 text. */
async function flightsFile(): Promise<string> {
  const s = await startServer((_req, res) =>
    json(res, { items: [flight('nonstop', 'PT7H25M'), flight('one stop', 'PT11H20M')] }),
  );
  servers.push(s);
  return writeConfig([source('air', `${s.url}/s`, '\n      duration: duration')]);
}

describe('a --where that orders a duration as text', () => {
  it('is warned of, with the predicate that compares lengths', async () => {
    const file = await flightsFile();
    const text = await runCli(['search', 'x', '-c', file, '--where', 'duration < "PT8H"']);
    expect(text.code).toBe(0);
    // What JSONata does, kept: the 11-hour flight passes a text comparison. The warning says so.
    expect(text.stdout).toContain('one stop');
    expect(text.stderr).toContain(
      'warning: --where compares `duration` < "PT8H" as text, letter by letter (so "PT11H20M" is less than "PT8H"): write `$minutes(duration) < 480` to compare lengths',
    );
    // The duration on the left, written as a person would: the operator is turned to read from the field.
    const written = await runCli(['search', 'x', '-c', file, '--where', '"8h 30m" >= duration']);
    expect(written.stderr).toContain('compares `duration` <= "8h 30m" as text');
    expect(written.stderr).toContain('write `$minutes(duration) <= 510`');
    const lengths = await runCli(['search', 'x', '-c', file, '--where', '$minutes(duration) < 480']);
    expect(lengths.stdout).toContain('nonstop');
    expect(lengths.stdout).not.toContain('one stop');
    expect(lengths.stderr).not.toContain('as text');
  });

  it("is not found in text that is no duration, in = and !=, nor past a path's first step", () => {
    const found = (text: string) => whereDurationTexts(compileWhere(text));
    expect(found('duration > "PT1H" and price < 500')).toEqual([{ field: 'duration', op: '>', text: 'PT1H' }]);
    for (const text of [
      'departure < "2026-12-20 09:00"',
      'duration = "PT8H"',
      'duration != "8h"',
      'duration < "480"',
      'legs.(duration < "PT8H")',
      '$minutes(duration) < $minutes("PT8H")',
    ])
      expect([text, found(text)]).toEqual([text, []]);
    // Once however often the predicate repeats it: each copy printed the one warning again.
    expect(found('(stops = 0 and duration < "PT8H") or (price < 300 and "PT8H" > duration)')).toEqual([
      { field: 'duration', op: '<', text: 'PT8H' },
    ]);
  });

  it('compared with a number, says that $minutes reads it as minutes', async () => {
    const offers = [flight('nonstop', 'PT7H25M')].map((f) => ({ source: 'air', ...f }) as Offer);
    const { errors } = await filterOffers(compileWhere('duration < 480', '--where'), offers);
    expect(errors).toEqual([
      '--where: The values "PT7H25M" and 480 either side of operator "<" must be of the same data type; a duration is text: `$minutes(duration)` reads it as minutes to compare with a number',
    ]);
    // Another type clash is JSONata's words alone.
    const other = await filterOffers(compileWhere('title < 5'), offers);
    expect(other.errors[0]).toMatch(/must be of the same data type$/);
  });
});
