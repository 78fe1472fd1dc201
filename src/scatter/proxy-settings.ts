/**
 * Which proxy agg sends through: the settings a library caller passes to createDispatcher(), the same
 * read from the environment as curl reads them (proxyFromEnv), and each proxy URL checked once, with
 * its credentials kept apart from what may be printed.
 */
import { UsageError } from '../errors.js';
import { isSecretValue } from '../shared/secret-value.js';

/** Proxies for createDispatcher(); each left out (or empty) sends those requests direct. */
export interface ProxySettings {
  /** For https:// URLs: `http://proxy.corp:3128`, `http://user:pass@proxy.corp:3128`, or `https://…`. */
  readonly https?: string | undefined;
  /** For http:// URLs. */
  readonly http?: string | undefined;
  /** As NO_PROXY: hosts, `.domain` suffixes, `host:port`, IP ranges (`10.0.0.0/8`), or `*`, comma-separated. */
  readonly noProxy?: string | undefined;
  /**
   * What each setting is called where it came from, for messages: `HTTPS_PROXY` for proxyFromEnv's,
   * `proxy.https` unless given.
   */
  readonly names?: Readonly<Partial<Record<'https' | 'http' | 'noProxy', string>>> | undefined;
}

/** A proxy URL, checked: what undici is given, what may be printed, and the secrets in it. */
export interface ProxyUrl {
  /** The whole URL, credentials included: only ever handed to undici's ProxyAgent. */
  readonly uri: string;
  /** `http://proxy.corp:3128`: scheme, host and port, never the credentials. */
  readonly label: string;
  /** The setting's name (`HTTPS_PROXY`), for messages. */
  readonly name: string;
  /** True when the URL carries `user:pass@`. */
  readonly hasCredentials: boolean;
  /**
   * The Proxy-Authorization header for the URL's credentials (`Basic …`), or undefined without any.
   * Made here, not by undici: its ProxyAgent sends none unless both user and password are set, and a
   * key written as the user alone (`http://KEY:@proxy:8011`, as Zyte's proxy asks) was never sent.
   */
  readonly authorization: string | undefined;
  /** The credentials' forms that must never be printed, each mapped to the setting's name (redact.ts). */
  readonly secrets: Readonly<Record<string, string>>;
}

/** Schemes undici's ProxyAgent speaks to the proxy itself (TLS to the proxy for https). */
const SCHEMES = ['http:', 'https:'];

/**
 * A variable's value: the lower-case name wins over the upper-case one when both are set, as curl and
 * undici read them; an empty value counts as unset.
 */
const fromEnv = (env: Readonly<Record<string, string | undefined>>, lower: string): [string, string] | undefined => {
  for (const name of [lower, lower.toUpperCase()]) {
    const value = env[name]?.trim();
    if (value) return [name, value];
  }
  return undefined;
};

/**
 * The proxy settings in `env` (https_proxy, http_proxy, no_proxy, either case), checked: throws a
 * UsageError naming the variable for a URL agg cannot use. ALL_PROXY is not read (docs/resilience.md).
 */
export function proxyFromEnv(env: Readonly<Record<string, string | undefined>>): ProxySettings {
  const https = fromEnv(env, 'https_proxy');
  const http = fromEnv(env, 'http_proxy');
  const noProxy = fromEnv(env, 'no_proxy');
  const settings: ProxySettings = {
    https: https?.[1],
    http: http?.[1],
    noProxy: noProxy?.[1],
    names: { https: https?.[0], http: http?.[0], noProxy: noProxy?.[0] },
  };
  // Checked now, so that a wrong one is exit 2 before any request, whatever the sources' schemes.
  proxyUrls(settings);
  return settings;
}

/** The two proxies of `settings`, checked; undefined where none is set. */
export function proxyUrls(settings: ProxySettings): { https?: ProxyUrl; http?: ProxyUrl } {
  const out: { https?: ProxyUrl; http?: ProxyUrl } = {};
  for (const key of ['https', 'http'] as const) {
    const value = settings[key];
    if (value === undefined || value === '') continue;
    const name = settings.names?.[key] ?? `proxy.${key}`;
    if (typeof value !== 'string') throw new UsageError(`${name}: expected a proxy URL as text`);
    out[key] = proxyUrl(value, name);
  }
  return out;
}

/**
 * Parses one proxy URL. A value without a scheme (`proxy.corp:3128`) is http://, as curl and Go take it:
 * parsed as it is, `proxy.corp:` would be its scheme. The message never quotes the value, which may hold
 * a password.
 */
export function proxyUrl(value: string, name: string): ProxyUrl {
  const written = value.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(written) ? written : `http://${written}`);
  } catch {
    throw new UsageError(
      `${name}: not a proxy URL; write http://host:port (with user:pass@ before the host for credentials)`,
    );
  }
  if (!SCHEMES.includes(url.protocol)) {
    throw new UsageError(
      `${name}: agg cannot use a ${url.protocol.slice(0, -1)}:// proxy; write an http:// or https:// proxy URL`,
    );
  }
  if (url.hostname === '') throw new UsageError(`${name}: the proxy URL names no host; write http://host:port`);
  const secrets: Record<string, string> = {};
  const user = decoded(url.username, name);
  const password = decoded(url.password, name);
  const hasCredentials = url.username !== '' || url.password !== '';
  const basic = Buffer.from(`${user}:${password}`).toString('base64');
  // Each form the credentials take: as written, decoded, and as the Proxy-Authorization header sends them.
  // Without a password the user is the secret: a key written as the user alone (`http://KEY:@proxy`).
  const key = url.password ? [url.password, password] : [url.username, user];
  for (const secret of [...key, `${url.username}:${url.password}`, `${user}:${password}`]) {
    if (hasCredentials && isSecretValue(secret)) secrets[secret] = name;
  }
  if (hasCredentials) secrets[basic] = name;
  return {
    uri: url.href,
    label: `${url.protocol}//${url.host}`,
    name,
    hasCredentials,
    authorization: hasCredentials ? `Basic ${basic}` : undefined,
    secrets,
  };
}

/** A percent-decoded user or password; undici's ProxyAgent threw a URIError for a broken escape (`%zz`). */
function decoded(part: string, name: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new UsageError(`${name}: the proxy URL's user:pass@ has a broken %-escape (write % as %25)`);
  }
}

const SETTING_KEYS = ['https', 'http', 'noProxy', 'names'];

/** Checks a JavaScript caller's `proxy` option: a URL given as the option itself set no proxy, silently. */
export function checkProxyOption(proxy: unknown): void {
  if (proxy === undefined) return;
  if (proxy === null || typeof proxy !== 'object' || Array.isArray(proxy)) {
    throw new UsageError(
      `proxy: expected { https, http, noProxy } (or proxyFromEnv(env)), got ${proxy === null ? 'null' : typeof proxy}`,
    );
  }
  for (const key of Object.keys(proxy)) {
    if (!SETTING_KEYS.includes(key))
      throw new UsageError(`proxy.${key}: no such setting; the settings are https, http and noProxy`);
  }
  const noProxy: unknown = (proxy as ProxySettings).noProxy;
  if (noProxy !== undefined && typeof noProxy !== 'string')
    throw new UsageError('proxy.noProxy: expected text, as NO_PROXY');
  proxyUrls(proxy as ProxySettings);
}
