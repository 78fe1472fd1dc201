/**
 * A client-credentials token endpoint for the demo vendors (RFC 6749 §4.4), in each vendor's
 * style: Amadeus takes the credentials as form fields, eBay in a Basic header. Tokens are random
 * per issue and remembered, so a vendor can refuse one it never issued.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { bearer, type VendorContext } from './http.js';

/** Issued tokens, bounded: the demo runs for seconds, `--serve` for a while at most. */
const MAX_TOKENS = 10_000;

/** One vendor's token endpoint and its check on the search side. */
interface DemoTokens {
  /** Answers a token request; `shape` turns a new token into the vendor's response body. */
  issue(req: IncomingMessage, ctx: VendorContext, shape: (token: string, clientId: string) => unknown): void;
  /** True when the request carries a token this endpoint issued. */
  valid(req: IncomingMessage): boolean;
}

/** A token endpoint taking client credentials as `auth` says. */
export function demoTokens(
  auth: 'body' | 'basic',
  error: (status: number, code: string, text: string) => unknown,
): DemoTokens {
  const issued = new Set<string>();
  const tokens: DemoTokens = {
    issue(req, ctx, shape) {
      const refused = refuse(req, ctx.body, auth);
      if (refused) {
        ctx.reply(refused[0], error(...refused));
        return;
      }
      const token = randomBytes(21).toString('base64url');
      if (issued.size >= MAX_TOKENS) issued.clear();
      issued.add(token);
      ctx.reply(200, shape(token, credentials(req, ctx.body, auth)?.[0] ?? ''));
    },
    valid: (req) => {
      const token = bearer(req);
      return token !== undefined && issued.has(token);
    },
  };
  return tokens;
}

/** The client id and secret, from the form or the Basic header as `auth` says; undefined when missing. */
function credentials(req: IncomingMessage, body: string, auth: 'body' | 'basic'): [string, string] | undefined {
  let id: string | null = null;
  let secret: string | null = null;
  if (auth === 'basic') {
    const m = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const text = Buffer.from(m?.[1] ?? '', 'base64').toString();
    const at = text.indexOf(':');
    try {
      // RFC 6749 §2.3.1: both halves are form-encoded before base64.
      if (at > 0) [id, secret] = [decodeURIComponent(text.slice(0, at)), decodeURIComponent(text.slice(at + 1))];
    } catch {
      return undefined;
    }
  } else {
    const form = new URLSearchParams(body);
    [id, secret] = [form.get('client_id'), form.get('client_secret')];
  }
  return id && secret ? [id, secret] : undefined;
}

/** Why a token request is refused, as [status, OAuth error code, text] (RFC 6749 §5.2); undefined when fine. */
function refuse(req: IncomingMessage, body: string, auth: 'body' | 'basic'): [number, string, string] | undefined {
  if (req.method !== 'POST') return [405, 'invalid_request', 'use POST'];
  if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
    return [400, 'invalid_request', 'the body must be application/x-www-form-urlencoded'];
  }
  if (new URLSearchParams(body).get('grant_type') !== 'client_credentials') {
    return [400, 'unsupported_grant_type', 'only client_credentials is supported'];
  }
  // Any non-empty credentials do: the demo has no accounts, only the shape of the exchange.
  if (!credentials(req, body, auth)) return [401, 'invalid_client', 'Client credentials are invalid'];
  return undefined;
}
