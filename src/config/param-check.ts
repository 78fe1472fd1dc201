/**
 * A declared param's checks: the sources file's `params:` says what a param looks like (a date, a whole
 * number from 1 to 9, one of four cabins). The schema checks a declaration's own default and choices
 * with these, and the search (params.ts) the values given. No zod, no HTTP: both load it.
 */
import { createContext, runInContext } from 'node:vm';
import { suggest } from '../shared/suggest.js';

/** What a declared param's value must be: `text` (anything, the default), or one of the others. */
export const PARAM_TYPES = ['text', 'date', 'integer', 'number'] as const;
export type ParamType = (typeof PARAM_TYPES)[number];

/** One entry of `params:`, as the loader keeps it. Choices and the default are text, as params are. */
export interface ParamDeclaration {
  readonly type: ParamType;
  /** A regular expression (read with the `u` flag) the whole value must match. */
  readonly pattern?: string;
  /** The values allowed, matched in any case and given on as written here. */
  readonly choices?: readonly string[];
  /**
   * The range: a number for type integer or number; for type date, a day (`2026-01-01`), `today`, or the
   * name of another declared date param (param-relations.ts compares those two at search time).
   */
  readonly min?: number | string;
  readonly max?: number | string;
  /** Declared params this one's value must not equal, in any case (`to` is not `from`). */
  readonly differsFrom?: readonly string[];
  /** The value when the param is not given (or given empty), before the plan: `requires` and templates see it. */
  readonly default?: string;
  readonly description?: string;
  /** Where the declaration is written (its key), 1-based, for messages. */
  readonly line?: number;
  readonly col?: number;
}
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INTEGER = /^[+-]?\d+$/;
// Decimal notation only: `1e3` and `0x10` are numbers to JavaScript, not to a person typing a price.
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)$/;
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** Days in a month of the proleptic Gregorian calendar (month 1–12). */
const daysIn = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Whether a date bound is a day written out (`2026-01-01`), not `today` or a param's name. */
export const isDayText = (text: string): boolean => ISO_DATE.test(text);

/** The problem with `text` as a date, or undefined for a real day written YYYY-MM-DD. */
export function dateProblem(text: string): string | undefined {
  const m = ISO_DATE.exec(text);
  if (!m) {
    // `20/12/2026` or `12/20/2026`: which is the day cannot be told, so no guess is offered.
    return 'not a date; write YYYY-MM-DD';
  }
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12) return `not a date: there is no month ${m[2]}; write YYYY-MM-DD`;
  const days = daysIn(year, month);
  if (day < 1 || day > days) return `not a day in the calendar: ${MONTHS[month - 1]} ${year} has ${days} days`;
  return undefined;
}

/** `from 1 to 9`, `at least 1`, `at most 9`. */
function range(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `from ${min} to ${max}`;
  return min !== undefined ? `at least ${min}` : `at most ${max}`;
}

/** A bound as a number: a date param's bound is text, and compared as dates. */
const numeric = (bound: number | string | undefined): number | undefined =>
  typeof bound === 'number' ? bound : undefined;

/** A date bound written as a day; `today` and a param's name are compared at search time (param-relations.ts). */
const dayBound = (bound: number | string | undefined): string | undefined =>
  typeof bound === 'string' && isDayText(bound) ? bound : undefined;

/** What a number of this declaration is, in words: `a whole number from 1 to 9`. */
function numberWords(decl: ParamDeclaration): string {
  const noun = decl.type === 'integer' ? 'a whole number' : 'a number';
  const [min, max] = [numeric(decl.min), numeric(decl.max)];
  return min === undefined && max === undefined ? noun : `${noun} ${range(min, max)}`;
}

/**
 * `text` checked against `decl`: the value to send (a choice in its declared spelling, a number without
 * its leading zeros or `+`), or what is wrong with it, in words that say what is expected.
 */
export function checkParam(text: string, decl: ParamDeclaration): { value: string } | { problem: string } {
  let value = text;
  if (decl.type === 'date') {
    const problem = dateProblem(text);
    if (problem) return { problem };
    // YYYY-MM-DD orders as text does.
    const [min, max] = [dayBound(decl.min), dayBound(decl.max)];
    if (min !== undefined && text < min) return { problem: `must be on or after ${min}` };
    if (max !== undefined && text > max) return { problem: `must be on or before ${max}` };
  } else if (decl.type === 'integer' || decl.type === 'number') {
    const form = decl.type === 'integer' ? INTEGER : NUMBER;
    const n = Number(text.trim());
    if (!form.test(text.trim()) || !Number.isFinite(n) || (decl.type === 'integer' && !Number.isSafeInteger(n))) {
      const comma = decl.type === 'number' && /^[+-]?\d+,\d+$/.test(text.trim());
      // `1e3`, a number to JavaScript, where a person means 1000: said as the digits to write.
      const digits = /^[+-]?\d+(?:\.\d+)?e[+-]?\d+$/i.test(text.trim()) && !/e/i.test(String(n)) ? String(n) : '';
      const fix = comma
        ? `; write a decimal point, ${text.trim().replace(',', '.')}`
        : digits
          ? `; write ${digits}`
          : '';
      return { problem: `not ${numberWords(decl)}${fix}` };
    }
    const [min, max] = [numeric(decl.min), numeric(decl.max)];
    if ((min !== undefined && n < min) || (max !== undefined && n > max)) {
      return { problem: `must be ${range(min, max)}` };
    }
    // Written back as a number, `0.0000001` read `1e-7`, a form the declaration itself refuses: as typed, then.
    const written = String(n);
    value = /e/i.test(written) ? text.trim().replace(/^\+/, '') : written;
  }
  if (decl.choices) {
    const wanted = value.toLowerCase();
    const choice = decl.choices.find((c) => c.toLowerCase() === wanted);
    if (choice === undefined) {
      const near = suggest(value, decl.choices);
      return { problem: `not one of ${someChoices(decl.choices)}${near ? `; did you mean ${near}?` : ''}` };
    }
    value = choice;
  }
  const matched = decl.pattern === undefined ? true : matchesWhole(decl.pattern, value);
  if (matched === undefined)
    return {
      problem: `${decl.pattern} took over ${MATCH_LIMIT_MS / 1000}s to match it, and was stopped: a pattern that repeats a repeat, as (a+)+ does, can take years on a value it does not match`,
    };
  if (!matched) {
    // The description says what is expected in words, where it has them: `IATA airport code, like JFK`.
    const problem = decl.description
      ? `expected ${decl.description} (matching ${decl.pattern})`
      : `does not match ${decl.pattern}`;
    return { problem };
  }
  return { value };
}

// A file may list a catalogue's worth of choices: 10,000 of them were 80 KB of one usage error.
const CHOICES_SHOWN = 20;

/** The choices to name in a message: the first 20, and how many more. */
const someChoices = (choices: readonly string[], separator = ', '): string =>
  choices.length <= CHOICES_SHOWN
    ? choices.join(separator)
    : `${choices.slice(0, CHOICES_SHOWN).join(separator)} and ${(choices.length - CHOICES_SHOWN).toLocaleString('en-US')} more`;

/** The pattern as a regular expression that must match the whole value; throws SyntaxError for a bad one. */
export const wholeMatch = (pattern: string): RegExp => new RegExp(`^(?:${pattern})$`, 'u');

// JavaScript's RegExp backtracks: `(a+)+` against 40 a's and a `!` ran for hours in one synchronous step,
// deaf to Ctrl-C and the deadline. Run in a vm context, a match can be stopped (V8 checks for the
// interrupt as it backtracks); an ordinary pattern takes microseconds.
const MATCH_LIMIT_MS = 1000;

/** One context for every match of a run: making one costs about 0.6 ms, a match in it about 0.1. */
let matchContext: { re?: RegExp; value?: string } | undefined;

/** Whether `value` matches the whole pattern; undefined when the match took too long and was stopped. */
function matchesWhole(pattern: string, value: string): boolean | undefined {
  matchContext ??= createContext({});
  matchContext.re = wholeMatch(pattern);
  matchContext.value = value;
  try {
    return runInContext('re.test(value)', matchContext, { timeout: MATCH_LIMIT_MS }) === true;
  } catch (err) {
    if ((err as { code?: unknown } | null)?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return undefined;
    throw err;
  }
}

/** A declaration in a few words, for `agg sources`: `integer 1–9, default 1`. */
export function describeDeclaration(decl: ParamDeclaration): string {
  // The first 20 here too: `agg sources` printed all 10,000 of a catalogue's choices on one line.
  const parts: string[] = [decl.choices ? someChoices(decl.choices, '|') : decl.type];
  if (decl.min !== undefined || decl.max !== undefined) parts[0] += ` ${bounds(decl)}`;
  if (decl.pattern !== undefined) parts.push(`matching ${decl.pattern}`);
  if (decl.differsFrom?.length) parts.push(`not the same as ${decl.differsFrom.join(' or ')}`);
  if (decl.default !== undefined) parts.push(`default ${decl.default}`);
  return parts.join(', ');
}

/** A declaration's range in words: `from 1 to 9`; for a date, `on or after today`, `from date to 2027-12-31`. */
function bounds(decl: ParamDeclaration): string {
  if (decl.type !== 'date') return range(numeric(decl.min), numeric(decl.max));
  const [min, max] = [dateBound(decl.min), dateBound(decl.max)];
  if (min !== undefined && max !== undefined) return `from ${min} to ${max}`;
  return min !== undefined ? `on or after ${min}` : `on or before ${max}`;
}

/**
 * A date bound in words: a day or `today` as written, another param by name as one (`the date param`):
 * `return  date on or after date` read as a stammer.
 */
function dateBound(bound: number | string | undefined): string | undefined {
  if (bound === undefined) return undefined;
  const text = String(bound);
  return text === 'today' || /^\d{4}-\d{2}-\d{2}$/.test(text) ? text : `the ${text} param`;
}
