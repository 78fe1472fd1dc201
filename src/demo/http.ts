/**
 * What the demo vendors share: the handler type, reading the request, and replying after the
 * vendor's latency unless the client has gone (a cancelled request must not leave timers).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface VendorContext {
  /** The request URL, resolved against the server's own origin. */
  readonly url: URL;
  /** The path after the vendor's prefix, still percent-encoded: `/buy/browse/v1/item_summary/search`. */
  readonly path: string;
  /** The request body as text; empty for GET. */
  readonly body: string;
  /** `http://127.0.0.1:8787/ebay`: for links in responses (eBay's `next`, …). */
  readonly base: string;
  /** Sends `body` as JSON after the vendor's latency, unless the client has gone. */
  reply(status: number, body: unknown, headers?: Readonly<Record<string, string>>): void;
}

type VendorHandler = (req: IncomingMessage, res: ServerResponse, ctx: VendorContext) => void;

/** A simulated vendor API mounted at `prefix`. */
export interface Vendor {
  /** Path prefix on the demo server: `/ebay`. */
  readonly prefix: string;
  /** Typical response time when latency is on. */
  readonly latencyMs: number;
  /** A path's own typical latency, when it differs (a token endpoint answers faster than a search). */
  readonly latencyOf?: (path: string) => number | undefined;
  /** When set, this vendor fails with this response at the server's `failRate`. */
  readonly outage?: { readonly status: number; readonly body: unknown };
  readonly handle: VendorHandler;
}

/** Reads the whole request body as UTF-8 text. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

/** Sends JSON after `ms`; a client that closes first clears the timer. */
export function replyLater(
  res: ServerResponse,
  ms: number,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const send = (): void => {
    if (res.destroyed || res.headersSent) return;
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(text)),
      ...headers,
    });
    res.end(text);
  };
  if (ms <= 0) {
    send();
    return;
  }
  const timer = setTimeout(send, ms);
  res.on('close', () => clearTimeout(timer));
}

/** The token of `Authorization: Bearer <token>`, or undefined. */
export function bearer(req: IncomingMessage): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return m?.[1];
}

/** A single header value, trimmed; undefined when absent or empty. */
export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  const text = (Array.isArray(v) ? v[0] : v)?.trim();
  return text ? text : undefined;
}

/** An integer query param in [min, max], `fallback` when absent, or undefined when invalid. */
export function intParam(url: URL, name: string, fallback: number, min: number, max: number): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= min && n <= max ? n : undefined;
}
