/**
 * Recognises "slow down" answers and the vendor's hint of when to come back. A 429 always is one
 * (RFC 6585 §4); a 403 is one when its headers or body speak of a quota or rate limit, as Google,
 * GitHub and several travel APIs answer an exhausted key.
 */

type Headers = Readonly<Record<string, string | string[] | undefined>>;

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/** A hint further off than this is no hint (`Retry-After: 99999999999999999999`): it is ignored. */
export const MAX_HINT_MS = 366 * 24 * 3600 * 1000;

const credible = (ms: number): number | undefined => (ms <= MAX_HINT_MS ? ms : undefined);

// Every HTTP date is GMT (RFC 9110 §5.6.7), and asctime, its third form, names no zone at all; but
// Date.parse reads a date without one as local time: a hint 3 s off was `retry after 8h` under
// TZ=America/Los_Angeles and no wait at all under TZ=Asia/Kolkata. So a date that names no zone (asctime,
// an IMF-fixdate missing its GMT, an ISO `2026-11-28T15:00:05`) is read as GMT.
const ISO_WITHOUT_ZONE = /^\d{4}-\d\d-\d\dT[\d:.]+$/i;
// A zone or offset at the end, as Date.parse knows them, and an optional (comment) after it.
const ENDS_IN_ZONE = /(?:(?<![a-z])(?:GMT|UTC?|Z|[ECMP][SD]T)|[+-]\d\d:?\d\d)\s*(?:\([^)]*\))?$/i;

const asGmt = (date: string): string =>
  ISO_WITHOUT_ZONE.test(date) ? `${date}Z` : ENDS_IN_ZONE.test(date) ? date : `${date} GMT`;

/**
 * Retry-After as milliseconds from now: delay-seconds or an HTTP date (RFC 9110 §10.2.3). Anything
 * else is invalid and ignored, as the RFC says: `-5` too, which Date.parse would take for a year.
 * A hint past MAX_HINT_MS is not reported; see `retryAfterWait` for the wait it still asks for.
 */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const ms = retryAfterWait(value, now);
  return ms === undefined ? undefined : credible(ms);
}

/**
 * The wait Retry-After asks for, however far off: a retry must not read a date decades away (or epoch
 * seconds sent as a delay) as no hint at all, and come back after a 250 ms back-off.
 */
export function retryAfterWait(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = first(value)?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date names its day or month in letters.
  const at = /[a-z]/i.test(text) ? Date.parse(asGmt(text)) : Number.NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * When the vendor says to try again, in ms: Retry-After, else `RateLimit-Reset` (delta seconds, IETF
 * draft) or `X-RateLimit-Reset` (delta seconds, or epoch seconds as GitHub sends it).
 */
export function retryHint(headers: Headers, now = Date.now()): number | undefined {
  const after = parseRetryAfter(headers['retry-after'], now);
  if (after !== undefined) return after;
  const reset = Number(first(headers['ratelimit-reset'] ?? headers['x-ratelimit-reset']));
  if (!Number.isFinite(reset) || reset < 0) return undefined;
  // Anything past 2001-09-09 in epoch seconds is a moment, not a delay.
  return credible(reset > 1e9 ? Math.max(0, reset * 1000 - now) : reset * 1000);
}

const QUOTA = /quota|rate[\s_-]?limit|too many requests/i;

/** True when a response means "rate limited" rather than a plain failure. */
export function isRateLimited(status: number, headers: Headers, body: string): boolean {
  if (status === 429) return true;
  if (status !== 403) return false;
  const remaining = first(headers['x-ratelimit-remaining'] ?? headers['ratelimit-remaining']);
  const said = Object.values(headers).some((v) => v !== undefined && QUOTA.test(String(v)));
  return remaining?.trim() === '0' || said || QUOTA.test(body.slice(0, 4096));
}
