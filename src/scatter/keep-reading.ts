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
 *
 * Once undici has read the whole answer its request is complete, and its abort() does nothing: an
 * abort while the end is still held here (decompress fails on a corrupt body it paused on) ends the
 * answer here, or the handlers above would hear nothing until the source's time limit.
 */
import type { Dispatcher } from 'undici';
import { BodyTooLargeError } from './body.js';
import { ChunkQueue } from './chunk-queue.js';

/** Dispatch-option key for the most bytes held for a paused handler: the source's `maxBytes`. */
export const HELD_LIMIT = 'aggHeldLimit';

type Trailers = Record<string, string | string[] | undefined>;

/** The interceptor: compose it just inside `interceptors.decompress`, the innermost one that pauses. */
export const keepReading: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
  const limit = (opts as { [HELD_LIMIT]?: number })[HELD_LIMIT];
  if (limit === undefined) return dispatch(opts, handler);
  let inner: Dispatcher.DispatchController | undefined;
  let paused = false;
  const held = new ChunkQueue();
  // The answer's end, once undici has passed it on while chunks were still held: it follows them.
  let heldEnd: { trailers: Trailers } | undefined;
  // undici has passed on the answer's end (the request is complete there), and whether the handler
  // above has had an end or an error yet.
  let innerEnded = false;
  let settled = false;
  let abortedHere: { reason: Error } | undefined;
  const end = (trailers: Trailers): void => {
    settled = true;
    handler.onResponseEnd?.(outer, trailers);
  };
  const drop = (): void => {
    held.clear();
    heldEnd = undefined;
  };
  const outer: Dispatcher.DispatchController = {
    get aborted() {
      return abortedHere !== undefined || (inner?.aborted ?? false);
    },
    get paused() {
      return paused;
    },
    get reason() {
      return abortedHere?.reason ?? inner?.reason ?? null;
    },
    get rawHeaders() {
      return inner?.rawHeaders;
    },
    get rawTrailers() {
      return inner?.rawTrailers;
    },
    abort(reason) {
      if (!innerEnded || settled) {
        inner?.abort(reason);
        return;
      }
      // undici is done with this request: its abort would be a no-op, and the held end never delivered.
      abortedHere = { reason };
      drop();
      settled = true;
      handler.onResponseError?.(outer, reason);
    },
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
      // A handler may pause again while it takes a held chunk: the rest wait for its next resume.
      while (!paused && !held.empty && !outer.aborted) handler.onResponseData?.(outer, held.shift() as Buffer);
      if (!paused && held.empty && heldEnd && !outer.aborted) {
        const { trailers } = heldEnd;
        heldEnd = undefined;
        end(trailers);
      }
    },
  };
  const holdData = (chunk: Buffer): void => {
    if (!paused && held.empty) {
      handler.onResponseData?.(outer, chunk);
      return;
    }
    held.push(chunk);
    if (held.bytes > limit) {
      drop();
      inner?.abort(new BodyTooLargeError(limit));
    }
  };
  return dispatch(opts, {
    onRequestStart(c, context) {
      inner = c;
      paused = false;
      drop();
      innerEnded = false;
      settled = false;
      abortedHere = undefined;
      handler.onRequestStart?.(outer, context);
    },
    onRequestUpgrade: (_c, status, headers, socket) => handler.onRequestUpgrade?.(outer, status, headers, socket),
    onResponseStart: (_c, status, headers, message) => handler.onResponseStart?.(outer, status, headers, message),
    onResponseData: (_c, chunk) => holdData(chunk),
    onResponseEnd(_c, trailers) {
      innerEnded = true;
      if (!paused && held.empty) end(trailers);
      else heldEnd = { trailers };
    },
    onResponseError(_c, err) {
      // The answer failed: what is held of it is no use to anyone.
      drop();
      if (settled) return;
      settled = true;
      handler.onResponseError?.(outer, err);
    },
  });
};
