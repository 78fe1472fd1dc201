/** `params:` declarations in the sources file: each mistake in one is a config error at its line and column. */
import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/index.js';
import { GOOD_SOURCE, problems } from './helpers.js';

const file = (params: string): string => `params:\n${params}sources:\n${GOOD_SOURCE}`;

describe('params: declarations', () => {
  it('loads each type, with its pattern, choices, bounds, default and description, and where it is written', () => {
    const config = loadConfigText(
      file(`  date: { type: date, description: departure day }
  from: { pattern: "[A-Z]{3}" }
  adults: { type: integer, min: 1, max: 9, default: 1 }
  price: { type: number, max: 1e6 }
  cabin: { choices: [economy, business], default: Economy }
  stops: { choices: [0, 1, 2], default: 0 }
`),
      'sources.yaml',
      {},
    );
    expect(JSON.parse(JSON.stringify(config.params))).toEqual({
      date: { type: 'date', description: 'departure day', line: 2, col: 3 },
      from: { type: 'text', pattern: '[A-Z]{3}', line: 3, col: 3 },
      adults: { type: 'integer', min: 1, max: 9, default: '1', line: 4, col: 3 },
      price: { type: 'number', max: 1e6, line: 5, col: 3 },
      // A default is one of the choices as the file writes them, whatever its case.
      cabin: { type: 'text', choices: ['economy', 'business'], default: 'economy', line: 6, col: 3 },
      stops: { type: 'text', choices: ['0', '1', '2'], default: '0', line: 7, col: 3 },
    });
  });

  it('reports every mistake in a declaration at its line and column', () => {
    expect(
      problems(
        file(`  date: { type: day }
  from: { pattern: "[A-Z" }
  adults: { type: integer, min: 9, max: 1 }
  cabin: { choices: [economy, Economy], default: buisness, typo: 1 }
  max: { min: 3 }
  n: { type: integer, choices: [1, x] }
  d2: { type: date, default: 2026-02-30 }
  bad-name: {}
  z: { default: [1] }
`),
      ),
    ).toEqual([
      'sources.yaml:2:17: params.date.type: must be one of text, date, integer, number',
      'sources.yaml:3:20: params.from.pattern: is not a regular expression: Invalid regular expression: /[A-Z/u: Unterminated character class',
      'sources.yaml:4:33: params.adults.min: is more than max (1)',
      'sources.yaml:5:31: params.cabin.choices[1]: is choices[0] again (choices are matched in any case)',
      'sources.yaml:5:50: params.cabin.default: fails its own declaration: not one of economy, Economy',
      'sources.yaml:5:60: params.cabin.typo: unknown key; did you mean `type`?',
      'sources.yaml:6:15: params.max.min: applies to type integer, number or date, not text',
      'sources.yaml:7:36: params.n.choices[1]: not a whole number',
      'sources.yaml:8:30: params.d2.default: fails its own declaration: not a day in the calendar: February 2026 has 28 days',
      'sources.yaml:9:3: params.bad-name: key "bad-name" is no param name, which has letters, digits and _ only (bad_name): `name=value` could not set it',
      'sources.yaml:10:17: params.z.default: expected text or a number, got a list',
    ]);
  });
});
