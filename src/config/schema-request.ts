/** A request as the sources file writes it: method, URL, headers, query parameters and body. */
import * as z from 'zod';
import {
  Headers,
  HTTP_URL_START,
  hasUserInfo,
  isHttpUrl,
  notHttpUrl,
  USER_INFO_PATTERN,
  userInfoRefused,
} from './schema-http.js';
import { SINGLE_BRACES_PATTERN } from './single-braces.js';

/** The HTTP methods a request may name, in any case. */
export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;

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

/** A source's `request:` (and a poll's): the URL, with its method, headers, query and body. */
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
