/**
 * An error page whose body does not decompress ends where it failed: its status is the answer.
 *
 * decompress (told to decode error pages, for their words) fails such a body with zlib's error, as
 * some proxies send a 503 labelled gzip that is not. The retry interceptor outside it then passed that
 * error on in place of the 503 it was about to retry: a source answering one such 503 and then its
 * offers failed at the first attempt. Ended instead, the page is retried as any other, and one that
 * stands is read as its status (verdict.ts; vendorMessage finds no words in what did decode).
 * Compose it just outside decompress.
 */
import type { Dispatcher } from 'undici';
import { delegate } from './delegate.js';
import { undecodable } from './describe.js';

export const undecodableErrorPage: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
  let status = 0;
  return dispatch(
    opts,
    delegate(handler, {
      onRequestStart(c, context) {
        status = 0;
        handler.onRequestStart?.(c, context);
      },
      onResponseStart(c, code, headers, message) {
        status = code;
        return handler.onResponseStart?.(c, code, headers, message);
      },
      onResponseError(c, err) {
        if (status >= 400 && undecodable(err)) handler.onResponseEnd?.(c, {});
        else handler.onResponseError?.(c, err);
      },
    }),
  );
};
