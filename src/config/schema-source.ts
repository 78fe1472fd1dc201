/**
 * One entry of `sources:` as an object of its keys: its name and tags, its limits, its request and flow
 * (`auth`, `poll`, `next`), and its mapping. The rules between those keys are schema-source-rules.ts.
 */
import * as z from 'zod';
import { AuthSchema } from './schema-auth.js';
import { Fields } from './schema-fields.js';
import { RequestSchema } from './schema-request.js';
import { Count, Duration, Expression, Hedge, ParamName, RealCurrency, Retries, Size, Tag } from './schema-values.js';

/** A source's `poll:`: create-then-poll, the request repeated until `until` holds. */
export const PollSchema = z.strictObject({
  request: RequestSchema.meta({
    description:
      "The poll request, on the source request's origin; `$response` is the previous response. Headers merge over the source request's.",
  }),
  until: Expression.meta({ description: 'JSONata on each response: truthy when the result is complete.' }),
  unchanged: Expression.optional().meta({
    description:
      "JSONata on each poll's response: truthy when it says nothing changed (Skyscanner's RESULT_ACTION_NOT_MODIFIED, with no results): the offers stay the last response's that had some.",
  }),
  interval: Duration.optional().meta({
    description: "Wait between polls; default 1s. Longer when a poll's answer asks for more with Retry-After.",
    examples: ['500ms'],
  }),
  maxAttempts: Count(100, 'Polls after the first request, at most; default 10.').optional(),
});

/** A source's keys, without the rules between them (its `shape` lists the keys allowed). */
export const SourceSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lowercase letters, digits, _ and -, starting with a letter or digit')
    .meta({ description: 'Unique name, used in output and with --source.' }),
  tags: z.array(Tag).optional().meta({ description: 'Tags, for selecting sources with --tag.' }),
  requires: z
    .array(ParamName)
    .optional()
    .meta({ description: 'Params that must be given, else the source is skipped.' }),
  currency: RealCurrency.optional().meta({ description: 'Currency of prices when the mapping yields none.' }),
  timeout: Duration.optional().meta({ description: 'Per-request timeout; overrides `defaults.timeout`.' }),
  retries: Retries.optional(),
  idempotent: z.boolean().optional().meta({
    description: 'The request is safe to send twice: allows retrying and hedging a POST or PATCH. Default false.',
  }),
  hedge: Hedge.optional(),
  maxBytes: Size.optional().meta({ description: 'Largest response body; overrides `defaults.maxBytes`.' }),
  request: RequestSchema,
  auth: AuthSchema.optional().meta({ description: 'How to authenticate: OAuth2 client credentials.' }),
  poll: PollSchema.optional().meta({ description: 'Create-then-poll: repeat a request until `until` holds.' }),
  next: Expression.optional().meta({
    description: 'JSONata on each page: the URL of the next page (same origin), or nothing to stop.',
  }),
  maxPages: Count(100, 'Pages at most, with `next`; default 5.').optional(),
  flowTimeout: Duration.optional().meta({
    description:
      'Limit for a whole flow (token, create, polls, pages); default the source `timeout`. Only with `auth`, `poll` or `next`.',
  }),
  offers: Expression.meta({ description: 'JSONata selecting the list of items in the response body.' }),
  fields: Fields,
});
