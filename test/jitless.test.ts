/**
 * Node without WebAssembly (`--jitless`, as a hardened shell's NODE_OPTIONS may set): undici cannot
 * parse a response, so agg says why once and exits 2, rather than failing every source as
 * `WebAssembly is not defined` and exiting 4 as if every vendor were down.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from './helpers/bin.js';
import { source, writeConfig } from './helpers/config.js';
import { json, startServer, type TestServer } from './helpers/server.js';

let server: TestServer;
let file: string;
beforeAll(async () => {
  server = await startServer((_req, res) => json(res, { items: [{ title: 'a', price: 1, currency: 'USD' }] }));
  file = writeConfig([source('shop', `${server.url}/s`)]);
});
afterAll(() => server.close());

describe('NODE_OPTIONS=--jitless', () => {
  it('is a usage error naming --jitless, not every source failed', async () => {
    const out = await runBin(['search', 'x', '-c', file], { NODE_OPTIONS: '--jitless' });
    expect(out.stderr).not.toContain('WebAssembly is not defined');
    expect(out.stderr).toMatch(/^agg: Node is running without WebAssembly \(--jitless/m);
    expect(out.code).toBe(2);
    // And without the flag, the same search works.
    expect((await runBin(['search', 'x', '-c', file])).code).toBe(0);
  });
});
