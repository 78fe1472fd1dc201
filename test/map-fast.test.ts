import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { BAIL, fieldReader, offersReader, REST_BATCH } from '../src/map/fast.js';
import { applyMapping, compileMapping, type Mapping } from '../src/map/index.js';
import { compileExpression } from '../src/shared/expression.js';
import { RunStopped } from '../src/shared/run-stopped.js';

// The fast path must agree with JSONata wherever it answers; where it cannot vouch for an input it
// answers BAIL and JSONata maps the response. These tests run both on the same inputs.

/** undefined and values, comparable with toEqual (JSONata's result arrays carry extra flags). */
const plain = (v: unknown): unknown => (v === undefined ? '<undefined>' : JSON.parse(JSON.stringify(v)));

const ITEMS: unknown[] = [
  {},
  { a: 1 },
  { a: null },
  { a: 'text' },
  { a: 0, b: false },
  { a: { b: { c: 'deep' } } },
  { a: { b: null } },
  { a: { b: 'str' } },
  { a: { b: [1, 2] } },
  { a: { b: [7] } },
  { a: { b: [] } },
  { a: [{ b: 1 }, { b: 2 }] },
  { a: [{ b: 1 }] },
  { a: [[{ b: 1 }], [{ b: 2 }]] },
  { a: [] },
  { a: { b: { c: [{ d: 1 }] } } },
  { 'my field': { x: 'quoted' }, 'a.b': 'dotted' },
  { images: [{ url: 'u0' }, { url: 'u1' }] },
  { images: [] },
  { images: { url: 'not a list' } },
  { images: [[{ url: 'nested' }]] },
  { images: ['plain string'] },
  JSON.parse('{"__proto__": {"polluted": 1}, "constructor": "own", "a": 2}'),
  { price: { value: '612.40' } },
  { price: { value: '1e3' } },
  { price: { value: '-0.5' } },
  { price: { value: 12 } },
  { price: { value: true } },
  { price: { value: false } },
  { price: { value: null } },
  { price: { value: '' } },
  { price: { value: ' 12' } },
  { price: { value: 'n/a' } },
  { price: { value: '0x1F' } },
  { price: { value: '.5' } },
  { price: { value: '+5' } },
  { price: { value: '007' } },
  { price: { value: '1.' } },
  { price: { value: '1e999' } },
  { price: { value: ['5'] } },
  { price: { value: { amount: 5 } } },
  { price: [{ value: '1' }, { value: '2' }] },
];

const FAST = [
  'a',
  'a.b',
  'a.b.c',
  'a.b.c.d',
  '`my field`.x',
  '`a.b`',
  'images[0].url',
  'images[1].url',
  'images[5].url',
  'a[0].b',
  'price.value',
  '$number(price.value)',
  '$number(a)',
  // Literals: the same for every item.
  '"a"',
  "'USD'",
  '5',
  '-2.5',
  'true',
  'null',
];

const NOT_FAST = [
  '$',
  '$.a',
  '$$.a',
  'a[]',
  'a.b[]',
  'a[-1]',
  'a[$i]',
  'a[b = 1]',
  'a[0][0]',
  'a.*',
  'a.**',
  '*.b',
  'a & b',
  "'USD'[0]",
  "('USD')",
  '$string(a)',
  '$number(a, b)',
  '$number($.a)',
  '$lookup($response.d, a)',
  'constructor',
  '__proto__',
  'a.toString',
  'a.hasOwnProperty',
  'a#$i.b',
  'a@$x.b',
  'a^(b)',
];

describe('fast path: field readers', () => {
  it.each(FAST)('reads %s as JSONata does, or leaves it to JSONata', async (text) => {
    const expr = jsonata(text);
    const read = fieldReader(expr);
    expect(read).toBeDefined();
    let answered = 0;
    for (const item of ITEMS) {
      const fast = read?.(item as Record<string, unknown>);
      if (fast === BAIL) continue;
      answered++;
      let slow: unknown;
      try {
        slow = await expr.evaluate(item);
      } catch (err) {
        throw new Error(`${text} on ${JSON.stringify(item)}: fast path gave ${String(fast)}, JSONata threw ${err}`);
      }
      expect(plain(fast), `${text} on ${JSON.stringify(item)}`).toEqual(plain(slow));
    }
    // Not vacuous: most inputs are answered without JSONata.
    expect(answered).toBeGreaterThan(ITEMS.length / 2);
  });

  it.each(FAST)('reads %s the same from its tree kept as JSON (the config cache’s)', (text) => {
    const read = fieldReader(jsonata(text));
    const kept = fieldReader({ ast: () => JSON.parse(JSON.stringify(jsonata(text).ast())) } as jsonata.Expression);
    const answer = (r: typeof read, item: unknown) => {
      const v = r?.(item as Record<string, unknown>);
      return v === BAIL ? '<bail>' : plain(v);
    };
    for (const item of ITEMS)
      expect(answer(kept, item), `${text} on ${JSON.stringify(item)}`).toEqual(answer(read, item));
  });

  it.each(NOT_FAST)('keeps %s in JSONata', (text) => {
    expect(fieldReader(jsonata(text))).toBeUndefined();
  });

  it('answers plain objects without JSONata', () => {
    const read = (text: string, item: object) => fieldReader(jsonata(text))?.(item as Record<string, unknown>);
    expect(read('a.b.c', { a: { b: { c: 1 } } })).toBe(1);
    expect(read('a.b.c', { a: {} })).toBeUndefined();
    expect(read('images[0].url', { images: [{ url: 'u' }] })).toBe('u');
    expect(read('$number(price.value)', { price: { value: '9.99' } })).toBe(9.99);
    expect(read('$number(price.value)', {})).toBeUndefined();
  });

  it('never reads through the prototype', () => {
    const read = fieldReader(jsonata('a.b'));
    expect(read?.({ a: Object.create({ b: 'inherited' }) })).toBeUndefined();
    const own = JSON.parse('{"a": {"__proto__": "own"}}');
    expect(fieldReader(jsonata('a.`__proto__`'))).toBeUndefined();
    expect(read?.(own)).toBeUndefined();
  });

  it('leaves mid-path arrays, array values and odd $number input to JSONata', () => {
    const read = (text: string, item: object) => fieldReader(jsonata(text))?.(item as Record<string, unknown>);
    expect(read('a.b', { a: [{ b: 1 }, { b: 2 }] })).toBe(BAIL);
    expect(read('a.b', { a: { b: [7] } })).toBe(BAIL);
    expect(read('$number(a)', { a: 'n/a' })).toBe(BAIL);
    expect(read('$number(a)', { a: '0x1F' })).toBe(BAIL);
  });
});

describe('fast path: offers', () => {
  const BODIES: unknown[] = [
    {},
    { items: [] },
    { items: [{ t: 1 }, { t: 2 }] },
    { items: { t: 'single' } },
    { items: [[{ t: 1 }], [{ t: 2 }]] },
    { items: ['s', { t: 1 }] },
    { items: [null] },
    { items: 'text' },
    { items: null },
    { data: { items: [{ t: 1 }] } },
    { data: [{ items: [{ t: 1 }] }] },
    [{ items: [{ t: 1 }] }],
  ];
  it.each(['items', 'data.items'])('finds the items of %s as JSONata does, or leaves them to it', async (text) => {
    const expr = jsonata(text);
    const read = offersReader(expr);
    expect(read).toBeDefined();
    for (const body of BODIES) {
      const fast = read?.(body);
      if (fast === BAIL) continue;
      // applyMapping's slow path reads `offers` as `[(offers)]`-like: a missing or null list is none, one
      // object is one.
      const slow = await expr.evaluate(body);
      const asList = Array.isArray(slow) ? slow : slow === undefined || slow === null ? [] : [slow];
      expect(plain(fast), `${text} on ${JSON.stringify(body)}`).toEqual(plain(asList));
    }
  });
});

describe('fast path: applyMapping', () => {
  /** The same mapping with the fast path removed: JSONata all the way. */
  // The slow path alone; with the locator, so that an item's error names its field on both paths.
  const jsonataOnly = (m: Mapping): Mapping => ({
    fused: m.fused,
    offers: m.offers,
    item: m.item,
    ...(m.fieldAt ? { fieldAt: m.fieldAt } : {}),
    ...(m.offersText === undefined ? {} : { offersText: m.offersText }),
  });

  const BODIES: unknown[] = [
    { total: 0 },
    {
      dict: { 1000: 'New' },
      itemSummaries: [
        { title: 'clean', price: { value: '1.50', currency: 'gbp' }, cond: '1000', img: [{ url: 'i' }], tags: 'one' },
        { title: 'no price', cond: '2000', seller: { username: 'x' } },
      ],
    },
    { itemSummaries: { title: 'one', price: { value: '5', currency: 'usd' } } },
    {
      dict: { 1000: 'New', 3000: 'Used' },
      itemSummaries: [
        { title: 'a', price: { value: '10.50', currency: 'EUR' }, cond: '1000', seller: { username: 's' } },
        { title: 'b', price: { value: 'n/a' }, cond: '3000' },
        { title: 'c', price: { value: 7 }, img: [{ url: 'u' }], seller: { username: null } },
        { title: 'd', price: { value: '0x10' } },
        { title: 'e', price: [{ value: '1' }, { value: '2' }] },
        { title: 'f', price: { value: '3' }, tags: ['x'] },
        { title: { nested: true }, price: { value: '4' } },
      ],
    },
    { itemSummaries: [[{ title: 'nested', price: { value: '1' } }]] },
    { itemSummaries: ['string item', { title: 'g', price: { value: '2' } }] },
  ];

  const MAPPINGS: Record<string, string>[] = [
    { title: 'title', price: '$number(price.value)', currency: 'price.currency' },
    { title: 'title', price: '$number(price.value)', seller: 'seller.username', image: 'img[0].url', tags: 'tags' },
    { title: 'title', price: '$number(price.value)', condition: '$lookup($response.dict, cond)' },
    { price: '$number(price.value) * 2', title: 'title' },
    { title: 'title', price: '$number(price.value)', currency: "'EUR'", cabin: "'economy'", stock: '1' },
  ];

  it.each(MAPPINGS.map((m) => [Object.values(m).join(', '), m] as const))(
    'maps %s exactly as JSONata does',
    async (_, fields) => {
      const mapping = compileMapping('itemSummaries', fields);
      expect(mapping.fast).toBeDefined();
      for (const body of BODIES) {
        const fast = await applyMapping(mapping, body, 's', 'USD');
        const slow = await applyMapping(jsonataOnly(mapping), body, 's', 'USD');
        // Key order too: it is the order of the JSON output.
        expect(JSON.stringify(fast), JSON.stringify(body)).toBe(JSON.stringify(slow));
      }
    },
  );

  it('maps a clean response without evaluating any JSONata when every field is a path or a literal', async () => {
    const { fast } = compileMapping('itemSummaries', {
      title: 'title',
      price: '$number(price.value)',
      cabin: "'economy'",
    });
    const never = (): jsonata.Expression => {
      throw new Error('JSONata was used');
    };
    const mapping = {
      get fused() {
        return never();
      },
      get offers() {
        return never();
      },
      get item() {
        return never();
      },
      fast,
    };
    const body = { itemSummaries: [{ title: 'a', price: { value: '2' } }, { title: 'b' }] };
    expect(await applyMapping(mapping, body, 's', 'USD')).toEqual({
      offers: [{ source: 's', title: 'a', price: 2, currency: 'USD', cabin: 'economy' }],
      dropped: 1,
      droppedError: 'fields.price: no value, where one other item has one: the vendor leaves it out of some',
    });
  });

  // One evaluation over the whole answer had the 5 s guardrail for all of it: 90,000 items of eight simple
  // JSONata fields (under the 10 MiB cap) failed the source as "an endless loop, or too much data?".
  it('evaluates the JSONata fields over batches of REST_BATCH items, so the time limit bounds a batch', async () => {
    const mapping = compileMapping('items', { title: 't', price: 'p', tag: '$uppercase(t)', at: '$$.store' });
    const { counted, batches } = countingRest(mapping);
    const count = 2 * REST_BATCH + 5;
    const body = { store: 'main', items: Array.from({ length: count }, (_, i) => ({ t: `x${i}`, p: 1 })) };
    const out = await applyMapping(counted, body, 's', 'USD');
    expect(batches).toEqual([REST_BATCH, REST_BATCH, 5]);
    expect(out.offers).toHaveLength(count);
    // In order, and `$$` is still the whole answer.
    expect(out.offers[count - 1]).toMatchObject({ title: `x${count - 1}`, tag: `X${count - 1}`, at: 'main' });
    expect(out.offers[REST_BATCH]).toMatchObject({ title: `x${REST_BATCH}`, tag: `X${REST_BATCH}` });
  });

  // The JSONata fields ran over every item before the plain reads met a value only JSONata may read (a
  // `$number` of "n/a"), and again on the slow path: 90,000 items with one such price took 23 s, not 8.
  it('hands an answer a plain read bails on to the slow path before any JSONata field runs on the fast one', async () => {
    const mapping = compileMapping('items', { title: 't', price: '$number(p)', tag: '$uppercase(t)' });
    const { counted, batches } = countingRest(mapping);
    const items = Array.from({ length: REST_BATCH + 5 }, (_, i) => ({
      t: `x${i}`,
      p: i === REST_BATCH + 2 ? 'n/a' : '1',
    }));
    const out = await applyMapping(counted, { items }, 's', 'USD');
    expect(batches).toEqual([]);
    expect(out.offers).toHaveLength(REST_BATCH + 4);
    expect(out.dropped).toBe(1);
    expect(out.offers[REST_BATCH + 3]).toMatchObject({ title: `x${REST_BATCH + 4}`, tag: `X${REST_BATCH + 4}` });
    // And an answer it vouches for still has its JSONata fields, batch by batch.
    const good = await applyMapping(counted, { items: items.slice(0, 3) }, 's', 'USD');
    expect(good.offers.map((o) => o.tag)).toEqual(['X0', 'X1', 'X2']);
    expect(batches).toEqual([3]);
  });

  /**
   * `mapping` with its fast path's JSONata fields counted: the number of items each evaluation of them
   * is given, in `batches`.
   */
  function countingRest(mapping: ReturnType<typeof compileMapping>): { counted: Mapping; batches: number[] } {
    const fast = mapping.fast as NonNullable<typeof mapping.fast>;
    const rest = (fast.rest as () => jsonata.Expression)();
    const batches: number[] = [];
    const counted = {
      get fused() {
        return mapping.fused;
      },
      get offers() {
        return mapping.offers;
      },
      get item() {
        return mapping.item;
      },
      offersText: mapping.offersText,
      fieldAt: mapping.fieldAt,
      fast: {
        ...fast,
        rest: () =>
          ({
            evaluate: (input: unknown, bindings: Record<string, unknown[]>) => {
              batches.push(bindings.agg_item?.length ?? -1);
              return rest.evaluate(input, bindings);
            },
          }) as unknown as jsonata.Expression,
      },
    };
    return { counted: counted as unknown as Mapping, batches };
  }

  /**
   * `mapping` with its item expression counted (the number of items each evaluation is given, in `calls`)
   * and no fused evaluation: one over the whole answer throws.
   */
  function countingItems(mapping: ReturnType<typeof compileMapping>): { counted: Mapping; calls: number[] } {
    const item = mapping.item;
    const calls: number[] = [];
    const counted = {
      ...(mapping.fast ? { fast: mapping.fast } : {}),
      fieldAt: mapping.fieldAt,
      fieldNames: mapping.fieldNames,
      offersText: mapping.offersText,
      get offers() {
        return mapping.offers;
      },
      get fused(): jsonata.Expression {
        throw new Error('one evaluation over the whole answer');
      },
      get item() {
        return {
          evaluate: (input: unknown, bindings: Record<string, unknown[]>) => {
            calls.push(bindings.agg_item?.length ?? -1);
            return item.evaluate(input, bindings);
          },
        } as unknown as jsonata.Expression;
      },
    };
    return { counted: counted as unknown as Mapping, calls };
  }

  // A value the fast path cannot vouch for sent the whole answer through one fused evaluation, and an item
  // that threw there, item by item through all of it: over 90,000 items, one bad one failed the source as
  // "stopped after 5s". Batches bound each evaluation, and only the batch that threw goes item by item.
  it('maps an answer the fast path bails on over batches, item by item only in the batch that threw', async () => {
    const mapping = compileMapping('items', { title: 't', price: '$number(p)', tag: '$uppercase(t)' });
    const { counted, calls } = countingItems(mapping);
    const count = 2 * REST_BATCH + 5;
    const items: { t: string; p: unknown }[] = Array.from({ length: count }, (_, i) => ({ t: `x${i}`, p: 1 }));
    // An object: the fast `$number` cannot vouch for it (BAIL), and JSONata's throws on it.
    (items[REST_BATCH + 3] as { p: unknown }).p = { amount: 1 };
    const out = await applyMapping(counted, { items }, 's', 'USD');
    expect(out.offers).toHaveLength(count - 1);
    expect(out.dropped).toBe(1);
    expect(out.droppedError).toMatch(/^fields\.price: /);
    expect(out.offers[count - 2]).toMatchObject({ title: `x${count - 1}`, tag: `X${count - 1}` });
    // Three batches; the second, which threw, again one item at a time.
    expect(calls.filter((n) => n > 1)).toEqual([REST_BATCH, REST_BATCH, 5]);
    expect(calls.filter((n) => n === 1)).toHaveLength(REST_BATCH);
  });

  // The same for an `offers` that is an expression (`items[price > 0]`), which has no fast path: its items
  // went through one fused evaluation, whose time limit 90,000 of them with eight simple fields ran past.
  it('maps the items of an `offers` expression over batches, when they are plain objects', async () => {
    const mapping = compileMapping('items[p > 0]', { title: 't', price: 'p', tag: '$uppercase(t)' });
    expect(mapping.fast).toBeUndefined();
    const { counted, calls } = countingItems(mapping);
    const count = REST_BATCH + 7;
    const items = Array.from({ length: count + 1 }, (_, i) => ({ t: `x${i}`, p: i }));
    const out = await applyMapping(counted, { items }, 's', 'USD');
    expect(calls).toEqual([REST_BATCH, 7]);
    expect(out.offers).toHaveLength(count);
    expect(out.offers[count - 1]).toMatchObject({ title: `x${count}`, tag: `X${count}` });
  });

  // Each batch has its own 5 s, so a large answer is no longer one bounded evaluation: it looks at the
  // run between batches, and one of a single batch (nearly every answer) is mapped whole as before.
  it('stops between batches once the run has ended, and maps an answer of one batch whole', async () => {
    const mappings: Record<string, string>[] = [
      { title: 't', price: 'p', tag: '$uppercase(t)' },
      { title: 't', price: '$number(p)' },
    ];
    for (const fields of mappings) {
      const { counted, calls } = countingItems(compileMapping('items', fields));
      const ended = AbortSignal.abort({ status: 'timeout', reason: 'deadline 1s passed' });
      const items = Array.from({ length: 2 * REST_BATCH + 5 }, (_, i) => ({ t: `x${i}`, p: { amount: i } }));
      const stopped = await applyMapping(counted, { items }, 's', 'USD', ended).catch((err: unknown) => err);
      expect(stopped).toBeInstanceOf(RunStopped);
      expect((stopped as RunStopped).why).toEqual({ status: 'timeout', reason: 'deadline 1s passed' });
      // The first batch only (on the fast path its JSONata fields are not the item expression counted here).
      expect(calls.filter((n) => n > 1).length).toBeLessThanOrEqual(1);
      const one = { items: items.slice(0, 3).map((it) => ({ ...it, p: 1 })) };
      expect((await applyMapping(counted, one, 's', 'USD', ended)).offers).toHaveLength(3);
    }
  });

  it('has no fast path when `offers` is a real expression', () => {
    expect(compileMapping('items[price > 0]', { title: 't', price: 'p' }).fast).toBeUndefined();
  });
});

describe('compiled expressions', () => {
  it('are shared by text, so sources of one shape compile their fields once', () => {
    expect(compileExpression('price.value', 'fields.price')).toBe(compileExpression('price.value', 'fields.x'));
    const a = compileMapping('items', { title: 't', price: '$number(p)' });
    const b = compileMapping('items', { title: 't', price: '$number(p)' });
    expect(a.offers).toBe(b.offers);
    expect(a.fast?.fields[1]?.[1]).toBe(b.fast?.fields[1]?.[1]);
  });
});
