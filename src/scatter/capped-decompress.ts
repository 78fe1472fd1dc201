/**
 * undici's decompress interceptor, capped at each request's `maxBytes` between stacked encodings too.
 *
 * body.ts counts the bytes it is given, but an answer about to be retried (a 503, a 429) is read to its
 * end by the retry interceptor and dropped before body.ts sees it: a 1 MB gzipped 503 inflated to 1 GB
 * there. And with `Content-Encoding: gzip, gzip, gzip` the decoders are chained, and gunzip ignores what
 * follows a gzip member: a 2 KB body whose middle stage inflated a small member plus 1 GiB of zeros took
 * 5 s of CPU per attempt at `maxBytes: 1MiB`, since the last stage passed on only the member. undici caps
 * every stage at its `maxSize`, which is per interceptor: one is made per request, with that request's limit.
 */
import type { Dispatcher } from 'undici';
import { BodyTooLargeError } from './body.js';
import { delegate } from './delegate.js';
import { HELD_LIMIT } from './keep-reading.js';
import { decompressInterceptor } from './quiet-decompress.js';

// Error pages are decoded too, for the vendor's words (or the quota that makes a 403 a rate limit).
const OPTIONS = { skipErrorResponses: false } as const;

export const cappedDecompress: Dispatcher.DispatcherComposeInterceptor = (dispatch) => {
  const uncapped = decompressInterceptor(OPTIONS)(dispatch);
  return (opts, handler) => {
    const limit = (opts as { [HELD_LIMIT]?: number })[HELD_LIMIT];
    // undici takes only a whole number of bytes, and throws for any other (every request of a library
    // caller's `maxBytes: 1e6 / 3` failed as `invalid request`, compressed or not); NaN sets no limit.
    const maxSize = Math.max(1, Math.min(Math.floor(limit ?? Number.NaN), Number.MAX_SAFE_INTEGER));
    if (limit === undefined || Number.isNaN(maxSize)) return uncapped(opts, handler);
    return decompressInterceptor({ ...OPTIONS, maxSize })(dispatch)(
      opts,
      delegate(handler, {
        // undici's words name sizes in bytes; agg's say `response larger than 10 MiB`, as for any other body.
        onResponseError: (c, err) =>
          handler.onResponseError?.(
            c,
            (err as { code?: unknown }).code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE' ? new BodyTooLargeError(limit) : err,
          ),
      }),
    );
  };
};
