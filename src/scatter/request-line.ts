/** The line --verbose writes for each request sent: what went out, how it ended, secrets hidden. */
import { redactJsonFields } from '../shared/credential-params.js';
import type { Redactor } from '../shared/redact.js';
import { cleanText } from '../shared/sanitize.js';
import { cutSaying, truncate } from '../shared/truncate.js';
import type { Fetched } from './send.js';

/** The most of a request body a --verbose line shows. */
const MAX_BODY_SHOWN = 200;

/**
 * The most of a request's method and URL a --verbose line shows: more than any URL a server takes whole
 * (8 KB is a common limit), but a query of 100,000 ids no longer writes a line of 1.2 MB to stderr.
 */
const MAX_TARGET_SHOWN = 4_096;

/**
 * `name: GET <url> → 200 · 12ms · 1 attempt · via proxy http://proxy:3128 · body {…}` for a request's
 * outcome, every part cleaned, redacted by `redact`, and cut to its most. `via` is the proxy's scheme,
 * host and port, never its credentials.
 */
export function requestLine(
  name: string,
  target: string,
  body: string | undefined,
  out: Fetched,
  redact: Redactor,
  via?: string,
): string {
  const tries = `${out.attempts} attempt${out.attempts === 1 ? '' : 's'}${out.hedged ? ', hedged' : ''}`;
  // The name is the file's, left whole: a learnt token (`https`) is hidden only in what the vendor saw or said.
  // With the body it sent, secrets hidden, then cut: a vendor's `400 … must be a number` was about a
  // `"2"` the line did not show (params are text).
  const sent =
    body === undefined ? '' : ` · body ${truncate(cleanText(redactJsonFields(redact(body))), MAX_BODY_SHOWN)}`;
  const shown = cutSaying(cleanText(redact(target)), MAX_TARGET_SHOWN);
  const proxy = via === undefined ? '' : ` · via proxy ${via}`;
  return `${cleanText(name)}: ${shown} → ${cleanText(`${out.httpStatus ?? out.status} · ${out.ms}ms · ${tries}${proxy}`)}${sent}`;
}
