/**
 * The one undici dispatcher every request goes through: pooled keep-alive connections,
 * a cap on response size, redirects, and retries of idempotent requests.
 */
import { Agent, type Dispatcher, interceptors } from 'undici';

/** Hard cap on a response body: a hostile vendor cannot make agg hold more than this. */
export const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

/** Longest wait before a retry, whatever Retry-After asks; send() lowers it to fit the time limit. */
export const MAX_RETRY_WAIT_MS = 2000;

/** Per-request hook the attempt counter calls, carried in the dispatch options. */
export const ON_ATTEMPT = 'aggOnAttempt';

/** Counts attempts: composed inside the retry interceptor, so it sees every try. */
const countAttempts: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
  (opts as { [ON_ATTEMPT]?: () => void })[ON_ATTEMPT]?.();
  return dispatch(opts, handler);
};

/** Creates the shared dispatcher; close it with `destroy()` so that nothing keeps the process alive. */
export function createDispatcher(): Dispatcher {
  const agent = new Agent({
    connections: 16,
    maxResponseSize: MAX_RESPONSE_BYTES,
    // The per-source AbortSignal bounds the whole request; these only stop undici's own
    // 300 s defaults from outliving a generous `--timeout`.
    headersTimeout: 0,
    bodyTimeout: 0,
  });
  // compose(): the last interceptor runs first, so redirect wraps retry wraps decompress and the counter.
  // Attempts therefore count every request sent: retries and redirect hops.
  return agent.compose(
    countAttempts,
    // Vendors and CDNs gzip even unasked; the cap also bounds a decompression bomb.
    interceptors.decompress({ maxSize: MAX_RESPONSE_BYTES }),
    interceptors.retry({
      maxRetries: 1,
      minTimeout: 250,
      maxTimeout: MAX_RETRY_WAIT_MS,
      // 429 and 5xx that mean "try again"; Retry-After (seconds or an HTTP date, RFC 9110 §10.2.3) is honoured up to maxTimeout.
      statusCodes: [429, 500, 502, 503, 504],
      methods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'],
      throwOnError: false,
    }),
    interceptors.redirect({ maxRedirections: 5 }),
  );
}
