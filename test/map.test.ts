import { describe, expect, it } from 'vitest';
import { applyMapping, compileMapping } from '../src/map/index.js';
import { priceProblem } from '../src/map/offer.js';
import { ExpressionError, guardrails, setGuardrails } from '../src/shared/expression.js';
import { cleanText } from '../src/shared/sanitize.js';

const amadeusLike = compileMapping('data', {
  title: 'id',
  price: '$number(price.grandTotal)',
  currency: 'price.currency',
  carrier: '$lookup($response.dictionaries.carriers, carrierCode)',
});

describe('mapping', () => {
  it('is shared by sources of one shape, and compiled anew under other guardrails', () => {
    const fields = { title: 'name', price: '$number(cost)' };
    const first = compileMapping('items', fields);
    expect(compileMapping('items', { ...fields })).toBe(first);
    expect(compileMapping('items', { price: '$number(cost)', title: 'name' })).not.toBe(first);
    expect(compileMapping('results', fields)).not.toBe(first);
    const previous = setGuardrails({ timeout: guardrails().timeout + 1 });
    try {
      expect(compileMapping('items', fields)).not.toBe(first);
    } finally {
      setGuardrails(previous);
    }
  });

  it('joins through $response and turns string prices into numbers', async () => {
    const body = {
      data: [{ id: 'o1', price: { grandTotal: '612.40', currency: 'EUR' }, carrierCode: 'BA' }],
      dictionaries: { carriers: { BA: 'BRITISH AIRWAYS' } },
    };
    expect((await applyMapping(amadeusLike, body, 'amadeus', undefined)).offers).toEqual([
      { source: 'amadeus', title: 'o1', price: 612.4, currency: 'EUR', carrier: 'BRITISH AIRWAYS' },
    ]);
  });

  it('drops and counts items without a finite price, keeping the rest', async () => {
    const m = compileMapping('items', { title: 'name', price: 'price' });
    const body = {
      items: [{ name: 'a', price: 1 }, { name: 'b', price: '2' }, { name: 'c' }, { name: 'd', price: 4 }],
    };
    const out = await applyMapping(m, body, 's', 'USD');
    expect(out.offers.map((o) => o.title)).toEqual(['a', 'd']);
    expect(out.dropped).toBe(2);
  });

  it('keeps the largest finite price as it is: taking out binary noise rounds it up to Infinity', async () => {
    const body = { items: [{ title: 'max', price: Number.MAX_VALUE, currency: 'USD' }] };
    // The plain-path mapping and a computed one (JSONata), which both make the offer the same way.
    for (const price of ['price', 'price * 1']) {
      const m = compileMapping('items', { title: 'title', price, currency: 'currency' });
      expect((await applyMapping(m, body, 's', 'USD')).offers.map((o) => o.price)).toEqual([Number.MAX_VALUE]);
    }
  });

  it('reads a null list as no items, on either path, and still counts a null in a list as dropped', async () => {
    // `"items": null` is how many APIs (any Go one) say "none": not one item dropped for want of a price.
    const plainPath = compileMapping('items', { title: 'name', price: 'price' });
    const fused = compileMapping('items', { title: '$uppercase(name)', price: 'price' });
    const itemByItem = compileMapping('items', { title: 'name', price: '$number(price)' });
    for (const m of [plainPath, fused, itemByItem]) {
      expect(await applyMapping(m, { items: null }, 's', 'USD')).toEqual({ offers: [], dropped: 0 });
      // No `items` at all is no items too; the result says where it looked (the source row's `note`).
      expect(await applyMapping(m, { data: { items: null } }, 's', 'USD')).toEqual({
        offers: [],
        dropped: 0,
        emptyBecause: 'no `items` in the answer; it has `data`',
      });
      // A body's own "undefined" key is data like any other, not what a null list stands for.
      const decoy = { items: null, undefined: [{ name: 'decoy', price: 1 }] };
      expect(await applyMapping(m, decoy, 's', 'USD')).toEqual({ offers: [], dropped: 0 });
      const mixed = await applyMapping(m, { items: [null, { name: 'a', price: 1 }, { name: 'b' }] }, 's', 'USD');
      expect([mixed.offers.length, mixed.dropped]).toEqual([1, 2]);
    }
    const nested = compileMapping('data.items', { title: 'name', price: '$number(price)' });
    expect(await applyMapping(nested, { data: { items: null } }, 's', 'USD')).toEqual({ offers: [], dropped: 0 });
  });

  it('reads a currency without the characters that print as nothing, on either path', async () => {
    // `EUR` + U+200B had no rate, and the warning said `no rate for EUR` beside an EUR rate.
    for (const currency of ['code', '$string(code)']) {
      const m = compileMapping('items', { title: 'name', price: 'price', currency });
      const codes = ['EUR\u200b', '\ufeffgbp', ' usd\u00a0', 'J\u200dPY', '\u202eCHF', '\u200bS\u200bE\u200bK\u200b'];
      const items = codes.map((code) => ({ name: code, price: 1, code }));
      const { offers } = await applyMapping(m, { items }, 's', undefined);
      expect(offers.map((o) => o.currency)).toEqual(['EUR', 'GBP', 'USD', 'JPY', 'CHF', 'SEK']);
      // Only such characters is no currency: the source's stands in, not an empty code.
      const blank = await applyMapping(m, { items: [{ name: 'z', price: 1, code: '\u200b\ufeff' }] }, 's', 'EUR');
      expect(blank.offers.map((o) => o.currency)).toEqual(['EUR']);
    }
  });

  it("drops an item whose currency is no code (a list, a number), rather than give it the source's", async () => {
    // `legs.currency` over two legs is `["EUR", "EUR"]`: with the fallback, €100 was ranked as $100.
    const body = {
      items: [
        { name: 'eur', price: 100, legs: [{ cur: 'EUR' }, { cur: 'EUR' }], code: ['EUR'] },
        { name: 'iso', price: 90, legs: [{ cur: 978 }], code: 978 },
        { name: 'usd', price: 105, legs: [{ cur: 'usd' }], code: 'usd' },
        { name: 'none', price: 80, legs: [{ cur: null }], code: null },
      ],
    };
    const viaJsonata = compileMapping('items', { title: 'name', price: 'price', currency: 'legs.cur' });
    const plainPath = compileMapping('items', { title: 'name', price: 'price', currency: 'code' });
    for (const m of [viaJsonata, plainPath]) {
      const out = await applyMapping(m, body, 's', 'USD');
      expect(out.offers.map((o) => [o.title, o.currency])).toEqual([
        ['usd', 'USD'],
        ['none', 'USD'],
      ]);
      expect(out.dropped).toBe(2);
      expect(out.droppedError).toBe('fields.currency: a list, not a currency code');
    }
    // A price problem is named first: it is the one the item would still have.
    const both = await applyMapping(plainPath, { items: [{ name: 'x', price: 'n/a', code: 1 }] }, 's', 'USD');
    expect(both.droppedError).toBe('fields.price: "n/a" is text, not a number; is the path right?');
  });

  it('makes a price of -0 plain 0', async () => {
    const m = compileMapping('items', { title: 'name', price: 'price' });
    const out = await applyMapping(m, JSON.parse('{"items":[{"name":"z","price":-0.0}]}'), 's', 'USD');
    expect(Object.is(out.offers[0]?.price, 0)).toBe(true);
  });

  it('drops only the item whose field throws, not the whole response', async () => {
    const body = {
      data: [
        { id: 'bad', price: { grandTotal: 'n/a' } },
        { id: 'good', price: { grandTotal: '10', currency: 'USD' } },
      ],
    };
    const out = await applyMapping(amadeusLike, body, 'a', undefined);
    expect(out.offers.map((o) => o.title)).toEqual(['good']);
    expect(out.dropped).toBe(1);
  });

  it('fails the source, naming the field, when a field gives a function instead of calling it', async () => {
    const body = { items: [{ t: 'sony', p: 5 }] };
    for (const expr of ['$uppercase', 'function($x){ $x }']) {
      for (const field of ['brand', 'title']) {
        const mapping = compileMapping('items', { title: 't', price: 'p', [field]: expr });
        await expect(applyMapping(mapping, body, 's', 'USD')).rejects.toThrow(
          `fields.${field}: gives a function, not a value; call it`,
        );
      }
    }
  });

  it('fails the source, naming the field, when price, currency or url gives a function', async () => {
    // `price: $number` (for `$number(p)`) dropped every item as 'fields.price: an object, not a number'.
    const body = { items: [{ t: 'sony', p: 5 }] };
    for (const fields of [
      { title: 't', price: '$number' } as Record<string, string>,
      { title: 't', price: 'p', currency: '$uppercase' },
      { title: 't', price: 'p', url: '$string' },
    ]) {
      const field = Object.keys(fields).at(-1) as string;
      await expect(applyMapping(compileMapping('items', fields), body, 's', 'USD')).rejects.toThrow(
        `fields.${field}: gives a function, not a value; call it`,
      );
    }
  });

  it('evaluates `$$` as the whole response item by item too, as in one pass', async () => {
    // `$$` is the response in the one fused pass; an item that throws sends the others item by item.
    const m = compileMapping('data', { title: 't', price: '$number(p)', currency: '$$.currency' });
    const good = [
      { t: 'a', p: '10' },
      { t: 'b', p: '20' },
    ];
    const onePass = await applyMapping(m, { currency: 'EUR', data: good }, 's', 'USD');
    const itemByItem = await applyMapping(m, { currency: 'EUR', data: [...good, { t: 'c', p: 'n/a' }] }, 's', 'USD');
    expect(onePass.offers.map((o) => [o.title, o.price, o.currency])).toEqual([
      ['a', 10, 'EUR'],
      ['b', 20, 'EUR'],
    ]);
    expect(itemByItem.offers.map((o) => [o.title, o.price, o.currency])).toEqual(
      onePass.offers.map((o) => [o.title, o.price, o.currency]),
    );
    expect(itemByItem.dropped).toBe(1);
    // Items that are tuples, not objects: the same offers one pass or item by item.
    const rows = compileMapping('rows', { title: '$[0]', price: '$number($[1])' });
    const tuples = await applyMapping(
      rows,
      {
        rows: [
          ['R1', '5'],
          ['R2', 'n/a'],
          ['R3', '7'],
        ],
      },
      's',
      'USD',
    );
    expect(tuples.offers.map((o) => [o.title, o.price])).toEqual([
      ['R1', 5],
      ['R3', 7],
    ]);
    expect(tuples.dropped).toBe(1);
  });

  it('gives an offer no url when the vendor sends an empty one, on either path', async () => {
    for (const url of ['link', '$string(link)']) {
      const m = compileMapping('items', { title: 'name', price: 'price', url });
      const body = { items: [{ name: 'a', price: 1, link: '' }] };
      const [o] = (await applyMapping(m, body, 's', 'USD')).offers;
      expect(o).toBeDefined();
      expect(Object.hasOwn(o as object, 'url')).toBe(false);
    }
  });

  it('keeps an http(s) or relative link, and leaves out one with any other scheme, on either path', async () => {
    // `javascript:` in --json became a live link in the reports and bots that read it.
    const kept = ['https://shop.example/p/1', 'HTTP://shop.example/p/2', '/p/3', 'p/4?at=12:30', '//cdn.example/p/5'];
    const refused = [
      'javascript:alert(1)',
      '  JaVaScRiPt:alert(1)',
      'data:text/html,<script>x</script>',
      'file:///etc/passwd',
      'vbscript:x',
      'mailto:a@b.example',
      'ms-settings:privacy',
      'web+app:x',
      'x1.y:z',
      'httpx:evil',
      'https-evil:x',
    ];
    for (const url of ['link', '$string(link)']) {
      const m = compileMapping('items', { title: 'name', price: 'price', url });
      const items = [...kept, ...refused].map((link) => ({ name: link, price: 1, link }));
      const { offers, dropped } = await applyMapping(m, { items }, 's', 'USD');
      // Every offer stays: only its link is left out.
      expect(offers).toHaveLength(items.length);
      expect(dropped).toBe(0);
      expect(offers.filter((o) => Object.hasOwn(o, 'url')).map((o) => o.url)).toEqual(kept);
    }
  });

  it('reads a link without the spaces around it, and a link of only spaces as none', async () => {
    for (const url of ['link', '$string(link)']) {
      const m = compileMapping('items', { title: 'name', price: 'price', url });
      const items = [' https://ws.example/x \u00a0', '   '].map((link) => ({ name: 'n', price: 1, link }));
      const { offers } = await applyMapping(m, { items }, 's', 'USD');
      expect(offers.map((o) => o.url)).toEqual(['https://ws.example/x', undefined]);
    }
  });

  it('takes the first link of a list of them, on either path', async () => {
    for (const url of ['links', 'links.href']) {
      const m = compileMapping('items', { title: 'name', price: 'price', url });
      const items = [
        { name: 'a', price: 1, links: ['https://a.example/1', 'https://a.example/2'] },
        { name: 'b', price: 1, links: [{ href: 'https://b.example/1' }, { href: 'https://b.example/2' }] },
        { name: 'c', price: 1, links: [] },
      ];
      const { offers } = await applyMapping(m, { items }, 's', 'USD');
      expect(offers.map((o) => o.url)).toEqual(
        url === 'links' ? ['https://a.example/1', undefined, undefined] : [undefined, 'https://b.example/1', undefined],
      );
    }
  });

  it('takes the first link that is text, past an empty one or a value that is none', async () => {
    for (const url of ['links', 'links.href']) {
      const m = compileMapping('items', { title: 'name', price: 'price', url });
      const items = [
        { name: 'a', price: 1, links: ['', 'https://a.example/1'] },
        { name: 'b', price: 1, links: [{ href: 7 }, { href: 'https://b.example/1' }] },
        { name: 'c', price: 1, links: [{ href: null }, { href: '' }, { href: 'https://c.example/1' }] },
      ];
      const { offers } = await applyMapping(m, { items }, 's', 'USD');
      expect(offers.map((o) => o.url)).toEqual(
        url === 'links'
          ? ['https://a.example/1', undefined, undefined]
          : [undefined, 'https://b.example/1', 'https://c.example/1'],
      );
    }
  });

  it('uses the source currency when the mapping gives none, and XXX when nobody does', async () => {
    const m = compileMapping('products', { title: 'name', price: 'salePrice' });
    const body = { products: [{ name: 'p', salePrice: 9.99 }] };
    expect((await applyMapping(m, body, 'bb', 'USD')).offers[0]?.currency).toBe('USD');
    expect((await applyMapping(m, body, 'bb', undefined)).offers[0]?.currency).toBe('XXX');
  });

  it("takes a blank currency as none, on either path: the source's, not an empty code", async () => {
    for (const currency of ['cur', '$string(cur)']) {
      const m = compileMapping('products', { title: 'name', price: 'salePrice', currency });
      const body = {
        products: [
          { name: 'p', salePrice: 9.99, cur: '' },
          { name: 'q', salePrice: 5, cur: ' \t' },
        ],
      };
      expect((await applyMapping(m, body, 'bb', 'USD')).offers.map((o) => o.currency)).toEqual(['USD', 'USD']);
    }
  });

  it('treats a missing list as no offers and a single object as one', async () => {
    const m = compileMapping('itemSummaries', { title: 'title', price: '$number(price.value)' });
    expect((await applyMapping(m, { total: 0 }, 'e', 'USD')).offers).toEqual([]);
    expect(
      (await applyMapping(m, { itemSummaries: { title: 'one', price: { value: '5' } } }, 'e', 'USD')).offers,
    ).toHaveLength(1);
  });

  it('shows terminal controls in vendor strings as harmless visible text', async () => {
    const m = compileMapping('items', { title: 'title', price: 'price', currency: 'cur', seller: 'seller' });
    const body = {
      items: [
        {
          title: 'Sony\x1b[2J\x1b]0;pwned\x07 WH\u202e-1000\r\nXM5\x9b31m',
          price: 1,
          cur: ' u\x1b[8msd ',
          seller: 'a\x07b',
        },
      ],
    };
    const [o] = (await applyMapping(m, body, 's', 'USD')).offers;
    expect(o?.title).toBe('Sony␛[2J␛]0;pwned␇ WH<U+202E>-1000 XM5<U+009B>31m');
    // A currency is vendor text too, and is printed beside every price: cleaned, trimmed, upper-cased.
    expect(o?.currency).toBe('U␛[8MSD');
    expect(o?.seller).toBe('a␇b');
    expect(cleanText('\x1b[31mred\x1b[0m\x7f\x00')).toBe('␛[31mred␛[0m␡␀');
  });

  it('names the field of a bad expression', () => {
    expect(() => compileMapping('items', { title: 'title', price: '$number(' })).toThrow(ExpressionError);
    try {
      compileMapping('items', { title: 'title', price: '$number(' });
    } catch (err) {
      expect((err as ExpressionError).field).toBe('fields.price');
      expect(String(err)).toMatch(/^ExpressionError: invalid JSONata "\$number\("/);
    }
    // Several at once: each one in the error, and a message that names them for a library caller.
    const several = (() => {
      try {
        compileMapping('items(', { price: '$number(' });
      } catch (err) {
        return err as AggregateError;
      }
    })();
    expect(several).toBeInstanceOf(AggregateError);
    expect(several?.errors.map((e: ExpressionError) => e.field)).toEqual(['offers', 'fields.price']);
    expect(several?.message).toMatch(/^offers: .+; fields\.price: .+/);
  });

  it('locates a character of the fused or the item expression in the part it came from', () => {
    const m = compileMapping('items', { title: 'title', price: '$f(x)', seller: 'abc' });
    const item = '{"title": (title), "price": ($f(x)), "seller": (abc)}';
    for (const [text, inItem] of [
      [`[($agg_list := (items); $agg_list = null ? () : $agg_list).${item}]`, false],
      [`$agg_item.${item}`, true],
    ] as const) {
      expect(m.fieldAt(text.indexOf('title)') + 1, inItem)).toBe('fields.title');
      expect(m.fieldAt(text.indexOf('$f(x)') + 3, inItem)).toBe('fields.price');
      expect(m.fieldAt(text.indexOf('abc') + 3, inItem)).toBe('fields.seller');
    }
    expect(m.fieldAt(4)).toBe('offers');
    expect(m.fieldAt(undefined)).toBe('fields');
  });

  it('keeps an extra field named __proto__ as data, on the fast path and through JSONata', async () => {
    for (const price of ['price', 'price * 1']) {
      const fields = JSON.parse(`{"title":"title","price":"${price}","__proto__":"title","seller":"s"}`);
      const { offers } = await applyMapping(
        compileMapping('items', fields),
        { items: [{ title: 't', price: 1, s: 'x' }] },
        'src',
        'USD',
      );
      const offer = offers[0] as object;
      expect(Object.getPrototypeOf(offer)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(offer, '__proto__')).toMatchObject({ value: 't', enumerable: true });
      expect(offer).toMatchObject({ seller: 'x' });
    }
  });
});

describe('the fix a text price is given', () => {
  const texts = ['12.50', '-3', '1e3', '0x1F', '0o17', '0b101', 'USD', 'n/a', '', '12,50', '$12.50', '1 299', ' 12.5'];

  it('is $number() for text $number() reads, and only for it', async () => {
    const { default: jsonata } = await import('jsonata');
    for (const text of texts) {
      const reads = await jsonata('$number(p)')
        .evaluate({ p: text })
        .then(
          () => true,
          () => false,
        );
      expect(priceProblem(text).endsWith('wrap it in $number()'), text).toBe(reads);
    }
  });

  it('asks after the path for text with no digit, and names the format for digits $number() cannot read', () => {
    expect(priceProblem('USD')).toBe('fields.price: "USD" is text, not a number; is the path right?');
    expect(priceProblem('12,50')).toBe(
      'fields.price: "12,50" is text, not a number; $number() reads only digits with a `.` (12.50), so turn it into that first',
    );
  });
});
