/** What an exchange reports of a "slow down" answer (rate-limit.ts recognises one). */
import type { ExchangeOutcome } from './exchange.js';
import { retryHint } from './rate-limit.js';
import { statusLabel } from './status-label.js';
import { formatWait } from './wait-text.js';

/**
 * The outcome of a rate-limited answer (see isRateLimited), with the vendor's hint of when to come
 * back; `more` is said after the hint (a body that did not come whole in time, say).
 */
export function rateLimited(
  httpStatus: number,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  tail: string,
  more = '',
): ExchangeOutcome {
  const retryAfterMs = retryHint(headers);
  // A hint of now (`Retry-After: 0`, or a date past) says no more than none: `retry after 0s` read as a riddle.
  const hint = retryAfterMs ? `, retry after ${formatWait(retryAfterMs)}` : '';
  return {
    status: 'error',
    httpStatus,
    rateLimited: true,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    error: `rate limited (${statusLabel(httpStatus)}${hint}${more}): ${tail}`,
  };
}
