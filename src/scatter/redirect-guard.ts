/**
 * Guards each redirect hop. Composed inside undici's redirect interceptor, so it sees every hop's
 * dispatch options; the request's own origin travels with them under REDIRECT_GUARD. undici already
 * drops Authorization, Cookie and Proxy-Authorization on a cross-origin hop; this also drops the
 * headers the sources file marked secret, refuses a cross-origin hop that would resend a body, and
 * refuses an https → http downgrade outright.
 */
import type { Dispatcher } from 'undici';
import { delegate } from './delegate.js';

/** Dispatch-option key for the per-request guard state; custom keys survive redirect hops. */
export const REDIRECT_GUARD = 'aggRedirectGuard';

/** What the guard needs to know about the request that started the chain. */
export interface RedirectGuardState {
  /** `https://host:port` of the URL the source asked for. */
  readonly origin: string;
  /** Lowercase header names never to send to another origin. */
  readonly secretHeaders: readonly string[];
  /** Set once any hop went over https: from then on plain http is a downgrade. */
  sawHttps?: boolean;
  /**
   * The status of the answer the latest hop got, a redirect included: undici fails a redirect it
   * will not follow (a loop, a bad Location) without passing that answer on, and its status is kept.
   */
  status?: number;
  /** `origin` + path of the latest hop sent: where the answer (or the failure) came from. */
  sentTo?: string;
  /** `origin` + path of a hop refused before it was sent: where the redirect pointed. */
  refusedTo?: string;
}

/** The error a refused downgrade fails with; describe.ts names its code in words. */
class RedirectDowngradeError extends Error {
  readonly code = 'AGG_REDIRECT_DOWNGRADE';
  constructor(to: string) {
    super(`redirect from https to http refused (${to})`);
  }
}

/** The error a refused cross-origin hop with a body fails with; describe.ts names its code in words. */
class RedirectWithBodyError extends Error {
  readonly code = 'AGG_REDIRECT_BODY';
  constructor(to: string) {
    super(`redirect to another origin with a request body refused (${to})`);
  }
}

type Headers = Dispatcher.DispatchOptions['headers'];

/** Drops every header named in `names` from any of the shapes undici carries headers in. */
function dropHeaders(headers: Headers, names: readonly string[]): Headers {
  const keep = (name: unknown): boolean => !names.includes(String(name).toLowerCase());
  if (!headers) return headers;
  if (Array.isArray(headers)) {
    // Either [[name, value], …] or the flat [name, value, name, value, …] that redirect hops use.
    if (headers.length > 0 && Array.isArray(headers[0])) {
      return (headers as unknown as [string, string][]).filter(([name]) => keep(name)) as unknown as Headers;
    }
    const flat: unknown[] = [];
    for (let i = 0; i < headers.length; i += 2) if (keep(headers[i])) flat.push(headers[i], headers[i + 1]);
    return flat as Headers;
  }
  return Object.fromEntries(Object.entries(headers).filter(([name]) => keep(name))) as Headers;
}

/** `handler`, noting in `state` the status of each answer it is given. */
const noteStatus = (handler: Dispatcher.DispatchHandler, state: RedirectGuardState): Dispatcher.DispatchHandler =>
  delegate(handler, {
    onResponseStart(c, status, headers, message) {
      state.status = status;
      return handler.onResponseStart?.(c, status, headers, message);
    },
  });

/** The interceptor: compose it just inside `interceptors.redirect`. */
export const redirectGuard: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, answered) => {
  const state = (opts as { [REDIRECT_GUARD]?: RedirectGuardState })[REDIRECT_GUARD];
  if (!state || !opts.origin) return dispatch(opts, answered);
  const handler = noteStatus(answered, state);
  // A hop refused below keeps the status of the redirect that asked for it; a hop sent gets its own.
  const send = (hop: Dispatcher.DispatchOptions): boolean => {
    state.status = undefined;
    state.sentTo = `${origin}${hop.path}`;
    return dispatch(hop, handler);
  };
  // The first hop's origin is the one the guard was given: not parsed again for each of 1,000 requests.
  const given = String(opts.origin);
  const origin = given === state.origin ? given : new URL(given).origin;
  // The row names where a refused redirect pointed: 'refused: POST <token URL>' alone did not say.
  const refuse = (err: Error): boolean => {
    state.refusedTo = `${origin}${opts.path}`;
    handler.onResponseError?.(null as unknown as Dispatcher.DispatchController, err);
    return true;
  };
  if (origin.startsWith('https:')) state.sawHttps = true;
  else if (state.sawHttps) {
    // Refused before anything is sent: the secret-bearing request never leaves over plain text.
    return refuse(new RedirectDowngradeError(origin));
  }
  if (origin === state.origin) return send(opts);
  // A 307 or 308 resends the body as it was (undici turns 301/302/303 into a bodiless GET). A body
  // holds what headers do elsewhere, an OAuth client secret or an API key, and cannot be stripped
  // piecemeal: such a hop is refused before anything is sent.
  if (opts.body !== undefined && opts.body !== null) {
    return refuse(new RedirectWithBodyError(origin));
  }
  if (state.secretHeaders.length === 0) return send(opts);
  return send({ ...opts, headers: dropHeaders(opts.headers, state.secretHeaders) });
};
