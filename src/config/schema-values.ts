/**
 * The scalar values of the sources file, for the object schemas (schema-*.ts): a currency, a duration, a size,
 * a hedge, a count; a param's name, a tag, an expression. Each refuses with its own message, and says in its
 * JSON Schema what the loader refuses, so that an editor does too.
 */
import * as z from 'zod';
import { NO_CURRENCY } from '../types.js';
import {
  DURATION_PATTERN,
  durationMessage,
  durationTooLong,
  MAX_TIMER_MS,
  parseDuration,
  refuseSecondsMeant,
  SECONDS_MEANT_BELOW,
  secondsMeantMessage,
} from './duration.js';
import { formatSize, parseSize, SIZE_PATTERN, sizeMessage } from './size.js';

export const CURRENCY_CODE = /^[A-Z]{3}$/;
// The value is quoted (its start: it may be a pasted paragraph): `"USD "`, or `USD` with a pasted
// zero-width space, looked right as the message left it.
const Currency = z.string().regex(CURRENCY_CODE, {
  error: (issue) => {
    const text = String(issue.input);
    const shown = text.length > 16 ? `${JSON.stringify(text.slice(0, 16)).slice(0, -1)}…"` : JSON.stringify(text);
    return `${shown} is not a 3-letter currency code in capitals, like USD`;
  },
});

/**
 * A currency to rank in, to have a rate for, or to mark a source's offers with: not XXX (refused where
 * it is used), which the JSON Schema says too.
 */
export const RealCurrency = Currency.meta({ not: { const: NO_CURRENCY } });

/**
 * A parser as a transform: what it throws (a duration past Node's timers, a size past a double) is the
 * field's problem, reported where it is written, not an error out of validation.
 */
const parsedBy =
  <T>(parse: (v: string | number) => T) =>
  (v: string | number, ctx: { issues: z.core.$ZodRawIssue[] }): T => {
    try {
      return parse(v);
    } catch (err) {
      ctx.issues.push({ code: 'custom', message: (err as Error).message, input: v });
      return z.NEVER;
    }
  };

// Every way a duration can fail gives the same message: a union reports its matching branch's issue.
const notDuration = { error: (iss: { input?: unknown }) => durationMessage(iss.input) };

/**
 * A number of ms, bounded here as well as by the parse after the union, so that the JSON Schema says so:
 * an editor passed `timeout: 0`, `timeout: 3` (seconds meant) and `timeout: 99999999999`, which agg
 * refuses. `zero` is what 0 is told, `wrong` is for the rest.
 */
const milliseconds = (wrong: (input: unknown) => string, zero = 'must be more than 0') =>
  z
    .number()
    .min(SECONDS_MEANT_BELOW, {
      error: (iss) => {
        if (iss.input === 0) return zero;
        return typeof iss.input === 'number' && iss.input > 0 ? secondsMeantMessage(iss.input) : wrong(iss.input);
      },
    })
    .max(MAX_TIMER_MS, {
      error: (iss) => (Number.isFinite(iss.input) ? durationTooLong(iss.input) : wrong(iss.input)),
    });

/** parseDuration, refusing a small bare number (`timeout: 3`), which would be milliseconds where seconds were meant. */
const parseWrittenDuration = (v: string | number): number => {
  refuseSecondsMeant(v);
  return parseDuration(v);
};

/**
 * DURATION_PATTERN without the texts the parse after it refuses, for the JSON Schema only (the loader keeps its
 * messages): an editor passed `hedge: 0s` (`off` is the way) and `timeout: "3"` (seconds meant), where the
 * number branch's bounds refuse `hedge: 0` and `timeout: 3`.
 */
const durationText = (error: typeof notDuration) =>
  z
    .string()
    .regex(new RegExp(DURATION_PATTERN), error)
    .meta({ pattern: `^(?!0*(\\.0*)?(ms|s|m)?$)(?!0*[1-4]?\\d(\\.\\d+)?$)${DURATION_PATTERN.slice(1)}` });

export const Duration = z
  .union([durationText(notDuration), milliseconds(durationMessage)], notDuration)
  .transform(parsedBy(parseWrittenDuration))
  .pipe(z.number().positive('must be more than 0'))
  .meta({ description: 'A duration: 250ms, 2s, 1.5s, 1m, or a number of milliseconds.', examples: ['2s'] });

// Not `z.int()`: its failure aborts the parse, which would skip the cross-field checks
// (schema-source-rules.ts, schema-param.ts).
export const Retries = z.number().min(0).max(5).multipleOf(1, 'must be a whole number').meta({
  type: 'integer',
  description:
    'Extra attempts for idempotent requests on 429/502/503/504 and connection errors (0–5); POST only with `idempotent: true`, or when its connection never opened (nothing was sent).',
});

/**
 * Largest `maxBytes` accepted: a body is held in memory whole, as one string, before it is parsed, and
 * V8's longest string is 2^29 - 24 characters (just under 512 MiB). At 1 GiB a valid 600 MB answer
 * failed its source as `Invalid string length`.
 */
const MAX_MAX_BYTES = 500 * 1024 ** 2;

const notSize = { error: (iss: { input?: unknown }) => sizeMessage(iss.input) };
export const Size = z
  .union(
    [
      // `0B` and `0MiB` too are refused after it: the JSON Schema says so (see durationText).
      z
        .string()
        .regex(new RegExp(SIZE_PATTERN), notSize)
        .meta({ pattern: `^(?!0*(\\.0*)?\\s*(B|KB|KiB|MB|MiB|GB|GiB)?$)${SIZE_PATTERN.slice(1)}` }),
      // Bounded here too, for the JSON Schema (see milliseconds).
      z
        .number()
        .positive({ error: (iss) => (iss.input === 0 ? 'must be more than 0' : sizeMessage(iss.input)) })
        .max(MAX_MAX_BYTES, `must be at most ${formatSize(MAX_MAX_BYTES)}`),
    ],
    notSize,
  )
  .transform(parsedBy(parseSize))
  .pipe(
    z
      .number()
      .positive('must be more than 0')
      .max(MAX_MAX_BYTES, `must be at most ${formatSize(MAX_MAX_BYTES)}`),
  )
  .meta({ description: 'A size: 512KiB, 10MiB, 1MB, or a number of bytes.', examples: ['10MiB'] });

const hedgeMessage = (input: unknown): string => durationMessage(input).replace(/; use /, '; use auto, off, ');
const notHedge = { error: (iss: { input?: unknown }) => hedgeMessage(iss.input) };
// `hedge: 0` is how people write "no hedging" (a source under a `defaults.hedge` whose vendor counts every
// request): "must be more than 0" alone did not say that `off` is the way.
const HEDGE_ZERO = 'must be more than 0; `off` turns hedging off';
// `auto` hedges at the source's own recorded p95 latency (docs/resilience.md). `off` is for one source under
// a `defaults.hedge`: a vendor that counts every request against a quota, whose duplicates cost.
export const Hedge = z
  .union(
    [z.literal('auto'), z.literal('off'), durationText(notHedge), milliseconds(hedgeMessage, HEDGE_ZERO)],
    notHedge,
  )
  .transform(parsedBy((v) => (v === 'auto' || v === 'off' ? v : parseWrittenDuration(v))))
  .pipe(z.union([z.literal('auto'), z.literal('off'), z.number().positive(HEDGE_ZERO)]))
  .meta({
    description:
      'Send one duplicate request when no response headers arrived after this long: a duration, `auto` for the source’s recorded p95 latency, or `off` (on a source, to undo `defaults.hedge`).',
    examples: ['150ms', 'auto', 'off'],
  });

export const Connections = z.number().min(1).max(1024).multipleOf(1, 'must be a whole number').meta({
  type: 'integer',
  description: 'Most connections open at once to one origin (scheme, host and port); more requests queue. Default 32.',
});

/** A whole number from 1 to `max`, an `integer` in the JSON Schema, with its description. */
export const Count = (max: number, description: string) =>
  z.number().min(1).max(max).multipleOf(1, 'must be a whole number').meta({ type: 'integer', description });

// A name the command line can set (`name=value`, `--param`): a source requiring any other was skipped on every search.
const PARAM_NAME = /^[A-Za-z_]\w*$/;
export const ParamName = z.string().regex(PARAM_NAME, {
  error: (iss) => {
    const text = String(iss.input);
    const dashed = text.replaceAll('-', '_');
    const hint = PARAM_NAME.test(dashed) ? ` (${dashed})` : '';
    return `${JSON.stringify(text)} is no param name, which has letters, digits and _ only${hint}: the source would be skipped on every search`;
  },
});

// A declared param's name: one the command line can set, as in `requires`.
export const DeclaredName = z.string().regex(PARAM_NAME, {
  error: (iss) => {
    const text = String(iss.input);
    const dashed = text.replaceAll('-', '_');
    const hint = PARAM_NAME.test(dashed) ? ` (${dashed})` : '';
    return `${JSON.stringify(text)} is no param name, which has letters, digits and _ only${hint}: \`name=value\` could not set it`;
  },
});

// What `--tag` can select: it splits on `,` and trims each tag, and an empty one is no tag.
export const Tag = z
  .string()
  .regex(
    /^[^,\s](?:[^,]*[^,\s])?$/,
    'cannot be given to --tag, which splits on `,`: a tag is not empty, has no `,`, and no space at either end',
  );

export const Expression = z.string().regex(/\S/, 'must not be empty');
