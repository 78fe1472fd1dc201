/**
 * agg's default request headers (src/scatter/default-headers.ts), as vendors on 127.0.0.1 receive them:
 * `Accept-Encoding`, `User-Agent` and `Accept` on every request agg sends (a source's, its polls and pages,
 * a retry, a redirect's hop, the OAuth2 token request), each replaced by a header the sources file sets.
 */
import { readFileSync } from 'node:fs';
import type http from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { runBin } from './helpers/bin.js';
import { runCli } from './helpers/cli.js';
import { writeConfig } from './helpers/config.js';
import { json, startServer, type TestServer } from './helpers/server.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};
const DEFAULTS = {
  'accept-encoding': 'gzip, deflate, br',
  'user-agent': `agg/${version}`,
  accept: 'application/json, */*;q=0.1',
};

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(handler: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const s = await startServer(handler);
  servers.push(s);
  return s;
}

const items = (title: string) => ({ items: [{ title, price: 10, currency: 'USD' }] });
const FIELDS = `
    offers: items
    fields: { title: title, price: price, currency: currency }`;

/** How many times the request named `name` (any case): a default beside the file's own would make it 2. */
const times = (req: http.IncomingMessage, name: string): number =>
  req.rawHeaders.filter((h, i) => i % 2 === 0 && h.toLowerCase() === name).length;

/** The answer a vendor gives: gzip only to a request that accepts it, as servers negotiate. */
function maybeGzip(req: http.IncomingMessage, res: http.ServerResponse, body: unknown): void {
  const text = JSON.stringify(body);
  if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', vary: 'accept-encoding' });
    res.end(gzipSync(text));
  } else {
    res.writeHead(200, { 'content-type': 'application/json', vary: 'accept-encoding' });
    res.end(text);
  }
}

describe('default request headers', () => {
  it('go out on a plain request, a poll, a next page, a retry, a redirect hop and the token request', async () => {
    const duplicates: string[] = [];
    const other = await serve((req, res) => json(res, items(`landed ${req.url}`)));
    let flaky = 0;
    const vendor = await serve((req, res, body) => {
      for (const name of Object.keys(DEFAULTS)) if (times(req, name) !== 1) duplicates.push(`${req.url} ${name}`);
      const url = req.url ?? '';
      if (url === '/token') {
        const ok = new URLSearchParams(body).get('client_secret') === 'cs_secret_value';
        return json(res, ok ? { access_token: 'tok-123456789', expires_in: 60 } : { error: 'x' }, {
          status: ok ? 200 : 401,
        });
      }
      if (url === '/api') {
        return req.headers.authorization === 'Bearer tok-123456789'
          ? json(res, items('api'))
          : json(res, {}, { status: 401 });
      }
      if (url === '/create') return json(res, { session: 's1', done: false, items: [] });
      if (url === '/poll/s1') return json(res, { done: true, ...items('polled') });
      if (url === '/list?page=1') return json(res, { ...items('page 1'), next: `${vendor.url}/list?page=2` });
      if (url === '/list?page=2') return json(res, items('page 2'));
      if (url === '/flaky') return flaky++ === 0 ? json(res, {}, { status: 503 }) : json(res, items('flaky'));
      if (url === '/moved') {
        res.writeHead(302, { location: `${other.url}/landed` });
        res.end();
        return;
      }
      return json(res, items(`plain ${url}`));
    });
    const file = writeConfig([
      `
  - name: plain
    request: { url: "${vendor.url}/plain?q={{query}}" }${FIELDS}
  - name: oauth
    auth:
      oauth2: { tokenUrl: "${vendor.url}/token", clientId: "client-1", clientSecret: "\${CLIENT_SECRET}" }
    request: { url: "${vendor.url}/api" }${FIELDS}
  - name: polled
    request: { method: POST, url: "${vendor.url}/create", body: { q: "{{query}}" } }
    poll:
      request: { url: "${vendor.url}/poll/{{ $response.session }}" }
      until: done
      interval: 20ms${FIELDS}
  - name: paged
    request: { url: "${vendor.url}/list?page=1" }
    next: next${FIELDS}
  - name: flaky
    retries: 1
    request: { url: "${vendor.url}/flaky" }${FIELDS}
  - name: moved
    request: { url: "${vendor.url}/moved", headers: { X-Api-Key: "key-123456" } }${FIELDS}`,
    ]);
    const out = await runCli(['search', 'x', '-c', file, '--json'], { env: { CLIENT_SECRET: 'cs_secret_value' } });
    const doc = JSON.parse(out.stdout);
    expect(doc.sources.map((s: { name: string; status: string }) => `${s.name} ${s.status}`)).toEqual([
      'plain ok',
      'oauth ok',
      'polled ok',
      'paged ok',
      'flaky ok',
      'moved ok',
    ]);
    const seen = (s: TestServer) => s.requests.map((r) => `${r.method} ${r.url}`);
    expect(seen(vendor).sort()).toEqual(
      [
        'GET /plain?q=x',
        'POST /token',
        'GET /api',
        'POST /create',
        'GET /poll/s1',
        'GET /list?page=1',
        'GET /list?page=2',
        'GET /flaky',
        'GET /flaky',
        'GET /moved',
      ].sort(),
    );
    expect(seen(other)).toEqual(['GET /landed']);
    for (const r of [...vendor.requests, ...other.requests]) {
      const { 'accept-encoding': encoding, 'user-agent': agent, accept } = r.headers;
      // The token request keeps its own Accept (RFC 6749 answers JSON); it takes the other two.
      const expected = r.url === '/token' ? { ...DEFAULTS, accept: 'application/json' } : DEFAULTS;
      expect({ url: r.url, 'accept-encoding': encoding, 'user-agent': agent, accept }).toEqual({
        url: r.url,
        ...expected,
      });
    }
    expect(duplicates).toEqual([]);
    // The redirect guard still drops the secret on the hop to another origin, and nothing else.
    expect(other.requests[0]?.headers['x-api-key']).toBeUndefined();
    expect(vendor.requests.find((r) => r.url === '/moved')?.headers['x-api-key']).toBe('key-123456');
  });

  it('ask for gzip, and a vendor that gzips when asked is decoded into offers (through the built bin)', async () => {
    const vendor = await serve((req, res) => maybeGzip(req, res, items('zipped')));
    const file = writeConfig([`\n  - name: zipped\n    request: { url: "${vendor.url}/q={{query}}" }${FIELDS}`]);
    const out = await runBin(['search', 'x', '-c', file, '--json']);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout).offers).toMatchObject([{ source: 'zipped', title: 'zipped', price: 10 }]);
    // The bundle finds package.json for its User-Agent as `--version` does.
    expect(vendor.requests[0]?.headers).toMatchObject(DEFAULTS);
  });

  it('are replaced by the headers the sources file sets, whatever their case, once each', async () => {
    const duplicates: string[] = [];
    const vendor = await serve((req, res, body) => {
      for (const name of Object.keys(DEFAULTS)) if (times(req, name) !== 1) duplicates.push(`${req.url} ${name}`);
      const url = req.url ?? '';
      if (url === '/token') return json(res, { access_token: 'tok-123456789', expires_in: 60 });
      if (url === '/create') return json(res, { session: 's1', done: false, items: [] });
      if (url === '/poll/s1') return maybeGzip(req, res, { done: true, ...items('polled') });
      return maybeGzip(req, res, items(`${url} ${body}`));
    });
    const head = [
      'currency: USD',
      'defaults:',
      '  headers:',
      '    User-Agent: "shop-bot/1"',
      '    ACCEPT: "application/vnd.api+json"',
    ].join('\n');
    const file = writeConfig(
      [
        `
  - name: own
    request:
      url: "${vendor.url}/own"
      headers: { user-agent: "shop-bot/2", Accept-Encoding: "identity" }${FIELDS}
  - name: defaults
    auth:
      oauth2: { tokenUrl: "${vendor.url}/token", clientId: "client-1", clientSecret: "\${CLIENT_SECRET}" }
    request: { url: "${vendor.url}/defaults" }${FIELDS}
  - name: polled
    request: { method: POST, url: "${vendor.url}/create", body: { q: "{{query}}" } }
    poll:
      request: { url: "${vendor.url}/poll/{{ $response.session }}", headers: { ACCEPT-ENCODING: "br" } }
      until: done
      interval: 20ms${FIELDS}
  - name: unsent
    request: { url: "${vendor.url}/unsent", headers: { accept-encoding: "" } }${FIELDS}`,
      ],
      head,
    );
    const out = await runCli(['search', 'x', '-c', file, '--json'], { env: { CLIENT_SECRET: 'cs_secret_value' } });
    expect(JSON.parse(out.stdout).sources.map((s: { status: string }) => s.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    const sent = (url: string) => {
      const r = vendor.requests.find((q) => q.url === url);
      return {
        'accept-encoding': r?.headers['accept-encoding'],
        'user-agent': r?.headers['user-agent'],
        accept: r?.headers.accept,
      };
    };
    expect(sent('/own')).toEqual({
      'accept-encoding': 'identity',
      'user-agent': 'shop-bot/2',
      accept: 'application/vnd.api+json',
    });
    expect(sent('/defaults')).toEqual({
      'accept-encoding': DEFAULTS['accept-encoding'],
      'user-agent': 'shop-bot/1',
      accept: 'application/vnd.api+json',
    });
    // defaults.headers go to the token request too, in place of agg's User-Agent; its Accept is its own.
    expect(sent('/token')).toEqual({ ...DEFAULTS, 'user-agent': 'shop-bot/1', accept: 'application/json' });
    expect(sent('/create')).toEqual({ ...DEFAULTS, 'user-agent': 'shop-bot/1', accept: 'application/vnd.api+json' });
    expect(sent('/poll/s1')).toEqual({
      'accept-encoding': 'br',
      'user-agent': 'shop-bot/1',
      accept: 'application/vnd.api+json',
    });
    // An empty value is sent empty: for Accept-Encoding, "no encoding, please" (RFC 9110 §12.5.3).
    expect(sent('/unsent')['accept-encoding']).toBe('');
    // Never the default beside the file's header: each went out once.
    expect(duplicates).toEqual([]);
  });
});
