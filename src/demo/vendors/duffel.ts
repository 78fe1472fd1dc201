/**
 * Duffel, create an offer request: https://duffel.com/docs/api/v2/offer-requests/create-offer-request
 * Quirks kept: a POST whose JSON body is wrapped in `data`, a required `Duffel-Version` header,
 * `total_amount` as a string beside `total_currency` (always GBP here, the account's currency),
 * and errors as `{meta, errors: [{type, title, message, code, source?}]}`.
 */
import { type Airport, isIata } from '../flights/airports.js';
import { isIsoDate, isoDuration } from '../flights/iso-8601.js';
import { type Itinerary, type Segment, vendorItineraries, vendorPrice } from '../flights/itineraries.js';
import { bearer, header, type Vendor, type VendorContext } from '../http.js';
import { hash, token } from '../random.js';

const OFFER_REQUESTS = '/air/offer_requests';
const VERSIONS = ['v1', 'v2'];
/** Duffel prices in the account's currency, at a slightly higher markup than the others. */
const CURRENCY = 'GBP';
const MARKUP = 1.06;
const CABINS: Readonly<Record<string, number>> = { economy: 1, premium_economy: 1.7, business: 3.8, first: 6 };
const PASSENGER_TYPES = ['adult', 'child', 'infant_without_seat'];
const DOCS = 'https://duffel.com/docs/api/overview/errors';

interface DuffelError {
  type: string;
  title: string;
  message: string;
  code: string;
  documentation_url: string;
  source?: { field: string; pointer: string };
}

const validation = (field: string, pointer: string, title: string, message: string): DuffelError => ({
  type: 'validation_error',
  title,
  message,
  code: 'validation_format',
  documentation_url: DOCS,
  source: { field, pointer },
});

const requestError = (code: string, title: string, message: string): DuffelError => ({
  type: 'invalid_request_error',
  title,
  message,
  code,
  documentation_url: DOCS,
});

const id = (prefix: string, ...parts: (string | number)[]): string => `${prefix}_0000${token(18, ...parts)}`;

const place = (a: Airport) => ({
  type: 'airport',
  iata_code: a.code,
  iata_city_code: a.cityCode,
  name: a.name,
  city_name: a.city,
  iata_country_code: a.country,
  latitude: a.lat,
  longitude: a.lon,
});

const carrier = (s: Segment) => ({
  id: id('arl', s.carrier.code),
  name: s.carrier.name,
  iata_code: s.carrier.code,
  logo_symbol_url: `https://assets.duffel.com/img/airlines/for-light-background/full-color-logo/${s.carrier.code}.svg`,
});

interface SliceRequest {
  origin: string;
  destination: string;
  departure_date: string;
}

interface Validated {
  slices: SliceRequest[];
  passengers: { type: string }[];
  cabin: string;
}

/** Checks the body the way Duffel does; an array of errors when it is not acceptable. */
function validate(body: string): Validated | DuffelError[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [requestError('malformed_json', 'Malformed JSON', 'The request body is not valid JSON.')];
  }
  const data = (parsed as { data?: unknown } | null)?.data;
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    return [
      requestError('invalid_data_param', 'Invalid data param', "The request body must be an object wrapped in 'data'."),
    ];
  }
  const { slices, passengers, cabin_class } = data as Record<string, unknown>;
  const errors: DuffelError[] = [];
  if (!Array.isArray(slices) || slices.length === 0) {
    errors.push(validation('slices', '/slices', 'Required field', 'Field slices is required and must not be empty'));
  } else {
    slices.forEach((s: Partial<SliceRequest> | null, i) => {
      for (const key of ['origin', 'destination'] as const) {
        const v = s?.[key];
        if (typeof v !== 'string' || !isIata(v)) {
          errors.push(
            validation(key, `/slices/${i}/${key}`, 'Invalid airport', `${key} must be an IATA code such as JFK`),
          );
        }
      }
      const d = s?.departure_date;
      if (typeof d !== 'string' || !isIsoDate(d)) {
        errors.push(
          validation(
            'departure_date',
            `/slices/${i}/departure_date`,
            'Invalid date',
            'departure_date must be a date in the format YYYY-MM-DD',
          ),
        );
        return;
      }
      // No airline sells a way back that leaves before the way out: priced anyway, `return=` a week before
      // `date=` listed round trips for a journey no one can fly.
      const before = (slices[i - 1] as Partial<SliceRequest> | null)?.departure_date;
      if (i > 0 && typeof before === 'string' && isIsoDate(before) && d < before) {
        errors.push(
          validation(
            'departure_date',
            `/slices/${i}/departure_date`,
            'Invalid date',
            `departure_date must not be before the previous slice's (${before})`,
          ),
        );
      }
    });
  }
  if (!Array.isArray(passengers) || passengers.length === 0) {
    errors.push(validation('passengers', '/passengers', 'Required field', 'Field passengers is required'));
  } else {
    passengers.forEach((p: { type?: unknown; age?: unknown } | null, i) => {
      if (!PASSENGER_TYPES.includes(String(p?.type)) && typeof p?.age !== 'number') {
        errors.push(
          validation('type', `/passengers/${i}/type`, 'Invalid passenger', `type must be one of ${PASSENGER_TYPES}`),
        );
      }
    });
  }
  const cabin = cabin_class ?? 'economy';
  if (typeof cabin !== 'string' || !(cabin in CABINS)) {
    errors.push(
      validation('cabin_class', '/cabin_class', 'Invalid cabin', `cabin_class must be one of ${Object.keys(CABINS)}`),
    );
  }
  if (errors.length > 0) return errors;
  return { slices: slices as SliceRequest[], passengers: passengers as { type: string }[], cabin: cabin as string };
}

function offers(req: Validated, requestId: string) {
  const options = req.slices.map((s) => vendorItineraries('duffel', s.origin, s.destination, s.departure_date));
  const first = options[0] ?? [];
  if (options.some((o) => o.length === 0)) return [];
  const paying = req.passengers.filter((p) => p.type !== 'infant_without_seat').length || 1;
  const factor = (CABINS[req.cabin] ?? 1) * paying;
  // One offer per itinerary of the first slice, combined with the n-th option of the others.
  return first.map((_, n) => {
    const chosen: Itinerary[] = options.map((o) => o[n % o.length] as Itinerary);
    const total = chosen.reduce((sum, it) => sum + vendorPrice(it, MARKUP, CURRENCY), 0) * factor;
    const tax = total * 0.21;
    const owner = chosen[0]?.segments[0] as Segment;
    const key = chosen.map((it) => it.key).join('+');
    return {
      id: id('off', requestId, key),
      live_mode: false,
      total_amount: total.toFixed(2),
      total_currency: CURRENCY,
      base_amount: (total - tax).toFixed(2),
      base_currency: CURRENCY,
      tax_amount: tax.toFixed(2),
      tax_currency: CURRENCY,
      total_emissions_kg: String(Math.round(chosen.reduce((s, it) => s + it.minutes, 0) * 1.6)),
      owner: carrier(owner),
      slices: chosen.map((it, i) => {
        const segs = it.segments;
        return {
          id: id('sli', requestId, key, i),
          origin: place((segs[0] as Segment).from),
          destination: place((segs[segs.length - 1] as Segment).to),
          duration: isoDuration(it.minutes),
          fare_brand_name: req.cabin === 'economy' ? 'Basic' : 'Flex',
          segments: segs.map((s, j) => ({
            id: id('seg', requestId, key, i, j),
            origin: place(s.from),
            destination: place(s.to),
            departing_at: s.departLocal,
            arriving_at: s.arriveLocal,
            duration: isoDuration(s.minutes),
            marketing_carrier: carrier(s),
            marketing_carrier_flight_number: s.number,
            operating_carrier: carrier(s),
            operating_carrier_flight_number: s.number,
            aircraft: { name: s.aircraft, iata_code: s.aircraft },
          })),
        };
      }),
      passengers: req.passengers.map((p, i) => ({ id: id('pas', requestId, i), type: p.type })),
    };
  });
}

function create(ctx: VendorContext): void {
  const v = validate(ctx.body);
  if (Array.isArray(v)) {
    ctx.reply(400, { meta: { status: 400, request_id: token(20, 'req', ctx.body) }, errors: v });
    return;
  }
  const requestId = id('orq', ctx.body);
  const withOffers = ctx.url.searchParams.get('return_offers') !== 'false';
  ctx.reply(201, {
    data: {
      id: requestId,
      live_mode: false,
      cabin_class: v.cabin,
      slices: v.slices.map((s) => ({ ...s })),
      passengers: v.passengers.map((p, i) => ({ id: id('pas', requestId, i), type: p.type })),
      offers: withOffers ? offers(v, requestId) : [],
    },
  });
}

export const duffel: Vendor = {
  prefix: '/duffel',
  latencyMs: 700,
  handle(req, _res, ctx) {
    const meta = { status: 0, request_id: token(20, 'req', hash(ctx.url.href, ctx.body)) };
    if (!bearer(req)) {
      ctx.reply(401, {
        meta: { ...meta, status: 401 },
        errors: [
          {
            type: 'authentication_error',
            title: 'Missing authorization header',
            message: 'The Authorization header must be "Bearer <your access token>".',
            code: 'missing_authorization_header',
            documentation_url: DOCS,
          },
        ],
      });
      return;
    }
    const version = header(req, 'duffel-version');
    if (!version || !VERSIONS.includes(version)) {
      ctx.reply(400, {
        meta: { ...meta, status: 400 },
        errors: [
          requestError(
            'unsupported_version',
            'Unsupported version',
            `The Duffel-Version header must be one of ${VERSIONS.join(', ')}; got ${version ?? 'none'}.`,
          ),
        ],
      });
      return;
    }
    if (ctx.path !== OFFER_REQUESTS) {
      ctx.reply(404, {
        meta: { ...meta, status: 404 },
        errors: [requestError('not_found', 'Not found', `No route ${ctx.path}`)],
      });
      return;
    }
    if (req.method !== 'POST') {
      ctx.reply(405, {
        meta: { ...meta, status: 405 },
        errors: [requestError('method_not_allowed', 'Method not allowed', 'Create offer requests with POST.')],
      });
      return;
    }
    create(ctx);
  },
};
