/**
 * The last resort: an error thrown where no await catches it (in an event handler: undici 7's
 * parser once asserted there, test/bounds.test.ts) ends the run with one line and exit 70, with the
 * sources file's secrets hidden, and the stack only under AGG_DEBUG=1. Simulated with a preload
 * that throws from a timer while a search waits for its vendor.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from './helpers/bin.js';
import { writeConfig } from './helpers/config.js';
import { json, startServer, type TestServer } from './helpers/server.js';

const SECRET = 'sk-live-7f3a9c2e51';
const dir = mkdtempSync(path.join(os.tmpdir(), 'agg-fatal-'));
const preload = (name: string, code: string): string => {
  const file = path.join(dir, name);
  writeFileSync(file, `setTimeout(() => { ${code} }, 300);\n`);
  return file;
};
const THROWS = preload('throws.cjs', `throw new Error('a library broke, holding ${SECRET}');`);
const REJECTS = preload('rejects.cjs', `Promise.reject(new Error('a promise nobody awaited, holding ${SECRET}'));`);

let server: TestServer;
let file: string;
beforeAll(async () => {
  // Answers after 5 s: the preload's error comes first.
  server = await startServer((_req, res) => json(res, { items: [] }, { ms: 5_000 }));
  const shop = `
  - name: shop
    request: { url: "${server.url}/s?q={{query}}", headers: { x-key: "\${KEY}" } }
    offers: items
    fields: { title: title, price: price }`;
  file = writeConfig([shop]);
});
afterAll(() => server.close());

describe('an error no await catches', () => {
  it('is one line and exit 70, with the secrets hidden; AGG_DEBUG=1 adds the stack', async () => {
    for (const [hook, message] of [
      [THROWS, 'a library broke, holding ***'],
      [REJECTS, 'a promise nobody awaited, holding ***'],
    ] as const) {
      const env = { KEY: SECRET, NODE_OPTIONS: `--require ${hook}` };
      const out = await runBin(['search', 'x', '-c', file, '--json', '-q'], env);
      expect(out.code).toBe(70);
      expect(out.stderr).toBe(`agg: internal error: ${message} (AGG_DEBUG=1 shows the stack)\n`);
      const debug = await runBin(['search', 'x', '-c', file, '--json', '-q'], { ...env, AGG_DEBUG: '1' });
      expect(debug.code).toBe(70);
      expect(debug.stderr).toMatch(/\n {4}at /);
      expect(debug.stderr).not.toContain(SECRET);
    }
  });
});
