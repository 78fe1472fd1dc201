/**
 * Origins that will only ever see one request at a time in a run, so that the dispatcher can give
 * each a single undici Client instead of a Pool. A Pool allocates a 2,048-slot request queue when it
 * is made (16 KB): at 1,000 vendors that is 16 MB of a 200 MB budget, and the Pools are a sixth of
 * the time it takes to send 1,000 requests (issue #7). A Client has one connection and queues the
 * rest, so an origin qualifies only when exactly one source uses it and that source never has two
 * requests out at once: it is not hedged, and nothing else (another source, a shared token
 * endpoint) shares the origin. Retries, polls and pages are sequential, so they qualify.
 */
import type { SourceConfig } from '../types.js';

// The scheme and authority of a URL template, when no `{{…}}` is in them.
const STATIC_ORIGIN = /^(https?:\/\/[^/?#{}\s]+)(?=[/?#]|$)/i;

/** The origin a URL template always has, or undefined when a template decides it. */
export function staticOrigin(url: string): string | undefined {
  const m = STATIC_ORIGIN.exec(url);
  if (!m?.[1]) return undefined;
  try {
    // As undici keys its pools: `new URL().origin`, lowercase, without a default port.
    return new URL(m[1]).origin;
  } catch {
    return undefined;
  }
}

/**
 * The origins among `sources` that one request at a time will use; `hedged` says a flag hedges
 * every source (`--hedge`). An origin a template decides is never in it: its sources get Pools.
 */
export function soleOrigins(sources: readonly SourceConfig[], hedged = false): Set<string> {
  const users = new Map<string, number>();
  for (const s of sources) {
    // A hedged source can have two requests out to its origin at once: it counts as two users.
    const weight = hedged || s.hedge !== undefined ? 2 : 1;
    const urls = [s.request.url, s.poll?.request.url, s.oauth2?.tokenUrl].filter((u) => u !== undefined);
    for (const origin of new Set(urls.map(staticOrigin))) {
      if (origin !== undefined) users.set(origin, (users.get(origin) ?? 0) + weight);
    }
  }
  return new Set([...users].filter(([, n]) => n === 1).map(([origin]) => origin));
}
