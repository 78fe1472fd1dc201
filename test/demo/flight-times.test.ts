/**
 * The example's flight times against the demo vendors: `arrival` (the way out's landing) and `back` (a round
 * trip's way back), local at their airport as `YYYY-MM-DD HH:MM` like `departure`. A round trip read as its
 * way out alone: the title, departure and duration were the outbound's, beside a price for both ways, and
 * nothing said when it came back.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { type DemoServer, startDemoServer } from '../../src/demo/server.js';
import { renderTable } from '../../src/render/table.js';
import { search } from '../../src/search/index.js';
import { durationSeconds } from '../../src/shared/duration-text.js';
import type { Config, Offer, SearchResult } from '../../src/types.js';

const EXAMPLE = fileURLToPath(new URL('../../sources.example.yaml', import.meta.url));
const ONE_WAY = { from: 'JFK', to: 'LHR', date: '2026-12-20' };
const ROUND_TRIP = { ...ONE_WAY, return: '2026-12-27' };
const LOCAL_TIME = /^\d{4}-\d\d-\d\d \d\d:\d\d$/;

let server: DemoServer;
let config: Config;
beforeAll(async () => {
  server = await startDemoServer({ latency: false, failRate: 0 });
  config = loadConfig(EXAMPLE, { AGG_DEMO_URL: server.url });
});
afterAll(() => server.close());

const flights = (params: Record<string, string>): Promise<SearchResult> =>
  search(config, { text: Object.values(params).join(' '), params, tags: ['flights'] });

/** Local wall-clock text plus minutes and hours, as wall-clock text (read as UTC, so no zone moves it). */
const later = (local: string, minutes: number, hours: number): string =>
  new Date(Date.parse(`${local.replace(' ', 'T')}:00Z`) + (minutes + hours * 60) * 60_000)
    .toISOString()
    .slice(0, 16)
    .replace('T', ' ');

describe('one way', () => {
  it('all four map the arrival, local at LHR: departure at JFK (UTC−5), plus the duration, plus 5 hours', async () => {
    const result = await flights(ONE_WAY);
    expect(result.warnings).toEqual([]);
    const bySource = new Map<string, Offer[]>();
    for (const o of result.offers) bySource.set(o.source, [...(bySource.get(o.source) ?? []), o]);
    expect([...bySource.keys()].sort()).toEqual(['amadeus', 'duffel', 'kiwi', 'skyscanner']);
    for (const o of result.offers) {
      expect(o.arrival, o.source).toMatch(LOCAL_TIME);
      const minutes = (durationSeconds(o.duration as string) ?? 0) / 60;
      expect(o.arrival, `${o.source}: ${o.title}`).toBe(later(o.departure as string, minutes, 5));
      // Nothing back on a one-way search, and a title of the way there alone.
      expect(o).not.toHaveProperty('back');
      expect(o.title).toMatch(/^JFK → LHR · /);
    }
    expect(new Set(result.offers.map((o) => o.arrival)).size).toBeGreaterThan(1);
  });
});

describe('round trip', () => {
  it("Duffel's offers say when they come back, and name the route there and back in the title", async () => {
    const [oneWay, trip] = await Promise.all([flights(ONE_WAY), flights(ROUND_TRIP)]);
    // The demo's Amadeus, Kiwi and Skyscanner search one way only: they are error rows here.
    const offers = trip.offers;
    expect(new Set(offers.map((o) => o.source))).toEqual(new Set(['duffel']));
    const out = new Map(oneWay.offers.filter((o) => o.source === 'duffel').map((o) => [o.title, o]));
    for (const o of offers) {
      expect(o.back, o.title).toMatch(/^2026-12-27 \d\d:\d\d$/);
      expect(o.title).toMatch(/^JFK → LHR → JFK · [A-Z0-9]{2} \d+( \+ [A-Z0-9]{2} \d+)*$/);
      // The rest is the way out's, as on the one-way search that sold the same flights.
      const same = out.get(o.title.replace('JFK → LHR → JFK', 'JFK → LHR'));
      expect(same, o.title).toBeDefined();
      for (const field of ['carrier', 'stops', 'departure', 'duration', 'arrival']) {
        expect(o[field], `${o.title} ${field}`).toEqual(same?.[field]);
      }
    }
    expect(new Set(offers.map((o) => o.back)).size).toBeGreaterThan(1);
  });

  it('keeps back over arrival when the table is narrow: extra columns go from the right', async () => {
    const trip = await flights(ROUND_TRIP);
    expect(head(trip, 120)).toEqual(['carrier', 'stops', 'departure', 'duration', 'back']);
    expect(renderTable(trip, { width: 120, color: false })).toContain(
      // The original price (some of the demo's fares are converted) goes first, as the first to go.
      '2 columns hidden for width: original, arrival (see --json)',
    );
  });
});

/** The extra columns a table of `result` shows at `width`. */
const head = (result: SearchResult, width: number): string[] =>
  (renderTable(result, { width, color: false }).split('\n')[1] ?? '')
    .split('│')
    .map((c) => c.trim())
    .slice(1, -1)
    .filter((c) => !['#', 'price', 'original', 'title', 'source'].includes(c));

/** `result` as it was before arrival and back were mapped. */
const without = (result: SearchResult): SearchResult => ({
  ...result,
  fields: result.fields?.filter((f) => f !== 'arrival' && f !== 'back'),
  offers: result.offers.map(({ arrival: _a, back: _b, ...o }) => o as Offer),
});

describe('the table', () => {
  it.each([80, 100, 120])('at %i columns, arrival and back push out no column that was shown', async (width) => {
    for (const result of [await flights(ONE_WAY), await flights(ROUND_TRIP)]) {
      const before = head(without(result), width);
      const after = head(result, width);
      expect(after.filter((c) => c !== 'arrival' && c !== 'back')).toEqual(before);
    }
  });
});
