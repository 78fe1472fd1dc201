/**
 * Amadeus Self-Service, Flight Offers Search (GET): https://developers.amadeus.com/self-service/category/flights/api-doc/flight-offers-search
 * Quirks kept: `price.grandTotal` is a string, carrier and aircraft names live only in
 * `dictionaries`, and errors are `{errors: [{status, code, title, detail, source}]}`. A search
 * needs a token from the client-credentials endpoint (https://developers.amadeus.com/self-service/apis-docs/guides/developer-guides/API-Keys/authorization/).
 */

import { airport, isIata } from '../flights/airports.js';
import { CARRIERS } from '../flights/carriers.js';
import { isIsoDate, isoDuration } from '../flights/iso-8601.js';
import { type Itinerary, vendorItineraries, vendorPrice } from '../flights/itineraries.js';
import { intParam, type Vendor, type VendorContext } from '../http.js';
import { demoTokens } from '../oauth.js';

const SEARCH = '/v2/shopping/flight-offers';
/** Amadeus resells at a small markup, priced in EUR unless `currencyCode` says otherwise. */
const MARKUP = 1.02;
const CURRENCIES: Readonly<Record<string, string>> = { EUR: 'EURO', USD: 'US DOLLAR', GBP: 'POUND STERLING' };
/** `travelClass` and what it costs over economy, as the demo Kiwi and Duffel price their cabins. */
const CLASSES: Readonly<Record<string, number>> = { ECONOMY: 1, PREMIUM_ECONOMY: 1.7, BUSINESS: 3.8, FIRST: 6 };

const AIRCRAFT: Readonly<Record<string, string>> = {
  '789': 'BOEING 787-9',
  '77W': 'BOEING 777-300ER',
  '359': 'AIRBUS A350-900',
  '333': 'AIRBUS A330-300',
  '320': 'AIRBUS A320',
  '32N': 'AIRBUS A320NEO',
  '73H': 'BOEING 737-800 (WINGLETS)',
  '223': 'AIRBUS A220-300',
};

interface AmadeusError {
  status: number;
  code: number;
  title: string;
  detail: string;
  source?: { parameter: string; example?: string };
}

const missing = (parameter: string): AmadeusError => ({
  status: 400,
  code: 32171,
  title: 'MANDATORY DATA MISSING',
  detail: 'This attribute is required',
  source: { parameter },
});

const invalid = (parameter: string, detail: string, example: string): AmadeusError => ({
  status: 400,
  code: 477,
  title: 'INVALID FORMAT',
  detail,
  source: { parameter, example },
});

/** One offer for these travellers (`ADULT`, `CHILD`; infants on a lap fly free in the demo). */
function offer(it: Itinerary, index: number, currency: string, travelers: readonly string[], cabin: number) {
  const total = vendorPrice(it, MARKUP, currency) * travelers.length * cabin;
  const base = total * 0.78;
  return {
    type: 'flight-offer',
    id: String(index + 1),
    source: 'GDS',
    instantTicketingRequired: false,
    nonHomogeneous: false,
    oneWay: false,
    lastTicketingDate: it.segments[0]?.departLocal.slice(0, 10),
    numberOfBookableSeats: 1 + (it.key.length % 9),
    itineraries: [
      {
        duration: isoDuration(it.minutes),
        segments: it.segments.map((s, i) => ({
          departure: { iataCode: s.from.code, at: s.departLocal },
          arrival: { iataCode: s.to.code, at: s.arriveLocal },
          carrierCode: s.carrier.code,
          number: s.number,
          aircraft: { code: s.aircraft },
          operating: { carrierCode: s.carrier.code },
          duration: isoDuration(s.minutes),
          id: String(index * 10 + i + 1),
          numberOfStops: 0,
          blacklistedInEU: false,
        })),
      },
    ],
    price: {
      currency,
      total: total.toFixed(2),
      base: base.toFixed(2),
      fees: [
        { amount: '0.00', type: 'SUPPLIER' },
        { amount: '0.00', type: 'TICKETING' },
      ],
      grandTotal: total.toFixed(2),
    },
    pricingOptions: { fareType: ['PUBLISHED'], includedCheckedBagsOnly: false },
    validatingAirlineCodes: [it.segments[0]?.carrier.code],
    travelerPricings: travelers.map((travelerType, t) => ({
      travelerId: String(t + 1),
      fareOption: 'STANDARD',
      travelerType,
      price: {
        currency,
        total: (total / travelers.length).toFixed(2),
        base: (base / travelers.length).toFixed(2),
      },
    })),
  };
}

function search(ctx: VendorContext): void {
  const q = ctx.url.searchParams;
  const errors: AmadeusError[] = [];
  const origin = q.get('originLocationCode');
  const destination = q.get('destinationLocationCode');
  const date = q.get('departureDate');
  for (const [name, value] of [
    ['originLocationCode', origin],
    ['destinationLocationCode', destination],
  ] as const) {
    if (!value) errors.push(missing(name));
    else if (!isIata(value)) errors.push(invalid(name, `${name} must be a 3-letter IATA code in capitals`, 'JFK'));
  }
  if (!date) errors.push(missing('departureDate'));
  else if (!isIsoDate(date))
    errors.push(invalid('departureDate', 'departureDate must be a date as YYYY-MM-DD', '2026-12-20'));
  const adultsText = q.get('adults');
  const adults = intParam(ctx.url, 'adults', 0, 1, 9);
  if (!adultsText) errors.push(missing('adults'));
  else if (adults === undefined) errors.push(invalid('adults', 'adults must be an integer from 1 to 9', '1'));
  const max = intParam(ctx.url, 'max', 250, 1, 250);
  if (max === undefined) errors.push(invalid('max', 'max must be an integer from 1 to 250', '10'));
  const currency = q.get('currencyCode') ?? 'EUR';
  if (!CURRENCIES[currency]) errors.push(invalid('currencyCode', 'currencyCode must be one of EUR, USD, GBP', 'EUR'));
  // Children pay a seat, as at Duffel: ignored, a family's search was priced for the adults alone.
  const children = intParam(ctx.url, 'children', 0, 0, 9);
  if (children === undefined) errors.push(invalid('children', 'children must be an integer from 0 to 9', '0'));
  // It simulates one-way searches only: ignored, a return date got one-way fares, listed as if round trips
  // beside Duffel's, which prices both slices, at half their price.
  // An empty one is a date that does not parse, as the real API validates it: a one-way search leaves it out.
  if (q.get('returnDate') === '')
    errors.push(invalid('returnDate', 'returnDate must be a date as YYYY-MM-DD; leave it out for one way', ''));
  else if (q.has('returnDate'))
    errors.push(invalid('returnDate', 'the demo searches one-way flights only: leave returnDate out', ''));
  // Ignored, a business-class search was sold economy fares, and ranked below every other vendor's.
  const travelClass = q.get('travelClass') ?? 'ECONOMY';
  const cabin = Object.hasOwn(CLASSES, travelClass) ? CLASSES[travelClass] : undefined;
  if (cabin === undefined)
    errors.push(invalid('travelClass', `travelClass must be one of ${Object.keys(CLASSES).join(', ')}`, 'ECONOMY'));
  const nonStop = q.get('nonStop') ?? 'false';
  if (nonStop !== 'true' && nonStop !== 'false')
    errors.push(invalid('nonStop', 'nonStop must be true or false', 'false'));
  if (errors.length > 0 || !origin || !destination || !date || !adults || !max || !cabin || children === undefined) {
    ctx.reply(400, { errors });
    return;
  }

  const found = vendorItineraries('amadeus', origin, destination, date)
    .filter((it) => nonStop === 'false' || it.segments.length === 1)
    .slice(0, max);
  const travelers = [...Array<string>(adults).fill('ADULT'), ...Array<string>(children).fill('CHILD')];
  const data = found.map((it, i) => offer(it, i, currency, travelers, cabin));
  const self = `${ctx.base}${SEARCH}?${q}`;
  if (data.length === 0) {
    ctx.reply(200, { meta: { count: 0, links: { self } }, data: [] });
    return;
  }
  const segments = found.flatMap((it) => it.segments);
  const codes = [...new Set(segments.flatMap((s) => [s.from.code, s.to.code]))];
  ctx.reply(200, {
    meta: { count: data.length, links: { self } },
    data,
    dictionaries: {
      locations: Object.fromEntries(
        codes.map((c) => [c, { cityCode: airport(c).cityCode, countryCode: airport(c).country }]),
      ),
      aircraft: Object.fromEntries(segments.map((s) => [s.aircraft, AIRCRAFT[s.aircraft] ?? s.aircraft])),
      currencies: { [currency]: CURRENCIES[currency] },
      carriers: Object.fromEntries(
        segments.map((s) => [s.carrier.code, (CARRIERS[s.carrier.code]?.name ?? s.carrier.code).toUpperCase()]),
      ),
    },
  });
}

/** POST /v1/security/oauth2/token with client_id and client_secret as form fields. */
const TOKEN = '/v1/security/oauth2/token';
const tokens = demoTokens('body', (status, error, text) => ({
  error,
  error_description: text,
  code: status === 401 ? 38187 : 38189,
  title: status === 401 ? 'Invalid parameters' : 'Invalid request',
}));

export const amadeus: Vendor = {
  prefix: '/amadeus',
  latencyMs: 1500,
  latencyOf: (path) => (path === TOKEN ? 150 : undefined),
  handle(req, _res, ctx) {
    if (ctx.path === TOKEN) {
      tokens.issue(req, ctx, (token, clientId) => ({
        type: 'amadeusOAuth2Token',
        username: 'demo@agg.example',
        application_name: 'agg demo',
        client_id: clientId,
        token_type: 'Bearer',
        access_token: token,
        expires_in: 1799,
        state: 'approved',
        scope: '',
      }));
      return;
    }
    // Only a token from the endpoint above: a search needs the whole client-credentials exchange.
    if (!tokens.valid(req)) {
      ctx.reply(401, {
        errors: [
          {
            code: 38190,
            title: 'Invalid access token',
            detail: 'The access token provided in the Authorization header is invalid',
            status: 401,
          },
        ],
      });
      return;
    }
    if (ctx.path !== SEARCH) {
      ctx.reply(404, {
        errors: [
          { status: 404, code: 38196, title: 'Resource not found', detail: 'The targeted resource does not exist' },
        ],
      });
      return;
    }
    if (req.method !== 'GET') {
      ctx.reply(405, {
        errors: [{ status: 405, code: 38197, title: 'Method not allowed', detail: 'The demo supports GET only' }],
      });
      return;
    }
    search(ctx);
  },
};
