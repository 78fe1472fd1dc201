/**
 * Round trips as Amadeus, Duffel and Skyscanner send them (the demo's Amadeus and Skyscanner search one way
 * only; Kiwi's is in real-shapes.test.ts): a second itinerary, slice or leg is the way back. Read by the way
 * out alone, the title, departure and duration described the outbound beside a price for both ways, and
 * nothing said when the traveller came back.
 */
import { describe, expect, it } from 'vitest';
import { applyMapping } from '../../src/map/index.js';
import { sourceOf, VENDOR_CONFIGS } from '../helpers/vendor-configs.js';

// JFK → LHR on a nonstop, and back a week later through DUB.
const OUT = {
  from: 'JFK',
  to: 'LHR',
  carrier: 'B6',
  number: '1279',
  at: '2026-12-20T17:30:00',
  lands: '2026-12-21T05:55:00',
};
const BACK = [
  { from: 'LHR', to: 'DUB', carrier: 'EI', number: '155', at: '2026-12-27T08:05:00', lands: '2026-12-27T09:25:00' },
  { from: 'DUB', to: 'JFK', carrier: 'EI', number: '105', at: '2026-12-27T11:00:00', lands: '2026-12-27T13:35:00' },
];

const amadeus = (legs: (typeof OUT)[][]) => ({
  data: [
    {
      price: { grandTotal: '1299.00', currency: 'EUR' },
      itineraries: legs.map((segments, i) => ({
        duration: i === 0 ? 'PT7H25M' : 'PT10H30M',
        segments: segments.map((s) => ({
          departure: { iataCode: s.from, at: s.at },
          arrival: { iataCode: s.to, at: s.lands },
          carrierCode: s.carrier,
          number: s.number,
          numberOfStops: 0,
        })),
      })),
    },
  ],
});

const duffel = (legs: (typeof OUT)[][]) => ({
  data: {
    offers: [
      {
        total_amount: '1020.00',
        total_currency: 'GBP',
        slices: legs.map((segments, i) => ({
          origin: { iata_code: segments[0]?.from },
          destination: { iata_code: segments.at(-1)?.to },
          duration: i === 0 ? 'PT7H25M' : 'PT10H30M',
          segments: segments.map((s) => ({
            departing_at: s.at,
            arriving_at: s.lands,
            marketing_carrier: { iata_code: s.carrier },
            marketing_carrier_flight_number: s.number,
            stops: [],
          })),
        })),
      },
    ],
  },
});

/** `{year, month, …}` from `2026-12-20T17:30:00`, as Skyscanner writes a local time. */
const skyTime = (t: string) => {
  const [year, month, day, hour, minute] = t.split(/[-T:]/).map(Number);
  return { year, month, day, hour, minute, second: 0 };
};

const skyscanner = (legs: (typeof OUT)[][]) => {
  const id = (segments: (typeof OUT)[]) => segments.map((s) => `${s.carrier}${s.number}`).join('|');
  const all = legs.flat();
  return {
    status: 'RESULT_STATUS_COMPLETE',
    content: {
      results: {
        itineraries: {
          [legs.map(id).join('&')]: {
            legIds: legs.map(id),
            pricingOptions: [{ price: { amount: '1399000' }, items: [{ deepLink: 'https://skyscanner.example/1' }] }],
          },
        },
        legs: Object.fromEntries(
          legs.map((segments, i) => [
            id(segments),
            {
              originPlaceId: segments[0]?.from,
              destinationPlaceId: segments.at(-1)?.to,
              departureDateTime: skyTime(segments[0]?.at ?? ''),
              arrivalDateTime: skyTime(segments.at(-1)?.lands ?? ''),
              durationInMinutes: i === 0 ? 445 : 630,
              stopCount: segments.length - 1,
              marketingCarrierIds: [...new Set(segments.map((s) => s.carrier))],
              segmentIds: segments.map((s) => `${s.carrier}${s.number}`),
            },
          ]),
        ),
        segments: Object.fromEntries(
          all.map((s) => [
            `${s.carrier}${s.number}`,
            { marketingFlightNumber: s.number, marketingCarrierId: s.carrier },
          ]),
        ),
        places: Object.fromEntries(all.flatMap((s) => [s.from, s.to]).map((code) => [code, { iata: code }])),
        carriers: Object.fromEntries(all.map((s) => [s.carrier, { iata: s.carrier }])),
      },
    },
  };
};

const SHAPES = { amadeus, duffel, skyscanner };
const CASES = VENDOR_CONFIGS.flatMap(([file, config]) =>
  Object.entries(SHAPES).map(([vendor, shape]) => [file, vendor, config, shape] as const),
);

describe('a round trip', () => {
  it.each(CASES)(
    '%s, %s: the way out, with when it lands, and when the way back leaves',
    async (_, name, config, shape) => {
      const s = sourceOf(config, name);
      const { offers, dropped } = await applyMapping(s.compiled.mapping, shape([[OUT], BACK]), name, s.currency);
      expect(dropped).toBe(0);
      expect(offers).toEqual([
        expect.objectContaining({
          title: 'JFK → LHR → JFK · B6 1279',
          carrier: 'B6',
          stops: 0,
          departure: '2026-12-20 17:30',
          duration: 'PT7H25M',
          arrival: '2026-12-21 05:55',
          back: '2026-12-27 08:05',
        }),
      ]);
    },
  );

  it.each(CASES)('%s, %s: one way has no back, and its title names the way there', async (_, name, config, shape) => {
    const s = sourceOf(config, name);
    const { offers } = await applyMapping(s.compiled.mapping, shape([BACK]), name, s.currency);
    expect(offers).toHaveLength(1);
    expect(offers[0]).toMatchObject({
      title: 'LHR → JFK · EI 155 + EI 105',
      departure: '2026-12-27 08:05',
      arrival: '2026-12-27 13:35',
      stops: 1,
    });
    expect(offers[0]).not.toHaveProperty('back');
  });
});
