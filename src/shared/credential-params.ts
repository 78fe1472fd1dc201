/** Credential-looking query params and JSON fields (`?api_key=…`, `"password": "…"`), hidden by their name. */
import { REDACTED } from './secret-value.js';

/**
 * Query keys whose values are credentials in common vendor APIs: these names, and any name that ends in
 * token, secret, signature, password or credential (`X-Amz-Signature`, `X-Amz-Credential`,
 * `sessionToken`, `client_secret`), as presigned URLs and OAuth flows write them; and a key as a name's
 * last word (`subscription-key` of Azure API Management, `access_key`, `app_key`, `x-api-key`, `userKey`),
 * as the header names that say credential are (config/assemble.ts): those were printed whole.
 */
const SECRET_QUERY_KEYS =
  /^(?:api[-_]?key|apikey|key|auth|sig)$|(?:token|secret|signature|password|credentials?)$|[-_]key$|(?:access|app|user|subscription|secret|private|api)key$/i;
/**
 * `Key` as the last word of a camelCase name, matched case-sensitively: `serviceKey` (Korea's public data
 * portal), `authKey`, `licenseKey`, `consumerKey` were printed whole, where the list above has `userKey`;
 * not `monkey` or `turkey`, whose `key` is no word of its own.
 */
const CAMEL_CASE_KEY = /[A-Za-z\d]Key$/;
/** Paging cursors that end in `token` or `key` (`pageToken`, `next_token`, `start_key`): the vendor's place in a list, shown for debugging. */
const CURSOR_KEYS = /(?:page|next|continuation|sync|start)[-_]?(?:token|key)$/i;
/**
 * What a list is sorted or grouped by (`sortKey=price`, `sort_key`, `groupKey`): a field's name, no
 * credential, and what a vendor's 400 is often about; `sortKey=***` hid it from the one reading the error.
 */
const ORDER_KEYS = /(?:sort|group)[-_]?key$/i;

/**
 * Replaces the values of credential-looking query params in any URL inside `text`. A name holds no `?`:
 * with one, a vendor's `???…` or `?a?a…` was read as a name from every `?` on, 100 KB of it in 6 s.
 */
export function redactQuery(text: string): string {
  return text.replace(/([?&])([^=&#?\s]+)=([^&#\s]*)/g, (whole, sep: string, key: string, value: string) => {
    let name = key;
    try {
      name = decodeURIComponent(key);
    } catch {
      // A malformed escape is still a name worth checking as written.
    }
    if (!isSecretKey(name)) return whole;
    return `${sep}${key}=${REDACTED}${closingParens(value)}`;
  });
}

/** A name that says credential, as a query param's or a JSON field's (not a cursor, nor a sort key). */
const isSecretKey = (name: string): boolean =>
  (SECRET_QUERY_KEYS.test(name) || CAMEL_CASE_KEY.test(name)) && !CURSOR_KEYS.test(name) && !ORDER_KEYS.test(name);

/**
 * A JSON text's string values under a name that says credential (`"api_key": "…"`, `"password": "…"`), as
 * `***`: a request body written into the file, shown on a --verbose line, where the same fields sent as a
 * form (`&api_key=…`) were hidden by redactQuery.
 */
export function redactJsonFields(text: string): string {
  return text.replace(/"((?:[^"\\]|\\.){1,200})"(\s*:\s*)"(?:[^"\\]|\\.)*"/g, (whole, key: string, colon: string) =>
    isSecretKey(key) ? `"${key}"${colon}"${REDACTED}"` : whole,
  );
}

/**
 * The `)` a value ends in: a URL quoted in parentheses, `(… ?token=abc)`, keeps its closing one. Counted
 * by hand: `/\)*$/` tries every start, and a vendor's message of 200,000 `)` took 50 s (quadratic).
 */
function closingParens(value: string): string {
  let start = value.length;
  while (start > 0 && value[start - 1] === ')') start--;
  return value.slice(start);
}
