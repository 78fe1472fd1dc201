/**
 * Reads `Content-Encoding: deflate` sent as raw deflate, without the zlib wrapper RFC 9110 §8.4.1.2
 * asks for: old IIS and some PHP servers send it, and curl and browsers read it. undici's decompress
 * interceptor inflates the zlib form only, and failed such a body as `incorrect header check`.
 *
 * Composed just inside decompress, it sees a deflate body before it is decoded, and holds the
 * response's start until the first two bytes say which form it is. A zlib body goes on to decompress
 * as it came. A raw one is held (at most `maxBytes` of it, as keep-reading.ts holds bytes) and
 * inflated here at its end, to at most `maxBytes`, and passed on without its content-encoding, so
 * that decompress lets it through: the size cap still applies to what it inflates to.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { inflateRaw } from 'node:zlib';
import type { Dispatcher } from 'undici';
import { BodyTooLargeError } from './body.js';
import { ChunkQueue } from './chunk-queue.js';
import { HELD_LIMIT } from './keep-reading.js';

/** RFC 1950 §2.2: deflate (method 8) with a window of at most 32 KiB, and CMF × 256 + FLG a multiple of 31. */
const isZlibHeader = (bytes: Buffer): boolean => {
  const cmf = bytes[0] ?? 0;
  return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && (cmf * 256 + (bytes[1] ?? 0)) % 31 === 0;
};

/** The answers undici's decompress decodes (not 204 or 304), when their one encoding is deflate. */
const isDeflated = (status: number, headers: IncomingHttpHeaders): boolean =>
  status >= 200 &&
  status !== 204 &&
  status !== 304 &&
  String(headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase() === 'deflate';

interface Start {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly message: string | undefined;
}

/** The interceptor: compose it just inside `interceptors.decompress`, which then sees only zlib deflate. */
export const rawDeflate: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
  const limit = (opts as { [HELD_LIMIT]?: number })[HELD_LIMIT];
  if (limit === undefined) return dispatch(opts, handler);
  // Per answer (a retry or a redirect hop starts afresh): its start, held until two bytes have come.
  let start: Start | undefined;
  let first = Buffer.alloc(0);
  // A raw body's bytes, inflated at its end; small chunks joined as they come: one Buffer per byte of a
  // body sent one byte per chunk was 150 bytes of memory per byte, and 5 MiB of it needed 750 MB.
  let raw: ChunkQueue | undefined;
  let size = 0;
  const pass = (c: Dispatcher.DispatchController, s: Start, headers: IncomingHttpHeaders): void => {
    start = undefined;
    handler.onResponseStart?.(c, s.status, headers, s.message);
  };
  const hold = (c: Dispatcher.DispatchController, chunk: Buffer): void => {
    size += chunk.length;
    if (size <= limit) raw?.push(chunk);
    else {
      raw = undefined;
      c.abort(new BodyTooLargeError(limit));
    }
  };
  return dispatch(opts, {
    onRequestStart(c, context) {
      start = undefined;
      raw = undefined;
      handler.onRequestStart?.(c, context);
    },
    onRequestUpgrade: (c, status, headers, socket) => handler.onRequestUpgrade?.(c, status, headers, socket),
    onResponseStart(c, status, headers, message) {
      if (!isDeflated(status, headers)) return handler.onResponseStart?.(c, status, headers, message);
      start = { status, headers, message };
      first = Buffer.alloc(0);
      raw = undefined;
      size = 0;
    },
    onResponseData(c, chunk) {
      if (raw) return hold(c, chunk);
      if (!start) return handler.onResponseData?.(c, chunk);
      first = Buffer.concat([first, chunk]);
      if (first.length < 2) return;
      if (isZlibHeader(first)) {
        pass(c, start, start.headers);
        handler.onResponseData?.(c, first);
        return;
      }
      // As decompress does: the length and encoding were the compressed body's.
      const { 'content-encoding': _, 'content-length': __, ...plain } = start.headers;
      pass(c, start, plain);
      raw = new ChunkQueue();
      hold(c, first);
    },
    onResponseEnd(c, trailers) {
      if (start) {
        // Under two bytes: decompress says what is wrong with it.
        pass(c, start, start.headers);
        if (first.length > 0) handler.onResponseData?.(c, first);
      }
      if (!raw) return handler.onResponseEnd?.(c, trailers);
      const body = raw.takeAll();
      raw = undefined;
      // Off the main thread, and stopped at the limit: a small body may inflate to gigabytes.
      inflateRaw(body, { maxOutputLength: limit }, (err, text) => {
        if (c.aborted) return;
        if (!err) {
          handler.onResponseData?.(c, text);
          handler.onResponseEnd?.(c, trailers);
        } else if ((err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE')
          handler.onResponseError?.(c, new BodyTooLargeError(limit));
        else handler.onResponseError?.(c, err);
      });
    },
    onResponseError(c, err) {
      start = undefined;
      raw = undefined;
      handler.onResponseError?.(c, err);
    },
  });
};
