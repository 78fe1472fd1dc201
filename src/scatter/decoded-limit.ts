/**
 * Stops an answer whose decoded body passes `maxBytes`, read or not.
 *
 * body.ts counts the bytes it is given; an answer about to be retried (a 503, a 429) is read to its
 * end by the retry interceptor and dropped before body.ts sees it. Since error pages are decoded too,
 * a 1 MB gzipped 503 inflated to 1 GB there, seconds of CPU per attempt, where the cap said 10 MiB.
 * Compose it just outside decompress.
 */
import type { Dispatcher } from 'undici';
import { BodyTooLargeError } from './body.js';
import { delegate } from './delegate.js';
import { HELD_LIMIT } from './keep-reading.js';

export const decodedLimit: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
  const limit = (opts as { [HELD_LIMIT]?: number })[HELD_LIMIT];
  if (limit === undefined) return dispatch(opts, handler);
  let size = 0;
  return dispatch(
    opts,
    delegate(handler, {
      onResponseStart(c, status, headers, message) {
        size = 0;
        return handler.onResponseStart?.(c, status, headers, message);
      },
      onResponseData(c, chunk) {
        size += chunk.length;
        if (size > limit) return c.abort(new BodyTooLargeError(limit));
        return handler.onResponseData?.(c, chunk);
      },
    }),
  );
};
