/**
 * Made-up flight schedules for the demo vendors, generated from the route and date with seeded
 * randomness: the same search always yields the same flights. All the flight vendors sell
 * the same itineraries (as real ones resell the same airline content), each with its own
 * markup and currency, so that the nominally cheapest figure (Duffel's, in GBP) is not the
 * cheapest once converted (Kiwi's, in USD).
 */
import { fromUsd } from './catalog.js';
import { between, hash, intBetween, pick, type Random, seeded } from './random.js';

export interface Airport {
  readonly code: string;
  readonly name: string;
  readonly city: string;
  readonly cityCode: string;
  readonly country: string;
  readonly lat: number;
  readonly lon: number;
  /** Hours from UTC; no daylight saving in the demo. */
  readonly tz: number;
}

const A = (
  code: string,
  name: string,
  city: string,
  cityCode: string,
  country: string,
  lat: number,
  lon: number,
  tz: number,
): Airport => ({ code, name, city, cityCode, country, lat, lon, tz });

const AIRPORTS: Readonly<Record<string, Airport>> = Object.fromEntries(
  [
    A('JFK', 'John F. Kennedy International Airport', 'New York', 'NYC', 'US', 40.64, -73.78, -5),
    A('EWR', 'Newark Liberty International Airport', 'New York', 'NYC', 'US', 40.69, -74.17, -5),
    A('BOS', 'Logan International Airport', 'Boston', 'BOS', 'US', 42.37, -71.01, -5),
    A('IAD', 'Washington Dulles International Airport', 'Washington', 'WAS', 'US', 38.95, -77.46, -5),
    A('ATL', 'Hartsfield-Jackson Atlanta International Airport', 'Atlanta', 'ATL', 'US', 33.64, -84.43, -5),
    A('MIA', 'Miami International Airport', 'Miami', 'MIA', 'US', 25.8, -80.29, -5),
    A('ORD', "O'Hare International Airport", 'Chicago', 'CHI', 'US', 41.98, -87.9, -6),
    A('DFW', 'Dallas/Fort Worth International Airport', 'Dallas', 'DFW', 'US', 32.9, -97.04, -6),
    A('DEN', 'Denver International Airport', 'Denver', 'DEN', 'US', 39.86, -104.67, -7),
    A('LAX', 'Los Angeles International Airport', 'Los Angeles', 'LAX', 'US', 33.94, -118.41, -8),
    A('SFO', 'San Francisco International Airport', 'San Francisco', 'SFO', 'US', 37.62, -122.38, -8),
    A('SEA', 'Seattle-Tacoma International Airport', 'Seattle', 'SEA', 'US', 47.45, -122.31, -8),
    A('YYZ', 'Toronto Pearson International Airport', 'Toronto', 'YTO', 'CA', 43.68, -79.63, -5),
    A('MEX', 'Mexico City International Airport', 'Mexico City', 'MEX', 'MX', 19.44, -99.07, -6),
    A('GRU', 'São Paulo/Guarulhos International Airport', 'São Paulo', 'SAO', 'BR', -23.43, -46.47, -3),
    A('LHR', 'Heathrow Airport', 'London', 'LON', 'GB', 51.47, -0.45, 0),
    A('LGW', 'Gatwick Airport', 'London', 'LON', 'GB', 51.15, -0.19, 0),
    A('MAN', 'Manchester Airport', 'Manchester', 'MAN', 'GB', 53.35, -2.27, 0),
    A('DUB', 'Dublin Airport', 'Dublin', 'DUB', 'IE', 53.42, -6.27, 0),
    A('CDG', 'Charles de Gaulle Airport', 'Paris', 'PAR', 'FR', 49.01, 2.55, 1),
    A('AMS', 'Amsterdam Airport Schiphol', 'Amsterdam', 'AMS', 'NL', 52.31, 4.76, 1),
    A('FRA', 'Frankfurt Airport', 'Frankfurt', 'FRA', 'DE', 50.04, 8.56, 1),
    A('MUC', 'Munich Airport', 'Munich', 'MUC', 'DE', 48.35, 11.79, 1),
    A('ZRH', 'Zurich Airport', 'Zurich', 'ZRH', 'CH', 47.46, 8.55, 1),
    A('VIE', 'Vienna International Airport', 'Vienna', 'VIE', 'AT', 48.11, 16.57, 1),
    A('CPH', 'Copenhagen Airport', 'Copenhagen', 'CPH', 'DK', 55.62, 12.66, 1),
    A('MAD', 'Adolfo Suárez Madrid–Barajas Airport', 'Madrid', 'MAD', 'ES', 40.49, -3.57, 1),
    A('BCN', 'Josep Tarradellas Barcelona–El Prat Airport', 'Barcelona', 'BCN', 'ES', 41.3, 2.08, 1),
    A('FCO', 'Leonardo da Vinci–Fiumicino Airport', 'Rome', 'ROM', 'IT', 41.8, 12.25, 1),
    A('IST', 'Istanbul Airport', 'Istanbul', 'IST', 'TR', 41.26, 28.74, 3),
    A('DXB', 'Dubai International Airport', 'Dubai', 'DXB', 'AE', 25.25, 55.36, 4),
    A('DOH', 'Hamad International Airport', 'Doha', 'DOH', 'QA', 25.27, 51.61, 3),
    A('DEL', 'Indira Gandhi International Airport', 'Delhi', 'DEL', 'IN', 28.56, 77.1, 5.5),
    A('SIN', 'Singapore Changi Airport', 'Singapore', 'SIN', 'SG', 1.36, 103.99, 8),
    A('HKG', 'Hong Kong International Airport', 'Hong Kong', 'HKG', 'HK', 22.31, 113.91, 8),
    A('ICN', 'Incheon International Airport', 'Seoul', 'SEL', 'KR', 37.46, 126.44, 9),
    A('HND', 'Haneda Airport', 'Tokyo', 'TYO', 'JP', 35.55, 139.78, 9),
    A('SYD', 'Sydney Kingsford Smith Airport', 'Sydney', 'SYD', 'AU', -33.94, 151.18, 10),
    A('JNB', 'O. R. Tambo International Airport', 'Johannesburg', 'JNB', 'ZA', -26.14, 28.25, 2),
  ].map((a) => [a.code, a]),
);

/** A made-up airport for codes the table lacks, so that any well-formed code gets results. */
export function airport(code: string): Airport {
  const known = AIRPORTS[code];
  if (known) return known;
  const rnd = seeded('airport', code);
  const lat = between(rnd, -40, 60);
  const lon = between(rnd, -120, 140);
  return A(code, `${code} Airport`, code, code, 'ZZ', lat, lon, Math.round(lon / 15));
}

interface Carrier {
  readonly code: string;
  readonly name: string;
  readonly hubs: readonly string[];
  /** Price level relative to the market. */
  readonly level: number;
  readonly longHaul: readonly string[];
  readonly shortHaul: readonly string[];
}

const C = (code: string, name: string, hubs: string[], level = 1): Carrier => ({
  code,
  name,
  hubs,
  level,
  longHaul: ['789', '77W', '359', '333'],
  shortHaul: ['320', '32N', '73H', '223'],
});

export const CARRIERS: Readonly<Record<string, Carrier>> = Object.fromEntries(
  [
    C('AA', 'American Airlines', ['JFK', 'DFW', 'ORD', 'MIA']),
    C('DL', 'Delta Air Lines', ['JFK', 'ATL', 'SEA']),
    C('UA', 'United Airlines', ['EWR', 'ORD', 'SFO', 'IAD', 'DEN']),
    C('B6', 'JetBlue Airways', ['JFK', 'BOS'], 0.86),
    C('AC', 'Air Canada', ['YYZ']),
    C('AM', 'Aeromexico', ['MEX'], 0.95),
    C('LA', 'LATAM Airlines', ['GRU'], 0.95),
    C('BA', 'British Airways', ['LHR'], 1.04),
    C('VS', 'Virgin Atlantic', ['LHR', 'MAN']),
    C('EI', 'Aer Lingus', ['DUB'], 0.9),
    C('AF', 'Air France', ['CDG']),
    C('KL', 'KLM Royal Dutch Airlines', ['AMS']),
    C('LH', 'Lufthansa', ['FRA', 'MUC'], 1.03),
    C('LX', 'Swiss International Air Lines', ['ZRH'], 1.06),
    C('OS', 'Austrian Airlines', ['VIE'], 0.97),
    C('SK', 'SAS Scandinavian Airlines', ['CPH'], 0.95),
    C('IB', 'Iberia', ['MAD'], 0.94),
    C('AZ', 'ITA Airways', ['FCO'], 0.95),
    C('TK', 'Turkish Airlines', ['IST'], 0.9),
    C('EK', 'Emirates', ['DXB'], 1.05),
    C('QR', 'Qatar Airways', ['DOH'], 1.02),
    C('AI', 'Air India', ['DEL'], 0.88),
    C('SQ', 'Singapore Airlines', ['SIN'], 1.08),
    C('CX', 'Cathay Pacific', ['HKG'], 1.04),
    C('KE', 'Korean Air', ['ICN']),
    C('NH', 'ANA All Nippon Airways', ['HND'], 1.05),
    C('QF', 'Qantas Airways', ['SYD'], 1.05),
    C('SA', 'South African Airways', ['JNB'], 0.92),
  ].map((c) => [c.code, c]),
);

/** Country names by ISO 3166 code, for vendors that spell them out. */
export const COUNTRIES: Readonly<Record<string, string>> = {
  US: 'United States',
  CA: 'Canada',
  MX: 'Mexico',
  BR: 'Brazil',
  GB: 'United Kingdom',
  IE: 'Ireland',
  FR: 'France',
  NL: 'Netherlands',
  DE: 'Germany',
  CH: 'Switzerland',
  AT: 'Austria',
  DK: 'Denmark',
  ES: 'Spain',
  IT: 'Italy',
  TR: 'Turkey',
  AE: 'United Arab Emirates',
  QA: 'Qatar',
  IN: 'India',
  SG: 'Singapore',
  HK: 'Hong Kong',
  KR: 'South Korea',
  JP: 'Japan',
  AU: 'Australia',
  ZA: 'South Africa',
};

/** Great-circle distance in km. */
function distanceKm(a: Airport, b: Airport): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

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

/** ISO 8601 duration: 430 → `PT7H10M`. */
export function isoDuration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `PT${h ? `${h}H` : ''}${m || !h ? `${m}M` : ''}`;
}

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

/** YYYY-MM-DD and a real calendar date. */
export function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(text);
}

/** An IATA airport code as the APIs want it: three uppercase letters. */
export const isIata = (text: string): boolean => /^[A-Z]{3}$/.test(text);
