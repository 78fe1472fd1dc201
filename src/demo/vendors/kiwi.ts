/**
 * Kiwi.com Tequila, search API: https://tequila.kiwi.com/portal/docs/tequila_api/search_api
 * Quirks kept: dates are dd/mm/yyyy (an ISO date is a 400), the currency is given once at the
 * top level rather than per offer, a flight is a `route[]` of segments (stops = legs − 1), and
 * `local_departure` carries a misleading `Z`.
 */
import { airport, isIata } from '../flights/airports.js';
import { COUNTRIES } from '../flights/countries.js';
import { type Itinerary, vendorItineraries, vendorPrice } from '../flights/itineraries.js';
import { header, intParam, type Vendor, type VendorContext } from '../http.js';
import { hash, token, uuid } from '../random.js';
import { DEMO_RATES, fromUsd } from '../rates.js';

const SEARCH = '/v2/search';
/** Kiwi is the cheapest of the four flight vendors: no markup, prices in `curr` (EUR by default). */
const MARKUP = 1;
const CURRENCIES = ['EUR', 'USD', 'GBP'];
const CABINS: Readonly<Record<string, number>> = { M: 1, W: 1.7, C: 3.8, F: 6 };

/** dd/mm/yyyy → YYYY-MM-DD, or undefined unless it is a real date in that form. */
function kiwiDate(text: string): string | undefined {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text);
  if (!m) return undefined;
  const iso = `${m[3]}-${m[2]}-${m[1]}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(iso) ? iso : undefined;
}

const DAY = 86_400_000;

/** The `Z` is Kiwi's: these are local times. */
const local = (naive: string): string => `${naive}.000Z`;

function flight(it: Itinerary, currency: string, passengers: number, cabin: number) {
  const first = it.segments[0];
  const last = it.segments[it.segments.length - 1];
  if (!first || !last) throw new Error('an itinerary has no segments');
  const price = Math.round(vendorPrice(it, MARKUP, currency) * passengers * cabin);
  const eur = fromUsd(it.usd * MARKUP, 'EUR') * passengers * cabin;
  const id = it.segments.map((s) => token(24, 'kiwi', s.carrier.code, s.number, s.departUtc)).join('_');
  const seconds = it.minutes * 60;
  const place = (code: string) => airport(code);
  return {
    id,
    flyFrom: first.from.code,
    flyTo: last.to.code,
    cityFrom: place(first.from.code).city,
    cityCodeFrom: place(first.from.code).cityCode,
    cityTo: place(last.to.code).city,
    cityCodeTo: place(last.to.code).cityCode,
    countryFrom: { code: first.from.country, name: COUNTRIES[first.from.country] ?? first.from.country },
    countryTo: { code: last.to.country, name: COUNTRIES[last.to.country] ?? last.to.country },
    local_departure: local(first.departLocal),
    utc_departure: first.departUtc,
    local_arrival: local(last.arriveLocal),
    utc_arrival: last.arriveUtc,
    nightsInDest: null,
    quality: Math.round(price * 1.1 + seconds / 600),
    duration: { departure: seconds, return: 0, total: seconds },
    price,
    conversion: { EUR: Math.round(eur), [currency]: price },
    fare: { adults: price, children: 0, infants: 0 },
    availability: { seats: 1 + (hash('seats', id) % 9) },
    airlines: [...new Set(it.segments.map((s) => s.carrier.code))],
    route: it.segments.map((s) => ({
      id: token(24, 'kiwi', s.carrier.code, s.number, s.departUtc),
      flyFrom: s.from.code,
      flyTo: s.to.code,
      cityFrom: s.from.city,
      cityCodeFrom: s.from.cityCode,
      cityTo: s.to.city,
      cityCodeTo: s.to.cityCode,
      local_departure: local(s.departLocal),
      utc_departure: s.departUtc,
      local_arrival: local(s.arriveLocal),
      utc_arrival: s.arriveUtc,
      airline: s.carrier.code,
      flight_no: Number(s.number),
      operating_carrier: s.carrier.code,
      operating_flight_no: s.number,
      fare_category: 'M',
      return: 0,
      bags_recheck_required: false,
      vi_connection: false,
      guarantee: false,
      vehicle_type: 'aircraft',
    })),
    booking_token: token(64, 'booking', id),
    deep_link: `https://www.kiwi.com/deep?affilid=agg-demo&currency=${currency}&flightsId=${id}&from=${first.from.code}&to=${last.to.code}&lang=en&passengers=${passengers}`,
    facilitated_booking_available: true,
    pnr_count: 1,
    has_airport_change: false,
    technical_stops: 0,
    virtual_interlining: false,
  };
}

interface Query {
  from: string;
  to: string;
  dateFrom: string;
  days: number;
  currency: string;
  limit: number;
  /** The seats paid for: adults and children. */
  adults: number;
  cabin: number;
  maxStops: number;
}

/** Validates the query the way Tequila does: the first problem, as `field: message`. */
function parse(url: URL): Query | string {
  const q = url.searchParams;
  const from = q.get('fly_from')?.toUpperCase();
  const to = q.get('fly_to')?.toUpperCase();
  if (!from) return 'fly_from: Missing data for required field.';
  if (!isIata(from)) return `fly_from: Unknown location '${from}'.`;
  if (!to) return 'fly_to: The demo needs a destination.';
  if (!isIata(to)) return `fly_to: Unknown location '${to}'.`;
  const dateFromText = q.get('date_from');
  const dateToText = q.get('date_to');
  if (!dateFromText) return 'date_from: Missing data for required field.';
  if (!dateToText) return 'date_to: Missing data for required field.';
  const dateFrom = kiwiDate(dateFromText);
  if (!dateFrom) return `date_from: Not a valid date: '${dateFromText}', expected dd/mm/yyyy.`;
  const dateTo = kiwiDate(dateToText);
  if (!dateTo) return `date_to: Not a valid date: '${dateToText}', expected dd/mm/yyyy.`;
  const days = (Date.parse(dateTo) - Date.parse(dateFrom)) / DAY;
  if (days < 0) return 'date_to: Must not be before date_from.';
  if (days > 31) return 'date_to: The demo searches at most 31 days at once.';
  // One-way searches only: ignored, a return date got one-way fares, listed as if round trips beside
  // Duffel's, which prices both slices, at half their price.
  for (const name of ['return_from', 'return_to', 'nights_in_dst_from', 'nights_in_dst_to']) {
    // An empty one is no date (as with date_from): a one-way search leaves it out.
    if (q.get(name) === '') return `${name}: Not a valid date: '', expected dd/mm/yyyy.`;
    if (q.has(name)) return `${name}: The demo searches one-way flights only.`;
  }
  const currency = (q.get('curr') ?? 'EUR').toUpperCase();
  if (!CURRENCIES.includes(currency)) return `curr: Must be one of: ${CURRENCIES.join(', ')}.`;
  const limit = intParam(url, 'limit', 20, 1, 1000);
  if (limit === undefined) return 'limit: Must be between 1 and 1000.';
  const adults = intParam(url, 'adults', 1, 1, 9);
  if (adults === undefined) return 'adults: Must be between 1 and 9.';
  // Children pay a seat, as at Duffel: ignored, a family's search was priced for the adults alone.
  const children = intParam(url, 'children', 0, 0, 9);
  if (children === undefined) return 'children: Must be between 0 and 9.';
  const cabin = CABINS[q.get('selected_cabins') ?? 'M'];
  if (cabin === undefined) return 'selected_cabins: Must be one of: M, W, C, F.';
  const maxStops = intParam(url, 'max_stopovers', 9, 0, 9);
  if (maxStops === undefined) return 'max_stopovers: Must be a non-negative integer.';
  return { from, to, dateFrom, days, currency, limit, adults: adults + children, cabin, maxStops };
}

function search(ctx: VendorContext): void {
  const q = parse(ctx.url);
  if (typeof q === 'string') {
    ctx.reply(400, { error: q });
    return;
  }
  const all: Itinerary[] = [];
  for (let d = 0; d <= q.days; d++) {
    const date = new Date(Date.parse(q.dateFrom) + d * DAY).toISOString().slice(0, 10);
    all.push(...vendorItineraries('kiwi', q.from, q.to, date));
  }
  const data = all
    .filter((it) => it.segments.length - 1 <= q.maxStops)
    .sort((a, b) => a.usd - b.usd || a.key.localeCompare(b.key))
    .slice(0, q.limit)
    .map((it) => flight(it, q.currency, q.adults, q.cabin));
  ctx.reply(200, {
    search_id: uuid('kiwi', ctx.url.search),
    currency: q.currency,
    // Units of `currency` per EUR.
    fx_rate: Number(((DEMO_RATES.EUR ?? 1) / (DEMO_RATES[q.currency] ?? 1)).toFixed(4)),
    data,
    _results: data.length,
  });
}

export const kiwi: Vendor = {
  prefix: '/kiwi',
  latencyMs: 300,
  handle(req, _res, ctx) {
    if (!header(req, 'apikey')) {
      ctx.reply(403, { error: 'Forbidden: send your Tequila API key in the apikey header.' });
      return;
    }
    if (ctx.path !== SEARCH) {
      ctx.reply(404, { error: `Not found: ${ctx.path}` });
      return;
    }
    if (req.method !== 'GET') {
      ctx.reply(405, { error: 'Method not allowed' });
      return;
    }
    search(ctx);
  },
};
