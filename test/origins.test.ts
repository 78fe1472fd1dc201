/**
 * Sole origins: an origin that sees one request at a time gets one undici Client instead of a Pool
 * (a Pool's queue costs 16 KB up front: 16 MB at 1,000 vendors). Only origins that cannot see two
 * requests at once qualify; a second request to one still goes out, after the first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../src/scatter/dispatcher.js';
import { soleOrigins, staticOrigin } from '../src/scatter/origins.js';
import type { SourceConfig } from '../src/types.js';
import { json, startServer, type TestServer } from './helpers/server.js';

const source = (name: string, url: string, extra: Partial<SourceConfig> = {}): SourceConfig => ({
  name,
  tags: [],
  requires: [],
  timeoutMs: 5000,
  retries: 0,
  request: { method: 'GET', url, headers: {} },
  offers: 'items',
  fields: { title: 't', price: 'p' },
  ...extra,
});

describe('staticOrigin', () => {
  it('is the origin as undici keys it, or undefined when a template decides it', () => {
    expect(staticOrigin('https://API.Example.com:443/s?q={{query}}')).toBe('https://api.example.com');
    expect(staticOrigin('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(staticOrigin('http://127.0.0.1:8080?q={{query}}')).toBe('http://127.0.0.1:8080');
    expect(staticOrigin('https://{{host}}/s')).toBeUndefined();
    expect(staticOrigin('https://api.{{region}}.example/s')).toBeUndefined();
    expect(staticOrigin('{{base}}/s')).toBeUndefined();
    expect(staticOrigin('ftp://files.example/x')).toBeUndefined();
  });
});

describe('soleOrigins', () => {
  it('holds an origin only one unhedged source uses, counting its poll and token requests', () => {
    const sole = soleOrigins([
      source('alone', 'https://alone.example/s?q={{query}}', {
        poll: {
          request: { method: 'GET', url: 'https://alone.example/poll', headers: {} },
          until: 'done',
          intervalMs: 1,
          maxAttempts: 1,
        },
      }),
      source('shared-1', 'https://shared.example/a'),
      source('shared-2', 'https://shared.example/b'),
      source('hedged', 'https://hedged.example/s', { hedge: 200 }),
      source('templated', 'https://{{host}}/s'),
      source('token-a', 'https://a.example/s', {
        oauth2: { tokenUrl: 'https://auth.example/token', clientId: 'a', clientSecret: 's', clientAuth: 'body' },
      }),
      source('token-b', 'https://b.example/s', {
        oauth2: { tokenUrl: 'https://auth.example/token', clientId: 'b', clientSecret: 's', clientAuth: 'body' },
      }),
      source('own-token', 'https://own.example/s', {
        oauth2: { tokenUrl: 'https://own.example/token', clientId: 'c', clientSecret: 's', clientAuth: 'body' },
      }),
    ]);
    expect([...sole].sort()).toEqual([
      'https://a.example',
      'https://alone.example',
      'https://b.example',
      'https://own.example',
    ]);
  });

  it('is empty when --hedge hedges every source', () => {
    expect(soleOrigins([source('alone', 'https://alone.example/s')], true).size).toBe(0);
  });
});

describe('a dispatcher with sole origins', () => {
  let server: TestServer;
  // The client port of each request: one port per connection.
  const ports: number[] = [];
  beforeAll(async () => {
    server = await startServer(async (req, res) => {
      ports.push(req.socket.remotePort ?? 0);
      await new Promise((r) => setTimeout(r, 50));
      json(res, { items: [] });
    });
  });
  afterAll(() => server.close());

  /** Sends two requests at once; resolves with the connections they used. */
  async function twoAtOnce(soleOrigins?: ReadonlySet<string>): Promise<number> {
    const origin = new URL(server.url).origin;
    const dispatcher = createDispatcher({ soleOrigins });
    ports.length = 0;
    try {
      const codes = await Promise.all(
        [1, 2].map(async () => {
          const res = await dispatcher.request({ origin, path: '/s', method: 'GET' });
          await res.body.text();
          return res.statusCode;
        }),
      );
      expect(codes).toEqual([200, 200]);
      return new Set(ports).size;
    } finally {
      await dispatcher.destroy();
    }
  }

  it('gives a sole origin one connection: a second request at once waits for the first, and is answered', async () => {
    expect(await twoAtOnce(new Set([new URL(server.url).origin]))).toBe(1);
  });

  it('gives any other origin a pool, whose requests go out side by side', async () => {
    expect(await twoAtOnce(new Set(['http://elsewhere.example']))).toBe(2);
    expect(await twoAtOnce()).toBe(2);
  });
});
