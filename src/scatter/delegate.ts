/**
 * A dispatch handler that passes every event on to `handler`, but for those `own` handles itself: the
 * shape of agg's small interceptors, each of which changes one or two events and forwards the rest.
 */
import type { Dispatcher } from 'undici';

export function delegate(
  handler: Dispatcher.DispatchHandler,
  own: Partial<Dispatcher.DispatchHandler>,
): Dispatcher.DispatchHandler {
  return {
    onRequestStart: (c, context) => handler.onRequestStart?.(c, context),
    onRequestUpgrade: (c, status, headers, socket) => handler.onRequestUpgrade?.(c, status, headers, socket),
    onResponseStart: (c, status, headers, message) => handler.onResponseStart?.(c, status, headers, message),
    onResponseData: (c, chunk) => handler.onResponseData?.(c, chunk),
    onResponseEnd: (c, trailers) => handler.onResponseEnd?.(c, trailers),
    onResponseError: (c, err) => handler.onResponseError?.(c, err),
    ...own,
  };
}
