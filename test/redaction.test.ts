/**
 * Secrets a vendor echoes in the less obvious places: as an object's key, percent-encoded with
 * lower-case hex, as a currency code (which agg upper-cases), in a `next` link cut for its error; and
 * an OAuth2 token, which is hidden in its own source's output only. Real servers on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigText } from '../src/config/index.js';
import { search } from '../src/search/index.js';
import { runCli } from './helpers/cli.js';
import { writeConfig } from './helpers/config.js';
import { json, startServer, type TestServer } from './helpers/server.js';

/** The env secret of every test here: base64-like, so that it has escapes with letters (`%2B`, `%2F`). */
const KEY = 'Zk9+q/Lm3xWv8=Rt';
/** What .NET's WebUtility.UrlEncode writes: escapes in lower-case hex, the rest as it is. */
const lowerHex = (encoded: string): string => encoded.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase());

let server: TestServer;
beforeAll(async () => {
  server = await startServer((req, res) => {
    const key = String(req.headers['x-key'] ?? '');
    const path = req.url?.split('?')[0];
    const item = { title: 't', price: 1, currency: 'USD' };
    if (path === '/as-key') {
      // JSON.parse keeps `__proto__` as an own key, as a vendor's body would.
      const meta = JSON.parse(`{"__proto__": {"polluted": 1}, ${JSON.stringify(key)}: "v", "a-${key}": 1, "a-***": 2}`);
      return json(res, { items: [{ ...item, meta }] });
    }
    if (path === '/lower-hex') {
      const url = `https://v.example/b?ref=${lowerHex(encodeURIComponent(key))}`;
      const form = lowerHex(new URLSearchParams({ s: key }).toString());
      return json(res, { items: [{ ...item, url, meta: `got ${form}` }] });
    }
    if (path === '/other-origin') {
      // A host is lower-cased once parsed, and the error names the next page's origin.
      return json(res, { items: [item], next: `http://${key}.example/p2` });
    }
    if (path?.startsWith('/in-path/')) {
      // Page 2 fails, quoting the path it was asked for, as many error pages do.
      if (req.url?.endsWith('page=2')) return json(res, { message: `no such resource: ${req.url}` }, { status: 404 });
      return json(res, { items: [item], next: '?page=2' });
    }
    if (path === '/spaced') {
      // The header a `${VAR}` filled whole (`Bearer sk-…`), echoed with other whitespace for its spaces.
      const echo = `${key.replaceAll(' ', '\t')} | ${key.replaceAll(' ', '\u2028')} | ${key.replaceAll(' ', '\r\n')}`;
      if (req.url?.endsWith('fail')) return json(res, { message: `bad authorization: ${echo}` }, { status: 401 });
      return json(res, { items: [{ ...item, title: echo, meta: { [key.replaceAll(' ', '\n')]: echo } }] });
    }
    if (path === '/query-key') {
      // The key read as every server reads a query string, `+` as a space, and echoed in the refusal.
      const got = new URL(req.url ?? '/', 'http://h').searchParams.get('k');
      return json(res, { message: `invalid key: ${got}` }, { status: 401 });
    }
    if (path === '/poll') return json(res, { status: 'pending', items: [item] });
    if (path === '/currency') return json(res, { items: [{ ...item, currency: key }] });
    if (path === '/page') {
      // Not a URL (`[` opens an IPv6 host that never closes), with the key across the 80th character.
      return json(res, { items: [item], next: `http://[${'x'.repeat(61)}${key}/more-pages` });
    }
    return json(res, {}, { status: 404 });
  });
});
afterAll(() => server.close());

/** A sources file with one source at `path` that sends KEY in a header and maps `meta` and `url` too. */
const config = (path: string, extra = '') =>
  writeConfig(
    [
      `
  - name: shop
    request:
      url: "${server.url}${path}"
      headers: { X-Key: "\${KEY}" }
    offers: items
    fields: { title: title, price: price, currency: currency, url: url, meta: meta }${extra}`,
    ],
    'currency: USD',
  );

/** stdout and stderr of `agg search x` in every format, with --verbose. */
async function allOutputs(file: string, env: Record<string, string>): Promise<string[]> {
  const outputs: string[] = [];
  for (const format of [[], ['--json'], ['-f', 'csv'], ['-f', 'ndjson']]) {
    const out = await runCli(['search', 'x', '-c', file, '--verbose', ...format], { env });
    expect(out.code).toBe(0);
    outputs.push(out.stdout, out.stderr);
  }
  return outputs;
}

describe('env secrets a vendor echoes back', () => {
  it('are hidden when used as a key of a mapped object, which stays a plain object', async () => {
    const file = config('/as-key');
    for (const text of await allOutputs(file, { KEY })) expect(text).not.toContain(KEY);
    const out = await runCli(['search', 'x', '-c', file, '--json'], { env: { KEY } });
    const meta = JSON.parse(out.stdout).offers[0].meta;
    // `a-<key>` and `a-***` are one key once redacted: the later wins.
    expect(Object.keys(meta)).toEqual(['__proto__', '***', 'a-***']);
    expect(meta['***']).toBe('v');
    expect(meta['a-***']).toBe(2);
    expect(Object.hasOwn(meta, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(meta)).toBe(Object.prototype);
  });

  it('are hidden when percent- or form-encoded with lower-case hex, as .NET writes them', async () => {
    const file = config('/lower-hex');
    const forms = [lowerHex(encodeURIComponent(KEY)), lowerHex(new URLSearchParams({ s: KEY }).toString().slice(2))];
    expect(forms).toEqual(['Zk9%2bq%2fLm3xWv8%3dRt', 'Zk9%2bq%2fLm3xWv8%3dRt']);
    for (const text of await allOutputs(file, { KEY })) for (const form of forms) expect(text).not.toContain(form);
    const offer = JSON.parse((await runCli(['search', 'x', '-c', file, '--json'], { env: { KEY } })).stdout).offers[0];
    expect(offer).toMatchObject({ url: 'https://v.example/b?ref=***', meta: 'got s=***' });
  });

  it('are hidden when echoed as the currency, which agg upper-cases, in offers and the rate warning', async () => {
    const key = '9f86d081884c7d659a2feaa0c55ad015';
    const file = config('/currency');
    const outputs = await allOutputs(file, { KEY: key });
    for (const text of outputs) {
      expect(text).not.toContain(key);
      expect(text).not.toContain(key.toUpperCase());
    }
    expect(outputs.join('')).toContain('no rate for *** to USD');
  });

  it('are hidden without the spaces around them, which a header and a currency lose', async () => {
    // HTTP trims a header value, so the vendor gets (and echoes) the key without its spaces.
    const key = ' 9f86d081884c7d659a2feaa0c55ad015  ';
    const outputs = await allOutputs(config('/currency'), { KEY: key });
    for (const text of outputs) {
      expect(text).not.toContain(key.trim());
      expect(text).not.toContain(key.trim().toUpperCase());
    }
    expect(outputs.join('')).toContain('no rate for *** to USD');
  });

  it('are hidden when a vendor echoes a key with a space using a tab or a line break for it, which cleaning makes a space', async () => {
    const key = 'Bearer sk-live 4242';
    const file = writeConfig(
      ['/spaced', '/spaced?fail'].map(
        (path, i) => `
  - name: s${i}
    retries: 0
    request:
      url: "${server.url}${path}"
      headers: { X-Key: "\${KEY}" }
    offers: items
    fields: { title: title, price: price, currency: currency, meta: meta }`,
      ),
      'currency: USD',
    );
    const env = { KEY: key };
    for (const format of [[], ['--json'], ['-f', 'csv'], ['-f', 'ndjson']]) {
      const out = await runCli(['search', 'x', '-c', file, '--verbose', ...format], { env });
      expect(out.code).toBe(0);
      for (const text of [out.stdout, out.stderr]) expect(text).not.toMatch(/Bearer\s+sk-live\s+4242/);
      expect(out.stderr).toMatch(
        /s1\s+error\s+HTTP 401 Unauthorized: .*\(bad authorization: \*\*\* \| \*\*\* \| \*\*\*\)/,
      );
    }
  });

  it("are hidden in a skipped source's row, which names the params its `requires` lists", async () => {
    const key = 'kparam9f86d081';
    const file = writeConfig(
      [
        `
  - name: needy
    requires: ["\${KEY}"]
    request: { url: "${server.url}/currency" }
    offers: items
    fields: { title: title, price: price }`,
        `
  - name: plain
    request: { url: "${server.url}/spaced" }
    offers: items
    fields: { title: title, price: price, currency: currency }`,
      ],
      'currency: USD',
    );
    for (const format of [[], ['--json'], ['-f', 'ndjson']]) {
      const out = await runCli(['search', 'x', '-c', file, '--verbose', ...format], { env: { KEY: key } });
      expect(out.code).toBe(0);
      expect(out.stdout + out.stderr).not.toContain(key);
      expect(out.stdout + out.stderr).toContain('needs ***');
    }
  });

  it('are hidden whole in a `next` that is not a URL, though its error quotes only the start', async () => {
    const file = config('/page', '\n    next: next\n    maxPages: 2');
    for (const text of await allOutputs(file, { KEY })) {
      // Cut at 80 characters before redaction, the line would end with the key's first 10.
      expect(text).not.toContain(KEY.slice(0, 6));
    }
    const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--json'], { env: { KEY } })).stdout);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', incomplete: true, offers: 1 });
    expect(doc.sources[0].error).toBe(
      `incomplete, kept 1 page; next is not a URL: "http://[${'x'.repeat(61)}***/more-…`,
    );
  });

  it('are hidden lower-cased, as a next link on another origin has its host in the error', async () => {
    const key = 'SecretKey99';
    const file = config('/other-origin', '\n    next: next\n    maxPages: 2');
    for (const text of await allOutputs(file, { KEY: key })) {
      expect(text).not.toContain(key);
      expect(text).not.toContain(key.toLowerCase());
    }
    const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--json'], { env: { KEY: key } })).stdout);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', incomplete: true, offers: 1 });
    expect(doc.sources[0].error).toBe(
      'incomplete, kept 1 page; next page on another origin not followed: http://***.example',
    );
  });

  it('are hidden as a URL writes them, escaping a space or `"` but not `/` or `+`, in a page link and its echo', async () => {
    // A key in the path of the request URL goes out as WHATWG URL writes it: neither as written nor
    // as encodeURIComponent writes it. The relative `next` is resolved to that form, and printed so.
    const key = 'Zk9+q/Lm "3x€';
    const sent = 'Zk9+q/Lm%20%223x%E2%82%AC';
    const file = writeConfig(
      [
        `
  - name: shop
    request: { url: "${server.url}/in-path/\${KEY}/search" }
    offers: items
    next: next
    maxPages: 2
    fields: { title: title, price: price, currency: currency }`,
      ],
      'currency: USD',
    );
    const outputs = await allOutputs(file, { KEY: key });
    for (const text of outputs) expect(text).not.toContain(sent);
    expect(outputs.join('')).toContain(`GET ${server.url}/in-path/***/search?page=2`);
    expect(outputs.join('')).toContain('(no such resource: /in-path/***/search?page=2)');
  });

  it('are hidden as a vendor reads them from a query string, where a `+` is a space', async () => {
    // A `${VAR}` goes into a URL as written: a base64 key's `+` reaches the vendor as a space, and so
    // does its echo (`invalid key: Zk9 q/Lm3xWv8=Rt`), which was printed whole.
    const file = writeConfig(
      [
        `
  - name: shop
    retries: 0
    request: { url: "${server.url}/query-key?k=\${KEY}" }
    offers: items
    fields: { title: title, price: price }`,
      ],
      'currency: USD',
    );
    const out = await runCli(['search', 'x', '-c', file, '--json'], { env: { KEY } });
    expect(out.stdout).not.toContain(KEY.replace('+', ' '));
    expect(JSON.parse(out.stdout).sources[0].error).toBe(
      `HTTP 401 Unauthorized: GET ${server.url}/query-key?k=*** (invalid key: ***)`,
    );
  });

  it("are hidden whole in a poll.until (the sources file's) that the maxAttempts error quotes cut", async () => {
    // The sources file's own expression, with a secret in it across the 80th character.
    const until = `status = "${'y'.repeat(60)}\${KEY}"`;
    const file = config(
      '/poll',
      `\n    poll:\n      request: { url: "${server.url}/poll" }\n      until: '${until}'\n      interval: 1ms\n      maxAttempts: 1`,
    );
    for (const text of await allOutputs(file, { KEY })) expect(text).not.toContain(KEY.slice(0, 6));
    const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--json'], { env: { KEY } })).stdout);
    expect(doc.sources[0].error).toBe(
      `incomplete after 1 poll (maxAttempts): \`status = "${'y'.repeat(60)}***"\` never held`,
    );
  });
});

describe('the body a request sent, on its --verbose line', () => {
  /** A sources file with one source that POSTs to /poll, its request's other lines being `request`. */
  const postShop = (request: string): string =>
    writeConfig(
      [
        `
  - name: shop
    request:
      method: POST
      url: "${server.url}/poll"
      ${request}
    offers: items
    fields: { title: title, price: price, currency: currency }`,
      ],
      'currency: USD',
    );

  it('is shown with its secrets hidden, then cut: a vendor’s 400 may be about what it holds', async () => {
    const file = postShop(
      `body: { q: "{{query}}", limit: "{{limit}}", key: "\${KEY}", api_key: written-in-the-file, pageToken: p2, pad: "${'p'.repeat(300)}" }`,
    );
    const out = await runCli(['search', 'x', 'limit=2', '-c', file, '--verbose'], { env: { KEY } });
    expect(out.code).toBe(0);
    const line = out.stderr.split('\n').find((l) => l.startsWith('shop: POST')) ?? '';
    // A field whose name says credential is hidden too, as it is in a form body; a paging cursor is not.
    expect(line).toMatch(
      / → 200 · \d+ms · 1 attempt · body \{"q":"x","limit":"2","key":"\*\*\*","api_key":"\*\*\*","pageToken":"p2","pad":"p+…$/,
    );
    expect(line.slice(line.indexOf(' · body ') + 8)).toHaveLength(200);
    expect(out.stderr).not.toContain(KEY);
  });

  it('is made inert: a text body carries the search’s words as they were typed, escapes too', async () => {
    const file = postShop('headers: { Content-Type: text/plain }\n      body: "q={{query}}"');
    const out = await runCli(['search', 'a\u001b[2Jb', '-c', file, '--verbose']);
    expect(server.requests.at(-1)?.body).toBe('q=a\u001b[2Jb');
    const line = out.stderr.split('\n').find((l) => l.startsWith('shop: POST')) ?? '';
    expect(line).toMatch(/ · body q=a␛\[2Jb$/);
  });
});

describe('a request line under --verbose', () => {
  it('is cut past a few thousand characters, saying how many were left out, its secrets hidden first', async () => {
    // A query of 100,000 ids was a line of 1.2 MB on stderr.
    const file = writeConfig([
      `
  - name: shop
    request: { url: "${server.url}/poll?k=\${KEY}&ids={{query}}" }
    offers: items
    fields: { title: title, price: price, currency: currency }`,
    ]);
    const ids = Array.from({ length: 1_500 }, (_, i) => i).join(',');
    const out = await runCli(['search', ids, '-c', file, '--verbose'], { env: { KEY } });
    expect(out.code).toBe(0);
    const line = out.stderr.split('\n').find((l) => l.startsWith('shop: GET')) ?? '';
    expect(line).toMatch(
      /^shop: GET \S+\?k=\*\*\*&ids=0%2C1%2C2%2C\S*… \(\d{1,3}(,\d{3})* more characters\) → 200 · \d+ms · 1 attempt$/,
    );
    expect(line.length).toBeLessThan(4_200);
    expect(out.stderr).not.toContain(KEY);
    // What is shown and what is left out make the URL sent, the key hidden.
    const sent = `GET ${server.url}${server.requests.at(-1)?.url}`.replace(/k=[^&]+/, 'k=***');
    const shown = line.slice('shop: '.length, line.indexOf('… ('));
    const left = Number(/\((\S+) more characters\)/.exec(line)?.[1]?.replaceAll(',', ''));
    expect(sent.startsWith(shown)).toBe(true);
    expect(shown.length + left).toBe(sent.length);
  });
});

describe('an OAuth2 token', () => {
  const TOKEN = 'https';
  let vendor: TestServer;
  beforeAll(async () => {
    vendor = await startServer((req, res) => {
      if (req.url?.startsWith('/token')) return json(res, { access_token: TOKEN, token_type: 'Bearer' });
      const token = req.headers.authorization?.replace(/^Bearer /, '');
      const link = `https://shop.example${req.url}`;
      const echo = token ? `token ${token}` : 'no token';
      return json(res, { items: [{ title: echo, price: 1, currency: 'USD', url: link }] });
    });
  });
  afterAll(() => vendor.close());

  it("is hidden in its own source's output, and only there: a token `https` blanks no other source's links", async () => {
    const file = writeConfig(
      [
        `
  - name: oauth
    request: { url: "${vendor.url}/api" }
    auth:
      oauth2: { tokenUrl: "${vendor.url}/token", clientId: id, clientSecret: "\${SECRET}" }
    offers: items
    fields: { title: title, price: price, currency: currency, url: url }
  - name: plain
    request: { url: "${vendor.url}/plain" }
    offers: items
    fields: { title: title, price: price, currency: currency, url: url }`,
      ],
      'currency: USD',
    );
    const out = await runCli(['search', 'x', '-c', file, '--json', '--verbose'], {
      env: { SECRET: 'cs_a_long_client_secret' },
    });
    const offers = JSON.parse(out.stdout).offers as { source: string; title: string; url: string }[];
    expect(offers.find((o) => o.source === 'oauth')).toMatchObject({
      title: 'token ***',
      url: '***://shop.example/api',
    });
    expect(offers.find((o) => o.source === 'plain')).toMatchObject({
      title: 'no token',
      url: 'https://shop.example/plain',
    });
    // The verbose log of the other source keeps its URL whole as well.
    expect(out.stderr).toMatch(/plain: GET http:\/\/127\.0\.0\.1:\d+\/plain → 200/);
  });

  it('leaves the source’s own name whole, which is the file’s words, not the vendor’s', async () => {
    // `https-shop` read `***-shop` in the offers' source column and in its --verbose line.
    const file = writeConfig(
      [
        `
  - name: https-shop
    request: { url: "${vendor.url}/api" }
    auth:
      oauth2: { tokenUrl: "${vendor.url}/token", clientId: id, clientSecret: "\${SECRET}" }
    offers: items
    fields: { title: title, price: price, currency: currency, url: url }`,
      ],
      'currency: USD',
    );
    const out = await runCli(['search', 'x', '-c', file, '--json', '--verbose'], {
      env: { SECRET: 'cs_a_long_client_secret' },
    });
    expect(JSON.parse(out.stdout).offers[0]).toMatchObject({ source: 'https-shop', title: 'token ***' });
    expect(out.stderr).toMatch(/^https-shop: GET http:\/\/127\.0\.0\.1:\d+\/api → 200/m);
  });
});

describe('an error no vendor caused (a library caller’s log that throws)', () => {
  it('is its source’s row, with the learnt token hidden, made inert and cut as any error', async () => {
    const TOKEN = 'tok_learnt_abcdef';
    const vendor = await startServer((req, res) =>
      req.url?.startsWith('/token')
        ? json(res, { access_token: TOKEN, token_type: 'Bearer' })
        : json(res, { items: [{ title: 't', price: 1, currency: 'USD' }] }),
    );
    try {
      const config = loadConfigText(
        `currency: USD\nsources:
  - name: shop
    request: { url: "${vendor.url}/api" }
    auth:
      oauth2: { tokenUrl: "${vendor.url}/token", clientId: id, clientSecret: "\${SECRET}" }
    offers: items
    fields: { title: title, price: price, currency: currency }\n`,
        'sources.yaml',
        { SECRET: 'cs_a_long_client_secret' },
      );
      const log = (line: string) => {
        if (line.includes('/api →')) throw new Error(`\u001b[2Jlog failed on ${TOKEN} ${'y'.repeat(400)}`);
      };
      const { sources } = await search(config, { text: 'x', params: { query: 'x' }, log });
      expect(sources[0]).toMatchObject({ name: 'shop', status: 'error', attempts: 0 });
      expect(sources[0]?.error).toMatch(/^Error: ␛\[2Jlog failed on \*\*\* y+…$/);
      expect(sources[0]?.error).toHaveLength(300);
    } finally {
      await vendor.close();
    }
  });
});

describe('a credential header a template computes', () => {
  // Neither env value is in what goes out: the vendor sees base64 of `user:pass`, and echoed it into
  // titles and errors, where it decodes to both secrets.
  const USER = 'alice_user';
  const PASS = 'hunter2hunter2';
  const BASIC = Buffer.from(`${USER}:${PASS}`).toString('base64');
  let vendor: TestServer;
  beforeAll(async () => {
    vendor = await startServer((req, res) => {
      const auth = String(req.headers.authorization ?? '');
      if (req.url?.startsWith('/refuse')) return json(res, { message: `bad credentials: ${auth}` }, { status: 401 });
      if (req.url?.startsWith('/poll'))
        return json(res, { status: 'done', items: [{ title: `poll saw ${auth}`, price: 2, currency: 'USD' }] });
      const credentials = auth.replace(/^Basic /, '');
      if (req.url?.startsWith('/nopad'))
        return json(res, { items: [{ title: `nopad ${credentials.replace(/=+$/, '')}`, price: 1, currency: 'USD' }] });
      return json(res, {
        session: 's',
        status: 'pending',
        items: [
          { title: `auth was ${auth}`, price: 1, currency: 'USD', url: `https://shop.example/?c=${credentials}` },
        ],
      });
    });
  });
  afterAll(() => vendor.close());

  const shop = (path: string, extra = '') => `
  - name: shop
    request:
      url: "${vendor.url}${path}"
      headers: { Authorization: "Basic {{ $base64encode('\${SHOP_USER}:\${SHOP_PASS}') }}" }
    offers: items
    fields: { title: title, price: price, currency: currency, url: url }${extra}`;
  const env = { SHOP_USER: USER, SHOP_PASS: PASS };

  it('is hidden, whole and past its scheme, in offers and errors of every format', async () => {
    const file = writeConfig([shop('/echo'), shop('/refuse').replace('name: shop', 'name: refused')], 'currency: USD');
    for (const format of [[], ['--json'], ['-f', 'csv'], ['-f', 'ndjson']]) {
      const out = await runCli(['search', 'x', '-c', file, '--verbose', ...format], { env });
      expect(out.stdout + out.stderr).not.toContain(BASIC);
    }
    const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--json'], { env })).stdout);
    expect(doc.offers[0]).toMatchObject({ title: 'auth was ***', url: 'https://shop.example/?c=***' });
    expect(doc.sources[1].error).toContain('bad credentials: ***');
  });

  it('is learnt only for a credential header: a templated header of another name stays the search’s words', async () => {
    // `X-Region: {{region}}` is no secret: learnt, every offer that named the region read `***`.
    const file = writeConfig(
      [
        shop('/echo?r={{region}}').replace(
          'headers: { Authorization:',
          'headers: { X-Region: "{{region}}", X-Fixed: "{{ \'north-\' & region }}", Authorization:',
        ),
      ],
      'currency: USD',
    );
    const out = await runCli(['search', 'x', 'region=europe', '-c', file, '--json', '--verbose'], { env });
    expect(out.stdout).not.toContain(BASIC);
    expect(JSON.parse(out.stdout).offers[0].title).toBe('auth was ***');
    expect(out.stderr).toMatch(/^shop: GET http:\/\/127\.0\.0\.1:\d+\/echo\?r=europe → 200/m);
  });

  it('is hidden when a vendor quotes it without base64’s padding', async () => {
    expect(BASIC.endsWith('=')).toBe(true);
    const out = await runCli(['search', 'x', '-c', writeConfig([shop('/nopad')], 'currency: USD'), '--json'], { env });
    expect(JSON.parse(out.stdout).offers[0].title).toBe('nopad ***');
  });

  it('is hidden in a poll request that computes it too', async () => {
    const poll = `
    poll:
      request:
        url: "${vendor.url}/poll/{{ $response.session }}"
        headers: { Authorization: "Basic {{ $base64encode('\${SHOP_USER}:\${SHOP_PASS}x') }}" }
      until: status = "done"
      interval: 10ms`;
    const file = writeConfig([shop('/echo', poll)], 'currency: USD');
    const out = await runCli(['search', 'x', '-c', file, '--json'], { env });
    const titles = JSON.parse(out.stdout).offers.map((o: { title: string }) => o.title);
    expect(titles).toEqual(['poll saw ***']);
    expect(out.stdout).not.toContain(Buffer.from(`${USER}:${PASS}x`).toString('base64'));
  });

  it('is hidden when only the poll request computes it', async () => {
    const poll = `
    poll:
      request:
        url: "${vendor.url}/poll/{{ $response.session }}"
        headers: { Authorization: "Basic {{ $base64encode('\${SHOP_USER}:\${SHOP_PASS}y') }}" }
      until: status = "done"
      interval: 10ms`;
    const plain = shop('/echo', poll).replace(/ {6}headers: \{ Authorization: .*\n/, '');
    expect(plain).not.toContain("headers: { Authorization: \"Basic {{ $base64encode('${SHOP_USER}:${SHOP_PASS}')");
    const out = await runCli(['search', 'x', '-c', writeConfig([plain], 'currency: USD'), '--json'], { env });
    expect(JSON.parse(out.stdout).offers.map((o: { title: string }) => o.title)).toEqual(['poll saw ***']);
    expect(out.stdout).not.toContain(Buffer.from(`${USER}:${PASS}y`).toString('base64'));
  });
});
