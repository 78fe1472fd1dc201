/**
 * OAuth2 client credentials (RFC 6749 §4.4): one token per client and scope per run (tokenKey),
 * shared by every source that names them, so concurrent sources await one in-flight request. The
 * client secret is an env secret (the loader records it); the token is registered as a secret of its
 * scope, the sources that share it, so none of their messages, logs or offers can show it. Only theirs:
 * a token is what the endpoint says, and one like `https` must not blank out the other sources' text.
 * With `cache: true` the token is also kept on disk until it expires (token-cache.ts).
 */
import type { Secrets } from '../shared/redact.js';
import { cleanText } from '../shared/sanitize.js';
import { truncate } from '../shared/truncate.js';
import type { CompiledSource, OAuth2Config } from '../types.js';
import { templatedSecretHeaders } from './derived-secrets.js';
import { vendorMessage } from './describe.js';
import type { ScatterContext } from './index.js';
import { type SendOptions, sendOptions } from './options.js';
import { isHeaderText } from './request.js';
import { type Fetched, send } from './send.js';
import { readCachedToken, tokenKey, writeCachedToken } from './token-cache.js';
import { MAX_TOKEN_LENGTH } from './token-length.js';

/** A token, or the failed fetch that says why there is none. */
type TokenResult = { readonly token: string } | { readonly failed: Fetched };

/** The run's tokens. */
export interface TokenStore {
  /**
   * The shared token for `oauth`, fetched on first use with the first caller's options, but the
   * longest time limit of the sources that share it.
   */
  get(oauth: OAuth2Config, name: string, opts: SendOptions): Promise<TokenResult>;
  /** A fresh token after `stale` got a 401; a token another source already refreshed is reused. */
  refresh(oauth: OAuth2Config, stale: string, name: string, opts: SendOptions): Promise<TokenResult>;
}

/** Name the redactor shows in place of a token. */
const TOKEN_NAME = 'OAUTH2_TOKEN';

/**
 * The scope of what `source` learns during a run: its token (its client and scope, as the token is
 * shared), and a credential header its templates compute (derived-secrets.ts), which is its own.
 */
const secretScope = (source: CompiledSource): string | undefined =>
  source.oauth2
    ? tokenKey(source.oauth2)
    : templatedSecretHeaders(source).length > 0
      ? `source ${source.name}`
      : undefined;

/** The secrets of `source`'s scope (secretScope) from the run's `secretsOf`, or undefined when it has none. */
export function scopeSecrets(
  source: CompiledSource,
  secretsOf: ((scope: string) => Secrets) | undefined,
): Secrets | undefined {
  const scope = secretScope(source);
  return scope === undefined ? undefined : secretsOf?.(scope);
}

/**
 * A store for the run's `sources`; token requests use the run's context, not a source's flow limit,
 * since they are shared.
 */
export function createTokenStore(ctx: ScatterContext, sources: readonly CompiledSource[] = []): TokenStore {
  const tokens = new Map<string, Promise<TokenResult>>();
  const keyOf = tokenKey;
  // Each source stops waiting for a token at its own limit (flow.ts); the request itself must last as
  // long as the most patient of them, or a source with 8s failed at the 1s of the one that asked first.
  const limits = new Map<string, number>();
  // One token serves them all, so one `cache: true` among them keeps it on disk: decided by the first to ask,
  // a source that set it after one that did not had its token fetched again on every run.
  const onDisk = new Set<string>();
  for (const s of sources) {
    if (!s.oauth2) continue;
    const key = keyOf(s.oauth2);
    limits.set(key, Math.max(limits.get(key) ?? 0, sendOptions(s, ctx).timeoutMs));
    if (s.oauth2.cache) onDisk.add(key);
  }
  const get = (oauth: OAuth2Config, name: string, opts: SendOptions, fromDisk: boolean) => {
    const key = keyOf(oauth);
    let pending = tokens.get(key);
    if (!pending) {
      const timeoutMs = Math.max(opts.timeoutMs, limits.get(key) ?? 0);
      const cache = oauth.cache === true || onDisk.has(key);
      pending = obtainToken({ ...oauth, cache }, name, { ...opts, timeoutMs }, ctx, fromDisk);
      tokens.set(key, pending);
    }
    return pending;
  };
  return {
    get: (oauth, name, opts) => get(oauth, name, opts, true),
    async refresh(oauth, stale, name, opts) {
      const key = keyOf(oauth);
      const pending = tokens.get(key);
      const current = await pending;
      // Only the request that gave the stale token is dropped: sources whose 401s were read in one turn all
      // await it, and the first to wake has already asked for a new one, which the others must reuse, not
      // drop for a third (three sources refused together fetched four tokens, each using its own).
      if (current && 'token' in current && current.token === stale && tokens.get(key) === pending) tokens.delete(key);
      // The refused token may be the one on disk: ask the endpoint, and overwrite it.
      return get(oauth, name, opts, false);
    },
  };
}

/** The token from the disk cache when allowed and valid, else from the endpoint (and then cached). */
async function obtainToken(
  oauth: OAuth2Config,
  name: string,
  opts: SendOptions,
  runCtx: ScatterContext,
  fromDisk: boolean,
): Promise<TokenResult> {
  // The token request's own errors and log are its scope's: they go to the sources waiting for it.
  const secrets = runCtx.secretsOf?.(tokenKey(oauth));
  const ctx: ScatterContext = secrets ? { ...runCtx, redact: secrets.redact } : runCtx;
  const dir = oauth.cache ? ctx.tokenCacheDir : undefined;
  const cached = dir && fromDisk ? await readCachedToken(dir, oauth, Date.now()) : undefined;
  if (cached) {
    secrets?.add(cached, TOKEN_NAME);
    ctx.log?.(`${name}: OAuth2 token from the disk cache`);
    return { token: cached };
  }
  const got = await fetchToken(oauth, name, opts, ctx, secrets);
  if (dir && 'token' in got) await writeCachedToken(dir, oauth, got.token, got.expiresIn, Date.now());
  return got;
}

async function fetchToken(
  oauth: OAuth2Config,
  name: string,
  opts: SendOptions,
  ctx: ScatterContext,
  secrets: Secrets | undefined,
): Promise<TokenResult & { expiresIn?: unknown }> {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  // The file's defaults first; the request's own Content-Type, Accept and Authorization replace any of them.
  // Lowercase, as every request's names are: the file's `User-Agent` then replaces agg's default (exchange.ts).
  const own = new Set(['content-type', 'accept', 'authorization']);
  const headers: Record<string, string> = {
    ...Object.fromEntries(
      Object.entries(oauth.headers ?? {})
        .map(([name, value]) => [name.toLowerCase(), value] as const)
        .filter(([name]) => !own.has(name)),
    ),
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  if (oauth.clientAuth === 'basic') {
    // RFC 6749 §2.3.1: id and secret are form-encoded before they are joined and base64-encoded.
    const pair = `${formEncode(oauth.clientId)}:${formEncode(oauth.clientSecret)}`;
    headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
    secrets?.add(headers.authorization.slice('Basic '.length), 'OAUTH2_CLIENT_CREDENTIALS');
  } else {
    form.set('client_id', oauth.clientId);
    form.set('client_secret', oauth.clientSecret);
  }
  if (oauth.scope) form.set('scope', oauth.scope);
  const req = { method: 'POST', url: oauth.tokenUrl, headers, body: form.toString() };
  // Retried as a GET is, whatever the source says: asking twice for a client-credentials token only issues
  // two, and an identity server's 429 or 503 failed every source behind it for the run. Never hedged: a
  // duplicate would only ask for a second token while the first is on its way.
  const { hedgeMs: _, ...once } = opts;
  const fetched = await send(name, req, { ...once, idempotent: true }, ctx);
  if (fetched.status !== 'ok') return { failed: authFailed(fetched, fetched.error ?? 'no token') };
  // token_type is not checked: eBay says "Application Access Token" for what is a Bearer token.
  const body = fetched.body as { access_token?: unknown; expires_in?: unknown } | undefined;
  const token = body?.access_token;
  if (typeof token !== 'string' || token === '') {
    // Some identity servers refuse with HTTP 200 and an RFC 6749 §5.2 error (`invalid_scope`): its words are
    // the reason, where `has no access_token` alone sent the user to check a mapping agg does not have.
    const said = vendorMessage(body);
    const why = `the token response has no access_token: POST ${oauth.tokenUrl}${said ? ` (${said})` : ''}`;
    // Vendor words: hidden, made inert and cut as send() treats an HTTP error's (it echoes what it was sent).
    return { failed: authFailed(fetched, truncate(cleanText(ctx.redact(why)))) };
  }
  // Checked before the token is a secret: masking one builds its encoded forms, and for a 10 MB token that
  // took ~7 s and ~370 MB past a 1s deadline, for a token no server would take in a header anyway.
  if (token.length > MAX_TOKEN_LENGTH) {
    const why = `the access_token is ${token.length.toLocaleString('en-US')} characters long, more than the ${MAX_TOKEN_LENGTH.toLocaleString('en-US')} a header value may hold`;
    return { failed: authFailed(fetched, `${why}: POST ${ctx.redact(oauth.tokenUrl)}`) };
  }
  secrets?.add(token, TOKEN_NAME);
  // Else every request of the source fails as undici's bare "invalid request", naming neither the token nor its endpoint.
  if (!isHeaderText(token)) {
    const why =
      'the access_token has a line break, a control character or one past U+00FF, which a header cannot carry';
    return { failed: authFailed(fetched, `${why}: POST ${ctx.redact(oauth.tokenUrl)}`) };
  }
  return { token, expiresIn: body?.expires_in };
}

const formEncode = (s: string): string => new URLSearchParams({ s }).toString().slice(2);

/**
 * Any failure to get a token is an error that says so; a cancelled run stays cancelled, and a token
 * endpoint that did not answer in time is a `timeout`, as the source's own request would be (and as
 * the flow's limit, due at the same moment by default, reported it when its timer fired first).
 */
function authFailed(fetched: Fetched, why: string): Fetched {
  const status = fetched.status === 'cancelled' || fetched.status === 'timeout' ? fetched.status : 'error';
  return { ...fetched, status, body: undefined, error: tokenFailure(status, why) };
}

/**
 * A row's words for a source that got no token: `why` is the request's own (`connection refused: POST …`).
 * Take-first or Ctrl-C stopping the token request is no failure to authenticate: `authentication failed:
 * interrupted: POST …` sent the user to check credentials no endpoint had refused.
 */
export function tokenFailure(status: Fetched['status'], why: string): string {
  return status === 'cancelled' ? `${why} (while getting its OAuth2 token)` : `authentication failed: ${why}`;
}
