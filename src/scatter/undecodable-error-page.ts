/**
 * An error page whose body does not decompress ends where it failed: its status is the answer.
 *
 * decompress (told to decode error pages, for their words) fails such a body with zlib's error, as
 * some proxies send a 503 labelled gzip that is not. The retry interceptor outside it then passed that
 * error on in place of the 503 it was about to retry: a source answering one such 503 and then its
 * offers failed at the first attempt. Ended instead, the page is retried as any other, and one that
 * stands is read as its status (exchange.ts; vendorMessage finds no words in what did decode).
 * Compose it just outside decompress.
 */
import type { Dispatcher } from 'undici';
import { undecodable } from './describe.js';

export const undecodableErrorPage: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
  let status = 0;
  return dispatch(opts, {
    onRequestStart(c, context) {
      status = 0;
      handler.onRequestStart?.(c, context);
    },
    onRequestUpgrade: (c, code, headers, socket) => handler.onRequestUpgrade?.(c, code, headers, socket),
    onResponseStart(c, code, headers, message) {
      status = code;
      return handler.onResponseStart?.(c, code, headers, message);
    },
    onResponseData: (c, chunk) => handler.onResponseData?.(c, chunk),
    onResponseEnd: (c, trailers) => handler.onResponseEnd?.(c, trailers),
    onResponseError(c, err) {
      if (status >= 400 && undecodable(err)) handler.onResponseEnd?.(c, {});
      else handler.onResponseError?.(c, err);
    },
  });
};
