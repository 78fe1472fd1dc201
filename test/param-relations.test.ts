/**
 * Declared params checked against each other and the day: a return before the outbound (`min: date`), a
 * date in the past (`min: today`), the same airport both ways (`differsFrom: from`). Each is refused
 * before any request, naming the value, what is expected and where it is declared. The day is passed
 * in: no test here depends on the day it runs, but for dates decades away.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfigText } from '../src/config/index.js';
import { describeDeclaration } from '../src/config/param-check.js';
import { UsageError } from '../src/errors.js';
import { applyDeclarations } from '../src/params.js';
import { search } from '../src/search/index.js';
import { localDate } from '../src/shared/clock.js';
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

// Lines 3 to 7: from, to, date, return, until.
const flights = (dateBound = 'min: today') => `currency: USD
params:
  from: { pattern: "[A-Za-z]{3}" }
  to: { pattern: "[A-Za-z]{3}", differsFrom: from }
  date: { type: date, ${dateBound} }
  return: { type: date, min: date }
  until: { type: date, max: today }
sources:
  - name: flights
    request: { url: "${server.url}/f?from={{from}}&to={{to}}&date={{date}}" }
    offers: items
    fields: { title: title, price: price }
`;

const TODAY = '2026-03-01';
const config = () => loadConfigText(flights(), 'sources.yaml', {});

/** The message applyDeclarations() refuses `params` with on TODAY, or undefined when it takes them. */
function refusal(params: Params, today = TODAY): string | undefined {
  try {
    applyDeclarations(config(), params, today);
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    return (err as UsageError).message;
  }
}

describe('a date bound naming another date param', () => {
  it('refuses a return before the outbound date, naming both', () => {
    expect(refusal({ date: '2026-12-20', return: '2026-12-13' })).toBe(
      'return=2026-12-13: must be on or after date=2026-12-20 (declared at sources.yaml:6:3)',
    );
  });

  it('takes a return on the day of the outbound or after it', () => {
    expect(refusal({ date: '2026-12-20', return: '2026-12-20' })).toBeUndefined();
    expect(refusal({ date: '2026-12-20', return: '2027-01-03' })).toBeUndefined();
  });

  it('compares only when both are given, and not against a value that failed its own declaration', () => {
    expect(refusal({ return: '2026-01-01' })).toBeUndefined();
    expect(refusal({ date: '20/12/2026', return: '2026-12-13' })).toBe(
      'date=20/12/2026: not a date; write YYYY-MM-DD (declared at sources.yaml:5:3)',
    );
  });
});

describe('a date bound of today', () => {
  it('refuses a date in the past, saying what today is', () => {
    expect(refusal({ date: '2025-03-01' })).toBe(
      'date=2025-03-01: in the past; must be today (2026-03-01) or later (declared at sources.yaml:5:3)',
    );
  });

  it('lets through a day of slack either way: the airport may be a day behind or ahead of the machine', () => {
    expect(refusal({ date: '2026-02-28' })).toBeUndefined();
    expect(refusal({ date: '2026-02-27' })).toMatch(/^date=2026-02-27: in the past;/);
    expect(refusal({ until: '2026-03-02' })).toBeUndefined();
    expect(refusal({ until: '2026-03-03' })).toBe(
      'until=2026-03-03: in the future; must be today (2026-03-01) or earlier (declared at sources.yaml:7:3)',
    );
    // Across a year's end.
    expect(refusal({ date: '2025-12-31' }, '2026-01-01')).toBeUndefined();
    expect(refusal({ date: '2025-12-30' }, '2026-01-01')).toMatch(/in the past/);
  });

  it('is the machine’s local date', () => {
    // Built from local parts, the day is the same in any time zone the tests run in.
    expect(localDate(new Date(2026, 0, 1, 0, 5))).toBe('2026-01-01');
    expect(localDate(new Date(2026, 11, 31, 23, 55))).toBe('2026-12-31');
  });
});

describe('a date bound written as a day', () => {
  it('refuses a date outside it, and checks a default against it as the file loads', () => {
    const c = loadConfigText(flights('min: 2026-06-01, max: 2026-06-30'), 'sources.yaml', {});
    expect(() => applyDeclarations(c, { date: '2026-07-01' }, TODAY)).toThrow(
      'date=2026-07-01: must be on or before 2026-06-30 (declared at sources.yaml:5:3)',
    );
    expect(() => applyDeclarations(c, { date: '2026-05-31' }, TODAY)).toThrow('must be on or after 2026-06-01');
    expect(() => loadConfigText(flights('min: 2026-06-01, default: 2026-05-01'), 'sources.yaml', {})).toThrow(
      'params.date.default: fails its own declaration: must be on or after 2026-06-01',
    );
  });
});

describe('a default', () => {
  it('is named as the default when it fails a bound, given empty or not at all', () => {
    const withDefault = loadConfigText(
      flights().replace('date: { type: date, min: today }', 'date: { type: date, min: today, default: 2026-01-05 }'),
      'sources.yaml',
      {},
    );
    const message = (params: Params): string => {
      try {
        applyDeclarations(withDefault, params, TODAY);
      } catch (err) {
        return (err as Error).message;
      }
      return '';
    };
    const said =
      'date=2026-01-05 (the default): in the past; must be today (2026-03-01) or later (declared at sources.yaml:5:3)';
    expect(message({})).toBe(said);
    expect(message({ date: '' })).toBe(said);
    expect(message({ date: '2026-01-05' })).toBe(said.replace(' (the default)', ''));
  });
});

describe('differsFrom', () => {
  it('refuses the same airport both ways, in any case', () => {
    expect(refusal({ from: 'JFK', to: 'jfk' })).toBe(
      'to=jfk: the same as from=JFK (in any case); must differ from it (declared at sources.yaml:4:3)',
    );
    expect(refusal({ from: 'JFK', to: 'LHR' })).toBeUndefined();
    expect(refusal({ to: 'JFK' })).toBeUndefined();
  });

  it('cuts the other value as it cuts the refused one: a long value was quoted whole', () => {
    const text = loadConfigText(
      'params:\n  from: {}\n  to: { differsFrom: from }\nsources:\n  - { name: s, request: { url: "http://127.0.0.1:1/?f={{from}}&t={{to}}" }, offers: items, fields: { title: title, price: price } }\n',
      'sources.yaml',
      {},
    );
    const long = 'A'.repeat(5_000);
    let message = '';
    try {
      applyDeclarations(text, { from: long, to: long.toLowerCase() }, TODAY);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toBe(
      `to=${'a'.repeat(39)}…: the same as from=${'A'.repeat(39)}… (in any case); must differ from it (declared at sources.yaml:3:3)`,
    );
  });
});

describe('a search', () => {
  it('names every param that fails, and sends nothing', async () => {
    const run = search(config(), {
      text: 'x',
      // 1999 is past whatever day this runs on.
      params: { from: 'JFK', to: 'JFK', date: '1999-12-20', return: '1999-12-13' },
    });
    const err = await run.then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.message.split('\n').map((l) => l.replace(/ \(\d{4}-\d\d-\d\d\)/, ' (…)'))).toEqual([
      'to=JFK: the same as from=JFK (in any case); must differ from it (declared at sources.yaml:4:3)',
      'date=1999-12-20: in the past; must be today (…) or later (declared at sources.yaml:5:3)',
      'return=1999-12-13: must be on or after date=1999-12-20 (declared at sources.yaml:6:3)',
    ]);
    expect(server.requests).toEqual([]);
  });

  it('on the command line exits 2, and `agg sources` shows the bounds', async () => {
    const file = writeConfig([], '');
    writeFileSync(file, flights());
    const out = await runCli(['search', '-c', file, 'from=JFK', 'to=LHR', 'date=2999-12-20', 'return=2999-12-13']);
    expect([out.code, out.stdout]).toEqual([2, '']);
    expect(out.stderr).toBe(`agg: return=2999-12-13: must be on or after date=2999-12-20 (declared at ${file}:6:3)\n`);
    expect(server.requests).toEqual([]);
    const listed = await runCli(['sources', '-c', file]);
    expect(listed.stdout.slice(listed.stdout.indexOf('params:'))).toBe(
      [
        'params:',
        '  from    text, matching [A-Za-z]{3}',
        '  to      text, matching [A-Za-z]{3}, not the same as from',
        '  date    date on or after today',
        '  return  date on or after the date param',
        '  until   date on or before today',
        '',
      ].join('\n'),
    );
    expect(describeDeclaration({ type: 'date', min: 'date', max: '2027-12-31', differsFrom: ['a', 'b'] })).toBe(
      'date from the date param to 2027-12-31, not the same as a or b',
    );
  });
});

describe('sources.example.yaml', () => {
  const EXAMPLE = fileURLToPath(new URL('../sources.example.yaml', import.meta.url));
  const example = () => loadConfigText(readFileSync(EXAMPLE, 'utf8'), 'sources.example.yaml', {});

  it('refuses the same airport both ways and a return before the day out', () => {
    const c = example();
    expect(() => applyDeclarations(c, { from: 'JFK', to: 'jfk', date: '2026-12-20' }, TODAY)).toThrow(
      /^to=jfk: the same as from=JFK \(in any case\); must differ from it/,
    );
    expect(() => applyDeclarations(c, { from: 'JFK', to: 'LHR', date: '2026-12-20', return: '2026-12-13' })).toThrow(
      /^return=2026-12-13: must be on or after date=2026-12-20/,
    );
  });

  it('has no bound of today: the demo, the README and the tests search 2026-12-20, past one day', () => {
    const c = example();
    const later = '2031-01-01';
    expect(() => applyDeclarations(c, { from: 'JFK', to: 'LHR', date: '2026-12-20' }, later)).not.toThrow();
    expect(Object.values(c.params ?? {}).filter((d) => d.min === 'today' || d.max === 'today')).toEqual([]);
  });
});
