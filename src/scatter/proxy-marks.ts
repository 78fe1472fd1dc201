/**
 * What the proxy router (proxy.ts) leaves for the rest of the run, without loading undici: the proxy a
 * request failed at, for describe.ts, and the secrets of a dispatcher's proxies, for search().
 */
import type { ProxyUrl } from './proxy-settings.js';

/** Per-request hook the router calls with the proxy's label when it sends the request through one. */
export const ON_ROUTE = 'aggOnRoute';

/** What describe.ts needs to word a failure at the proxy. */
export interface ProxyFailure {
  readonly proxy: ProxyUrl;
  /** `shop.example:443`: what the tunnel was asked for. */
  readonly target: string;
}

/** Errors of proxied requests that came before any answer through the tunnel, with their proxy. */
const failures = new WeakMap<object, ProxyFailure>();

/** Marks `err` as a proxied request's failure before any answer (the first mark stays). */
export function markProxyFailure(err: unknown, at: ProxyFailure): void {
  if (err !== null && typeof err === 'object' && !failures.has(err)) failures.set(err, at);
}

/** The proxy a request failed at, if `err` is such a failure. */
export const proxyFailure = (err: unknown): ProxyFailure | undefined =>
  err !== null && typeof err === 'object' ? failures.get(err) : undefined;

/** The proxy credentials' secrets, by the dispatcher createDispatcher() made with them. */
const secretsBy = new WeakMap<object, Readonly<Record<string, string>>>();

/** Registers `secrets` (value → setting name) as `dispatcher`'s: search() hides them as it hides env secrets. */
export function rememberProxySecrets(dispatcher: object, secrets: Readonly<Record<string, string>>): void {
  if (Object.keys(secrets).length > 0) secretsBy.set(dispatcher, secrets);
}

/** The secrets of `dispatcher`'s proxies (value → setting name); none for another dispatcher. */
export const proxySecrets = (dispatcher: unknown): Readonly<Record<string, string>> =>
  (dispatcher !== null && typeof dispatcher === 'object' ? secretsBy.get(dispatcher) : undefined) ?? {};
