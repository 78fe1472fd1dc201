/**
 * The bottom of the shared dispatcher when a proxy is set: each request goes direct or through undici's
 * ProxyAgent (a CONNECT tunnel), decided by its URL. It sits under every interceptor (dispatcher.ts), so
 * decompression, retries, redirects and their guards work the same on proxied requests, and a redirect's
 * hop is routed by its own URL.
 */
import { Agent, Dispatcher, Pool, ProxyAgent } from 'undici';
import { delegate } from './delegate.js';
import { type GoesDirect, goesDirect } from './no-proxy.js';
import { markProxyFailure, ON_ROUTE } from './proxy-marks.js';
import { type ProxySettings, type ProxyUrl, proxyUrls } from './proxy-settings.js';

/** The most routes remembered by origin: a redirect chain to ever new hosts must not grow it without end. */
const MAX_REMEMBERED = 1_000;

/**
 * Bounds the wait for a proxy's answer to CONNECT, as undici's 10 s connect timeout bounds a direct
 * connect: the request's own time limit ends the request, not the tunnel being set up for it.
 */
const TUNNEL_WAIT_MS = 10_000;

interface Route {
  readonly agent: ProxyAgent;
  readonly proxy: ProxyUrl;
}

/** Sends each request direct or through the proxy its scheme has; every agent shares `agentOptions`. */
export class ProxyRouter extends Dispatcher {
  // No #private fields: compose() returns a Proxy of this object, and close() and destroy() called on it
  // get the Proxy as `this`, which has none of them.
  private readonly direct: Agent;
  private readonly routes: { readonly https?: Route; readonly http?: Route };
  private readonly goesDirect: GoesDirect;
  private readonly remembered = new Map<string, Route | null>();
  private isClosed = false;
  private isDestroyed = false;

  constructor(settings: ProxySettings, agentOptions: Agent.Options) {
    super();
    const urls = proxyUrls(settings);
    this.direct = new Agent(agentOptions);
    const route = (proxy: ProxyUrl | undefined): Route | undefined =>
      proxy && {
        proxy,
        agent: new ProxyAgent({
          ...agentOptions,
          uri: proxy.uri,
          // undici's own header needs both user and password (proxy-settings.ts).
          ...(proxy.authorization ? { token: proxy.authorization } : {}),
          clientFactory: (url, opts) => new Pool(url, { ...opts, headersTimeout: TUNNEL_WAIT_MS }),
        }),
      };
    const https = route(urls.https);
    // One agent for one proxy URL set for both schemes: its tunnels then share a pool to the proxy.
    const http = urls.http?.uri === urls.https?.uri && https ? https : route(urls.http);
    this.routes = { ...(https ? { https } : {}), ...(http ? { http } : {}) };
    this.goesDirect = goesDirect(settings.noProxy);
  }

  /** The secrets in the proxies' URLs (value → setting name). */
  get secrets(): Readonly<Record<string, string>> {
    return { ...this.routes.http?.proxy.secrets, ...this.routes.https?.proxy.secrets };
  }

  get closed(): boolean {
    return this.isClosed;
  }

  get destroyed(): boolean {
    return this.isDestroyed;
  }

  /** The route for `origin`: null for direct. */
  private routeOf(origin: string): Route | null {
    const known = this.remembered.get(origin);
    if (known !== undefined) return known;
    const url = new URL(origin);
    const scheme = url.protocol === 'https:' ? this.routes.https : this.routes.http;
    const route = scheme && !this.goesDirect(url) ? scheme : null;
    if (this.remembered.size >= MAX_REMEMBERED) this.remembered.clear();
    this.remembered.set(origin, route);
    return route;
  }

  override dispatch(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const route = this.routeOf(String(opts.origin));
    if (route === null) return this.direct.dispatch(opts, handler);
    (opts as { [ON_ROUTE]?: (label: string) => void })[ON_ROUTE]?.(route.proxy.label);
    let answered = false;
    const through = delegate(handler, {
      onResponseStart: (c, status, headers, message) => {
        answered = true;
        return handler.onResponseStart?.(c, status, headers, message);
      },
      // Before any answer, a failure is the tunnel's: at the proxy, or in the handshake through it.
      onResponseError: (c, err) => {
        if (!answered) {
          const { host, protocol } = new URL(String(opts.origin));
          const target = /:\d+$/.test(host) ? host : `${host}:${protocol === 'https:' ? 443 : 80}`;
          markProxyFailure(err, { proxy: route.proxy, target });
        }
        handler.onResponseError?.(c, err);
      },
    });
    // ProxyAgent writes `host` into the headers it is given: a copy keeps the request's own untouched.
    const headers = opts.headers;
    const own = headers && !Array.isArray(headers) && typeof headers === 'object' ? { ...headers } : headers;
    return route.agent.dispatch({ ...opts, headers: own } as Dispatcher.DispatchOptions, through);
  }

  override close(): Promise<void>;
  override close(callback: () => void): void;
  override close(callback?: () => void): Promise<void> | void {
    this.isClosed = true;
    const done = Promise.all(this.agents().map((a) => a.close())).then(() => undefined);
    if (!callback) return done;
    void done.then(callback);
  }

  override destroy(): Promise<void>;
  override destroy(err: Error | null): Promise<void>;
  override destroy(callback: () => void): void;
  override destroy(err: Error | null, callback: () => void): void;
  override destroy(a?: Error | null | (() => void), b?: () => void): Promise<void> | void {
    this.isClosed = true;
    this.isDestroyed = true;
    const err = typeof a === 'function' ? null : (a ?? null);
    const callback = typeof a === 'function' ? a : b;
    const done = Promise.all(this.agents().map((d) => d.destroy(err))).then(() => undefined);
    if (!callback) return done;
    void done.then(callback);
  }

  private agents(): Dispatcher[] {
    const { https, http } = this.routes;
    return [this.direct, ...new Set([https?.agent, http?.agent].filter((a) => a !== undefined))];
  }
}

/** True when `settings` names a proxy for either scheme: without one, no router is needed. */
export const anyProxy = (settings: ProxySettings | undefined): settings is ProxySettings =>
  Boolean(settings && (settings.https || settings.http));
