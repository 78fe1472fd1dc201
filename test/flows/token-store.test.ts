/**
 * The run's token store against a real token endpoint: how many token requests sources sharing a
 * client make when the API refuses their token together.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/scatter/dispatcher.js';
import { createTokenStore } from '../../src/scatter/oauth.js';
import type { OAuth2Config } from '../../src/types.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { CLIENT_ID, CLIENT_SECRET, tokenEndpoint } from './vendors.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('the token store', () => {
  it('asks for one new token when sources sharing a client have their token refused in the same turn', async () => {
    const endpoint = tokenEndpoint('body');
    const server = await startServer((req, res, body) => endpoint.handle(req, res, body));
    servers.push(server);
    const dispatcher = createDispatcher();
    const ctx = { dispatcher, signal: new AbortController().signal, redact: (s: string) => s };
    const oauth: OAuth2Config = {
      tokenUrl: `${server.url}/token`,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      clientAuth: 'body',
    };
    const opts = { timeoutMs: 5000, retries: 0 };
    const store = createTokenStore(ctx);
    try {
      const first = await store.get(oauth, 'a', opts);
      const stale = 'token' in first ? first.token : '';
      // Two 401s read in one turn of the event loop: each source refreshes the same stale token.
      const fresh = await Promise.all([
        store.refresh(oauth, stale, 'a', opts),
        store.refresh(oauth, stale, 'b', opts),
        store.refresh(oauth, stale, 'c', opts),
      ]);
      expect(fresh.map((f) => ('token' in f ? f.token : f.failed.error))).toEqual(Array(3).fill(endpoint.issued[1]));
      expect(endpoint.issued).toHaveLength(2);
    } finally {
      await dispatcher.close();
    }
  });
});
