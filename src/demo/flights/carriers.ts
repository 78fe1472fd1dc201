/** The demo's airlines: their hubs, their price level and the aircraft they fly. */

/** An airline. */
export interface Carrier {
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

/** The airlines, by IATA code. */
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
