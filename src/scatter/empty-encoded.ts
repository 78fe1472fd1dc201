/**
 * An answer labelled `Content-Encoding: gzip` (or deflate, compress, br, or a stack of them) with no body at all
 * reads as empty, as curl and fetch read it. undici's decompress ended its decoder on no input and
 * failed the answer as `could not decompress the body (unexpected end of file)`: a vendor's empty 200
 * (how some say "none") failed the source, where the same answer without the label is `ok` with no
 * offers. Such an answer is given, at its end, the encoding of nothing, which decodes to nothing.
 *
 * Compose it just inside decompress (and outside raw-deflate.ts, which passes an empty deflate body on
 * as it came). An answer decompress does not decode (204, 304, an encoding it does not know) is left as
 * it is, and so is any answer with a byte of body: a cut-off one still fails as it did.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import type { Dispatcher } from 'undici';
import { delegate } from './delegate.js';

// Every encoding decompress decodes (undici reads `compress` as zlib deflate, as it reads `deflate`):
// one left out, an empty answer labelled `x-compress` still failed as `unexpected end of file`.
const ENCODE: Readonly<Record<string, (bytes: Buffer) => Buffer>> = {
  gzip: gzipSync,
  'x-gzip': gzipSync,
  deflate: deflateSync,
  compress: deflateSync,
  'x-compress': deflateSync,
  br: brotliCompressSync,
};
// Each made once, when first needed: made at load, the three encoders cost every run about 1.3 ms
// before its first request (the brotli and gzip encoders' set-up), for answers that are seldom empty.
const EMPTY = new Map<string, Buffer>();
function emptyIn(encoding: string): Buffer {
  let bytes = EMPTY.get(encoding);
  if (bytes === undefined) {
    bytes = (ENCODE[encoding] as (b: Buffer) => Buffer)(Buffer.alloc(0));
    EMPTY.set(encoding, bytes);
  }
  return bytes;
}

/**
 * Nothing in the encodings `header` lists, in the order they were applied (RFC 9110 §8.4); undefined
 * when one is not decoded here (decompress then passes the answer on as it came).
 */
function emptyBody(header: string | string[] | undefined): Buffer | undefined {
  const encodings = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e !== '');
  if (encodings.length === 0 || !encodings.every((e) => e in ENCODE)) return undefined;
  let bytes = emptyIn(encodings[0] as string);
  for (const e of encodings.slice(1)) bytes = (ENCODE[e] as (b: Buffer) => Buffer)(bytes);
  return bytes;
}

/** The answers undici's decompress decodes: not 1xx, 204 or 304. */
const decoded = (status: number, headers: IncomingHttpHeaders): boolean =>
  status >= 200 && status !== 204 && status !== 304 && headers['content-encoding'] !== undefined;

export const emptyEncoded: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
  // Per answer (a retry or a redirect hop starts afresh): its encoding's nothing, until a byte comes.
  let empty: Buffer | undefined;
  return dispatch(
    opts,
    delegate(handler, {
      onRequestStart(c, context) {
        empty = undefined;
        handler.onRequestStart?.(c, context);
      },
      onResponseStart(c, status, headers, message) {
        empty = decoded(status, headers) ? emptyBody(headers['content-encoding']) : undefined;
        return handler.onResponseStart?.(c, status, headers, message);
      },
      onResponseData(c, chunk) {
        if (chunk.length > 0) empty = undefined;
        return handler.onResponseData?.(c, chunk);
      },
      onResponseEnd(c, trailers) {
        if (empty) handler.onResponseData?.(c, empty);
        empty = undefined;
        handler.onResponseEnd?.(c, trailers);
      },
    }),
  );
};
