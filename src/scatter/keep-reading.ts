/**
 * Keeps undici's HTTP/1 parser reading while the handlers above it ask for a pause, and holds what
 * it reads until they resume. undici 7's client asserts that its parser is not paused when the
 * server closes the connection (`Parser.finish`, nodejs/undici#5360, fixed only in undici 8, which
 * needs Node 22): a paused parser met by a FIN threw an uncaught AssertionError from the socket's
 * `end` handler, and the process died with a stack trace. The decompress interceptor pauses under
 * its own backpressure, so a gzip answer with `Connection: close` (or no length at all) did this
 * whenever its last bytes and the FIN came in one read.
 *
 * What is held is still bounded: past `maxBytes` (the source's own limit, given with the request
 * under HELD_LIMIT) the request fails as too large, as a body past the limit does.
 */
import type { Dispatcher } from 'undici';
import { BodyTooLargeError } from './body.js';

/** Dispatch-option key for the most bytes held for a paused handler: the source's `maxBytes`. */
export const HELD_LIMIT = 'aggHeldLimit';

type Held = { data: Buffer } | { end: Record<string, string | string[] | undefined> };

/** The interceptor: compose it just inside `interceptors.decompress`, the innermost one that pauses. */
export const keepReading: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
  const limit = (opts as { [HELD_LIMIT]?: number })[HELD_LIMIT];
  if (limit === undefined) return dispatch(opts, handler);
  let inner: Dispatcher.DispatchController | undefined;
  let paused = false;
  let held: Held[] = [];
  let heldBytes = 0;
  const deliver = (event: Held): void => {
    if ('data' in event) handler.onResponseData?.(outer, event.data);
    else handler.onResponseEnd?.(outer, event.end);
  };
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
    get rawHeaders() {
      return inner?.rawHeaders;
    },
    get rawTrailers() {
      return inner?.rawTrailers;
    },
    abort: (reason) => inner?.abort(reason),
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
      // A handler may pause again while it takes a held chunk: the rest wait for its next resume.
      while (!paused && held.length > 0 && !(inner?.aborted ?? false)) {
        const event = held.shift() as Held;
        if ('data' in event) heldBytes -= event.data.length;
        deliver(event);
      }
    },
  };
  const hold = (event: Held): void => {
    if (!paused && held.length === 0) {
      deliver(event);
      return;
    }
    held.push(event);
    if (!('data' in event)) return;
    heldBytes += event.data.length;
    if (heldBytes > limit) {
      held = [];
      heldBytes = 0;
      inner?.abort(new BodyTooLargeError(limit));
    }
  };
  return dispatch(opts, {
    onRequestStart(c, context) {
      inner = c;
      paused = false;
      held = [];
      heldBytes = 0;
      handler.onRequestStart?.(outer, context);
    },
    onRequestUpgrade: (_c, status, headers, socket) => handler.onRequestUpgrade?.(outer, status, headers, socket),
    onResponseStart: (_c, status, headers, message) => handler.onResponseStart?.(outer, status, headers, message),
    onResponseData: (_c, chunk) => hold({ data: chunk }),
    onResponseEnd: (_c, trailers) => hold({ end: trailers }),
    onResponseError(_c, err) {
      // The answer failed: what is held of it is no use to anyone.
      held = [];
      heldBytes = 0;
      handler.onResponseError?.(outer, err);
    },
  });
};
