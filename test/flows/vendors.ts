/**
 * Small real vendors for the flow tests: a token endpoint that checks client credentials (form or
 * Basic), an API that wants its Bearer token, a Skyscanner-like create-then-poll search, and a
 * paged list. Each is an ordinary handler for test/helpers/server.ts.
 */
import type http from 'node:http';
import { json } from '../helpers/server.js';

export const CLIENT_ID = 'agg-client-id';
export const CLIENT_SECRET = 'cs_9f8e7d6c5b4a_secret';

/** The tokens a token endpoint hands out, in order; each later one revokes nothing by itself. */
export interface TokenEndpoint {
  issued: string[];
  /** Tokens the API must refuse from now on (to test the refresh on 401). */
  revoked: Set<string>;
  handle(req: http.IncomingMessage, res: http.ServerResponse, body: string): Promise<void> | undefined;
  /** Answers 401 unless the request carries a live token it issued. */
  authorized(req: http.IncomingMessage, res: http.ServerResponse): boolean;
}

/** A token endpoint at `/token` checking credentials sent as `auth` wants (RFC 6749 §2.3.1). */
export function tokenEndpoint(auth: 'body' | 'basic'): TokenEndpoint {
  const issued: string[] = [];
  const revoked = new Set<string>();
  return {
    issued,
    revoked,
    handle(req, res, body) {
      if (!req.url?.startsWith('/token')) return undefined;
      const form = new URLSearchParams(body);
      let id: string | null;
      let secret: string | null;
      if (auth === 'basic') {
        const m = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
        const [u, p] = Buffer.from(m?.[1] ?? '', 'base64')
          .toString()
          .split(':');
        [id, secret] = [u ?? null, p ?? null];
        if (form.has('client_secret')) return json(res, { error: 'invalid_request' }, { status: 400 });
      } else {
        id = form.get('client_id');
        secret = form.get('client_secret');
      }
      const formOk = req.headers['content-type'] === 'application/x-www-form-urlencoded';
      if (!formOk || form.get('grant_type') !== 'client_credentials') {
        return json(res, { error: 'unsupported_grant_type' }, { status: 400 });
      }
      if (id !== CLIENT_ID || secret !== CLIENT_SECRET) {
        // Some vendors echo what they got; agg must still not show it.
        return json(res, { error: 'invalid_client', message: `client secret ${secret} is not valid` }, { status: 401 });
      }
      const token = `tok-${issued.length + 1}-${'x'.repeat(12)}`;
      issued.push(token);
      return json(res, { access_token: token, token_type: 'Bearer', expires_in: 1799, scope: form.get('scope') });
    },
    authorized(req, res) {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (token && issued.includes(token) && !revoked.has(token)) return true;
      void json(res, { errors: [{ title: 'Invalid access token' }] }, { status: 401 });
      return false;
    },
  };
}

/** An itinerary as Skyscanner Live Prices v3 has it: prices as strings in milli-units, legs by id. */
const itinerary = (milli: number, leg: string) => ({
  pricingOptions: [
    { price: { amount: String(milli), unit: 'PRICE_UNIT_MILLI' }, items: [{ deepLink: `https://sky.example/${leg}` }] },
  ],
  legIds: [leg],
});

/**
 * A create-then-poll search: `POST /create` answers with a session and two itineraries; each
 * `POST /poll/<session>` adds one; the cheapest comes only with the last poll, after `polls` polls
 * (never, when `polls` is Infinity). Results are id-keyed maps, replaced whole on each response.
 * `fail` makes that poll (0: the create) and every later one answer `RESULT_STATUS_FAILED`, with
 * no results, as a search the vendor gave up on. `notModified` makes every poll say that nothing changed
 * (`RESULT_ACTION_NOT_MODIFIED`), with no results, as Skyscanner may once it has nothing new.
 */
export function livePrices(polls: number, { fail, notModified }: { fail?: number; notModified?: boolean } = {}) {
  let seen = 0;
  const all: [string, ReturnType<typeof itinerary>][] = [
    ['it-a', itinerary(712_500, 'leg-a')],
    ['it-b', itinerary(650_000, 'leg-b')],
    ['it-c', itinerary(701_000, 'leg-a')],
    ['it-d', itinerary(699_990, 'leg-b')],
  ];
  const cheapest: [string, ReturnType<typeof itinerary>] = ['it-z', itinerary(499_990, 'leg-b')];
  const reply = (res: http.ServerResponse, count: number, complete: boolean) => {
    const failed = fail !== undefined && seen >= fail;
    const same = notModified === true && seen > 0;
    return json(res, {
      sessionToken: 'sess/1 x',
      status: failed ? 'RESULT_STATUS_FAILED' : complete ? 'RESULT_STATUS_COMPLETE' : 'RESULT_STATUS_INCOMPLETE',
      action: same ? 'RESULT_ACTION_NOT_MODIFIED' : 'RESULT_ACTION_REPLACED',
      content: {
        results: {
          itineraries:
            failed || same ? {} : Object.fromEntries([...all.slice(0, count), ...(complete ? [cheapest] : [])]),
          legs: {
            'leg-a': { marketingCarrierIds: ['-32593'], stopCount: 0 },
            'leg-b': { marketingCarrierIds: ['-31722'], stopCount: 1 },
          },
          carriers: { '-32593': { name: 'British Airways', iata: 'BA' }, '-31722': { name: 'Lufthansa', iata: 'LH' } },
        },
      },
    });
  };
  return {
    get polls() {
      return seen;
    },
    handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> | undefined {
      if (req.method === 'POST' && req.url === '/create') return reply(res, 2, polls === 0);
      // The session token is a path segment: agg must percent-encode `$response.sessionToken`.
      if (req.method === 'POST' && req.url === '/poll/sess%2F1%20x') {
        seen++;
        return reply(res, Math.min(2 + seen, all.length), seen >= polls);
      }
      return undefined;
    },
  };
}

/** The sources-file lines for a Skyscanner-like source against `url`. */
export const LIVE_PRICES_SOURCE = (url: string, extra = '') => `
  - name: sky
    currency: USD
    request:
      method: POST
      url: "${url}/create"
      headers: { x-api-key: "key-123456" }
      body: { query: { market: US, currency: USD, legs: [{ from: "{{from}}" }] } }
    poll:
      request: { method: POST, url: "${url}/poll/{{ $response.sessionToken }}" }
      until: status = "RESULT_STATUS_COMPLETE"
      interval: 20ms${extra}
    offers: '$each(content.results.itineraries, function($v, $k) { $merge([$v, {"id": $k}]) })'
    fields:
      title: id
      price: $number(pricingOptions[0].price.amount) / 1000
      url: pricingOptions[0].items[0].deepLink
      carrier: $lookup($response.content.results.carriers, $lookup($response.content.results.legs, legIds[0]).marketingCarrierIds[0]).name`;

/** Three pages of `items`, linked by an absolute `next` URL; `fail` makes that page answer 500. */
export function pagedList(base: () => string, { fail }: { fail?: number } = {}) {
  const pages = [
    [
      { title: 'p1-a', price: 30 },
      { title: 'p1-b', price: 10 },
    ],
    [{ title: 'p2-a', price: 20 }],
    [{ title: 'p3-a', price: 5 }],
  ];
  return (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> | undefined => {
    const m = /^\/list\?.*page=(\d)/.exec(req.url ?? '');
    if (!m) return undefined;
    const n = Number(m[1]);
    if (n === fail) return json(res, { message: 'page store down' }, { status: 500 });
    const next = n < pages.length ? `${base()}/list?q=x&page=${n + 1}` : undefined;
    return json(res, { items: pages[n - 1]?.map((i) => ({ ...i, currency: 'USD' })), next });
  };
}

/** A listing of shiftingList: `url` left out for a vendor that gives none. */
export interface Listing {
  title: string;
  price: number;
  url?: string;
}

/**
 * eBay-like offset paging (`offset`, `limit`, an absolute `next` while listings remain) at `path`, over a
 * list that changes between page requests: once a page is served, `between(list, served)` may edit it,
 * as a live marketplace changes between one request and the next. A listing added on top shifts the
 * others down a place, so the last listing of a page is the first of the next.
 */
export function shiftingList(
  base: () => string,
  path: string,
  list: Listing[],
  between: (list: Listing[], served: number) => void = addOnTop,
) {
  let served = 0;
  return (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> | undefined => {
    const u = new URL(req.url ?? '', 'http://vendor');
    if (u.pathname !== path) return undefined;
    const offset = Number(u.searchParams.get('offset'));
    const limit = Number(u.searchParams.get('limit'));
    const items = list.slice(offset, offset + limit).map((l) => ({ ...l, currency: 'USD' }));
    const more = offset + limit < list.length;
    const next = more ? `${base()}${path}?offset=${offset + limit}&limit=${limit}` : undefined;
    const answered = json(res, { items, next });
    between(list, ++served);
    return answered;
  };
}

/** shiftingList's change between two pages: one listing added on top (`new 1`, `new 2`, …). */
export function addOnTop(list: Listing[], served: number): void {
  list.unshift({ title: `new ${served}`, price: 1, url: `https://shop.example/itm/new-${served}` });
}
