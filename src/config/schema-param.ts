/** A declared param (`params:`): its type, pattern, choices, range and default, each checked against the rest. */
import * as z from 'zod';
import { checkParam, PARAM_TYPES, wholeMatch } from './param-check.js';
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
    min: z.number().optional().meta({ description: 'Smallest value, for type integer or number.' }),
    max: z.number().optional().meta({ description: 'Largest value, for type integer or number.' }),
    default: ParamText.optional().meta({
      description:
        'The value when the param is not given; `requires:` and templates see it. It must pass this declaration.',
    }),
    description: z.string().optional().meta({ description: 'What the param is, shown by `agg sources`.' }),
  })
  .superRefine(
    (p, ctx) => {
      const type = p.type ?? 'text';
      for (const key of ['min', 'max'] as const) {
        if (p[key] !== undefined && type !== 'integer' && type !== 'number')
          ctx.addIssue({ code: 'custom', path: [key], message: `applies to type integer or number, not ${type}` });
      }
      if (typeof p.min === 'number' && typeof p.max === 'number' && p.min > p.max)
        ctx.addIssue({ code: 'custom', path: ['min'], message: `is more than max (${p.max})` });
      // The rest is checked against a declaration that is itself sound: a bad pattern or range has its own problem.
      if (typeof p.pattern === 'string' && patternProblem(p.pattern)) return;
      if (typeof p.min === 'number' && typeof p.max === 'number' && p.min > p.max) return;
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
