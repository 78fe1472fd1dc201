/**
 * Property: whatever strings a vendor sends, the table, the status lines and the JSON put nothing
 * on a terminal that it would act on, and the CSV is RFC 4180 with every formula neutralised.
 * The renderers get the raw strings here (not the mapper's cleaned ones), so each is proven alone.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyMapping, compileMapping } from '../../src/map/index.js';
import { renderCsv } from '../../src/render/csv.js';
import { orderOffer } from '../../src/render/fields.js';
import { orderSource, renderJson, safeStringify } from '../../src/render/json.js';
import { renderNdjson } from '../../src/render/ndjson.js';
import { renderStatusRows, renderSummary, renderWarnings } from '../../src/render/status.js';
import { renderTable } from '../../src/render/table.js';
import type { Offer, SearchResult } from '../../src/types.js';
import { hostileString, parseCsv, TERMINAL_ACTIVE } from '../helpers/hostile.js';

const extraValue = fc.oneof(
  hostileString,
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 3 }),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);

const offerArb: fc.Arbitrary<Offer> = fc
  .record({
    title: hostileString,
    source: hostileString,
    currency: hostileString,
    url: fc.option(hostileString, { nil: undefined }),
    price: fc.double({ noNaN: true, min: -1e12, max: 1e12 }),
    unconverted: fc.option(fc.constant(true as const), { nil: undefined }),
    extras: fc.array(fc.tuple(hostileString, extraValue), { maxLength: 3 }),
  })
  .map(({ extras, ...o }) => ({ ...Object.fromEntries(extras), ...o }));

const resultArb: fc.Arbitrary<SearchResult> = fc.record({
  query: fc.record({ text: hostileString, params: fc.constant({}) }),
  strategy: fc.constant('all' as const),
  currency: fc.option(hostileString, { nil: undefined }),
  offers: fc.array(offerArb, { maxLength: 4 }),
  sources: fc.array(
    fc.record({
      name: hostileString,
      status: fc.constantFrom('ok', 'error', 'timeout', 'cancelled', 'skipped' as const),
      ms: fc.nat(),
      attempts: fc.nat(5),
      offers: fc.nat(),
      dropped: fc.option(fc.nat(), { nil: undefined }),
      error: fc.option(hostileString, { nil: undefined }),
    }),
    { maxLength: 3 },
  ),
  partial: fc.boolean(),
  elapsedMs: fc.nat(),
  warnings: fc.array(hostileString, { maxLength: 3 }),
});

// agg's own colours: bold cyan headers (cli-table3 may reorder the resets when it truncates one).
const OWN_COLOURS = /\x1b\[(?:1|36|39|22)m/g;
const FORMULA_START = /^[\t\r]|^\s*[=+\-@＝＋－＠]/;

/** The JSON document as one object, the way renderJson wrote it before it wrote in parts. */
const wholeDocument = (r: SearchResult) => ({
  query: r.query,
  strategy: r.strategy,
  currency: r.currency,
  offers: r.offers.map(orderOffer),
  sources: r.sources.map(orderSource),
  partial: r.partial,
  elapsedMs: r.elapsedMs,
  warnings: r.warnings,
});

describe('renderers, for any vendor strings', () => {
  it('the table holds no control character, escape or bidi override; colour adds only agg’s own', () => {
    fc.assert(
      fc.property(resultArb, fc.option(fc.integer({ min: 10, max: 250 }), { nil: undefined }), (result, width) => {
        expect(renderTable(result, { width, color: false })).not.toMatch(TERMINAL_ACTIVE);
        expect(renderTable(result, { width, color: true }).replace(OWN_COLOURS, '')).not.toMatch(TERMINAL_ACTIVE);
      }),
      { numRuns: 200 },
    );
  });

  // Links: a vendor's url behind an http(s) start, so that some parse, with their escapes where a path goes.
  const linkedResultArb = fc
    .tuple(resultArb, fc.array(fc.oneof(hostileString, fc.constant('')), { minLength: 4, maxLength: 4 }))
    .map(([result, paths]) => ({
      ...result,
      offers: result.offers.map((o, i) => ({
        ...o,
        url: i % 2 ? `https://shop.example/${paths[i]}` : `http://${paths[i]}`,
      })),
    }));
  const LINK = /\x1b\]8;;([^\x1b]*)\x1b\\/g;

  it('links add only OSC 8 sequences to an http(s) target of printable ASCII, and change no width or cut', () => {
    fc.assert(
      fc.property(
        linkedResultArb,
        fc.option(fc.integer({ min: 10, max: 250 }), { nil: undefined }),
        (result, width) => {
          const linked = renderTable(result, { width, color: true, links: true });
          for (const [, target] of linked.matchAll(LINK))
            if (target) expect(target).toMatch(/^https?:\/\/[\x21-\x7e]+$/);
          expect(linked.replace(LINK, '')).toBe(renderTable(result, { width, color: true }));
          expect(linked.replace(LINK, '').replace(OWN_COLOURS, '')).not.toMatch(TERMINAL_ACTIVE);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('status lines, the summary and warnings hold none either', () => {
    fc.assert(
      fc.property(resultArb, (result) => {
        const text = renderStatusRows(result.sources) + renderSummary(result) + renderWarnings(result.warnings);
        expect(text).not.toMatch(TERMINAL_ACTIVE);
      }),
      { numRuns: 300 },
    );
  });

  it('JSON and NDJSON escape every terminal-active character and still round-trip', () => {
    fc.assert(
      fc.property(resultArb, (result) => {
        const json = renderJson(result);
        const ndjson = renderNdjson(result);
        // Written in parts, it is still exactly the one document JSON.stringify would make.
        expect(json).toBe(`${safeStringify(wholeDocument(result), 2)}\n`);
        expect(json).not.toMatch(TERMINAL_ACTIVE);
        expect(ndjson).not.toMatch(TERMINAL_ACTIVE);
        expect(JSON.parse(json).offers.map((o: Offer) => o.title)).toEqual(result.offers.map((o) => o.title));
        expect(ndjson.trimEnd().split('\n')).toHaveLength(result.offers.length + result.sources.length + 1);
      }),
      { numRuns: 300 },
    );
  });

  it('CSV parses as RFC 4180, keeps every string, and starts no text cell with a formula character', () => {
    fc.assert(
      fc.property(resultArb, (result) => {
        const rows = parseCsv(renderCsv(result));
        expect(rows).toHaveLength(result.offers.length + 1);
        const [head = [], ...body] = rows;
        for (const row of body) expect(row).toHaveLength(head.length);
        for (const [i, offer] of result.offers.entries()) {
          const title = body[i]?.[head.indexOf('title')];
          expect(title).toBe(FORMULA_START.test(offer.title) ? `'${offer.title}` : offer.title);
          // Numbers stay numbers (`-5` is a value); any other cell that could start a formula is neutralised.
          for (const cell of body[i] ?? [])
            if (FORMULA_START.test(cell)) expect(Number.isNaN(Number(cell))).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('CSV of mapped vendor data holds no control character but its CRLF row ends', async () => {
    const mapping = compileMapping('items', { title: 'title', price: 'price', url: 'url', seller: 'seller' });
    const item = fc.record({ title: hostileString, url: hostileString, seller: hostileString, price: fc.nat() });
    await fc.assert(
      fc.asyncProperty(fc.array(item, { maxLength: 5 }), async (items) => {
        const { offers } = await applyMapping(mapping, { items }, 'shop', 'USD');
        const csv = renderCsv({ ...emptyResult, offers });
        expect(csv.replaceAll('\r\n', '')).not.toMatch(/[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
      }),
      { numRuns: 200 },
    );
  });
});

const emptyResult: SearchResult = {
  query: { text: '', params: {} },
  strategy: 'all',
  offers: [],
  sources: [],
  partial: false,
  elapsedMs: 0,
  warnings: [],
};
