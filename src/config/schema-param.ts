/** A declared param (`params:`): its type, pattern, choices, range and default, each checked against the rest. */
import * as z from 'zod';
import { checkParam, dateProblem, isDayText, PARAM_TYPES, wholeMatch } from './param-check.js';
import { isObject } from './schema-when.js';

/** A choice or a default: text, as params are, or a number written unquoted (`default: 1`), kept as its text. */
const ParamText = z
  .union([z.string(), z.number().refine(Number.isFinite, 'must be a finite number')], {
    error: (iss) => `expected text or a number, got ${describeInput(iss.input)}`,
  })
  .transform((v) => String(v));

const describeInput = (v: unknown): string =>
  v === null ? 'nothing' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping' : String(v);

/** Whether `pattern` compiles as params.ts reads it; its SyntaxError's message otherwise. */
function patternProblem(pattern: string): string | undefined {
  try {
    // As written first, so that a message quotes the author's pattern, not the `^(?:…)$` around it.
    new RegExp(pattern, 'u');
    wholeMatch(pattern);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** A `min` or `max`: a number, or for a date param text (a date, `today`, a param's name). */
const Bound = z.union([z.number(), z.string()], {
  error: 'must be a number, or for type date a date (YYYY-MM-DD), today, or a declared date param',
});

/** What is wrong with a `min`/`max` for a param of `type`, or undefined (a name is checked with the other params). */
function boundProblem(type: string, bound: number | string): string | undefined {
  if (type === 'integer' || type === 'number')
    return typeof bound === 'number' ? undefined : `must be a number for type ${type}`;
  if (type !== 'date') return `applies to type integer, number or date, not ${type}`;
  if (typeof bound === 'number')
    return 'must be a date (YYYY-MM-DD), today, or the name of a declared date param, for type date';
  // `2026-02-30` is a day to no one: said as a value's would be. A name cannot start with a digit.
  if (isDayText(bound)) return dateProblem(bound);
  return /^\d/.test(bound) ? 'must be a date (YYYY-MM-DD), today, or the name of a declared date param' : undefined;
}

/** A declared param: what its value must be, and its default. */
export const ParamSchema = z
  .strictObject({
    type: z
      .enum(PARAM_TYPES, { error: `must be one of ${PARAM_TYPES.join(', ')}` })
      .optional()
      .meta({
        description:
          'text (the default); date (YYYY-MM-DD, a real day); integer (a whole number); number (decimal, like 12.5).',
      }),
    pattern: z
      .string()
      .superRefine((p, ctx) => {
        const problem = patternProblem(p);
        if (problem) ctx.addIssue({ code: 'custom', message: `is not a regular expression: ${problem}` });
      })
      .optional()
      .meta({ description: 'A regular expression (JavaScript, `u` flag) the whole value must match.' }),
    choices: z
      .array(ParamText)
      .min(1)
      .optional()
      .meta({ description: 'The values allowed, matched in any case and sent as written here.' }),
    min: Bound.optional().meta({
      description:
        'Smallest value: a number for type integer or number; for type date, a date (YYYY-MM-DD), `today` (the local date, a day of slack), or the name of another declared date param.',
    }),
    max: Bound.optional().meta({
      description:
        'Largest value: a number for type integer or number; for type date, a date (YYYY-MM-DD), `today` (the local date, a day of slack), or the name of another declared date param.',
    }),
    differsFrom: z
      .union([z.string(), z.array(z.string()).min(1)], {
        error: 'must be the name of a declared param, or a list of them',
      })
      .optional()
      .meta({
        description:
          'A declared param (or a list) this one must not equal, in any case: `to: { differsFrom: from }` refuses from=JFK to=jfk.',
      }),
    default: ParamText.optional().meta({
      description:
        'The value when the param is not given; `requires:` and templates see it. It must pass this declaration.',
    }),
    description: z.string().optional().meta({ description: 'What the param is, shown by `agg sources`.' }),
  })
  .superRefine(
    (p, ctx) => {
      const type = p.type ?? 'text';
      const bad = { min: false, max: false };
      for (const key of ['min', 'max'] as const) {
        const bound = p[key];
        const problem =
          typeof bound === 'number' || typeof bound === 'string' ? boundProblem(String(type), bound) : undefined;
        if (problem) ctx.addIssue({ code: 'custom', path: [key], message: problem });
        bad[key] = problem !== undefined;
      }
      const inverted = !bad.min && !bad.max && rangeInverted(p.min, p.max);
      if (inverted) ctx.addIssue({ code: 'custom', path: ['min'], message: `is ${inverted} max (${p.max})` });
      // The rest is checked against a declaration that is itself sound: a bad pattern or range has its own problem.
      if (typeof p.pattern === 'string' && patternProblem(p.pattern)) return;
      if (bad.min || bad.max || inverted) return;
      const decl = { type, ...(typeof p.pattern === 'string' ? { pattern: p.pattern } : {}), min: p.min, max: p.max };
      const seen = new Map<string, number>();
      (Array.isArray(p.choices) ? p.choices : []).forEach((choice, i) => {
        if (typeof choice !== 'string') return;
        const checked = checkParam(choice, decl);
        if ('problem' in checked) ctx.addIssue({ code: 'custom', path: ['choices', i], message: checked.problem });
        const first = seen.get(choice.toLowerCase());
        if (first !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['choices', i],
            message: `is choices[${first}] again (choices are matched in any case)`,
          });
        else seen.set(choice.toLowerCase(), i);
      });
      if (typeof p.default === 'string') {
        const choices = Array.isArray(p.choices) ? p.choices.filter((c) => typeof c === 'string') : undefined;
        const checked = checkParam(p.default, { ...decl, ...(choices?.length ? { choices } : {}) });
        if ('problem' in checked)
          ctx.addIssue({ code: 'custom', path: ['default'], message: `fails its own declaration: ${checked.problem}` });
      }
    },
    { when: isObject },
  )
  .meta({ description: 'A declared param: what its value must be, and its default.' });

/** `more than` for numbers, `after` for days, when min is past max; undefined otherwise (or for a name or today). */
function rangeInverted(min: unknown, max: unknown): string | undefined {
  if (typeof min === 'number' && typeof max === 'number') return min > max ? 'more than' : undefined;
  if (typeof min === 'string' && typeof max === 'string' && isDayText(min) && isDayText(max))
    return min > max ? 'after' : undefined;
  return undefined;
}
