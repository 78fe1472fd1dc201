/**
 * The shape of the sources file, once: zod validates it at load time, and the same schema is
 * exported as JSON Schema (`schema/sources.schema.json`) so editors can complete and check it.
 * Cross-field rules use `when`, so they still run (and report) when a sibling field is invalid.
 */
import * as z from 'zod';
import { RESERVED_FIELDS } from '../map/index.js';
import { staticOrigin } from '../scatter/origins.js';
import { NO_CURRENCY } from '../types.js';
import { jsonTextBodies } from './json-text-body.js';
import { checkParam, PARAM_TYPES, wholeMatch } from './param-check.js';
import { queryTwice } from './query-twice.js';
import {
  Headers,
  HTTP_URL_START,
  hasUserInfo,
  isHttpUrl,
  notHttpUrl,
  TOKEN_URL_START,
  USER_INFO_PATTERN,
  userInfoRefused,
} from './schema-http.js';
import { allowReferences } from './schema-references.js';
import {
  Connections,
  Count,
  CURRENCY_CODE,
  DeclaredName,
  Duration,
  Expression,
  Hedge,
  isoCurrencies,
  ParamName,
  RealCurrency,
  Retries,
  Size,
  Tag,
} from './schema-values.js';
import { SINGLE_BRACES_PATTERN } from './single-braces.js';

export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;
const FORBIDDEN_FIELDS: readonly string[] = [...RESERVED_FIELDS, '__proto__', 'constructor', 'prototype'];
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const isObject = (p: { value: unknown }): boolean =>
  typeof p.value === 'object' && p.value !== null && !Array.isArray(p.value);

const Fields = z
  .object({
    title: Expression.meta({ description: 'JSONata for the offer title, evaluated per item.' }),
    price: Expression.meta({ description: 'JSONata for the numeric price, e.g. `$number(price.value)`.' }),
  })
  .catchall(Expression)
  .superRefine(
    (fields, ctx) => {
      for (const name of Object.keys(fields)) {
        if ((RESERVED_FIELDS as readonly string[]).includes(name)) {
          ctx.addIssue({ code: 'custom', path: [name], message: 'is reserved for the offer model' });
        } else if (FORBIDDEN_FIELDS.includes(name)) {
          ctx.addIssue({ code: 'custom', path: [name], message: 'is not allowed as a field name' });
        } else if (!FIELD_NAME.test(name)) {
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: 'must be letters, digits and _, not starting with a digit',
          });
        }
      }
      // A field is JSONata, so `currency: USD` reads a key named USD in each item: every offer came out with
      // no currency (XXX), the source's own `currency:` fallback unset beside it. Only a code ISO 4217 has:
      // `currency: CCY` is a vendor's key (a bank's or FX feed's), and was refused as a currency "CCY".
      const code = typeof fields.currency === 'string' ? CURRENCY_CODE.exec(fields.currency.trim())?.[0] : undefined;
      if (code !== undefined && isoCurrencies().has(code))
        ctx.addIssue({
          code: 'custom',
          path: ['currency'],
          message: `reads a key named ${code} in each item, not the currency: for offers in ${code}, write \`currency: ${code}\` on the source, beside \`fields\` (or "'${code}'" here)`,
        });
    },
    { when: isObject },
  )
  .meta({
    description: 'Offer field name → JSONata evaluated per item. `title` and `price` are required.',
    propertyNames: { pattern: FIELD_NAME.source, not: { enum: FORBIDDEN_FIELDS } },
  });

/** A query parameter's value: text (a template), a number or boolean as written, or a list of them (repeated). */
const QueryScalar = z.union([z.string(), z.number(), z.boolean()]);
const QueryValue = z.union([QueryScalar, z.array(QueryScalar)], {
  // `stars:` with nothing after it (a parameter to fill in later) is YAML's null: "a mapping is no query
  // value" sent the reader looking for a mapping the line does not have.
  error: (iss) =>
    iss.input === null
      ? `has no value: write one, or "{{ $lookup($, '${String(iss.path?.at(-1) ?? 'name')}') }}" to send the param only when it is given`
      : 'expected text, a number, true or false, or a list of them (a mapping is no query value)',
});

export const RequestSchema = z
  .strictObject({
    method: z
      .enum([...METHODS, ...METHODS.map((m) => m.toLowerCase())], { error: `must be one of ${METHODS.join(', ')}` })
      .transform((m) => m.toUpperCase())
      .optional()
      .meta({ description: 'HTTP method; default GET.' }),
    url: z
      .string()
      .refine(isHttpUrl, notHttpUrl)
      .refine((url) => !hasUserInfo(url), userInfoRefused)
      .meta({
        description: 'http(s) URL; `{{ expr }}` placeholders are JSONata over the query params, URL-encoded.',
        pattern: HTTP_URL_START,
        // `?q={query}`, refused where the file is loaded (single-braces.ts), and `user:pass@`.
        not: { anyOf: [{ pattern: SINGLE_BRACES_PATTERN }, { pattern: USER_INFO_PATTERN }] },
      }),
    headers: Headers.optional().meta({
      description: 'Headers, merged over `defaults.headers` (names compared case-insensitively).',
    }),
    query: z.record(z.string().regex(/\S/, 'must not be empty'), QueryValue).optional().meta({
      description:
        'Query parameters added to `url`, each name and value percent-encoded; `{{ expr }}` values are JSONata over the params. A value that yields nothing leaves its parameter out; a list repeats it.',
    }),
    body: z.unknown().optional().meta({
      description:
        "JSON body; a string that is exactly `{{ expr }}` keeps the JSON type. Needs `method` (POST, PUT or PATCH; GET for a vendor that reads a GET's body).",
    }),
  })
  .meta({
    // As SourceWithRules refuses, for the JSON Schema too: a body without a method went out on a GET.
    dependencies: { body: ['method'] },
  });

const CLIENT_AUTH = ['body', 'basic'] as const;

export const OAuth2Schema = z.strictObject({
  tokenUrl: z
    .string()
    .refine(isHttpUrl, notHttpUrl)
    .refine((url) => !hasUserInfo(url), userInfoRefused)
    // One token serves every search of the run (and later runs, cached): nothing renders a `{{ }}` here,
    // and `?t={{tenant}}` went out as written, braces and all.
    .refine(
      (url) => !url.includes('{{'),
      `is no template: the token is fetched once for every search, so a \`{{ }}\` here would be sent as written; use \${VAR} for a value from the environment`,
    )
    .meta({
      description: 'Token endpoint; a client-credentials grant is POSTed to it.',
      pattern: TOKEN_URL_START,
      not: { pattern: USER_INFO_PATTERN },
    }),
  clientId: z.string().min(1).meta({ description: 'Client id (API key), usually from the environment.' }),
  clientSecret: z.string().min(1).meta({ description: 'Client secret, usually from the environment; never printed.' }),
  clientAuth: z
    .enum(CLIENT_AUTH)
    .optional()
    .meta({ description: '`body` (form fields, the default) or `basic` (HTTP Basic header, as eBay wants).' }),
  scope: z.string().optional().meta({ description: 'Space-separated scopes, if the vendor wants them.' }),
  cache: z.boolean().optional().meta({
    description: 'Keep the token on disk until it expires ($XDG_CACHE_HOME/agg/, mode 0600); default false.',
  }),
});

export const AuthSchema = z.strictObject({
  oauth2: OAuth2Schema.meta({ description: 'OAuth2 client credentials (RFC 6749 §4.4); sent as a Bearer token.' }),
});

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

/**
 * The origins of `request.url` and `poll.request.url` when both are written out and differ; undefined when
 * they match, or when a `{{ }}` decides either (the run checks those: poll.ts).
 */
function pollOrigins(source: {
  request?: { url?: unknown };
  poll?: { request?: { url?: unknown } } | undefined;
}): { first: string; poll: string } | undefined {
  const firstUrl = source.request?.url;
  const pollUrl = source.poll?.request?.url;
  if (typeof firstUrl !== 'string' || typeof pollUrl !== 'string') return undefined;
  const first = staticOrigin(firstUrl.trim());
  const poll = staticOrigin(pollUrl.trim());
  return first !== undefined && poll !== undefined && first !== poll ? { first, poll } : undefined;
}

/** A source with the rules between its flow keys; SourceSchema itself stays a plain object (its `shape` is used). */
const SourceWithRules = SourceSchema.superRefine(
  (source, ctx) => {
    if (source.poll !== undefined && source.next !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['next'], message: 'cannot be combined with `poll`' });
    }
    if (source.maxPages !== undefined && source.next === undefined) {
      ctx.addIssue({ code: 'custom', path: ['maxPages'], message: 'needs `next`' });
    }
    // As the fallback for offers that gave none, XXX left them as unmarked as before, and the run then
    // warned that the source gave no currency and told the reader to set the `currency:` just set.
    if (source.currency === NO_CURRENCY) {
      ctx.addIssue({
        code: 'custom',
        path: ['currency'],
        message: `${NO_CURRENCY} marks offers that gave no currency; write the one this source's prices are in, like USD`,
      });
    }
    // A poll is never sent off the first request's origin, as a `next` page is not (poll.ts, pages.ts): one
    // written on another origin ended every search `incomplete after 0 polls`, a run after the file loaded.
    const away = pollOrigins(source);
    if (away) {
      ctx.addIssue({
        code: 'custom',
        path: ['poll', 'request', 'url'],
        message: `is on another origin than \`request.url\` (${away.first}), so it would not be followed: ${away.poll}; a poll stays on the first request's origin, where the source's credentials go`,
      });
    }
    // `request.query` is added after the URL's own parameters: one in both went out twice (`sort=price&sort=rating`).
    const requests = [
      [['request'], source.request],
      [['poll', 'request'], source.poll?.request],
    ] as const;
    for (const [at, request] of requests) {
      for (const { name, inUrl } of queryTwice(request)) {
        ctx.addIssue({
          code: 'custom',
          path: [...at, 'query', name],
          message: `the url already has \`${inUrl}\`, so both would be sent (\`${name}=…&${name}=…\`); write it in one place`,
        });
      }
    }
    // A body with no method went out on a GET, the default: a source that forgot `method: POST` got the
    // vendor's 404 or 405, which said nothing of the method. A GET with a body, as Elasticsearch reads
    // one, is still written as such.
    for (const [at, request] of requests) {
      if (request?.body === undefined || request.method !== undefined) continue;
      ctx.addIssue({
        code: 'custom',
        path: [...at, 'body'],
        message:
          "would be sent on a GET, the default method: write `method: POST` (or PUT, PATCH) beside it, or `method: GET` for a vendor that reads a GET's body",
      });
    }
    // flow.ts sends the token as `Authorization: Bearer …` over the file's headers: the source's own one
    // was dropped in silence (or, spelled `Authorization`, sent beside the Bearer one as a second value).
    if (source.auth !== undefined) {
      for (const [at, request] of requests) {
        const own = Object.keys(request?.headers ?? {}).find((name) => name.toLowerCase() === 'authorization');
        if (own === undefined) continue;
        ctx.addIssue({
          code: 'custom',
          path: [...at, 'headers', own],
          message:
            'cannot be sent beside `auth.oauth2`, which sends `Authorization: Bearer <token>` itself: drop this header, or drop `auth` if this header is the credential the vendor wants',
        });
      }
    }
    // One request is bounded by `timeout` alone: a `flowTimeout` there was shown by `agg sources` and never applied.
    if (
      typeof source.flowTimeout === 'number' &&
      source.auth === undefined &&
      source.poll === undefined &&
      source.next === undefined
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['flowTimeout'],
        message: 'needs a flow (`auth`, `poll` or `next`); the limit of a single request is `timeout`',
      });
    }
  },
  { when: isObject },
).meta({
  // The rules above, for the JSON Schema too: an editor passed `maxPages` with no `next`, which agg refuses.
  dependencies: {
    maxPages: ['next'],
    next: { not: { required: ['poll'] } },
    flowTimeout: { anyOf: [{ required: ['auth'] }, { required: ['poll'] }, { required: ['next'] }] },
  },
});

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

export const DefaultsSchema = z.strictObject({
  timeout: Duration.optional().meta({ description: 'Per-request timeout for every source; default 5s.' }),
  headers: Headers.optional().meta({ description: 'Headers sent by every source.' }),
  retries: Retries.optional().meta({ description: 'Extra attempts for idempotent requests; default 1.' }),
  hedge: Hedge.optional(),
  maxBytes: Size.optional().meta({ description: 'Largest response body for every source; default 10MiB.' }),
  connections: Connections.optional(),
});

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
    },
    { when: isObject },
  )
  .meta({ title: 'agg sources file', dependencies: { rates: ['currency'] } });

export type SourcesFile = z.output<typeof SourcesFileSchema>;
export type SourceEntry = SourcesFile['sources'][number];

/** The keys allowed in the object at `path`, for "did you mean" suggestions. */
export function allowedKeys(path: readonly (string | number)[]): string[] {
  const [a, b, c, d] = path;
  if (a === undefined) return Object.keys(SourcesFileSchema.shape);
  if (a === 'defaults' && b === undefined) return Object.keys(DefaultsSchema.shape);
  if (a === 'params' && b !== undefined && c === undefined) return Object.keys(ParamSchema.shape);
  if (a === 'sources' && typeof b === 'number' && c === undefined) return Object.keys(SourceSchema.shape);
  if (a === 'sources' && c === 'request' && d === undefined) return Object.keys(RequestSchema.shape);
  if (a === 'sources' && c === 'auth') {
    if (d === undefined) return Object.keys(AuthSchema.shape);
    if (d === 'oauth2' && path[4] === undefined) return Object.keys(OAuth2Schema.shape);
  }
  if (a === 'sources' && c === 'poll') {
    if (d === undefined) return Object.keys(PollSchema.shape);
    if (d === 'request' && path[4] === undefined) return Object.keys(RequestSchema.shape);
  }
  return [];
}

/**
 * The JSON Schema for editors (yaml-language-server): draft-07, describing the input side, the file as
 * written, where a `${VAR}` may stand for any value but a source's name (checks.ts).
 */
export function sourcesJsonSchema(): Record<string, unknown> {
  return allowReferences(
    z.toJSONSchema(SourcesFileSchema, { target: 'draft-7', io: 'input' }),
    new Set(['sources.name']),
  );
}

/** The schema file's exact text, shared by the generator script and the no-drift test. */
export function sourcesJsonSchemaText(): string {
  return `${JSON.stringify(sourcesJsonSchema(), null, 2)}\n`;
}
