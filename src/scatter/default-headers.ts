/**
 * The headers every request agg sends carries unless the sources file sets the same one. Without them a
 * vendor saw only Host and Connection: no `Accept-Encoding`, so the decoding dispatcher.ts sets up applied
 * only to vendors that compress unasked, and no `User-Agent`, which many APIs and their gateways refuse.
 *
 * Added in exchange.ts, the one place every request passes through on its way to the dispatcher: a
 * source's request, its polls and next pages, the OAuth2 token request, and each hedge's duplicate. A
 * retry and a redirect's hop are the same dispatch options sent again, so they carry them too. They hold
 * nothing secret, so the redirect guard has nothing to drop.
 */
import { VERSION } from '../shared/version.js';

/**
 * Lowercase names, as BuiltRequest's are, so that the file's `User-Agent` or `ACCEPT` replaces the default
 * rather than going out beside it.
 */
export const DEFAULT_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  // What dispatcher.ts decodes: gzip, deflate (zlib or raw, raw-deflate.ts) and brotli. Not zstd: undici
  // decodes it only where Node has zlib's zstd (22.15 and later), never on Node 20.18, and a zstd answer
  // would then fail as `response in a content-encoding agg does not decode (zstd)`.
  'accept-encoding': 'gzip, deflate, br',
  'user-agent': `agg/${VERSION}`,
  // JSON first, anything else after it. agg reads every answer as JSON, whatever its Content-Type says
  // (verdict.ts), and vendors label JSON `text/plain`, `text/javascript` or their own
  // `application/vnd.…+json`: a server that negotiates strictly answered a bare `application/json` with
  // 406 Not Acceptable, where the no Accept at all sent before was taken as `*/*` and got the JSON.
  accept: 'application/json, */*;q=0.1',
});

/**
 * `headers` (lowercase names) over the defaults: one small object per request, the dispatch options'
 * own, so that the request's headers are never written to.
 */
export const withDefaultHeaders = (headers: Readonly<Record<string, string>>): Record<string, string> => ({
  ...DEFAULT_HEADERS,
  ...headers,
});
