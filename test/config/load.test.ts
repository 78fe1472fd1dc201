import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, loadConfigText } from '../../src/config/index.js';
import { ConfigError, EXIT } from '../../src/errors.js';
import { applyMapping } from '../../src/map/index.js';
import { renderBody, renderText } from '../../src/scatter/template.js';
import type { CompiledSource } from '../../src/types.js';
import { yaml } from './helpers.js';

const FULL = yaml`
  currency: USD
  rates: { EUR: 1.10, GBP: 1.27 }
  defaults:
    timeout: 3s
    retries: 2
    headers: { User-Agent: "agg/1.0", Accept: application/json }
  sources:
    - name: ebay
      tags: [products]
      requires: [query]
      currency: USD
      timeout: 1.5s
      retries: 0
      request:
        url: "https://api.example/search?q={{query}}&limit=50"
        headers: { user-agent: "ebay-client", Authorization: "Bearer \${EBAY_TOKEN}" }
      offers: itemSummaries
      fields:
        title: title
        price: $number(price.value)
        seller: seller.username
    - name: flights
      request:
        method: post
        url: https://flights.example/v2/offers
        body: { data: { origin: "{{from}}", max: "{{ 2 }}" } }
      offers: data
      fields: { title: name, price: price.total }
`;

describe('loadConfigText: a valid file', () => {
  const config = loadConfigText(FULL, 'sources.yaml', { EBAY_TOKEN: 'tok-ebay-123' });
  const [ebay, flights] = config.sources as [CompiledSource, CompiledSource];

  it('resolves top-level settings', () => {
    expect(config.file).toBe('sources.yaml');
    expect(config.currency).toBe('USD');
    expect(config.rates).toEqual({ EUR: 1.1, GBP: 1.27 });
    expect(config.sources.map((s) => s.name)).toEqual(['ebay', 'flights']);
  });

  it('resolves each source against the defaults', () => {
    expect(ebay).toMatchObject({
      tags: ['products'],
      requires: ['query'],
      currency: 'USD',
      timeoutMs: 1500,
      retries: 0,
    });
    expect(flights).toMatchObject({ tags: [], requires: ['from'], timeoutMs: 3000, retries: 2 });
    expect(flights.currency).toBeUndefined();
    expect(ebay.request.method).toBe('GET');
    expect(flights.request.method).toBe('POST');
  });

  it('merges headers over the defaults, names compared case-insensitively', () => {
    expect(ebay.request.headers).toEqual({
      Accept: 'application/json',
      'user-agent': 'ebay-client',
      Authorization: 'Bearer tok-ebay-123',
    });
    expect(flights.request.headers).toEqual({ 'User-Agent': 'agg/1.0', Accept: 'application/json' });
    expect(ebay.compiled.headers.map(([name]) => name)).toEqual(['Accept', 'user-agent', 'Authorization']);
  });

  it('compiles templates and the mapping, ready to use', async () => {
    expect(await renderText(ebay.compiled.url, { query: 'a&b' }, encodeURIComponent)).toBe(
      'https://api.example/search?q=a%26b&limit=50',
    );
    const body = flights.compiled.body;
    expect(body && (await renderBody(body, { from: 'LHR' }))).toEqual({ data: { origin: 'LHR', max: 2 } });
    const mapped = await applyMapping(
      ebay.compiled.mapping,
      { itemSummaries: [{ title: 'Lamp', price: { value: '12.5' }, seller: { username: 'bob' } }] },
      'ebay',
      ebay.currency,
    );
    expect(mapped.offers).toEqual([{ source: 'ebay', title: 'Lamp', price: 12.5, currency: 'USD', seller: 'bob' }]);
  });

  it('records environment values as secrets', () => {
    expect(config.secrets).toEqual(['tok-ebay-123']);
    expect(config.secretNames).toEqual({ 'tok-ebay-123': 'EBAY_TOKEN' });
  });

  it('is frozen, so later stages cannot change it', () => {
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.sources)).toBe(true);
    expect(Object.isFrozen(ebay.request.headers)).toBe(true);
    expect(Object.isFrozen(flights.request.body)).toBe(true);
    expect(Object.isFrozen(ebay.compiled.url.parts)).toBe(true);
    expect(() => {
      (ebay.tags as string[]).push('x');
    }).toThrow(TypeError);
  });

  it('defaults timeout to 5s and retries to 1 without a defaults section', () => {
    const minimal = yaml`
      sources:
        - name: a
          request: { url: "http://localhost:8080/" }
          offers: items
          fields: { title: t, price: p }
    `;
    const [a] = loadConfigText(minimal, 'x.yaml', {}).sources;
    expect(a).toMatchObject({ timeoutMs: 5000, retries: 1, request: { method: 'GET', headers: {} } });
    expect(loadConfigText(minimal, 'x.yaml', {}).rates).toEqual({});
  });

  it('keeps a `__proto__` key inside a body as data', async () => {
    const text = yaml`
      sources:
        - name: a
          request: { url: "https://a.example/", method: POST, body: { __proto__: { x: 1 } } }
          offers: items
          fields: { title: t, price: p }
    `;
    const body = loadConfigText(text, 'x.yaml', {}).sources[0]?.compiled.body;
    const rendered = (body && (await renderBody(body, {}))) as object;
    expect(Object.hasOwn(rendered, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(rendered)).toBe(Object.prototype);
  });
});

describe('loadConfig', () => {
  it('reads a file and names it as given', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'agg-load-'));
    try {
      const file = path.join(dir, 'sources.yaml');
      writeFileSync(file, FULL);
      expect(loadConfig(file, { EBAY_TOKEN: 't' }).file).toBe(file);
      writeFileSync(file, 'sources: [\n');
      expect(() => loadConfig(file, {})).toThrow(`${file}:2:1: `);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says so for a file saved as UTF-16 (Notepad\'s "Unicode"), rather than "expected a mapping, got a string"', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'agg-load-'));
    try {
      const file = path.join(dir, 'sources.yaml');
      writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(FULL, 'utf16le')]));
      expect(() => loadConfig(file, {})).toThrow(
        new ConfigError([{ file, path: '', message: 'is saved as UTF-16; save it as UTF-8' }]),
      );
      const be = Buffer.from(FULL, 'utf16le').swap16();
      writeFileSync(file, Buffer.concat([Buffer.from([0xfe, 0xff]), be]));
      expect(() => loadConfig(file, {})).toThrow('is saved as UTF-16; save it as UTF-8');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says where a NUL byte is (UTF-16 without a byte order mark, a binary file), rather than "expected a mapping"', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'agg-load-'));
    const message = 'has a NUL byte here (a binary file, or UTF-16 without a byte order mark?); save the file as UTF-8';
    try {
      const file = path.join(dir, 'sources.yaml');
      writeFileSync(file, Buffer.from(FULL, 'utf16le'));
      expect(() => loadConfig(file, {})).toThrow(new ConfigError([{ file, line: 1, col: 2, path: '', message }]));
      // One after the file's text, on a line of its own, two characters after an é.
      writeFileSync(file, `${FULL.trimEnd()}\n#é\u0000\n`);
      const line = FULL.trimEnd().split('\n').length + 1;
      expect(() => loadConfig(file, {})).toThrow(new ConfigError([{ file, line, col: 3, path: '', message }]));
      // UTF-16 big-endian without a mark starts with its NUL: the file's first byte.
      writeFileSync(file, Buffer.from(FULL, 'utf16le').swap16());
      expect(() => loadConfig(file, {})).toThrow(new ConfigError([{ file, line: 1, col: 1, path: '', message }]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says where a file saved as Latin-1 stops being UTF-8, rather than sending U+FFFD in its place', () => {
    // `ville=Montréal` with a Latin-1 é was sent as `ville=Montr%EF%BF%BDal`, and the file loaded without a word.
    const dir = mkdtempSync(path.join(tmpdir(), 'agg-load-'));
    try {
      const file = path.join(dir, 'sources.yaml');
      const text =
        'sources:\n  - name: a\n    request: { url: "https://a.example/?q={{query}}&ville=Montr\u00e9al" }\n';
      writeFileSync(file, Buffer.from(`${text}    offers: items\n    fields: { title: t, price: p }\n`, 'latin1'));
      expect(() => loadConfig(file, {})).toThrow(
        new ConfigError([
          {
            file,
            line: 3,
            col: 64,
            path: '',
            message: 'is not UTF-8 here (saved as Latin-1 or Windows-1252?); save the file as UTF-8',
          },
        ]),
      );
      // The same text as UTF-8 loads, é and all.
      writeFileSync(file, `${text}    offers: items\n    fields: { title: t, price: p }\n`);
      expect(loadConfig(file, {}).sources[0]?.request.url).toContain('Montréal');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a missing file as a config error naming it', () => {
    let error: unknown;
    try {
      loadConfig('no/such/sources.yaml', {});
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe('no/such/sources.yaml: file not found');
    expect((error as ConfigError).exitCode).toBe(EXIT.usage);
    expect((error as ConfigError).code).toBe('AGG_CONFIG');
  });
});

describe('YAML merge keys', () => {
  it('lets sources share settings through an anchor and <<', () => {
    const config = loadConfigText(
      `sources:
  - &shop
    name: a
    request: { url: "https://a.example/s?q={{query}}" }
    offers: items
    fields: { title: title, price: price }
  - <<: *shop
    name: b
`,
      'sources.yaml',
      {},
    );
    expect(config.sources.map((s) => [s.name, s.request.url])).toEqual([
      ['a', 'https://a.example/s?q={{query}}'],
      ['b', 'https://a.example/s?q={{query}}'],
    ]);
  });
});

describe('loadConfigText: size', () => {
  it('loads a thousand generated sources (about 350 KB), well inside the size limit', () => {
    const sources = Array.from(
      { length: 1000 },
      (_, i) => `
  - name: v${String(i).padStart(4, '0')}
    request: { url: "http://127.0.0.1:${20000 + i}/offers?ms=300&n=20&q={{query}}" }
    offers: itemSummaries
    fields:
      title: "title"
      price: "$number(price.value)"
      currency: "price.currency"
      url: "itemWebUrl"
      seller: "seller.username"
      feedback: "seller.feedbackScore"
      image: "image.imageUrl"`,
    );
    const text = `currency: USD\nsources:${sources.join('')}\n`;
    expect(text.length).toBeGreaterThan(300_000);
    expect(loadConfigText(text, 'sources.yaml', {}).sources).toHaveLength(1000);
  });
});
