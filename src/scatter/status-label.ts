/** An HTTP status as errors name it: `HTTP 503 Service Unavailable`. */
import { createRequire } from 'node:module';

// node:http is required for an error's status text only: loaded at start, it cost every run ~3.5 ms (issue #7).
const require = createRequire(import.meta.url);

/** The reason phrase of `status` (`Not Found`), or undefined for one Node does not know. */
export const statusTextOf = (status: number): string | undefined =>
  (require('node:http') as typeof import('node:http')).STATUS_CODES[status];

/** `HTTP <status>` and its reason phrase, when Node knows one. */
export const statusLabel = (status: number): string => {
  const text = statusTextOf(status);
  return `HTTP ${status}${text ? ` ${text}` : ''}`;
};
