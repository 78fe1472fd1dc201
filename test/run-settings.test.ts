/**
 * A value from the environment that only sets how agg runs (a rate, a time limit) is no secret: no
 * vendor sees it, and hidden as one it garbled every vendor text that held its digits. Real servers on
 * 127.0.0.1, through both loaders (the YAML, then the config cache).
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { writeConfig } from './helpers/config.js';
import { json, startServer, type TestServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer((_req, res) =>
    json(res, {
      items: [
        { title: 'Power bank 12500mAh, 1.085 kg', price: 25, currency: 'EUR', url: 'https://shop.example/item/325001' },
      ],
    }),
  );
});
afterAll(() => server.close());

const fields = '\n    offers: items\n    fields: { title: title, price: price, currency: currency, url: url }';

describe('values from the environment in run settings', () => {
  it('a timeout or rate from the environment does not hide its digits in vendor text', async () => {
    const file = writeConfig(
      [`\n  - name: a\n    timeout: \${AGG_TIMEOUT}\n    request: { url: "${server.url}/s" }${fields}`],
      'currency: USD\nrates:\n  EUR: ${EUR_RATE}',
    );
    const env = {
      AGG_TIMEOUT: '2500',
      EUR_RATE: '1.085',
      XDG_CACHE_HOME: mkdtempSync(path.join(os.tmpdir(), 'agg-cache-')),
    };
    // Twice: the second load comes from the config cache, which fills the references itself.
    for (const _ of [1, 2]) {
      const out = await runCli(['search', 'x', '-c', file, '--json'], { env });
      expect(out.code).toBe(0);
      expect(JSON.parse(out.stdout).offers[0]).toMatchObject({
        title: 'Power bank 12500mAh, 1.085 kg',
        url: 'https://shop.example/item/325001',
        price: 27.13,
      });
    }
  });

  it('a value also sent to a vendor is still a secret, and an invalid setting is hidden in its error', async () => {
    const file = writeConfig(
      [
        `\n  - name: a\n    timeout: \${AGG_TIMEOUT}\n    request: { url: "${server.url}/s?t=\${AGG_TIMEOUT}" }${fields}`,
      ],
      'currency: USD\nrates: { EUR: 1.1 }',
    );
    const sent = await runCli(['search', 'x', '-c', file, '--json'], { env: { AGG_TIMEOUT: '2500' } });
    expect(JSON.parse(sent.stdout).offers[0].url).toBe('https://shop.example/item/3***1');
    const wrong = writeConfig([
      `\n  - name: a\n    timeout: \${KEY}\n    request: { url: "${server.url}/s" }${fields}`,
    ]);
    const bad = await runCli(['search', 'x', '-c', wrong], { env: { KEY: 'sk-live-abcdef' } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).not.toContain('sk-live-abcdef');
  });

  it('a value in an anchored rates map, merged or aliased into a request body, is still a secret', async () => {
    // The vendor echoes the body it was sent into the title.
    const echo = await startServer((_req, res, body) =>
      json(res, { items: [{ title: `got ${body}`, price: 1, currency: 'USD', url: 'https://shop.example/1' }] }),
    );
    try {
      const file = writeConfig(
        [
          `\n  - name: merged\n    request: { method: POST, url: "${echo.url}/m", body: { <<: *r, q: x } }${fields}`,
          `\n  - name: aliased\n    request: { method: POST, url: "${echo.url}/a", body: { rates: *r } }${fields}`,
        ],
        'currency: USD\nrates: &r\n  EUR: ${PIN}',
      );
      const out = await runCli(['search', 'x', '-c', file, '--json'], { env: { PIN: '482913' } });
      expect(out.code).toBe(0);
      const titles = JSON.parse(out.stdout).offers.map((o: { title: string }) => o.title);
      expect(titles).toHaveLength(2);
      for (const title of titles) expect(title).toContain('***');
      expect(out.stdout).not.toContain('482913');
    } finally {
      await echo.close();
    }
  });
});
