/**
 * The shape of the sources file, once: zod validates it at load time, and the same schema is
 * exported as JSON Schema (`schema/sources.schema.json`) so editors can complete and check it.
 * Cross-field rules use `when`, so they still run (and report) when a sibling field is invalid.
 */
import * as z from 'zod';
import { NO_CURRENCY } from '../types.js';
import { jsonTextBodies } from './json-text-body.js';
import { relationIssues } from './param-relations.js';
import { Headers } from './schema-http.js';
import { ParamSchema } from './schema-param.js';
import { SourceWithRules } from './schema-source-rules.js';
import { Connections, DeclaredName, Duration, Hedge, RealCurrency, Retries, Size } from './schema-values.js';
import { isObject } from './schema-when.js';

/** The file's `defaults:`, for every source. */
export const DefaultsSchema = z.strictObject({
  timeout: Duration.optional().meta({ description: 'Per-request timeout for every source; default 5s.' }),
  headers: Headers.optional().meta({ description: 'Headers sent by every source.' }),
  retries: Retries.optional().meta({ description: 'Extra attempts for idempotent requests; default 1.' }),
  hedge: Hedge.optional(),
  maxBytes: Size.optional().meta({ description: 'Largest response body for every source; default 10MiB.' }),
  connections: Connections.optional(),
});

/** The whole sources file, with the rules between its top-level keys. */
export const SourcesFileSchema = z
  .strictObject({
    currency: RealCurrency.optional().meta({ description: 'Currency to rank and show prices in.' }),
    rates: z
      .record(RealCurrency, z.number().positive())
      .optional()
      .meta({ description: 'Units of `currency` per unit of each key, e.g. `EUR: 1.10`.' }),
    defaults: DefaultsSchema.optional(),
    params: z.record(DeclaredName, ParamSchema).optional().meta({
      description:
        'Declared params, by name: a given value that fails its declaration stops the run before any request; a default fills one not given.',
    }),
    sources: z.array(SourceWithRules).min(1, 'needs at least one source'),
  })
  .superRefine(
    (file, ctx) => {
      if (file.rates !== undefined && file.currency === undefined) {
        ctx.addIssue({ code: 'custom', path: ['rates'], message: 'needs a top-level `currency` to convert into' });
      }
      if (file.currency === NO_CURRENCY) {
        ctx.addIssue({
          code: 'custom',
          path: ['currency'],
          message: `${NO_CURRENCY} marks offers that gave no currency; rank in a real one, like USD`,
        });
      }
      // XXX is what an offer that gave no currency is marked with (ISO 4217's "no currency"): a rate for it
      // converted those offers at a guess, and the warning that they gave none was gone.
      // `rates:` with nothing under it is null, which has its own issue: hasOwn on it threw, an internal error.
      if (typeof file.rates === 'object' && file.rates !== null && Object.hasOwn(file.rates, NO_CURRENCY)) {
        ctx.addIssue({
          code: 'custom',
          path: ['rates', NO_CURRENCY],
          message: `${NO_CURRENCY} marks offers that gave no currency, which no rate can convert: set \`currency:\` on their source`,
        });
      }
      // A rate for the ranking currency itself can only be 1: any other is a mistake (rates inverted,
      // or the wrong `currency`) that conversion would otherwise ignore without a word. Only a valid
      // rate: one that is not a positive number already has its own issue.
      const own = file.currency === undefined ? undefined : file.rates?.[file.currency];
      if (typeof own === 'number' && Number.isFinite(own) && own > 0 && own !== 1 && file.currency !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['rates', file.currency],
          message: `is the rate of \`currency\` (${file.currency}) to itself, which is 1; leave it out, or check which currency the rates are in`,
        });
      }
      for (const { path, message } of jsonTextBodies(file)) ctx.addIssue({ code: 'custom', path, message });
      // A bound or a `differsFrom` names another param: only the whole `params:` can tell if it is declared.
      if (typeof file.params === 'object' && file.params !== null && !Array.isArray(file.params))
        for (const { path, message } of relationIssues(file.params))
          ctx.addIssue({ code: 'custom', path: ['params', ...path], message });
    },
    { when: isObject },
  )
  .meta({ title: 'agg sources file', dependencies: { rates: ['currency'] } });

/** A sources file as validated. */
export type SourcesFile = z.output<typeof SourcesFileSchema>;
/** One validated entry of `sources:`. */
export type SourceEntry = SourcesFile['sources'][number];
