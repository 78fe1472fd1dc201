/**
 * Property: for any JSON a vendor returns, mapping resolves with offers (each with a usable price and
 * inert strings) or rejects with a MappingError, and never pollutes a prototype. Bodies are generated
 * as JSON text and parsed, as send() does, so `__proto__` keys are own properties as in real life.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMapping, compileMapping, MappingError } from '../../src/map/index.js';
import { vendorBodyText } from '../helpers/hostile.js';

// Mappings a config might hold: plain paths, conversions that throw on bad input, whole items kept as
// extras (so `__proto__` keys travel on), joins through $response, and wildcard or descendant reads.
const MAPPINGS = [
  compileMapping('items', { title: 'title', price: 'price', currency: 'currency', url: 'url' }),
  compileMapping('items', { title: 'title', price: '$number(price)', meta: 'meta', raw: '$' }),
  compileMapping('items', { title: '$string(title)', price: 'price * 1', first: '$response.items[0]' }),
  compileMapping('*', { title: 'title', price: 'price', keys: '$keys($)' }),
  compileMapping('**.items', { title: 'title.value', price: 'price' }),
  compileMapping('$', { title: '__proto__', price: '$count(items)', proto: 'constructor.prototype' }),
];

const TERMINAL_ACTIVE = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

/** Every string inside `value`, keys included. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...strings(v)]);
  return [];
}

afterEach(() => {
  // A polluted prototype would make every later test lie; check it after each one too.
  expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
});

describe('mapping, for any vendor JSON', () => {
  it('gives offers with a finite price ≥ 0 and inert strings, or a MappingError; pollutes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(vendorBodyText, fc.nat(MAPPINGS.length - 1), async (text, m) => {
        const body: unknown = JSON.parse(text);
        let mapped: Awaited<ReturnType<typeof applyMapping>> | undefined;
        try {
          mapped = await applyMapping(MAPPINGS[m] as (typeof MAPPINGS)[number], body, 'shop', 'USD');
        } catch (err) {
          expect(err).toBeInstanceOf(MappingError);
          expect((err as MappingError).field).toMatch(/^(offers|fields(\.\w+)?)$/);
        }
        for (const offer of mapped?.offers ?? []) {
          expect(Number.isFinite(offer.price) && offer.price >= 0).toBe(true);
          expect(Object.getPrototypeOf(offer)).toBe(Object.prototype);
          for (const s of strings(offer)) expect(s).not.toMatch(TERMINAL_ACTIVE);
        }
        expect(mapped === undefined || mapped.dropped >= 0).toBe(true);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 400 },
    );
  });

  it('keeps `__proto__`, `constructor` and `prototype` keys as data, and the offer still maps', async () => {
    const body = JSON.parse(
      '{"items":[{"__proto__":{"polluted":1,"price":0},"constructor":{"prototype":{"polluted":1}},"prototype":{"polluted":1},"title":"ok","price":5}]}',
    );
    const { offers } = await applyMapping(MAPPINGS[1] as (typeof MAPPINGS)[number], body, 'shop', 'USD');
    expect(offers).toHaveLength(1);
    const raw = offers[0]?.raw as Record<string, unknown>;
    expect(Object.hasOwn(raw, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(raw)).toBe(Object.prototype);
    expect(raw.constructor).toEqual({ prototype: { polluted: 1 } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('drops and counts prices that are strings, NaN, infinite or negative; never ranks them', async () => {
    const body = JSON.parse(
      '{"items":[{"price":"12"},{"price":1e999},{"price":-1e999},{"price":-0.01},{"price":null},{"price":[1]},{"price":0},{"price":3.5}]}',
    );
    const m = compileMapping('items', { title: '"x"', price: 'price' });
    const { offers, dropped } = await applyMapping(m, body, 'shop', 'USD');
    expect(offers.map((o) => o.price)).toEqual([0, 3.5]);
    expect(dropped).toBe(6);
  });

  it('drops an item with a value nested past 100 levels, naming the field, not a stack overflow', async () => {
    const nest = `${'['.repeat(50_000)}${']'.repeat(50_000)}`;
    const deep = JSON.parse(`{"items":[{"title":"t","price":1,"meta":${nest}},{"title":"u","price":2,"meta":1}]}`);
    // The fast path (plain paths) and JSONata (`$number`): the other item is kept on both.
    for (const price of ['price', '$number(price)']) {
      const m = compileMapping('items', { title: 'title', price, meta: 'meta' });
      const mapped = await applyMapping(m, deep, 'shop', 'USD');
      expect(mapped.offers.map((o) => o.title)).toEqual(['u']);
      expect(mapped).toMatchObject({
        dropped: 1,
        droppedError: 'fields.meta: a value is nested deeper than 100 levels',
      });
    }
  });

  it('maps a huge array in bounded time', async () => {
    const items = Array.from({ length: 50_000 }, (_, i) => ({ title: `t${i}`, price: i % 7 }));
    const m = compileMapping('items', { title: 'title', price: 'price' });
    const { offers } = await applyMapping(m, { items }, 'shop', 'USD');
    expect(offers).toHaveLength(50_000);
  });
});
