/**
 * The shape of the sources file, once: zod validates it at load time, and the same schema is
 * exported as JSON Schema (`schema/sources.schema.json`) so editors can complete and check it.
 * Cross-field rules use `when`, so they still run (and report) when a sibling field is invalid.
 */
import * as z from 'zod';
import { RESERVED_FIELDS } from '../map-offer.js';
import { staticOrigin } from '../scatter/origins.js';
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
import { jsonTextBodies } from './json-text-body.js';
import { checkParam, PARAM_TYPES, wholeMatch } from './param-check.js';
import { allowReferences } from './schema-references.js';
import { SINGLE_BRACES_PATTERN } from './single-braces.js';
import { formatSize, parseSize, SIZE_PATTERN, sizeMessage } from './size.js';

export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;
const FORBIDDEN_FIELDS: readonly string[] = [...RESERVED_FIELDS, '__proto__', 'constructor', 'prototype'];
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PLACEHOLDER = /\{\{.+?\}\}/gs;
// RFC 9110 token characters: anything else cannot be sent as a header name.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

const isObject = (p: { value: unknown }): boolean =>
  typeof p.value === 'object' && p.value !== null && !Array.isArray(p.value);

const CURRENCY_CODE = /^[A-Z]{3}$/;
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
const RealCurrency = Currency.meta({ not: { const: NO_CURRENCY } });

/** The ISO 4217 codes the runtime knows, read once when first needed. */
let isoCodes: ReadonlySet<string> | undefined;
const isoCurrencies = (): ReadonlySet<string> => {
  isoCodes ??= new Set(Intl.supportedValuesOf('currency'));
  return isoCodes;
};

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

const Duration = z
  .union([durationText(notDuration), milliseconds(durationMessage)], notDuration)
  .transform(parsedBy(parseWrittenDuration))
  .pipe(z.number().positive('must be more than 0'))
  .meta({ description: 'A duration: 250ms, 2s, 1.5s, 1m, or a number of milliseconds.', examples: ['2s'] });

// Not `z.int()`: its failure aborts the parse, which would skip the cross-field checks below.
const Retries = z.number().min(0).max(5).multipleOf(1, 'must be a whole number').meta({
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
const Size = z
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
const Hedge = z
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

const Connections = z.number().min(1).max(1024).multipleOf(1, 'must be a whole number').meta({
  type: 'integer',
  description: 'Most connections open at once to one origin (scheme, host and port); more requests queue. Default 32.',
});

// What undici sends in a header value (its headerCharRegex); anything else fails every request as an
// "invalid request" naming no header. Only the text the file writes is checked: a `{{ }}` value is the query's.
const HEADER_CHAR = '[\\t\\x20-\\x7e\\x80-\\xff]';
const HEADER_TEXT = new RegExp(`^${HEADER_CHAR}*$`);
const headerText = (v: string): string => v.replace(PLACEHOLDER, 'x');
/**
 * The two refines below as one pattern, for the JSON Schema only: an editor passed a `|` block's value, which
 * ends in a line break, and a pasted control character. A `{{ }}` may hold anything, as headerText lets it;
 * `(?=(…))\1` takes a placeholder whole, as PLACEHOLDER does, so no text is read two ways (which, tried
 * every way on a long value, would hang the editor).
 */
const HEADER_VALUE_PATTERN = `^(?:(?=(\\{\\{[\\s\\S]+?\\}\\}))\\1|(?!\\{\\{[\\s\\S]+?\\}\\})${HEADER_CHAR})*$`;
const HeaderValue = z
  .string()
  .refine(
    (v) => !/[\r\n]/.test(headerText(v)),
    // A `${VAR}`'s value is the other usual source: a key read from a .env file with Windows line ends
    // (`KEY=abc\r`) was told only of YAML blocks, which the file does not have.
    `has a line break, which a header cannot carry (a \`|\` or \`>\` block ends in one: write \`>-\`, or a quoted string; so does a \`\${VAR}\` value read from a file with Windows line ends)`,
  )
  .refine(
    (v) => /[\r\n]/.test(headerText(v)) || HEADER_TEXT.test(headerText(v)),
    'has a control character or one past U+00FF, which a header cannot carry',
  )
  .meta({ pattern: HEADER_VALUE_PATTERN, not: { pattern: SINGLE_BRACES_PATTERN } });

// Headers of the connection itself, which undici sets and refuses from a caller: copied from a curl or
// Postman export, each failed every request as `invalid request` (or `expect header not supported`), naming no header.
const CLIENT_HEADERS: readonly string[] = ['transfer-encoding', 'keep-alive', 'upgrade', 'expect'];
/** `name` matched in any case, as a JSON Schema pattern (which has no flag for it): `[Ee][Xx]…`. */
const anyCase = (name: string): string => name.replace(/[a-z]/g, (c) => `[${c.toUpperCase()}${c}]`);
/** The names refused below, for the JSON Schema: an editor passed a curl export's `Content-Length`. */
const REFUSED_HEADER_NAMES = `^(?:${[...CLIENT_HEADERS, 'content-length'].map(anyCase).join('|')})$`;
const HeaderName = z
  .string()
  .regex(HEADER_NAME, 'is not a valid header name')
  .refine(
    (name) => !CLIENT_HEADERS.includes(name.toLowerCase()),
    'is one the HTTP client sets itself and refuses from a request, which would fail every time; leave it out',
  )
  // The body's length, which a template changes with the query: a fixed one (a curl or Postman export's)
  // failed the request as `body length mismatch` when it was sent, naming no header.
  .refine(
    (name) => name.toLowerCase() !== 'content-length',
    "is the body's length, which the HTTP client sets itself from the body it sends; leave it out",
  )
  .meta({ not: { pattern: REFUSED_HEADER_NAMES } });

const Headers = z.record(HeaderName, HeaderValue);

// The URL parser forgives what a file should not say: `https:///x` (an empty `${HOST}`, say) and
// `https:x` both come out as `https://x/`, a host nobody wrote.
const WRITTEN_HOST = /^https?:\/\/[^/\\?#]/i;

/** True when `url`, with each `{{ }}` placeholder replaced by a dummy value, is an http(s) URL with a host. */
function isHttpUrl(url: string): boolean {
  const text = url.replace(PLACEHOLDER, 'x');
  try {
    const { protocol } = new URL(text);
    return (protocol === 'http:' || protocol === 'https:') && WRITTEN_HOST.test(text.trim());
  } catch {
    return false;
  }
}

/**
 * True when `url` names a user or password (`https://user:pass@host/`). undici sends only the origin
 * and path, so they would be dropped in silence and the vendor's 401 would blame a key that never left;
 * a search then found it as a row (`credentials in a URL … are not sent`), where it is a mistake in the
 * file. A `{{ }}` cannot put them there: its value is percent-encoded, `@` and `:` included.
 */
function hasUserInfo(url: string): boolean {
  try {
    const { username, password } = new URL(url.replace(PLACEHOLDER, 'x').trim());
    return username !== '' || password !== '';
  } catch {
    return false;
  }
}

const userInfoRefused = {
  error:
    'carries `user:pass@`, which is never sent: put the credentials in an `Authorization` header (`headers:`), from the environment',
};

/** `user:pass@` after the scheme, before the host: for the JSON Schema, as hasUserInfo for the loader. */
const USER_INFO_PATTERN = '^\\s*[A-Za-z][A-Za-z\\d+.-]*://[^/\\\\?#]*@';

/**
 * The start of what isHttpUrl takes, for the JSON Schema only (the refine, with its hints, is the loader's):
 * an editor passed `api.example.com/search` and `{{base}}/search`, which agg refuses. Letters in either case,
 * as `new URL` reads the scheme; a JSON Schema pattern has no flag for it.
 */
const HTTP_URL_START = '^\\s*[Hh][Tt][Tt][Pp][Ss]?://[^/\\\\?#]';
/** The same for `tokenUrl`, which is no template: a `{{ }}` anywhere in it is refused. */
const TOKEN_URL_START = `^(?![\\s\\S]*\\{\\{)${HTTP_URL_START.slice(1)}`;

/**
 * `api.example.com/search`: a browser's address bar adds the scheme, and agg does not, so "must be an
 * http(s) URL" alone left the author looking at a URL that opens fine. The host is shown written out.
 */
const notHttpUrl = {
  error: (iss: { input?: unknown }) => {
    const text = String(iss.input).trim();
    if (/^[a-z][a-z\d+.-]*:\/\//i.test(text) || /^https?:/i.test(text)) return 'must be an http(s) URL';
    // `{{ $response.links.poll }}`, or `{{base}}/search`: "write https:// before the host" led to
    // `https://{{ … }}`, which passes and sends `https://https%3A%2F%2F…`, since every value is encoded.
    if (text.startsWith('{{'))
      return 'must be an http(s) URL, and a `{{ }}` cannot give its scheme: its value is percent-encoded (`https://` goes out as `https%3A%2F%2F`); write `https://` and the host, and a `{{ }}` for a part of the path or query';
    // Only what reads as a host gets it written out: `/search?q=…` has none, and `mailto:x` a scheme.
    const host = /^(?:\/\/)?([\w-]+(?:\.[\w-]+)+(?::\d+)?|localhost(?::\d+)?)(?:[/?#]|$)/i.exec(text)?.[1];
    if (host)
      return `must be an http(s) URL, and has no scheme: write \`https://\` (or \`http://\`) before the host, as \`https://${host}/…\``;
    if (/^[a-z][a-z\d+.-]*:/i.test(text)) return 'must be an http(s) URL';
    return 'must be an http(s) URL, whole: its scheme and host too, as `https://api.example.com/…`';
  },
};

// A name the command line can set (`name=value`, `--param`): a source requiring any other was skipped on every search.
const PARAM_NAME = /^[A-Za-z_]\w*$/;
const ParamName = z.string().regex(PARAM_NAME, {
  error: (iss) => {
    const text = String(iss.input);
    const dashed = text.replaceAll('-', '_');
    const hint = PARAM_NAME.test(dashed) ? ` (${dashed})` : '';
    return `${JSON.stringify(text)} is no param name, which has letters, digits and _ only${hint}: the source would be skipped on every search`;
  },
});

// A declared param's name: one the command line can set, as in `requires`.
const DeclaredName = z.string().regex(PARAM_NAME, {
  error: (iss) => {
    const text = String(iss.input);
    const dashed = text.replaceAll('-', '_');
    const hint = PARAM_NAME.test(dashed) ? ` (${dashed})` : '';
    return `${JSON.stringify(text)} is no param name, which has letters, digits and _ only${hint}: \`name=value\` could not set it`;
  },
});

// What `--tag` can select: it splits on `,` and trims each tag, and an empty one is no tag.
const Tag = z
  .string()
  .regex(
    /^[^,\s](?:[^,]*[^,\s])?$/,
    'cannot be given to --tag, which splits on `,`: a tag is not empty, has no `,`, and no space at either end',
  );

const Expression = z.string().regex(/\S/, 'must not be empty');

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
  error: 'expected text, a number, true or false, or a list of them (a mapping is no query value)',
});

export const RequestSchema = z.strictObject({
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
  body: z
    .unknown()
    .optional()
    .meta({ description: 'JSON body; a string that is exactly `{{ expr }}` keeps the JSON type.' }),
});

const Count = (max: number, description: string) =>
  z.number().min(1).max(max).multipleOf(1, 'must be a whole number').meta({ type: 'integer', description });

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
  interval: Duration.optional().meta({ description: 'Wait between polls; default 1s.', examples: ['500ms'] }),
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
    // flow.ts sends the token as `Authorization: Bearer …` over the file's headers: the source's own one
    // was dropped in silence (or, spelled `Authorization`, sent beside the Bearer one as a second value).
    if (source.auth !== undefined) {
      const requests = [
        [['request'], source.request],
        [['poll', 'request'], source.poll?.request],
      ] as const;
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
