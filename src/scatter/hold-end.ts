/**
 * Makes a paused HEAD answer wait for resume() before it ends, as every other answer does.
 *
 * undici's retry interceptor pauses the request when a retryable status (503, say) arrives, asks
 * our policy (retry.ts) whether to retry, and decides at the response's end: retry if the policy
 * said yes, else pass the answer on. For a body, pause() holds the end back until the policy answers.
 * A HEAD answer has no body, so undici's client ends it at once and ignores the pause: the retry
 * interceptor then saw the end before the decision, passed on an end with no response before it
 * ("response ended before its headers"), and never retried. Compose this just inside the retry
 * interceptor: it gives the retry interceptor a controller whose pause() holds back the end too.
 */
import type { Dispatcher } from 'undici';

export const holdEndWhilePaused: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
  // Only a HEAD answer ends while paused; every other one is held by undici's parser.
  if (opts.method !== 'HEAD') return dispatch(opts, handler);
  let paused = false;
  let heldEnd: (() => void) | undefined;
  let inner: Dispatcher.DispatchController | undefined;
  const outer: Dispatcher.DispatchController = {
    get aborted() {
      return inner?.aborted ?? false;
    },
    get paused() {
      return paused;
    },
    get reason() {
      return inner?.reason ?? null;
    },
    abort: (reason) => inner?.abort(reason),
    pause() {
      paused = true;
      inner?.pause();
    },
    resume() {
      paused = false;
      inner?.resume();
      const end = heldEnd;
      heldEnd = undefined;
      end?.();
    },
  };
  return dispatch(opts, {
    onRequestStart(c, context) {
      inner = c;
      paused = false;
      handler.onRequestStart?.(outer, context);
    },
    onRequestUpgrade: (_c, status, headers, socket) => handler.onRequestUpgrade?.(outer, status, headers, socket),
    onResponseStart: (_c, status, headers, message) => handler.onResponseStart?.(outer, status, headers, message),
    onResponseData: (_c, chunk) => handler.onResponseData?.(outer, chunk),
    onResponseEnd(_c, trailers) {
      if (paused) heldEnd = () => handler.onResponseEnd?.(outer, trailers);
      else handler.onResponseEnd?.(outer, trailers);
    },
    onResponseError: (_c, err) => handler.onResponseError?.(outer, err),
  });
};
