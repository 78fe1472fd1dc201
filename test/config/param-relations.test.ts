/**
 * `params:` bounds and `differsFrom` that name another param (or `today`): each that cannot hold is a
 * config error at its line, column and field, before any search.
 */
import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/index.js';
import { GOOD_SOURCE, problems } from './helpers.js';

const file = (params: string): string => `params:\n${params}sources:\n${GOOD_SOURCE}`;

describe('params: date bounds and differsFrom', () => {
  it('loads a day, today and a date param as bounds, and differsFrom as a list', () => {
    const config = loadConfigText(
      file(`  from: { pattern: "[A-Z]{3}" }
  to: { pattern: "[A-Z]{3}", differsFrom: from }
  date: { type: date, min: today, max: 2027-12-31 }
  return: { type: date, min: date }
`),
      'sources.yaml',
      {},
    );
    expect(config.params?.to?.differsFrom).toEqual(['from']);
    expect([config.params?.date?.min, config.params?.date?.max, config.params?.return?.min]).toEqual([
      'today',
      '2027-12-31',
      'date',
    ]);
  });

  it('reports a bound that is no date, today or declared date param, with the field', () => {
    expect(
      problems(
        file(`  from: { pattern: "[A-Z]{3}" }
  date: { type: date, min: tody }
  return: { type: date, min: dte, max: from }
  back: { type: date, min: 2026-02-30, max: 5 }
  self: { type: date, max: self }
  n: { type: integer, min: today }
  t: { max: 2027-01-01 }
  x: { type: date, min: 2027-01-01, max: 2026-01-01 }
  y: { type: date, min: 1st }
`),
      ),
    ).toEqual([
      'sources.yaml:3:28: params.date.min: is not a date (YYYY-MM-DD), today, or a declared date param; did you mean today?',
      'sources.yaml:4:30: params.return.min: is not a date (YYYY-MM-DD), today, or a declared date param; did you mean date?',
      'sources.yaml:4:40: params.return.max: names from, which is not type date (it is text)',
      'sources.yaml:5:28: params.back.min: not a day in the calendar: February 2026 has 28 days',
      'sources.yaml:5:45: params.back.max: must be a date (YYYY-MM-DD), today, or the name of a declared date param, for type date',
      'sources.yaml:6:28: params.self.max: names self itself; name another date param, or write a date or today',
      'sources.yaml:7:28: params.n.min: must be a number for type integer',
      'sources.yaml:8:13: params.t.max: applies to type integer, number or date, not text',
      'sources.yaml:9:25: params.x.min: is after max (2026-01-01)',
      'sources.yaml:10:25: params.y.min: must be a date (YYYY-MM-DD), today, or the name of a declared date param',
    ]);
  });

  it('refuses `today` as a bound when a param is named today too: the word and the param would be read alike', () => {
    expect(
      problems(
        file(`  today: { type: date }
  date: { type: date, min: today }
`),
      ),
    ).toEqual([
      'sources.yaml:3:28: params.date.min: is ambiguous: `today` is the day agg runs on, and a param is declared as today too; rename that param',
    ]);
    // A param named today is no problem while no bound says today.
    expect(() =>
      loadConfigText(file('  today: { type: date }\n  date: { type: date, min: 2026-01-01 }\n'), 'sources.yaml', {}),
    ).not.toThrow();
  });

  it('reports bounds that go round, which leave the params in them one day', () => {
    expect(
      problems(
        file(`  date: { type: date, min: back }
  return: { type: date, min: date }
  back: { type: date, min: return }
`),
      ),
    ).toEqual([
      'sources.yaml:2:28: params.date.min: goes round: date ≥ back ≥ return ≥ date, so they could only be the same day; did you mean max (or min)?',
    ]);
    // The same bound said from both ends is no cycle.
    const both = file('  date: { type: date, max: return }\n  return: { type: date, min: date }\n');
    expect(() => loadConfigText(both, 'sources.yaml', {})).not.toThrow();
  });

  it('reports a differsFrom naming no declared param, or its own', () => {
    expect(
      problems(
        file(`  from: { pattern: "[A-Z]{3}" }
  to: { differsFrom: form }
  via: { differsFrom: [from, via, too] }
  x: { differsFrom: 3 }
`),
      ),
    ).toEqual([
      'sources.yaml:3:22: params.to.differsFrom: no param form is declared; did you mean from?',
      'sources.yaml:4:30: params.via.differsFrom[1]: names via itself',
      'sources.yaml:4:35: params.via.differsFrom[2]: no param too is declared; did you mean to?',
      'sources.yaml:5:21: params.x.differsFrom: must be the name of a declared param, or a list of them',
    ]);
  });
});
