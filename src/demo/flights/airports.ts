/** The demo's airports, by IATA code: a table of real ones, and a made-up one for any other code. */
import { between, seeded } from '../random.js';

/** An airport, with where it is and its time zone. */
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

/** An IATA airport code as the APIs want it: three uppercase letters. */
export const isIata = (text: string): boolean => /^[A-Z]{3}$/.test(text);
