/**
 * Made-up flight schedules for the demo vendors, generated from the route and date with seeded
 * randomness: the same search always yields the same flights. All the flight vendors sell
 * the same itineraries (as real ones resell the same airline content), each with its own
 * markup and currency, so that the nominally cheapest figure (Duffel's, in GBP) is not the
 * cheapest once converted (Kiwi's, in USD).
 */

import { between, hash, intBetween, pick, type Random, seeded } from '../random.js';
import { fromUsd } from '../rates.js';
import { type Airport, airport } from './airports.js';
import { CARRIERS, type Carrier } from './carriers.js';

/** Great-circle distance in km. */
function distanceKm(a: Airport, b: Airport): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

/** One flight of an itinerary. */
export interface Segment {
  readonly from: Airport;
  readonly to: Airport;
  readonly carrier: Carrier;
  readonly number: string;
  readonly aircraft: string;
  /** Naive local times, `YYYY-MM-DDTHH:MM:SS`. */
  readonly departLocal: string;
  readonly arriveLocal: string;
  /** ISO UTC times. */
  readonly departUtc: string;
  readonly arriveUtc: string;
  readonly minutes: number;
}

/** A journey on sale: one flight, or two with a layover. */
export interface Itinerary {
  /** Stable per route and date. */
  readonly key: string;
  readonly segments: readonly Segment[];
  /** Door to door, layovers included. */
  readonly minutes: number;
  /** Market fare in USD, before each vendor's markup. */
  readonly usd: number;
}

const MINUTE = 60_000;

/** `2026-12-20T18:30:00` for a ms timestamp read as UTC. */
const naive = (ms: number): string => new Date(ms).toISOString().slice(0, 19);

const flyingMinutes = (km: number): number => Math.round((35 + km / 13.5) / 5) * 5;

const flightNumber = (carrier: Carrier, from: string, to: string, n: number): string =>
  String(1 + (hash('flight', carrier.code, from, to, n) % 1899));

function segment(carrier: Carrier, from: Airport, to: Airport, departUtcMs: number, n: number): Segment {
  const km = distanceKm(from, to);
  const minutes = flyingMinutes(km);
  const arriveUtcMs = departUtcMs + minutes * MINUTE;
  const rnd = seeded('aircraft', carrier.code, from.code, to.code);
  return {
    from,
    to,
    carrier,
    number: flightNumber(carrier, from.code, to.code, n),
    aircraft: km > 4000 ? pick(rnd, carrier.longHaul) : pick(rnd, carrier.shortHaul),
    departLocal: naive(departUtcMs + from.tz * 3_600_000),
    arriveLocal: naive(arriveUtcMs + to.tz * 3_600_000),
    departUtc: new Date(departUtcMs).toISOString(),
    arriveUtc: new Date(arriveUtcMs).toISOString(),
    minutes,
  };
}

/** UTC ms of a local wall-clock time at `at` on `date` (YYYY-MM-DD). */
function localToUtc(date: string, minutesAfterMidnight: number, at: Airport): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) + minutesAfterMidnight * MINUTE - at.tz * 3_600_000;
}

/** Departure in 5-minute steps between 06:00 and 22:55, local time. */
const departureMinutes = (rnd: Random): number => intBetween(rnd, 72, 275) * 5;

function seasonFactor(date: string): number {
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  if (month === 12 && day >= 15) return 1.25;
  if (month === 7 || month === 8) return 1.18;
  if (month === 1 || month === 2 || month === 11) return 0.9;
  return 1;
}

/** The itineraries on sale from `from` to `to` on `date` (YYYY-MM-DD), cheapest first. */
function itineraries(fromCode: string, toCode: string, date: string): Itinerary[] {
  if (fromCode === toCode) return [];
  const from = airport(fromCode);
  const to = airport(toCode);
  const km = distanceKm(from, to);
  const rnd = seeded('route', fromCode, toCode, date);
  const carriers = Object.values(CARRIERS);
  const out: Itinerary[] = [];
  const season = seasonFactor(date);
  const fare = (c: Carrier, stops: number): number =>
    (70 + km * 0.085) * season * c.level * (stops === 0 ? 1.1 : 1) * between(rnd, 0.88, 1.3);

  // Nonstops: carriers based at either end, one or two departures each.
  const based = carriers.filter((c) => c.hubs.includes(fromCode) || c.hubs.includes(toCode));
  for (const c of based) {
    if (km > 15_500) continue;
    const count = intBetween(rnd, 1, 2);
    for (let n = 0; n < count; n++) {
      const s = segment(c, from, to, localToUtc(date, departureMinutes(rnd), from), n);
      out.push({ key: `${c.code}${s.number}`, segments: [s], minutes: s.minutes, usd: fare(c, 0) });
    }
  }
  // One-stop: carriers whose hub is a sensible detour.
  const via = carriers
    .flatMap((c) => c.hubs.map((hub) => ({ c, hub: airport(hub) })))
    .filter(({ hub }) => hub.code !== fromCode && hub.code !== toCode)
    .map((v) => ({ ...v, detour: (distanceKm(from, v.hub) + distanceKm(v.hub, to)) / Math.max(km, 1) }))
    .filter((v) => v.detour < 1.35 && distanceKm(from, v.hub) > 150 && distanceKm(v.hub, to) > 150)
    .sort((a, b) => a.detour - b.detour || a.c.code.localeCompare(b.c.code));
  const seen = new Set<string>(based.map((c) => c.code));
  for (const { c, hub } of via) {
    if (seen.has(c.code) || seen.size >= based.length + 6) continue;
    seen.add(c.code);
    const first = segment(c, from, hub, localToUtc(date, departureMinutes(rnd), from), 0);
    const layover = intBetween(rnd, 14, 40) * 5;
    const second = segment(c, hub, to, Date.parse(first.arriveUtc) + layover * MINUTE, 1);
    const minutes = first.minutes + layover + second.minutes;
    out.push({ key: `${c.code}${first.number}-${second.number}`, segments: [first, second], minutes, usd: fare(c, 1) });
  }
  return out.sort((a, b) => a.usd - b.usd || a.key.localeCompare(b.key));
}

/**
 * The itineraries one vendor shows: each vendor misses about a quarter of the market, but
 * every vendor has the cheapest, so the comparison across currencies is a fair one.
 */
export function vendorItineraries(vendor: string, fromCode: string, toCode: string, date: string): Itinerary[] {
  return itineraries(fromCode, toCode, date).filter((it, i) => i === 0 || hash(vendor, it.key, date) % 4 !== 0);
}

/** A vendor's price for an itinerary, in `currency`. */
export const vendorPrice = (it: Itinerary, markup: number, currency: string): number =>
  fromUsd(it.usd * markup, currency);
