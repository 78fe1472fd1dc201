/** A source's `auth:`: OAuth2 client credentials, the token endpoint and how the client authenticates. */
import * as z from 'zod';
import {
  hasUserInfo,
  isHttpUrl,
  notHttpUrl,
  TOKEN_URL_START,
  USER_INFO_PATTERN,
  userInfoRefused,
} from './schema-http.js';

const CLIENT_AUTH = ['body', 'basic'] as const;

/** `auth.oauth2`: a client-credentials grant (RFC 6749 §4.4). */
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

/** A source's `auth:`. */
export const AuthSchema = z.strictObject({
  oauth2: OAuth2Schema.meta({ description: 'OAuth2 client credentials (RFC 6749 §4.4); sent as a Bearer token.' }),
});
