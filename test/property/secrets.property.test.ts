/**
 * Property: whatever the secret (API keys are often base64, with `+`, `/` and `=`), and however a
 * vendor echoes it back (raw, percent-encoded, JSON-escaped, in a title, a link or an error), no
 * output of a search holds it: not stdout in any format, not stderr, not under --verbose.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { writeConfig } from '../helpers/config.js';
import { json, startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer((req, res) => {
    const key = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (req.url?.startsWith('/fail')) return json(res, { error: { message: `key ${key} revoked` } }, { status: 401 });
    return json(res, {
      items: [
        {
          title: `your key: ${key}`,
          price: 1,
          currency: 'USD',
          url: `https://v.example/b?apiKey=${encodeURIComponent(key)}&k2=${key}`,
          note: JSON.stringify({ key }),
        },
      ],
    });
  });
});
afterAll(() => server.close());

const secret = fc.string({
  unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_.~'),
  minLength: 12,
  maxLength: 40,
});

describe('secrets, for any value', () => {
  it('never reach stdout or stderr, whatever the vendor echoes', async () => {
    const file = writeConfig(
      ['ok', 'fail'].map(
        (path) => `
  - name: ${path}
    request:
      url: "\${BASE}/${path}?q={{query}}&sig=\${KEY}"
      headers: { Authorization: "Bearer \${KEY}" }
    retries: 0
    offers: items
    fields: { title: title, price: price, currency: currency, url: url, note: note }`,
      ),
      'currency: USD',
    );
    await fc.assert(
      fc.asyncProperty(
        secret,
        fc.constantFrom([], ['--json'], ['-f', 'csv'], ['-f', 'ndjson']),
        async (key, format) => {
          const out = await runCli(['search', 'x', '-c', file, '--verbose', ...format], {
            env: { BASE: server.url, KEY: key },
          });
          expect(out.code).toBe(0);
          for (const form of [key, encodeURIComponent(key), JSON.stringify(key).slice(1, -1)]) {
            expect(out.stdout).not.toContain(form);
            expect(out.stderr).not.toContain(form);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
