/**
 * Declared params (`params:` in the sources file): a given value that fails its declaration stops the
 * run before any request, naming the param, the value, what is expected and where it is declared; a
 * default fills a param not given, before the plan, so `requires` and templates see it.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfigText } from '../src/config/index.js';
import { describeDeclaration } from '../src/config/param-check.js';
import { UsageError } from '../src/errors.js';
import { search } from '../src/search/index.js';
import type { Params } from '../src/types.js';
import { runCli } from './helpers/cli.js';
import { writeConfig } from './helpers/config.js';
import { json, startServer, type TestServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer((_req, res) => json(res, { items: [{ title: 'JFK → LHR', price: 500 }] }));
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

// Line 3, column 3 is `date:`: the place a message about a date names.
const PARAMS = `currency: USD
params:
  date: { type: date, description: departure day }
  return: { type: date }
  from: { pattern: "[A-Za-z]{3}", description: "an IATA airport code, like JFK" }
  adults: { type: integer, min: 1, max: 9, default: 1 }
  cabin: { choices: [economy, premium, business, first], default: economy }
  price: { type: number, min: 0 }
`;

const flights = () => `${PARAMS}sources:
  - name: flights
    request: { url: "${server.url}/f?from={{from}}&date={{date}}&adults={{adults}}&cabin={{cabin}}" }
    offers: items
    fields: { title: title, price: price }
`;

const load = () => loadConfigText(flights(), 'sources.yaml', {});
const run = (params: Params) => search(load(), { text: 'x', params });

/** The UsageError a search with `params` throws, as its message. */
async function refused(params: Params): Promise<string> {
  const err = await run(params).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UsageError);
  expect((err as UsageError).exitCode).toBe(2);
  return (err as UsageError).message;
}

const TRIP = { from: 'JFK', date: '2026-12-20' };

describe('a declared param given', () => {
  it('is refused before any request when it fails, naming the value, what is expected and the declaration', async () => {
    expect(await refused({ ...TRIP, date: '20/12/2026' })).toBe(
      'date=20/12/2026: not a date; write YYYY-MM-DD (declared at sources.yaml:3:3)',
    );
    expect(server.requests).toEqual([]);
  });

  it('names every param that fails, one a line, in the order they are declared', async () => {
    expect(await refused({ from: 'JFKX', date: '2026-02-30', adults: '0', cabin: 'buisness' })).toBe(
      [
        'date=2026-02-30: not a day in the calendar: February 2026 has 28 days (declared at sources.yaml:3:3)',
        'from=JFKX: expected an IATA airport code, like JFK (matching [A-Za-z]{3}) (declared at sources.yaml:5:3)',
        'adults=0: must be from 1 to 9 (declared at sources.yaml:6:3)',
        'cabin=buisness: not one of economy, premium, business, first; did you mean business? (declared at sources.yaml:7:3)',
      ].join('\n'),
    );
    expect(server.requests).toEqual([]);
  });

  it('date: a real day, written YYYY-MM-DD', async () => {
    await expect(run({ ...TRIP, date: '2028-02-29' })).resolves.toBeDefined();
    for (const [date, problem] of [
      ['2026-12-20T10:00', 'not a date; write YYYY-MM-DD'],
      ['2026-13-01', 'not a date: there is no month 13; write YYYY-MM-DD'],
      ['2027-02-29', 'not a day in the calendar: February 2027 has 28 days'],
      ['2026-04-31', 'not a day in the calendar: April 2026 has 30 days'],
      ['2026-12-00', 'not a day in the calendar: December 2026 has 31 days'],
    ]) {
      expect(await refused({ ...TRIP, date: date as string })).toContain(`date=${date}: ${problem} (`);
    }
  });

  it('integer: a whole number within min and max, sent without leading zeros or +', async () => {
    for (const [adults, problem] of [
      ['two', 'not a whole number from 1 to 9'],
      ['1.5', 'not a whole number from 1 to 9'],
      ['10', 'must be from 1 to 9'],
    ]) {
      expect(await refused({ ...TRIP, adults: adults as string })).toContain(`adults=${adults}: ${problem} (`);
    }
    await run({ ...TRIP, adults: '+02' });
    expect(new URL(server.requests[0]?.url ?? '', server.url).searchParams.get('adults')).toBe('2');
  });

  it('number: decimal, with a point; a decimal comma is told the point to write', async () => {
    await expect(run({ ...TRIP, price: '12.50' })).resolves.toMatchObject({ query: { params: { price: '12.5' } } });
    expect(await refused({ ...TRIP, price: '12,50' })).toContain(
      'price=12,50: not a number at least 0; write a decimal point, 12.50 (',
    );
    expect(await refused({ ...TRIP, price: '1e3' })).toContain('price=1e3: not a number at least 0; write 1000 (');
    expect(await refused({ ...TRIP, price: '-1' })).toContain('price=-1: must be at least 0 (');
    // Never sent in a form the declaration refuses: String() of these is `1e-7` and `1e+21`.
    for (const price of ['0.0000001', '1000000000000000000000'])
      await expect(run({ ...TRIP, price: `+${price}` })).resolves.toMatchObject({ query: { params: { price } } });
  });

  it('choices: matched in any case, and sent as the file writes them', async () => {
    const result = await run({ ...TRIP, cabin: 'BUSINESS' });
    expect(result.query.params.cabin).toBe('business');
    expect(new URL(server.requests[0]?.url ?? '', server.url).searchParams.get('cabin')).toBe('business');
  });

  it('pattern: the whole value must match, and without a description the pattern is quoted', async () => {
    expect(await refused({ ...TRIP, from: 'xJFK' })).toContain('from=xJFK: expected an IATA airport code');
    const bare = loadConfigText(
      flights().replace('description: "an IATA airport code, like JFK" ', ''),
      'sources.yaml',
      {},
    );
    await expect(search(bare, { text: 'x', params: { ...TRIP, from: 'JFK1' } })).rejects.toThrow(
      'from=JFK1: does not match [A-Za-z]{3} (declared at sources.yaml:5:3)',
    );
  });

  it('pattern: one that backtracks without end is stopped and named, not a hang deaf to Ctrl-C', async () => {
    const redos = loadConfigText(flights().replace('pattern: "[A-Za-z]{3}"', 'pattern: "(a+)+"'), 'sources.yaml', {});
    const started = Date.now();
    const err = await search(redos, { text: 'x', params: { ...TRIP, from: `${'a'.repeat(60)}!` } }).catch(
      (e: unknown) => e,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toContain('(a+)+ took over 1s to match it, and was stopped');
    expect(server.requests).toHaveLength(0);
  }, 15_000);

  it('choices: a long list is named by its first 20 and how many more, not whole', async () => {
    // The default, economy, stays one of them.
    const many = ['economy', ...Array.from({ length: 10_000 }, (_, i) => `c${i}`)];
    const yaml = flights().replace('[economy, premium, business, first]', `[${many.join(', ')}]`);
    const err = await search(loadConfigText(yaml, 'sources.yaml', {}), {
      text: 'x',
      params: { ...TRIP, cabin: 'zzz' },
    }).catch((e: unknown) => e);
    expect((err as UsageError).message).toContain(`not one of ${many.slice(0, 20).join(', ')} and 9,981 more`);
    expect((err as UsageError).message.length).toBeLessThan(1000);
    // And under `agg sources`, which printed all 10,000 on one line.
    expect(describeDeclaration({ type: 'text', choices: many })).toBe(`${many.slice(0, 20).join('|')} and 9,981 more`);
  });

  it('a param declared nowhere is free text, as before', async () => {
    await expect(run({ ...TRIP, anything: '20/12/2026' })).resolves.toBeDefined();
  });
});

describe('a declared default', () => {
  it('fills a param not given (or given empty) before the plan: the template reads it, and query.params shows it', async () => {
    const result = await run({ ...TRIP, cabin: '' });
    const sent = new URL(server.requests[0]?.url ?? '', server.url).searchParams;
    expect([sent.get('adults'), sent.get('cabin')]).toEqual(['1', 'economy']);
    expect(result.query.params).toEqual({ ...TRIP, adults: '1', cabin: 'economy' });
    expect(result.sources[0]?.status).toBe('ok');
  });

  it('is not named as given when no source can run: the user did not type it', async () => {
    // `given: adults, cabin` sent the user looking for where they had typed them.
    expect(await refused({ from: 'JFK' })).toMatch(/\(flights needs date; given: from; words go into/);
  });

  it('satisfies `requires`, which skipped the source without it', async () => {
    const yaml = flights().replace('    offers: items', '    requires: [adults, cabin]\n    offers: items');
    const result = await search(loadConfigText(yaml, 'sources.yaml', {}), { text: 'x', params: TRIP });
    expect(result.sources[0]?.status).toBe('ok');
  });

  it('is not warned of as read by no source; a value the user gave still is', async () => {
    const yaml = `${PARAMS}sources:
  - name: shop
    currency: USD
    request: { url: "${server.url}/s?q={{query}}" }
    offers: items
    fields: { title: title, price: price }
`;
    const config = loadConfigText(yaml, 'sources.yaml', {});
    expect((await search(config, { text: 'tv', params: { query: 'tv' } })).warnings).toEqual([]);
    expect((await search(config, { text: 'tv', params: { query: 'tv', adults: '2' } })).warnings).toEqual([
      'adults=2 is read by no source searched: the offers do not reflect it',
    ]);
  });

  it('lists in query.params only the defaults a source searched reads, beside every param given', async () => {
    // A product search listed the flight sources' `adults: "1"` and `cabin: "economy"`, which no offer of it saw.
    const yaml = `${flights()}  - name: shop
    currency: USD
    request: { url: "${server.url}/s?q={{query}}" }
    offers: items
    fields: { title: title, price: price }
`;
    const config = loadConfigText(yaml, 'sources.yaml', {});
    const shop = await search(config, { text: 'tv', params: { query: 'tv', adults: '2' } });
    expect(shop.query.params).toEqual({ query: 'tv', adults: '2' });
    const trip = await search(config, { text: 'x', params: TRIP });
    expect(trip.query.params).toEqual({ ...TRIP, adults: '1', cabin: 'economy' });
  });
});

describe('a declaration filled from the environment', () => {
  const MARKET = 'hunter2_market_secret';
  const yaml = () => `params:
  market: { choices: ["\${MARKET}", other], default: "\${MARKET}" }
sources:
  - name: shop
    currency: USD
    request: { url: "${server.url}/s?q={{query}}&m={{market}}" }
    offers: items
    fields: { title: title, price: price }
`;
  const config = () => loadConfigText(yaml(), 'sources.yaml', { MARKET });

  it('hides the value in the message about a param that fails it, as the command line does', async () => {
    const run = search(config(), { text: 'tv', params: { query: 'tv', market: 'nope' } });
    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow('market=nope: not one of ***, other');
    await expect(run).rejects.not.toThrow(MARKET);
  });

  it('hides a default taken from it in query.params, while the request still sends it', async () => {
    const result = await search(config(), { text: 'tv', params: { query: 'tv' } });
    expect(new URL(server.requests[0]?.url ?? '', server.url).searchParams.get('m')).toBe(MARKET);
    expect(result.query.params).toEqual({ query: 'tv', market: '***' });
  });
});

describe('the command line', () => {
  it('exits 2 with every bad param, each with its declaration, and sends nothing', async () => {
    const file = writeConfig([], '');
    writeFileSync(file, flights());
    const out = await runCli(['search', '-c', file, 'from=JFK', 'date=20/12/2026', 'adults=12']);
    expect(out.code).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toBe(
      `agg: date=20/12/2026: not a date; write YYYY-MM-DD (declared at ${file}:3:3)\n` +
        `adults=12: must be from 1 to 9 (declared at ${file}:6:3)\n`,
    );
    expect(server.requests).toEqual([]);
  });

  it('names the declaration from a file loaded from the cache too', async () => {
    const file = writeConfig([], '');
    writeFileSync(file, flights());
    // The first run parses the YAML and keeps it; the second loads it from the cache, without the parser.
    const env = { XDG_CACHE_HOME: writeConfig([], '').replace(/sources\.yaml$/, 'cache') };
    for (let i = 0; i < 2; i++) {
      const out = await runCli(['search', '-c', file, 'from=JFK', 'date=2026-02-30'], { env });
      expect(out.stderr).toBe(
        `agg: date=2026-02-30: not a day in the calendar: February 2026 has 28 days (declared at ${file}:3:3)\n`,
      );
    }
  });

  it('lists the declared params under `agg sources`', async () => {
    const file = writeConfig([], '');
    writeFileSync(file, flights());
    const out = await runCli(['sources', '-c', file]);
    expect(out.code).toBe(0);
    expect(out.stdout.slice(out.stdout.indexOf('params:'))).toBe(
      [
        'params:',
        '  date    date · departure day',
        '  return  date',
        '  from    text, matching [A-Za-z]{3} · an IATA airport code, like JFK',
        '  adults  integer from 1 to 9, default 1',
        '  cabin   economy|premium|business|first, default economy',
        '  price   number at least 0',
        '',
      ].join('\n'),
    );
  });

  it('does not list a param with a default as one the source requires: it is never missing', async () => {
    const file = writeConfig([], '');
    writeFileSync(file, flights());
    const out = await runCli(['sources', '-c', file, '--json']);
    expect(JSON.parse(out.stdout)[0].requires).toEqual(['from', 'date']);
  });
});
