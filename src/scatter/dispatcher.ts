/**
 * The one undici dispatcher every request goes through: pooled keep-alive connections (at most
 * `connections` per origin; more requests queue), decompression, retries and redirects.
 * Limits that differ per source (retries, time, size) travel with each request from send().
 */
import { Agent, Client, type Dispatcher, interceptors, Pool } from 'undici';
import { UsageError } from '../errors.js';
import { suggest } from '../shared/suggest.js';
import { cappedDecompress } from './capped-decompress.js';
import { emptyEncoded } from './empty-encoded.js';
import { holdEndWhilePaused } from './hold-end.js';
import { keepReading } from './keep-reading.js';
import { anyProxy, ProxyRouter } from './proxy.js';
import { rememberProxySecrets } from './proxy-marks.js';
import { checkProxyOption, type ProxySettings } from './proxy-settings.js';
import { rawDeflate } from './raw-deflate.js';
import { redirectGuard } from './redirect-guard.js';
import { waitBeforeRetry } from './retry.js';
import { undecodableErrorPage } from './undecodable-error-page.js';

/** Default cap on connections per origin: 1,000 sources on one host must not open 1,000 sockets. */
const DEFAULT_CONNECTIONS = 32;

/** Redirects followed before a source fails with `too many redirects`. */
export const MAX_REDIRECTS = 5;

/** Per-request hook the attempt counter calls, carried in the dispatch options. */
export const ON_ATTEMPT = 'aggOnAttempt';

/** Counts attempts: composed inside the retry interceptor, so it sees every try. */
const countAttempts: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
  (opts as { [ON_ATTEMPT]?: () => void })[ON_ATTEMPT]?.();
  return dispatch(opts, handler);
};

/**
 * Drops 1xx answers (`103 Early Hints`) before they reach undici's decompress interceptor, which
 * takes one response start per request and fails the request on a second (an assertion in undici
 * 7.30). undici's own request API skips them as well; nothing in agg reads them.
 */
const skipInformational: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) =>
  dispatch(opts, {
    onRequestStart: (c, context) => handler.onRequestStart?.(c, context),
    onRequestUpgrade: (c, status, headers, socket) => handler.onRequestUpgrade?.(c, status, headers, socket),
    onResponseStart: (c, status, headers, message) =>
      status < 200 ? undefined : handler.onResponseStart?.(c, status, headers, message),
    onResponseData: (c, chunk) => handler.onResponseData?.(c, chunk),
    onResponseEnd: (c, trailers) => handler.onResponseEnd?.(c, trailers),
    onResponseError: (c, err) => handler.onResponseError?.(c, err),
  });

/** Settings for the shared dispatcher. */
export interface DispatcherOptions {
  /** Most connections at once to one origin; default 32. */
  readonly connections?: number | undefined;
  /**
   * Origins that see one request at a time (see origins.ts): each gets one connection (an undici
   * Client) instead of a Pool. A second request to one of them waits for the first; none is lost.
   */
  readonly soleOrigins?: ReadonlySet<string> | undefined;
  /**
   * Proxies to send through (proxyFromEnv(process.env) reads them as the command line does); without
   * them every request goes direct. Loopback targets always go direct.
   */
  readonly proxy?: ProxySettings | undefined;
}

const OPTIONS = ['connections', 'soleOrigins', 'proxy'];

/** Creates the shared dispatcher; close it with `destroy()` so that nothing keeps the process alive. */
export function createDispatcher(options: DispatcherOptions = {}): Dispatcher {
  // A JavaScript caller's `connection: 5` set no limit and said nothing.
  for (const key of Object.keys(options)) {
    if (OPTIONS.includes(key)) continue;
    const near = suggest(key, OPTIONS);
    throw new UsageError(`${key}: no such option of createDispatcher()${near ? `; did you mean ${near}?` : ''}`);
  }
  const { connections = DEFAULT_CONNECTIONS, soleOrigins, proxy } = options;
  checkProxyOption(proxy);
  // As `defaults.connections` allows (config/schema.ts). Unchecked, a library caller's -1 (or "4" read
  // from the environment) failed every source as an `invalid request`, and 0 or NaN set no limit at all.
  if (!(Number.isSafeInteger(connections) && connections >= 1 && connections <= 1024)) {
    throw new UsageError(`connections: expected a whole number from 1 to 1024, got ${String(connections)}`);
  }
  // undici parses HTTP with llhttp compiled to WebAssembly, which `node --jitless` (often from a shell's
  // NODE_OPTIONS) leaves out: every source then failed as `WebAssembly is not defined`, exit 4, as if
  // every vendor were down.
  if ((globalThis as { WebAssembly?: unknown }).WebAssembly === undefined) {
    throw new UsageError(
      "Node is running without WebAssembly (--jitless, in NODE_OPTIONS or node's flags), which agg's HTTP client needs to read responses: run it without --jitless",
    );
  }
  const agentOptions: Agent.Options = {
    connections,
    // undici's own default factory, plus a Client for the origins the caller knows see one request at a time.
    factory: (origin, opts: Pool.Options) =>
      opts.connections === 1 || soleOrigins?.has(String(origin)) ? new Client(origin, opts) : new Pool(origin, opts),
    // The per-source AbortSignal bounds the whole request, and send() bounds the body's size (per
    // source, counted after decompression); these only stop undici's own 300 s defaults from
    // outliving a generous `--timeout`.
    headersTimeout: 0,
    bodyTimeout: 0,
  };
  // With a proxy, the interceptors wrap the router, which sends each request direct or through it;
  // without one, the Agent itself, and no request pays for a decision.
  const agent = anyProxy(proxy) ? new ProxyRouter(proxy, agentOptions) : new Agent(agentOptions);
  // compose(): the last interceptor runs first, so redirect wraps the guard wraps retry wraps the
  // retry's wait, the HEAD end hold, the undecodable error page's end, decompress (capped), the empty encoded body's filler, the raw deflate reader, the parser's keep-reading hold, the counter and the
  // 1xx filter. Attempts therefore count every request sent: retries (once their wait is over) and hops.
  const composed = agent.compose(
    skipInformational,
    countAttempts,
    // Just inside decompress, which pauses under backpressure: undici 7 must never have its parser
    // paused when a server closes the connection (keep-reading.ts).
    keepReading,
    // Just inside decompress: `deflate` sent raw, without its zlib header, is inflated here (raw-deflate.ts).
    rawDeflate,
    // Just inside decompress: an encoded answer with no body decodes as empty, not as a cut-off stream.
    emptyEncoded,
    // Vendors and CDNs gzip even unasked, error pages too: undici leaves those compressed unless told,
    // and the vendor's message (or the quota that makes a 403 a rate limit) was read from gzip bytes.
    // Each stage of stacked encodings is capped at maxBytes (capped-decompress.ts), an answer the retry
    // reads to its end and drops (a gzipped 503) included: body.ts never counts that one.
    cappedDecompress,
    // Just outside decompress: an error page that does not decompress ends, to be retried or stand as its status.
    undecodableErrorPage,
    // Just inside retry: its pause must hold back a HEAD answer's end until the retry decision.
    holdEndWhilePaused,
    // Just inside retry: a retry waits here, between attempts, with no connection held (retry.ts).
    waitBeforeRetry,
    // No retries unless send() passes its own policy (retry.ts) with the request.
    interceptors.retry({ throwOnError: false, retry: (err, _state, cb) => cb(err) }),
    redirectGuard,
    interceptors.redirect({ maxRedirections: MAX_REDIRECTS }),
  );
  if (agent instanceof ProxyRouter) rememberProxySecrets(composed, agent.secrets);
  return composed;
}
