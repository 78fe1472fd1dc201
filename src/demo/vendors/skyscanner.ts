/**
 * Skyscanner Flights Live Prices v3: https://developers.skyscanner.net/docs/flights-live-prices/overview
 * Quirks kept: create-then-poll (`POST …/search/create`, then `POST …/search/poll/{sessionToken}`
 * until `status` is `RESULT_STATUS_COMPLETE`), and the cheapest fares arrive last; results are
 * maps keyed by id (itineraries → legs → segments, places, carriers) that a mapping must join;
 * prices are strings in milli-units (`"637000"` is 637.00) with no currency beside them (it is the
 * one the query asked for); times are `{year, month, day, hour, minute}` objects, local to the airport.
 */
import { randomBytes } from 'node:crypto';
import { type Airport, isIata } from '../flights/airports.js';
import { isIsoDate } from '../flights/iso-8601.js';
import { type Itinerary, type Segment, vendorItineraries, vendorPrice } from '../flights/itineraries.js';
import { header, type Vendor, type VendorContext } from '../http.js';
import { hash } from '../random.js';

const CREATE = '/v3/flights/live/search/create';
const POLL = '/v3/flights/live/search/poll/';
const MARKUP = 1.03;
const CURRENCIES = ['USD', 'EUR', 'GBP'];
/** `cabinClass` and what it costs over economy, as the demo Kiwi and Duffel price their cabins. */
const CABINS: Readonly<Record<string, number>> = {
  CABIN_CLASS_ECONOMY: 1,
  CABIN_CLASS_PREMIUM_ECONOMY: 1.7,
  CABIN_CLASS_BUSINESS: 3.8,
  CABIN_CLASS_FIRST: 6,
};
/** Share of the results (most expensive first) in the create response and in each poll; the last poll has all. */
const SHARES = [0.4, 0.75, 1];
const MAX_SESSIONS = 1000;

interface Session {
  readonly found: readonly Itinerary[];
  readonly currency: string;
  /** Adults times the cabin's factor: what one itinerary's fare is multiplied by. */
  readonly factor: number;
  polls: number;
}
const sessions = new Map<string, Session>();

/** gRPC-style errors, as the real API sends them. */
const error = (code: number, message: string) => ({ code, message, details: [] });

const placeId = (a: Airport): string => String(95_000_000 + (hash('place', a.code) % 1_000_000));
const carrierId = (code: string): string => `-${30_000 + (hash('carrier', code) % 3000)}`;
const segmentId = (s: Segment): string =>
  `${placeId(s.from)}-${placeId(s.to)}-${s.departLocal.replace(/\D/g, '').slice(2, 12)}-${s.carrier.code}${s.number}`;
const legId = (it: Itinerary): string => it.segments.map(segmentId).join('|');

/** `2026-12-20T17:30:00` (local) → Skyscanner's date-time object. */
function dateTime(local: string) {
  const [date = '', time = ''] = local.split('T');
  const [year, month, day] = date.split('-').map(Number);
  const [hour, minute, second] = time.split(':').map(Number);
  return { year, month, day, hour, minute, second };
}

function results(found: readonly Itinerary[], currency: string, factor: number) {
  const itineraries: Record<string, unknown> = {};
  const legs: Record<string, unknown> = {};
  const segments: Record<string, unknown> = {};
  const places: Record<string, unknown> = {};
  const carriers: Record<string, unknown> = {};
  for (const it of found) {
    const first = it.segments[0];
    const last = it.segments[it.segments.length - 1];
    if (!first || !last) continue;
    const leg = legId(it);
    // A fare is in cents: the milli-unit amount of a payable price ends in 0 (`"655800"`, never `"655801"`).
    const milli = Math.round(vendorPrice(it, MARKUP, currency) * factor * 100) * 10;
    const price = { amount: String(milli), unit: 'PRICE_UNIT_MILLI', updateStatus: 'PRICE_UPDATE_STATUS_UNSPECIFIED' };
    itineraries[leg] = {
      pricingOptions: [
        {
          price,
          agentIds: ['skyd'],
          items: [
            {
              price,
              agentId: 'skyd',
              deepLink: `https://www.skyscanner.net/transport_deeplink/4.0/US/en-US/${currency}/skyd/1/${hash('link', leg).toString(36)}`,
            },
          ],
          transferType: 'TRANSFER_TYPE_MANAGED',
          id: `po-${hash('po', leg).toString(36)}`,
        },
      ],
      legIds: [leg],
      sustainabilityData: null,
    };
    legs[leg] = {
      originPlaceId: placeId(first.from),
      destinationPlaceId: placeId(last.to),
      departureDateTime: dateTime(first.departLocal),
      arrivalDateTime: dateTime(last.arriveLocal),
      durationInMinutes: it.minutes,
      stopCount: it.segments.length - 1,
      marketingCarrierIds: [...new Set(it.segments.map((s) => carrierId(s.carrier.code)))],
      operatingCarrierIds: [...new Set(it.segments.map((s) => carrierId(s.carrier.code)))],
      segmentIds: it.segments.map(segmentId),
    };
    for (const s of it.segments) {
      segments[segmentId(s)] = {
        originPlaceId: placeId(s.from),
        destinationPlaceId: placeId(s.to),
        departureDateTime: dateTime(s.departLocal),
        arrivalDateTime: dateTime(s.arriveLocal),
        durationInMinutes: s.minutes,
        marketingFlightNumber: s.number,
        marketingCarrierId: carrierId(s.carrier.code),
        operatingCarrierId: carrierId(s.carrier.code),
      };
      for (const a of [s.from, s.to]) {
        places[placeId(a)] = { entityId: placeId(a), name: a.name, type: 'PLACE_TYPE_AIRPORT', iata: a.code };
      }
      carriers[carrierId(s.carrier.code)] = { name: s.carrier.name, iata: s.carrier.code, displayCode: s.carrier.code };
    }
  }
  return { itineraries, legs, segments, places, carriers, agents: { skyd: { name: 'Skyscanner Demo Agent' } } };
}

/** The response for a session after `polls` polls: a growing share of the results, cheapest last. */
function reply(ctx: VendorContext, token: string, s: Session): void {
  const share = SHARES[Math.min(s.polls, SHARES.length - 1)] ?? 1;
  const complete = s.polls >= SHARES.length - 1;
  const shown = s.found.slice(0, Math.ceil(s.found.length * share));
  const cheapest = [...shown].sort((a, b) => a.usd - b.usd).map((it) => ({ itineraryId: legId(it), score: 1 }));
  ctx.reply(200, {
    sessionToken: token,
    status: complete ? 'RESULT_STATUS_COMPLETE' : 'RESULT_STATUS_INCOMPLETE',
    action: 'RESULT_ACTION_REPLACED',
    content: {
      results: results(shown, s.currency, s.factor),
      stats: { itineraries: { total: { count: shown.length } } },
      sortingOptions: { cheapest, best: cheapest, fastest: [] },
    },
  });
}

interface Query {
  readonly from: string;
  readonly to: string;
  readonly date: string;
  readonly currency: string;
  readonly factor: number;
}

/** Validates a create body the way the API does: the query, or the first problem. */
function parseQuery(body: string): Query | string {
  let query: {
    currency?: unknown;
    adults?: unknown;
    childrenAges?: unknown;
    cabinClass?: unknown;
    queryLegs?: {
      originPlaceId?: { iata?: unknown };
      destinationPlaceId?: { iata?: unknown };
      date?: Record<string, unknown>;
    }[];
  };
  try {
    query = (JSON.parse(body) as { query?: typeof query }).query ?? {};
  } catch {
    return 'request body is not JSON';
  }
  // One-way searches only: a second leg was ignored, and its one-way fares listed as if round trips beside
  // Duffel's, which prices both slices, at half their price.
  if ((query.queryLegs?.length ?? 0) > 1) return 'query.queryLegs: the demo searches one-way flights only (one leg)';
  const leg = query.queryLegs?.[0];
  const from = leg?.originPlaceId?.iata;
  const to = leg?.destinationPlaceId?.iata;
  const { year, month, day } = leg?.date ?? {};
  const currency = query.currency ?? 'USD';
  if (typeof from !== 'string' || !isIata(from)) return 'query.queryLegs[0].originPlaceId: an IATA code is required';
  if (typeof to !== 'string' || !isIata(to)) return 'query.queryLegs[0].destinationPlaceId: an IATA code is required';
  if (![year, month, day].every((n) => Number.isInteger(n))) {
    return 'query.queryLegs[0].date: year, month and day must be numbers';
  }
  if (typeof currency !== 'string' || !CURRENCIES.includes(currency)) {
    return `query.currency: must be one of ${CURRENCIES.join(', ')}`;
  }
  // Both priced, as the other demo flight vendors price them: ignored, two adults in business were
  // sold one economy seat, and ranked as the cheapest by far.
  const adults = query.adults ?? 1;
  if (typeof adults !== 'number' || !Number.isInteger(adults) || adults < 1 || adults > 8) {
    return 'query.adults: must be a number from 1 to 8';
  }
  // A child from 2 pays a seat, as at Duffel; an infant flies on a lap, free in the demo.
  const ages = query.childrenAges ?? [];
  if (!Array.isArray(ages) || !ages.every((a) => Number.isInteger(a) && a >= 0 && a <= 17)) {
    return 'query.childrenAges: must be a list of ages from 0 to 17';
  }
  const seats = adults + ages.filter((a: number) => a >= 2).length;
  const cabinClass = query.cabinClass ?? 'CABIN_CLASS_ECONOMY';
  const cabin = typeof cabinClass === 'string' && Object.hasOwn(CABINS, cabinClass) ? CABINS[cabinClass] : undefined;
  if (cabin === undefined) return `query.cabinClass: must be one of ${Object.keys(CABINS).join(', ')}`;
  const date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  // A 30 February must not roll over into flights on 2 March, as Date.UTC would make it.
  if (!isIsoDate(date)) return `query.queryLegs[0].date: ${date} is not a date in the calendar`;
  return { from, to, date, currency, factor: seats * cabin };
}

function create(ctx: VendorContext): void {
  const query = parseQuery(ctx.body);
  if (typeof query === 'string') {
    ctx.reply(400, error(3, query));
    return;
  }
  // Most expensive first, so that each poll adds cheaper fares, as the real API's do.
  const found = [...vendorItineraries('skyscanner', query.from, query.to, query.date)].sort((a, b) => b.usd - a.usd);
  const token = randomBytes(18).toString('base64url');
  if (sessions.size >= MAX_SESSIONS) sessions.clear();
  const session: Session = { found, currency: query.currency, factor: query.factor, polls: 0 };
  sessions.set(token, session);
  reply(ctx, token, session);
}

function poll(ctx: VendorContext): void {
  const token = decodeURIComponent(ctx.path.slice(POLL.length));
  const session = sessions.get(token);
  if (!session) {
    ctx.reply(404, error(5, 'session not found or expired'));
    return;
  }
  session.polls++;
  reply(ctx, token, session);
}

export const skyscanner: Vendor = {
  prefix: '/skyscanner',
  latencyMs: 400,
  latencyOf: (path) => (path.startsWith(POLL) ? 150 : undefined),
  handle(req, _res, ctx) {
    if (!header(req, 'x-api-key')) ctx.reply(401, error(16, 'missing or invalid x-api-key'));
    else if (req.method !== 'POST') ctx.reply(405, error(12, 'use POST'));
    else if (ctx.path === CREATE) create(ctx);
    else if (ctx.path.startsWith(POLL)) poll(ctx);
    else ctx.reply(404, error(5, `no such method: ${ctx.path}`));
  },
};
