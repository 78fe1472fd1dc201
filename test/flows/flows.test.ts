/**
 * OAuth2 client credentials, create-then-poll and pagination, through `run()` against real
 * servers on 127.0.0.1: every request of a flow is a real HTTP exchange.
 */
import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { source, writeConfig } from '../helpers/config.js';
import { json, startServer, type TestServer } from '../helpers/server.js';
import { plantTemp, TWO_HOURS } from '../helpers/temp-file.js';
import { CLIENT_ID, CLIENT_SECRET, LIVE_PRICES_SOURCE, livePrices, pagedList, tokenEndpoint } from './vendors.js';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => Promise<void> | undefined;

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A server trying each handler in turn; 404 when none answers. */
async function serve(...handlers: Handler[]): Promise<TestServer> {
  const s = await startServer((req, res, body) => {
    for (const h of handlers) {
      const answered = h(req, res, body);
      if (answered) return answered;
    }
    return json(res, { message: 'no such path' }, { status: 404 });
  });
  servers.push(s);
  return s;
}

/** A JSON list nested 200,000 deep, past the stack of any recursive walk: a hostile vendor's value. */
const DEEP_LIST = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;

const ENV = { CLIENT_ID, CLIENT_SECRET, WRONG_SECRET: 'cs_wrong_but_long_secret' };

const oauthSource = (name: string, url: string, auth: 'body' | 'basic' = 'body', secret = 'CLIENT_SECRET') =>
  source(
    name,
    url,
    `
    auth:
      oauth2:
        tokenUrl: "${url.replace(/\/api.*/, '/token')}"
        clientId: "\${CLIENT_ID}"
        clientSecret: "\${${secret}}"
        clientAuth: ${auth}
        scope: "read"`,
  );

/** Offers API behind a token endpoint: `/api` answers one offer to a request with a live token. */
async function oauthVendor(auth: 'body' | 'basic') {
  const tokens = tokenEndpoint(auth);
  const api: Handler = (req, res) => {
    if (!req.url?.startsWith('/api')) return undefined;
    if (!tokens.authorized(req, res)) return Promise.resolve();
    return json(res, { items: [{ title: `via ${auth}`, price: 42, currency: 'USD' }] });
  };
  const server = await serve(tokens.handle.bind(tokens) as Handler, api);
  return { server, tokens };
}

const tokenRequests = (s: TestServer) => s.requests.filter((r) => r.url.startsWith('/token'));

describe('OAuth2 client credentials', () => {
  it('fetches one token with form credentials and shares it between sources', async () => {
    const { server, tokens } = await oauthVendor('body');
    const file = writeConfig([
      oauthSource('one', `${server.url}/api/1`),
      oauthSource('two', `${server.url}/api/2`),
      oauthSource('three', `${server.url}/api/3`),
    ]);
    const out = await runCli(['search', 'x', '-c', file, '--json'], { env: ENV });
    expect(out.code).toBe(0);
    const doc = JSON.parse(out.stdout);
    expect(doc.sources.map((s: { status: string }) => s.status)).toEqual(['ok', 'ok', 'ok']);
    expect(doc.offers).toHaveLength(3);
    // Three concurrent sources awaited one in-flight token request.
    expect(tokenRequests(server)).toHaveLength(1);
    expect(tokens.issued).toHaveLength(1);
    const form = new URLSearchParams(tokenRequests(server)[0]?.body);
    expect(Object.fromEntries(form)).toEqual({
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      scope: 'read',
    });
    const api = server.requests.filter((r) => r.url.startsWith('/api'));
    expect(api.map((r) => r.headers.authorization)).toEqual(Array(3).fill(`Bearer ${tokens.issued[0]}`));
  });

  it('sends the credentials in a Basic header when clientAuth is basic', async () => {
    const { server } = await oauthVendor('basic');
    const file = writeConfig([oauthSource('ebay', `${server.url}/api`, 'basic')]);
    const out = await runCli(['search', 'x', '-c', file, '--json'], { env: ENV });
    expect(JSON.parse(out.stdout).offers[0]).toMatchObject({ title: 'via basic', price: 42 });
    const [req] = tokenRequests(server);
    expect(req?.headers.authorization).toBe(`Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`);
    expect(req?.body).not.toContain('client_secret');
  });

  it('sends defaults.headers on the token request, but one holding a secret or a {{ }}, and its own Accept and Authorization', async () => {
    const { server } = await oauthVendor('basic');
    const head = [
      'currency: USD',
      'defaults:',
      '  headers:',
      '    User-Agent: "shop-compare/2.0"',
      '    Accept: "*/*"',
      '    X-Api-Key: "${CLIENT_ID}"',
      '    X-Query: "{{query}}"',
      '    AccessKey: "literal-key"',
      '    Host: "api.shop.example"',
    ].join('\n');
    const file = writeConfig([oauthSource('ebay', `${server.url}/api`, 'basic')], head);
    const out = await runCli(['search', 'x', '-c', file, '--json'], { env: ENV });
    expect(JSON.parse(out.stdout).sources[0].status).toBe('ok');
    const [req] = tokenRequests(server);
    // A gateway in front of the token endpoint that wants the file's User-Agent gets it, as the API does.
    expect(req?.headers['user-agent']).toBe('shop-compare/2.0');
    expect(req?.headers.accept).toBe('application/json');
    expect(req?.headers.authorization).toMatch(/^Basic /);
    expect(req?.headers['x-api-key']).toBeUndefined();
    expect(req?.headers['x-query']).toBeUndefined();
    // A credential's name, though its value is written in the file: the endpoint may be another party's.
    expect(req?.headers.accesskey).toBeUndefined();
    // The API's virtual host is not the token endpoint's: undici names the endpoint's own.
    expect(req?.headers.host).toBe(new URL(server.url).host);
    const api = server.requests.find((r) => r.url.startsWith('/api'));
    expect(api?.headers).toMatchObject({
      'user-agent': 'shop-compare/2.0',
      'x-api-key': CLIENT_ID,
      'x-query': 'x',
      host: 'api.shop.example',
    });
  });

  it('sends the token over an Authorization in defaults.headers, which the other sources still send', async () => {
    // Not a config error, as one in the source's own headers is: the default may be meant for the others.
    const { server, tokens } = await oauthVendor('body');
    const head = ['currency: USD', 'defaults:', '  headers:', '    AUTHORIZATION: "Basic dXNlcjpwYXNz"'].join('\n');
    const file = writeConfig(
      [oauthSource('shop', `${server.url}/api/shop`), source('plain', `${server.url}/plain`)],
      head,
    );
    const out = await runCli(['search', 'x', '-c', file, '--json', '-q'], { env: ENV });
    // No warning of it on stderr: the docs say which wins. `plain` meets serve()'s 404, its headers are what count.
    expect(out.stderr).toBe('');
    expect(JSON.parse(out.stdout).sources.map((s: { status: string }) => s.status)).toEqual(['ok', 'error']);
    const sent = (url: string) => server.requests.find((r) => r.url.startsWith(url))?.headers.authorization;
    expect(sent('/api/shop')).toBe(`Bearer ${tokens.issued[0]}`);
    expect(sent('/plain')).toBe('Basic dXNlcjpwYXNz');
    // A credential's name: kept off the token request too, which has its own.
    expect(sent('/token')).toBeUndefined();
  });

  it('sends a header with a 2 in it to the token endpoint when a ${VAR} is 2: a value that short is no secret', async () => {
    // `X-Api-Version: "${API_VERSION}"` with API_VERSION=2 kept `User-Agent: shop-compare/2.0` off the
    // token request, as if it held a secret, where the README says a value under 4 characters is none.
    const { server } = await oauthVendor('basic');
    const head = [
      'currency: USD',
      'defaults:',
      '  headers:',
      '    User-Agent: "shop-compare/2.0"',
      '    X-Api-Version: "${API_VERSION}"',
      '    X-Partner: "p-${CLIENT_ID}"',
    ].join('\n');
    const file = writeConfig([oauthSource('ebay', `${server.url}/api`, 'basic')], head);
    const out = await runCli(['search', 'x', '-c', file, '--json'], { env: { ...ENV, API_VERSION: '2' } });
    expect(JSON.parse(out.stdout).sources[0].status).toBe('ok');
    const [req] = tokenRequests(server);
    expect(req?.headers['user-agent']).toBe('shop-compare/2.0');
    expect(req?.headers['x-api-version']).toBe('2');
    // A real secret still keeps its header off it.
    expect(req?.headers['x-partner']).toBeUndefined();
  });

  it('shows an OAuth2 error_description beside its error code', async () => {
    const server = await serve((req, res) =>
      req.url?.startsWith('/token')
        ? json(res, { error: 'invalid_client', error_description: 'Client credentials are invalid' }, { status: 401 })
        : undefined,
    );
    const file = writeConfig([oauthSource('amadeus', `${server.url}/api`)]);
    const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--json'], { env: ENV })).stdout);
    expect(doc.sources[0].error).toMatch(
      /^authentication failed: HTTP 401 Unauthorized: POST \S+ \(invalid_client: Client credentials are invalid\)$/,
    );
  });

  it('a token endpoint that redirects elsewhere names where it pointed, its secrets masked', async () => {
    // A 307 resends the form, client secret and all: refused, and the row said only 'POST …/token'.
    const elsewhere = await serve((_req, res) => json(res, { access_token: 'stolen' }));
    const server = await serve((req, res) => {
      if (!req.url?.startsWith('/token')) return undefined;
      res.writeHead(307, { location: `${elsewhere.url}/grab?api_key=${ENV.CLIENT_SECRET}&x=%1b` });
      res.end();
      return Promise.resolve();
    });
    const file = writeConfig([oauthSource('moved', `${server.url}/api`)]);
    const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--json'], { env: ENV })).stdout);
    expect(doc.sources[0]).toMatchObject({ name: 'moved', status: 'error' });
    expect(doc.sources[0].error).toBe(
      `authentication failed: redirect to another origin with a request body refused: POST ${server.url}/token → ${elsewhere.url}/grab?api_key=***&x=%1b`,
    );
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('a wrong secret fails only that source, saying authentication failed, and never shows the secret', async () => {
    const { server } = await oauthVendor('body');
    const other = await serve((_req, res) => json(res, { items: [{ title: 'plain', price: 9, currency: 'USD' }] }));
    const file = writeConfig([
      oauthSource('locked', `${server.url}/api`, 'body', 'WRONG_SECRET'),
      source('plain', `${other.url}/s`),
    ]);
    const outputs: string[] = [];
    for (const args of [['--json'], ['--verbose'], ['--format', 'ndjson']]) {
      const out = await runCli(['search', 'x', '-c', file, ...args], { env: ENV });
      expect(out.code).toBe(0);
      outputs.push(out.stdout, out.stderr);
    }
    const doc = JSON.parse(outputs[0] as string);
    // The token request is not the source's own: none of those was sent.
    expect(doc.sources[0]).toMatchObject({ name: 'locked', status: 'error', httpStatus: 401, attempts: 0, offers: 0 });
    expect(doc.sources[0].error).toMatch(
      /^authentication failed: HTTP 401 Unauthorized: POST http:\/\/127\.0\.0\.1:\d+\/token/,
    );
    expect(doc.sources[1]).toMatchObject({ name: 'plain', status: 'ok', offers: 1 });
    expect(doc.partial).toBe(true);
    // The vendor echoed the secret in its error message: shown as the variable's name.
    expect(doc.sources[0].error).toContain('***');
    for (const text of outputs) expect(text).not.toContain(ENV.WRONG_SECRET);
    // The API itself was never called without a token.
    expect(server.requests.filter((r) => r.url.startsWith('/api'))).toHaveLength(0);
    const sources = await runCli(['sources', '-c', file, '--json'], { env: ENV });
    expect(sources.stdout).not.toContain(ENV.WRONG_SECRET);
    expect(JSON.parse(sources.stdout)[0]).toMatchObject({ name: 'locked', flow: ['oauth2'] });
  });

  it('a token endpoint that never answers within the timeout is a timeout, not an error', async () => {
    // The token request hangs; the flow's own limit (flowTimeout) is later, so the request's timer ends it.
    const api = await serve((req) => (req.url === '/token' ? new Promise<void>(() => {}) : undefined));
    const file = writeConfig([`${oauthSource('shop', `${api.url}/api`)}\n    timeout: 300ms\n    flowTimeout: 5s`]);
    const out = await runCli(['search', 'x', '-c', file, '--json'], { env: ENV });
    const row = JSON.parse(out.stdout).sources[0];
    expect(row).toMatchObject({ name: 'shop', status: 'timeout', attempts: 0, offers: 0 });
    expect(row.error).toMatch(
      /^authentication failed: no response within 300ms: POST http:\/\/127\.0\.0\.1:\d+\/token$/,
    );
  });

  it('a token endpoint that never answers, with no flowTimeout, still says authentication failed and names it', async () => {
    // The flow's limit is the source's timeout, due with the token request's: its timer fired first,
    // and the row said only `time limit 300ms passed`.
    const api = await serve((req) => (req.url === '/token' ? new Promise<void>(() => {}) : undefined));
    const file = writeConfig([`${oauthSource('shop', `${api.url}/api`)}\n    timeout: 300ms`]);
    const out = await runCli(['search', 'x', '-c', file, '--json'], { env: ENV });
    const row = JSON.parse(out.stdout).sources[0];
    expect(row).toMatchObject({ name: 'shop', status: 'timeout', attempts: 0, offers: 0 });
    expect(row.error).toMatch(/^authentication failed: .*300ms.*: POST http:\/\/127\.0\.0\.1:\d+\/token$/);
  });

  it('take-first cancelling a source while its token is on the way is no authentication failure', async () => {
    // The token endpoint has not answered when the other source wins: nothing refused the credentials.
    const api = await serve(
      (req) => (req.url === '/token' ? new Promise<void>(() => {}) : undefined),
      (req, res) =>
        req.url === '/fast' ? json(res, { items: [{ title: 'fast', price: 1, currency: 'USD' }] }) : undefined,
    );
    const file = writeConfig([oauthSource('shop', `${api.url}/api`), source('fast', `${api.url}/fast`)]);
    const out = await runCli(['search', 'x', '-c', file, '--json', '-s', 'first'], { env: ENV });
    const row = JSON.parse(out.stdout).sources[0];
    expect(row).toMatchObject({ name: 'shop', status: 'cancelled', offers: 0 });
    expect(row.error).toBe(`cancelled: fast answered first: POST ${api.url}/token (while getting its OAuth2 token)`);
  });

  it("an unreachable token endpoint counts no attempts: the source's own request was never sent", async () => {
    const api = await serve((_req, res) => json(res, { items: [] }));
    // Port 1 on loopback: connection refused, at once.
    const file = writeConfig([
      oauthSource('shop', `${api.url}/api`).replace(/tokenUrl: ".*"/, 'tokenUrl: "http://127.0.0.1:1/token"'),
    ]);
    const out = await runCli(['search', 'x', '-c', file, '--json', '--verbose'], { env: ENV });
    const row = JSON.parse(out.stdout).sources[0];
    expect(row).toMatchObject({ name: 'shop', status: 'error', attempts: 0, offers: 0 });
    expect(row.error).toBe('authentication failed: connection refused: POST http://127.0.0.1:1/token');
    // Logged under --verbose, as the README says.
    expect(out.stderr).toMatch(/shop: POST http:\/\/127\.0\.0\.1:1\/token → error/);
    expect(api.requests).toHaveLength(0);
  });

  it('refreshes the token once on a 401, and never prints a token', async () => {
    const { server, tokens } = await oauthVendor('body');
    let revokedFirst = false;
    const file = writeConfig([oauthSource('shop', `${server.url}/api`)]);
    // Revoke the first token as soon as it is issued: the API's 401 makes agg fetch another.
    const issue = tokens.issued.push.bind(tokens.issued);
    tokens.issued.push = (...t: string[]) => {
      if (!revokedFirst) for (const x of t) tokens.revoked.add(x);
      revokedFirst = true;
      return issue(...t);
    };
    const out = await runCli(['search', 'x', '-c', file, '--json', '--verbose'], { env: ENV });
    const doc = JSON.parse(out.stdout);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', offers: 1, attempts: 2 });
    expect(tokens.issued).toHaveLength(2);
    expect(tokenRequests(server)).toHaveLength(2);
    for (const t of tokens.issued) expect(out.stdout + out.stderr).not.toContain(t);
    expect(out.stderr).toMatch(/shop: POST http:\/\/127\.0\.0\.1:\d+\/token → 200/);
  });

  it('does not refresh the token for a 401 whose body the deadline cut short: that request is over', async () => {
    const tokens = tokenEndpoint('body');
    // The 401's headers come, its body never ends: the time limit that stops it keeps its status.
    const stalled: Handler = (req, res) => {
      if (!req.url?.startsWith('/api')) return undefined;
      res.writeHead(401, { 'content-type': 'application/json' });
      res.write('{"errors":');
      return new Promise<void>(() => {});
    };
    const server = await serve(tokens.handle.bind(tokens) as Handler, stalled);
    const file = writeConfig([oauthSource('shop', `${server.url}/api`)]);
    const out = await runCli(['search', 'x', '-c', file, '--json', '--deadline', '1s'], { env: ENV });
    const row = JSON.parse(out.stdout).sources[0];
    // It was `authentication failed: deadline 1s passed: POST …/token`, for a token never asked for.
    expect(row).toMatchObject({ status: 'timeout', httpStatus: 401, attempts: 1 });
    expect(row.error).toBe(`deadline 1s passed: GET ${server.url}/api`);
    expect(tokenRequests(server)).toHaveLength(1);
  });

  it('a shared token request lasts as long as the most patient source waits, not the first one', async () => {
    const { server, tokens } = await oauthVendor('body');
    const slow = await serve((req, res, body) => {
      if (!req.url?.startsWith('/token')) return undefined;
      // Answers after the hasty source's limit, well within the patient one's.
      return new Promise<void>((resolve) => setTimeout(resolve, 1000)).then(() => tokens.handle(req, res, body));
    });
    const viaSlow = (name: string, timeout: string) =>
      `${oauthSource(name, `${server.url}/api/${name}`).replace(/tokenUrl: ".*"/, `tokenUrl: "${slow.url}/token"`)}
    timeout: ${timeout}`;
    const file = writeConfig([viaSlow('hasty', '200ms'), viaSlow('patient', '10s')]);
    const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--json'], { env: ENV })).stdout);
    const rows = Object.fromEntries(doc.sources.map((r: { name: string }) => [r.name, r]));
    expect(rows.hasty).toMatchObject({ status: 'timeout' });
    expect(rows.patient).toMatchObject({ status: 'ok', offers: 1 });
    expect(tokenRequests(slow)).toHaveLength(1);
  });

  it('a token a header cannot carry is an authentication failure that says so, and the API is not asked', async () => {
    for (const token of ['tok-1234\r\nX-Evil: 1', 'tok-\u20ac-1234']) {
      const server = await serve((req, res) =>
        req.url === '/token' ? json(res, { access_token: token, expires_in: 60 }) : json(res, { items: [] }),
      );
      const file = writeConfig([oauthSource('shop', `${server.url}/api`)]);
      const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--json'], { env: ENV })).stdout);
      expect(doc.sources[0]).toMatchObject({ status: 'error' });
      expect(doc.sources[0].error).toBe(
        `authentication failed: the access_token has a line break, a control character or one past U+00FF, which a header cannot carry: POST ${server.url}/token`,
      );
      expect(server.requests.filter((r) => r.url.startsWith('/api'))).toHaveLength(0);
    }
  });

  it('refuses a token longer than a header value can be at once, before masking it: 10 MB stalled the run', async () => {
    // Masking a secret builds its encoded forms: for a 10 MB token that took ~7 s and ~370 MB, past the deadline.
    const huge = 'tok-'.padEnd(10_000_000, 'abcdefghij0123456789');
    const server = await serve((req, res) =>
      req.url === '/token' ? json(res, { access_token: huge, expires_in: 60 }) : json(res, { items: [] }),
    );
    const file = writeConfig([oauthSource('shop', `${server.url}/api`)]);
    const argv = ['search', 'x', '-c', file, '--json', '--deadline', '1s'];
    const doc = JSON.parse((await runCli(argv, { env: ENV })).stdout);
    expect(doc.sources[0]).toMatchObject({
      status: 'error',
      error: `authentication failed: the access_token is 10,000,000 characters long, more than the 65,534 a header value may hold: POST ${server.url}/token`,
    });
    expect(server.requests.filter((r) => r.url.startsWith('/api'))).toHaveLength(0);
  });

  it('sends a token as long as a header value may be, and refuses one a character longer', async () => {
    const answers = (token: string) => async () => {
      const server = await serve((req, res) =>
        req.url === '/token' ? json(res, { access_token: token, expires_in: 60 }) : json(res, { items: [] }),
      );
      const file = writeConfig([oauthSource('shop', `${server.url}/api`)]);
      const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--json'], { env: ENV })).stdout);
      return { row: doc.sources[0], asked: server.requests.filter((r) => r.url.startsWith('/api')).length };
    };
    // Sent: the test server's own limit on headers (16 KiB in all) is what refuses it.
    expect((await answers('t'.repeat(65_534))()).row).toMatchObject({ status: 'error', httpStatus: 431 });
    const over = await answers('t'.repeat(65_535))();
    expect(over.asked).toBe(0);
    expect(over.row.error).toMatch(/^authentication failed: the access_token is 65,535 characters long, more than/);
  });

  it('retries a token request the identity server rate-limited, as a GET, whatever the source says', async () => {
    // The token request is a POST, but asking twice for a token only issues two: a 429 failed the source.
    const tokens = tokenEndpoint('body');
    let asked = 0;
    const server = await serve(
      (req, res, body) => {
        if (req.url !== '/token' || asked++ > 0) return tokens.handle(req, res, body);
        return json(res, { error: 'slow down' }, { status: 429, headers: { 'retry-after': '0' } });
      },
      (req, res) => {
        if (!req.url?.startsWith('/api')) return undefined;
        if (!tokens.authorized(req, res)) return Promise.resolve();
        return json(res, { items: [{ title: 'after a 429', price: 42, currency: 'USD' }] });
      },
    );
    const file = writeConfig([oauthSource('shop', `${server.url}/api`)]);
    const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--json'], { env: ENV })).stdout);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', offers: 1 });
    expect(tokenRequests(server)).toHaveLength(2);
  });

  it('a token endpoint without access_token is an authentication failure', async () => {
    const server = await serve((req, res) =>
      req.url === '/token' ? json(res, { token_type: 'Bearer' }) : json(res, { items: [] }),
    );
    const file = writeConfig([oauthSource('shop', `${server.url}/api`)]);
    const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--json'], { env: ENV })).stdout);
    expect(doc.sources[0]).toMatchObject({ status: 'error' });
    expect(doc.sources[0].error).toMatch(/^authentication failed: the token response has no access_token: POST /);
  });

  it('says why a token endpoint that answers 200 with an OAuth2 error gave no token, its secrets and controls made harmless', async () => {
    const server = await serve((req, res, body) =>
      req.url === '/token'
        ? json(res, {
            error: 'invalid_scope',
            error_description: `scope read not granted to ${new URLSearchParams(body).get('client_secret')}\u001b[2J`,
          })
        : json(res, { items: [] }),
    );
    const file = writeConfig([oauthSource('shop', `${server.url}/api`)]);
    const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--json'], { env: ENV })).stdout);
    expect(doc.sources[0]).toMatchObject({ status: 'error', attempts: 0 });
    expect(doc.sources[0].error).toBe(
      `authentication failed: the token response has no access_token: POST ${server.url}/token (invalid_scope: scope read not granted to ***␛[2J)`,
    );
  });

  it("cuts a token endpoint's long OAuth2 error as an HTTP error's words are cut", async () => {
    const server = await serve((req, res) =>
      req.url === '/token'
        ? json(res, { error: 'invalid_scope', error_description: `scope ${'read,'.repeat(2000)}` })
        : json(res, { items: [] }),
    );
    const file = writeConfig([oauthSource('shop', `${server.url}/api`)]);
    const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--json'], { env: ENV })).stdout);
    const error: string = doc.sources[0].error;
    expect(error).toMatch(
      /^authentication failed: the token response has no access_token: .*\(invalid_scope: scope read,/,
    );
    // 10,000 characters of the vendor's in a row: a table line, and --verbose's, as long.
    expect(error.length).toBeLessThan(400);
    expect(error.endsWith('…')).toBe(true);
  });
});

describe('create-then-poll', () => {
  it('polls until complete and keeps the last response, where the cheapest itinerary arrives', async () => {
    const vendor = livePrices(3);
    const server = await serve(vendor.handle);
    const file = writeConfig([LIVE_PRICES_SOURCE(server.url)]);
    const out = await runCli(['search', 'from=JFK', '-c', file, '--json'], { env: ENV });
    expect(out.code).toBe(0);
    const doc = JSON.parse(out.stdout);
    expect(vendor.polls).toBe(3);
    // Milli-units divided, id-keyed maps joined; the last response replaced the earlier ones.
    expect(doc.offers.map((o: { title: string; price: number }) => [o.title, o.price])).toEqual([
      ['it-z', 499.99],
      ['it-b', 650],
      ['it-d', 699.99],
      ['it-c', 701],
      ['it-a', 712.5],
    ]);
    expect(doc.offers[0]).toMatchObject({ carrier: 'Lufthansa', url: 'https://sky.example/leg-b', currency: 'USD' });
    expect(doc.sources[0]).toMatchObject({ name: 'sky', status: 'ok', offers: 5, attempts: 4 });
    expect(doc.sources[0].incomplete).toBeUndefined();
    expect(doc.partial).toBe(false);
    // Each poll carries the source's headers and no create body.
    const polls = server.requests.filter((r) => r.url.startsWith('/poll/'));
    expect(polls.map((r) => [r.headers['x-api-key'], r.body])).toEqual(Array(3).fill(['key-123456', '']));
    expect(JSON.parse(server.requests[0]?.body ?? '')).toEqual({
      query: { market: 'US', currency: 'USD', legs: [{ from: 'JFK' }] },
    });
  });

  it('a poll that says nothing changed (unchanged) keeps the offers it would have replaced with none', async () => {
    // Skyscanner answers RESULT_ACTION_NOT_MODIFIED, with no results, when nothing is new since the last poll.
    const unchanged = '\n      unchanged: action = "RESULT_ACTION_NOT_MODIFIED"';
    const vendor = livePrices(2, { notModified: true });
    const server = await serve(vendor.handle);
    const out = await runCli([
      'search',
      'from=JFK',
      '-c',
      writeConfig([LIVE_PRICES_SOURCE(server.url, unchanged)]),
      '--json',
    ]);
    expect(out.code).toBe(0);
    const doc = JSON.parse(out.stdout);
    expect(vendor.polls).toBe(2);
    // The create's itineraries, and the carrier joined from its own `$response`; `until` read the last poll.
    expect(doc.offers.map((o: { title: string; carrier: string }) => [o.title, o.carrier])).toEqual([
      ['it-b', 'Lufthansa'],
      ['it-a', 'British Airways'],
    ]);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', offers: 2, attempts: 3 });
    expect(doc.sources[0].incomplete).toBeUndefined();
    // Without it, the last poll's empty results replace them: no offers at all.
    const again = await serve(livePrices(2, { notModified: true }).handle);
    const plain = await runCli(['search', 'from=JFK', '-c', writeConfig([LIVE_PRICES_SOURCE(again.url)]), '--json']);
    expect(plain.code).toBe(1);
    // An `unchanged` that fails keeps what was there, marked incomplete.
    const broken = '\n      unchanged: $error("no")';
    const third = await serve(livePrices(2, { notModified: true }).handle);
    const bad = await runCli([
      'search',
      'from=JFK',
      '-c',
      writeConfig([LIVE_PRICES_SOURCE(third.url, broken)]),
      '--json',
    ]);
    expect(JSON.parse(bad.stdout).sources[0]).toMatchObject({
      status: 'ok',
      offers: 2,
      incomplete: true,
      error: 'incomplete after 1 poll: poll.unchanged failed: no',
    });
  });

  it('a create that is already complete is not polled', async () => {
    const vendor = livePrices(0);
    const server = await serve(vendor.handle);
    const file = writeConfig([LIVE_PRICES_SOURCE(server.url)]);
    const doc = JSON.parse((await runCli(['search', 'from=JFK', '-c', file, '--json'])).stdout);
    expect(vendor.polls).toBe(0);
    expect(doc.offers[0]).toMatchObject({ title: 'it-z' });
  });

  it('reads `until` as JSONata does: an empty object or list is not done, and polling goes on', async () => {
    // JavaScript calls `{}` true: `until: itineraries` stopped at a create whose `itineraries: {}` said
    // "nothing yet", and the source was ok and whole with no offers.
    let polls = 0;
    const server = await serve((req, res) => {
      if (req.url === '/create') return json(res, { session: 's1', itineraries: {}, tags: [] });
      if (req.url !== '/poll/s1') return undefined;
      polls++;
      return json(res, { session: 's1', itineraries: { a: { title: 'fare', price: 99 } }, tags: ['done'] });
    });
    const sky = (until: string) => `
  - name: sky
    request: { method: POST, url: "${server.url}/create", body: { q: "{{query}}" } }
    poll:
      request: { url: "${server.url}/poll/{{ $response.session }}" }
      until: ${until}
      interval: 10ms
    offers: '$each(itineraries, function($v) { $v })'
    fields: { title: title, price: price, currency: '"USD"' }`;
    for (const until of ['itineraries', 'tags']) {
      polls = 0;
      const doc = JSON.parse((await runCli(['search', 'tv', '-c', writeConfig([sky(until)]), '--json'])).stdout);
      expect(polls).toBe(1);
      expect(doc.sources[0]).toMatchObject({ status: 'ok', offers: 1 });
      expect(doc.sources[0].incomplete).toBeUndefined();
      expect(doc.offers.map((o: { title: string }) => o.title)).toEqual(['fare']);
    }
  });

  it('a poll that never completes ends at maxAttempts: ok, incomplete, with the offers so far', async () => {
    const vendor = livePrices(Number.POSITIVE_INFINITY);
    const server = await serve(vendor.handle);
    const file = writeConfig([LIVE_PRICES_SOURCE(server.url, '\n      maxAttempts: 2')]);
    const out = await runCli(['search', 'from=JFK', '-c', file, '--json']);
    expect(out.code).toBe(0);
    const doc = JSON.parse(out.stdout);
    expect(vendor.polls).toBe(2);
    expect(doc.offers.map((o: { title: string }) => o.title)).toEqual(['it-b', 'it-d', 'it-c', 'it-a']);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', incomplete: true, offers: 4 });
    expect(doc.sources[0].error).toBe(
      'incomplete after 2 polls (maxAttempts): `status = "RESULT_STATUS_COMPLETE"` never held',
    );
    expect(doc.partial).toBe(true);
    const table = await runCli(['search', 'from=JFK', '-c', file]);
    expect(table.stderr).toMatch(/^ {2}sky {2}ok {9}incomplete after 2 polls \(maxAttempts\)/m);
    expect(table.stderr).toMatch(/1 source · 1 ok \(1 incomplete\) · 4 offers/);
  });

  it('an incomplete answer is not recorded as a latency sample; a complete one is', async () => {
    const XDG_CACHE_HOME = mkdtempSync(path.join(os.tmpdir(), 'agg-cache-'));
    const history = path.join(XDG_CACHE_HOME, 'agg', 'latency.jsonl');
    const endless = await serve(livePrices(Number.POSITIVE_INFINITY).handle);
    const cut = writeConfig([LIVE_PRICES_SOURCE(endless.url, '\n      maxAttempts: 2')]);
    const out = await runCli(['search', 'from=JFK', '-c', cut, '--json'], { env: { XDG_CACHE_HOME } });
    expect(JSON.parse(out.stdout).sources[0]).toMatchObject({ status: 'ok', incomplete: true });
    expect(() => readFileSync(history, 'utf8')).toThrow();
    const done = await serve(livePrices(1).handle);
    const whole = writeConfig([LIVE_PRICES_SOURCE(done.url)]);
    await runCli(['search', 'from=JFK', '-c', whole, '--json'], { env: { XDG_CACHE_HOME } });
    expect(readFileSync(history, 'utf8')).toMatch(/^\{"at":\d+,"ms":\{"sky@127\.0\.0\.1:\d+":\d+\}\}\n$/);
  });

  it('the flow time limit ends polling with the last mapping, and says so', async () => {
    const vendor = livePrices(Number.POSITIVE_INFINITY);
    const server = await serve(vendor.handle);
    const file = writeConfig([LIVE_PRICES_SOURCE(server.url, '\n      maxAttempts: 100\n    flowTimeout: 300ms')]);
    const started = Date.now();
    const doc = JSON.parse((await runCli(['search', 'from=JFK', '-c', file, '--json'])).stdout);
    // Ended by the limit, not by maxAttempts (100 polls 20 ms apart): counted, not timed, on a slow host
    // (1,500 ms for the whole run was missed at 1,835 there).
    expect(vendor.polls).toBeLessThan(100);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', incomplete: true });
    // The limit may land in the instant the next poll is handed to undici and not yet written: the row
    // then says that poll was not sent (a clean-clone CI run met it once in this test).
    expect(doc.sources[0].error).toMatch(
      /^incomplete after \d+ polls?: time limit 300ms passed(?:, poll \d+ not sent: queued \d+(?:ms|\.\ds) for a connection .*)?$/,
    );
    expect(doc.offers.length).toBeGreaterThanOrEqual(2);
  });

  it('a poll the flow limit cuts short is neither counted nor said to have failed', async () => {
    const vendor = livePrices(5);
    // The first poll never answers: the limit ends the flow while it is out, not in a wait between polls.
    const server = await serve((req, res) =>
      req.url?.startsWith('/poll') ? new Promise<void>(() => {}) : vendor.handle(req, res),
    );
    const file = writeConfig([LIVE_PRICES_SOURCE(server.url, '\n    flowTimeout: 400ms\n    timeout: 5s')]);
    const doc = JSON.parse((await runCli(['search', 'from=JFK', '-c', file, '--json'])).stdout);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', incomplete: true });
    expect(doc.sources[0].error).toBe('incomplete after 0 polls: time limit 400ms passed');
    expect(doc.offers).toHaveLength(2);
  });

  it('a failing poll keeps the previous response', async () => {
    const vendor = livePrices(Number.POSITIVE_INFINITY);
    const server = await serve((req, res) => {
      if (req.url?.startsWith('/poll/') && vendor.polls >= 1) {
        return json(res, { message: 'session expired' }, { status: 410 });
      }
      return vendor.handle(req, res);
    });
    const file = writeConfig([LIVE_PRICES_SOURCE(server.url)]);
    const doc = JSON.parse((await runCli(['search', 'from=JFK', '-c', file, '--json'])).stdout);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', incomplete: true, offers: 3 });
    expect(doc.sources[0].error).toMatch(
      /^incomplete after 2 polls, the last failed: HTTP 410 Gone: POST .*\(session expired\)$/,
    );
  });
});

describe('pagination', () => {
  const pagedSource = (url: string, extra = '') => source('list', `${url}/list?q=x&page=1`, `\n    next: next${extra}`);

  /** The search of a paged source whose page `n` answers 200 with the vendor's error shape, which the mapping turns into an $error. */
  async function searchFailingAt(n: number, message: string) {
    let base = '';
    const list = pagedList(() => base);
    const server = await serve((req, res) =>
      req.url?.includes(`page=${n}`) ? json(res, { status: 'ERR', message }) : list(req, res),
    );
    base = server.url;
    const checked = pagedSource(server.url).replace(
      'offers: items',
      `offers: 'status = "ERR" ? $error("vendor said " & message) : items'`,
    );
    return JSON.parse((await runCli(['search', 'x', '-c', writeConfig([checked]), '--json'])).stdout);
  }

  it('fetches the pages in order and concatenates their offers', async () => {
    let base = '';
    const server = await serve(pagedList(() => base));
    base = server.url;
    const out = await runCli([
      'search',
      'x',
      '-c',
      writeConfig([pagedSource(server.url)]),
      '--json',
      '--sort',
      'title',
    ]);
    const doc = JSON.parse(out.stdout);
    expect(doc.offers.map((o: { title: string }) => o.title)).toEqual(['p1-a', 'p1-b', 'p2-a', 'p3-a']);
    expect(server.requests.map((r) => r.url)).toEqual(['/list?q=x&page=1', '/list?q=x&page=2', '/list?q=x&page=3']);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', offers: 4, attempts: 3 });
    expect(doc.partial).toBe(false);
  });

  it('maxPages bounds the pages fetched', async () => {
    let base = '';
    const server = await serve(pagedList(() => base));
    base = server.url;
    const file = writeConfig([pagedSource(server.url, '\n    maxPages: 2')]);
    const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--json'])).stdout);
    expect(server.requests).toHaveLength(2);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', offers: 3 });
    expect(doc.sources[0].incomplete).toBeUndefined();
    // The limit is the user's, so the answer is whole; but the catalogue goes on, and the row says so.
    expect(doc.sources[0].note).toBe('stopped at maxPages (2); page 3 is linked');
    expect(doc.partial).toBe(false);
    // A routine limit, met at every run of a big catalogue: listed under --verbose, not by default.
    const table = await runCli(['search', 'x', '-c', file, '--format', 'table']);
    expect(table.stderr).not.toContain('maxPages');
    const verbose = await runCli(['search', 'x', '-c', file, '--format', 'table', '--verbose']);
    expect(verbose.stderr).toMatch(/list +ok +stopped at maxPages \(2\); page 3 is linked/);
  });

  it('reaching maxPages on the last page says nothing: no page is left out', async () => {
    let base = '';
    const server = await serve(pagedList(() => base));
    base = server.url;
    const file = writeConfig([pagedSource(server.url, '\n    maxPages: 3')]);
    const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--json'])).stdout);
    expect(server.requests).toHaveLength(3);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', offers: 4 });
    expect(doc.sources[0].note).toBeUndefined();
  });

  it('page 2 failing keeps the offers of page 1: ok, incomplete, with the reason', async () => {
    let base = '';
    const server = await serve(pagedList(() => base, { fail: 2 }));
    base = server.url;
    const file = writeConfig([pagedSource(server.url, '\n    retries: 0')]);
    const out = await runCli(['search', 'x', '-c', file, '--json']);
    expect(out.code).toBe(0);
    const doc = JSON.parse(out.stdout);
    expect(doc.offers.map((o: { title: string }) => o.title)).toEqual(['p1-b', 'p1-a']);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', incomplete: true, offers: 2, httpStatus: 200 });
    expect(doc.sources[0].error).toMatch(
      /^incomplete, kept 1 page; page 2 failed: HTTP 500 Internal Server Error: GET http:\/\/127\.0\.0\.1:\d+\/list\?q=x&page=2 \(page store down\)$/,
    );
    expect(doc.partial).toBe(true);
  });

  it('a page the flow limit cuts short keeps the pages before it, and is not said to have failed', async () => {
    let base = '';
    const list = pagedList(() => base);
    const server = await serve((req, res) =>
      req.url?.includes('page=2') ? new Promise<void>(() => {}) : list(req, res),
    );
    base = server.url;
    const file = writeConfig([pagedSource(server.url, '\n    flowTimeout: 400ms\n    timeout: 5s\n    retries: 0')]);
    const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--json'])).stdout);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', incomplete: true, offers: 2 });
    expect(doc.sources[0].error).toBe('incomplete, kept 1 page; time limit 400ms passed');
  });

  it('a later page whose mapping fails keeps the pages before it: ok, incomplete, with the reason', async () => {
    const doc = await searchFailingAt(3, 'quota used up');
    expect(doc.offers.map((o: { title: string }) => o.title).sort()).toEqual(['p1-a', 'p1-b', 'p2-a']);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', incomplete: true, offers: 3, attempts: 3 });
    expect(doc.sources[0].error).toBe(
      'incomplete, kept 2 pages; page 3 failed: mapping failed: offers: vendor said quota used up',
    );
    expect(doc.partial).toBe(true);
  });

  it('one page kept before a last page whose mapping fails reads "kept 1 page", singular', async () => {
    const doc = await searchFailingAt(2, 'quota used up');
    expect(doc.sources[0]).toMatchObject({ status: 'ok', incomplete: true, offers: 2 });
    expect(doc.sources[0].error).toBe(
      'incomplete, kept 1 page; page 2 failed: mapping failed: offers: vendor said quota used up',
    );
  });

  it('a page whose mapping fails between two good ones is left out, and the pages after it are kept', async () => {
    let base = '';
    const list = pagedList(() => base);
    // Page 2 answers the vendor's error shape but still links page 3: page 3 was fetched (and streamed).
    const server = await serve((req, res) =>
      req.url?.includes('page=2')
        ? json(res, { status: 'ERR', message: 'busy', next: `${base}/list?q=x&page=3` })
        : list(req, res),
    );
    base = server.url;
    const checked = pagedSource(server.url).replace(
      'offers: items',
      `offers: 'status = "ERR" ? $error("vendor said " & message) : items'`,
    );
    const doc = JSON.parse((await runCli(['search', 'x', '-c', writeConfig([checked]), '--json'])).stdout);
    expect(server.requests.map((r) => r.url)).toEqual(['/list?q=x&page=1', '/list?q=x&page=2', '/list?q=x&page=3']);
    expect(doc.offers.map((o: { title: string }) => o.title).sort()).toEqual(['p1-a', 'p1-b', 'p3-a']);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', incomplete: true, offers: 3 });
    expect(doc.sources[0].error).toBe(
      'incomplete, kept 2 of 3 pages; page 2 failed: mapping failed: offers: vendor said busy',
    );
  });

  it('a first page whose mapping fails is still an error', async () => {
    const server = await serve((_req, res) => json(res, { status: 'ERR', message: 'quota used up' }));
    const checked = pagedSource(server.url).replace(
      'offers: items',
      `offers: 'status = "ERR" ? $error("vendor said " & message) : items'`,
    );
    const doc = JSON.parse((await runCli(['search', 'x', '-c', writeConfig([checked]), '--json'])).stdout);
    expect(doc.sources[0]).toMatchObject({ status: 'error', offers: 0 });
    expect(doc.sources[0].error).toBe('mapping failed: offers: vendor said quota used up');
    expect(doc.sources[0].incomplete).toBeUndefined();
  });

  it('retries and size bounds apply to every page, not only the first request', async () => {
    let base = '';
    let busy = 1;
    const list = pagedList(() => base);
    const server = await serve((req, res) => {
      // Page 2 is rate limited once, then answers; page 3 is far over the source's maxBytes.
      if (req.url?.includes('page=2') && busy-- > 0) return json(res, { message: 'busy' }, { status: 503 });
      if (req.url?.includes('page=3')) return json(res, { items: [{ title: 'x'.repeat(4096), price: 1 }] });
      return list(req, res);
    });
    base = server.url;
    const file = writeConfig([pagedSource(server.url, '\n    retries: 2\n    maxBytes: 2KiB')]);
    const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--json'])).stdout);
    expect(doc.offers.map((o: { title: string }) => o.title).sort()).toEqual(['p1-a', 'p1-b', 'p2-a']);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', incomplete: true, offers: 3 });
    // Four requests: page 1, page 2 twice (the 503 retried), page 3 (cut off at 2 KiB).
    expect(server.requests.map((r) => r.url.replace(/.*page=/, ''))).toEqual(['1', '2', '2', '3']);
    expect(doc.sources[0].error).toMatch(/page 3 failed: response larger than 2 KiB/);
  });

  it('a page that was hedged marks the row hedged', async () => {
    let base = '';
    let slow = 1;
    const list = pagedList(() => base);
    const server = await serve((req, res) => {
      // Page 2's first request straggles; its duplicate answers at once.
      if (req.url?.includes('page=2') && slow-- > 0) return new Promise<void>((r) => setTimeout(r, 3000));
      return list(req, res);
    });
    base = server.url;
    const file = writeConfig([pagedSource(server.url, '\n    hedge: 100ms')]);
    const out = await runCli(['search', 'x', '-c', file, '--json', '--verbose']);
    expect(out.stderr).toMatch(/list: GET \S+page=2 → 200 · \d+ms · 2 attempts, hedged/);
    const doc = JSON.parse(out.stdout);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', offers: 4, attempts: 4, hedged: true });
    expect(doc.sources[0].incomplete).toBeUndefined();
  });

  it('a page rate limited keeps the rate limit and its hint on the row', async () => {
    let base = '';
    const list = pagedList(() => base);
    const server = await serve((req, res) =>
      req.url?.includes('page=2')
        ? json(res, { message: 'slow down' }, { status: 429, headers: { 'retry-after': '30' } })
        : list(req, res),
    );
    base = server.url;
    const doc = JSON.parse(
      (await runCli(['search', 'x', '-c', writeConfig([pagedSource(server.url)]), '--json'])).stdout,
    );
    expect(doc.sources[0]).toMatchObject({
      status: 'ok',
      incomplete: true,
      offers: 2,
      httpStatus: 200,
      rateLimited: true,
      retryAfterMs: 30_000,
    });
    expect(doc.sources[0].error).toMatch(/^incomplete, kept 1 page; page 2 failed: rate limited \(HTTP 429 /);
  });

  it('a Retry-After that would outlast flowTimeout is not waited for: the rate limit is reported at once', async () => {
    let base = '';
    const list = pagedList(() => base);
    const server = await serve((req, res) =>
      req.url?.includes('page=2')
        ? json(res, { message: 'slow down' }, { status: 429, headers: { 'retry-after': '3' } })
        : list(req, res),
    );
    base = server.url;
    const file = writeConfig([pagedSource(server.url, '\n    timeout: 10s\n    flowTimeout: 1s')]);
    const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--json'])).stdout);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', incomplete: true, offers: 2, rateLimited: true });
    expect(doc.sources[0].error).toMatch(/page 2 failed: rate limited \(HTTP 429 Too Many Requests, retry after 3s\)/);
    // The 3 s wait was never started: page 2 was asked once.
    expect(server.requests.map((r) => r.url.replace(/.*page=/, ''))).toEqual(['1', '2']);
  });

  it("cuts an incomplete flow's reason to one line of at most 300 characters", async () => {
    let base = '';
    const list = pagedList(() => base);
    const server = await serve((req, res) =>
      req.url?.includes('page=2') ? json(res, { message: 'x'.repeat(1000) }, { status: 500 }) : list(req, res),
    );
    base = server.url;
    const file = writeConfig([pagedSource(server.url, '\n    retries: 0')]);
    const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--json'])).stdout);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', incomplete: true });
    expect(doc.sources[0].error).toMatch(/^incomplete, kept 1 page; page 2 failed: HTTP 500 .*x…$/);
    expect(doc.sources[0].error.length).toBeLessThanOrEqual(300);
  });

  it('does not follow a next link to another origin, where the credentials would go', async () => {
    const server = await serve((_req, res) =>
      json(res, { items: [{ title: 'a', price: 1, currency: 'USD' }], next: 'http://evil.example/steal' }),
    );
    const file = writeConfig([pagedSource(server.url)]);
    const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--json'])).stdout);
    expect(server.requests).toHaveLength(1);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', incomplete: true, offers: 1 });
    expect(doc.sources[0].error).toBe(
      'incomplete, kept 1 page; next page on another origin not followed: http://evil.example',
    );
  });

  it('does not follow a next link that carries user:pass@, and says so: the file wrote no such credentials', async () => {
    const server = await serve((_req, res) =>
      json(res, {
        items: [{ title: 'a', price: 1, currency: 'USD' }],
        next: `${server.url.replace('//', '//agent:hunter2-secret@')}/list?q=x&page=2`,
      }),
    );
    const out = await runCli(['search', 'x', '-c', writeConfig([pagedSource(server.url)]), '--json']);
    const doc = JSON.parse(out.stdout);
    expect(server.requests.map((r) => r.url)).toEqual(['/list?q=x&page=1']);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', incomplete: true, offers: 1, attempts: 1 });
    expect(doc.sources[0].error).toBe('incomplete, kept 1 page; page 2 not followed: its URL carries user:pass@');
    expect(out.stdout + out.stderr).not.toContain('hunter2');
  });

  it('a next that links back to a page already fetched ends paging, and says so', async () => {
    // `next: $url` (the page itself) read as a one-page answer, ok with no word of the loop.
    const server = await serve((req, res) => {
      const page = new URL(req.url ?? '/', 'http://x').searchParams.get('page');
      const back = page === '1' ? `${server.url}/list?q=x&page=2` : `${server.url}/list?q=x&page=1#top`;
      return json(res, { items: [{ title: `p${page}`, price: 1, currency: 'USD' }], next: back });
    });
    const looped = JSON.parse(
      (await runCli(['search', 'x', '-c', writeConfig([pagedSource(server.url)]), '--json'])).stdout,
    );
    expect(server.requests.map((r) => r.url)).toEqual(['/list?q=x&page=1', '/list?q=x&page=2']);
    expect(looped.sources[0]).toMatchObject({
      status: 'ok',
      offers: 2,
      note: "page 2's next links to page 1: paging stopped there",
    });
    expect(looped.sources[0]).not.toHaveProperty('incomplete');
    const self = writeConfig([pagedSource(server.url).replace('next: next', 'next: $url')]);
    const doc = JSON.parse((await runCli(['search', 'x', '-c', self, '--json'])).stdout);
    expect(doc.sources[0]).toMatchObject({
      status: 'ok',
      offers: 1,
      note: "page 1's next links to itself: paging stopped there",
    });
  });

  // `page 2 is linked` told the user a higher maxPages would fetch it; it never would.
  it('at maxPages, a link with user:pass@ is no page left out: no note', async () => {
    const server = await serve((_req, res) =>
      json(res, {
        items: [{ title: 'a', price: 1, currency: 'USD' }],
        next: `${server.url.replace('//', '//agent:hunter2-secret@')}/list?q=x&page=2`,
      }),
    );
    const file = writeConfig([pagedSource(server.url, '\n    maxPages: 1')]);
    const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--json'])).stdout);
    expect(server.requests).toHaveLength(1);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', offers: 1 });
    expect(doc.sources[0].note).toBeUndefined();
  });

  it('a next link that is no http(s) URL (javascript:, data:) is not a page, and says so', async () => {
    for (const next of ['javascript:alert(1)', 'data:text/plain,hi']) {
      const server = await serve((_req, res) =>
        json(res, { items: [{ title: 'a', price: 1, currency: 'USD' }], next }),
      );
      const doc = JSON.parse(
        (await runCli(['search', 'x', '-c', writeConfig([pagedSource(server.url)]), '--json'])).stdout,
      );
      expect(server.requests).toHaveLength(1);
      expect(doc.sources[0]).toMatchObject({ status: 'ok', incomplete: true, offers: 1 });
      // Not 'next page on another origin not followed: null': such a URL's origin is "null".
      expect(doc.sources[0].error).toBe(`incomplete, kept 1 page; next is not a URL: "${next}"`);
    }
  });

  // JSON.stringify of it, to quote it, overflowed the stack outside any catch: the row was `error: RangeError:
  // Maximum call stack size exceeded`, page 1's offers were lost, and the run exited 4.
  it('a next nested 200,000 deep is not a URL: page 1 is kept, and the reason names the depth', async () => {
    const server = await serve((_req, res) => {
      // Written by hand: JSON.stringify cannot write it either.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"items":[{"title":"a","price":1,"currency":"USD"}],"next":${DEEP_LIST}}`);
      return Promise.resolve();
    });
    const out = await runCli(['search', 'x', '-c', writeConfig([pagedSource(server.url)]), '--json']);
    expect(out.code).toBe(0);
    const doc = JSON.parse(out.stdout);
    expect(server.requests).toHaveLength(1);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', incomplete: true, offers: 1, attempts: 1 });
    expect(doc.sources[0].error).toBe(
      'incomplete, kept 1 page; next is not a URL: a value is nested deeper than 100 levels',
    );
  });

  it('a next that is an object with a null in it is quoted as it came: a null is no level to refuse', async () => {
    const server = await serve((_req, res) =>
      json(res, { items: [{ title: 'a', price: 1, currency: 'USD' }], next: { href: null, rel: ['next', null] } }),
    );
    const doc = JSON.parse(
      (await runCli(['search', 'x', '-c', writeConfig([pagedSource(server.url)]), '--json'])).stdout,
    );
    expect(doc.sources[0]).toMatchObject({ status: 'ok', incomplete: true, offers: 1 });
    expect(doc.sources[0].error).toBe('incomplete, kept 1 page; next is not a URL: {"href":null,"rel":["next",null]}');
  });

  it("a next expression that overflows the stack on a deep value says so in words, not in V8's", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"items":[{"title":"a","price":1,"currency":"USD"}],"next":${DEEP_LIST}}`);
      return Promise.resolve();
    });
    const file = writeConfig([pagedSource(server.url).replace('next: next', 'next: $string(next)')]);
    const out = await runCli(['search', 'x', '-c', file, '--json']);
    expect(out.code).toBe(0);
    const doc = JSON.parse(out.stdout);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', incomplete: true, offers: 1 });
    expect(doc.sources[0].error).toBe('incomplete, kept 1 page; next failed: a value is nested too deeply to read');
  });

  it('resolves a relative next link, and stops at a link to a page already fetched', async () => {
    const server = await serve((req, res) =>
      json(res, {
        items: [{ title: req.url, price: 1, currency: 'USD' }],
        // Back to page 1 with a fragment, which is never sent: the same page.
        next: req.url === '/list?q=x&page=1' ? '?q=x&page=2' : '/list?q=x&page=1#results',
      }),
    );
    const doc = JSON.parse(
      (await runCli(['search', 'x', '-c', writeConfig([pagedSource(server.url)]), '--json'])).stdout,
    );
    expect(server.requests.map((r) => r.url)).toEqual(['/list?q=x&page=1', '/list?q=x&page=2']);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', offers: 2 });
  });

  it('resolves a relative next link against the URL a redirect led to, as curl does', async () => {
    const server = await serve((req, res) => {
      // The API moved under /v2/shop/: the old address redirects there, and its pages link `page2`.
      if (req.url?.startsWith('/list')) {
        res.writeHead(302, { location: '/v2/shop/list?q=x&page=1' });
        res.end();
        return Promise.resolve();
      }
      if (req.url === '/v2/shop/list?q=x&page=1') {
        return json(res, { items: [{ title: 'p1', price: 1, currency: 'USD' }], next: 'page2' });
      }
      if (req.url === '/v2/shop/page2') return json(res, { items: [{ title: 'p2', price: 2, currency: 'USD' }] });
      return undefined;
    });
    const doc = JSON.parse(
      (await runCli(['search', 'x', '-c', writeConfig([pagedSource(server.url, '\n    maxPages: 3')]), '--json']))
        .stdout,
    );
    expect(server.requests.map((r) => r.url)).toEqual([
      '/list?q=x&page=1',
      '/v2/shop/list?q=x&page=1',
      '/v2/shop/page2',
    ]);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', offers: 2 });
    expect(doc.sources[0]).not.toHaveProperty('redirectedTo');
    expect(doc.offers.map((o: { title: string }) => o.title).sort()).toEqual(['p1', 'p2']);
  });

  it('resolves it against the first URL when the redirect left its origin, which redirects each page again', async () => {
    // `http:` → `https:`, or `shop.example` → `www.shop.example`: `?page=2` against the new origin was
    // refused as a next page on another origin, and the source kept only page 1, marked incomplete.
    const moved = await serve((req, res) => {
      const page = Number(new URL(req.url ?? '', 'http://x').searchParams.get('page'));
      return json(res, {
        items: [{ title: `p${page}`, price: page, currency: 'USD' }],
        next: page < 2 ? '?q=x&page=2' : null,
      });
    });
    const old = await serve((req, res) => {
      res.writeHead(301, { location: `${moved.url}${req.url}` });
      res.end();
      return Promise.resolve();
    });
    const doc = JSON.parse((await runCli(['search', 'x', '-c', writeConfig([pagedSource(old.url)]), '--json'])).stdout);
    expect(old.requests.map((r) => r.url)).toEqual(['/list?q=x&page=1', '/list?q=x&page=2']);
    expect(moved.requests.map((r) => r.url)).toEqual(['/list?q=x&page=1', '/list?q=x&page=2']);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', offers: 2 });
    expect(doc.sources[0]).not.toHaveProperty('incomplete');
  });
});

describe('a next path over several links', () => {
  it('follows the first link of the sequence it yields', async () => {
    const server = await serve((req, res) =>
      json(res, {
        items: [{ title: req.url, price: 1, currency: 'USD' }],
        links: req.url === '/list?q=x&page=1' ? [{ href: '?q=x&page=2' }, { href: '?q=x&page=9' }] : [],
      }),
    );
    const file = writeConfig([source('list', `${server.url}/list?q=x&page=1`, '\n    next: links.href')]);
    const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--json'])).stdout);
    expect(server.requests.map((r) => r.url)).toEqual(['/list?q=x&page=1', '/list?q=x&page=2']);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', offers: 2 });
  });
});

describe('flows and the run', () => {
  it('the run deadline ends polling as incomplete, not as a timeout', async () => {
    const vendor = livePrices(Number.POSITIVE_INFINITY);
    const server = await serve(vendor.handle);
    const file = writeConfig([LIVE_PRICES_SOURCE(server.url, '\n      maxAttempts: 100')]);
    const doc = JSON.parse((await runCli(['search', 'from=JFK', '-c', file, '--json', '--deadline', '250ms'])).stdout);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', incomplete: true });
    expect(doc.sources[0].error).toMatch(/deadline 250ms passed/);
    expect(doc.offers.length).toBeGreaterThanOrEqual(2);
  });

  it('take-first cancels a source still polling, which then shows no offers', async () => {
    const vendor = livePrices(Number.POSITIVE_INFINITY);
    const server = await serve(vendor.handle, (req, res) =>
      req.url === '/fast'
        ? json(res, { items: [{ title: 'fast', price: 1, currency: 'USD' }] }, { ms: 100 })
        : undefined,
    );
    const file = writeConfig([
      LIVE_PRICES_SOURCE(server.url, '\n      maxAttempts: 100'),
      source('fast', `${server.url}/fast`),
    ]);
    const doc = JSON.parse((await runCli(['search', 'from=JFK', '-c', file, '--json', '-s', 'first'])).stdout);
    expect(doc.sources[0]).toMatchObject({ name: 'sky', status: 'cancelled', offers: 0 });
    // Cancelled between polls, or during one (then the request is named).
    expect(doc.sources[0].error).toMatch(
      /^cancelled: fast answered first(: POST http:\/\/127\.0\.0\.1:\d+\/poll\/.*)?$/,
    );
    expect(doc.offers.map((o: { title: string }) => o.title)).toEqual(['fast']);
  });

  it('each request of a flow keeps its own time limit', async () => {
    const server = await serve((req, res) => {
      const page = Number(/page=(\d)/.exec(req.url ?? '')?.[1]);
      const next = `${server.url}/list?page=${page + 1}`;
      return json(
        res,
        { items: [{ title: `p${page}`, price: page, currency: 'USD' }], next },
        { ms: page === 2 ? 2000 : 0 },
      );
    });
    const file = writeConfig([
      source(
        'list',
        `${server.url}/list?page=1`,
        '\n    next: next\n    timeout: 200ms\n    flowTimeout: 10s\n    retries: 0',
      ),
    ]);
    const started = Date.now();
    const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--json'])).stdout);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', incomplete: true, offers: 1 });
    expect(doc.sources[0].error).toMatch(/page 2 failed: no response within 200ms: GET /);
  });
});

describe('next for APIs without a link', () => {
  it('builds the next URL from $url, $page and $params (page numbers, offsets)', async () => {
    const server = await serve((req, res) => {
      const page = Number(new URL(req.url ?? '', 'http://x').searchParams.get('page'));
      return json(res, {
        currentPage: page,
        totalPages: 3,
        items: [{ title: `p${page}`, price: page, currency: 'USD' }],
      });
    });
    // Best Buy style: replace the page number in this page's URL; Etsy style: build it from the params.
    const byUrl = `'currentPage < totalPages ? $replace($url, "page=" & $page, "page=" & ($page + 1))'`;
    const byParams = `'$page < totalPages ? "/products?q=" & $params.query & "&page=" & ($page + 1)'`;
    const file = writeConfig([
      source('numbered', `${server.url}/products?q={{query}}&page=1`, `\n    next: ${byUrl}`),
      source('built', `${server.url}/products?page=1`, `\n    next: ${byParams}`),
    ]);
    const doc = JSON.parse((await runCli(['search', 'tv', '-c', file, '--json'])).stdout);
    const urls = server.requests.map((r) => r.url).sort();
    expect(urls).toEqual([
      '/products?page=1',
      '/products?q=tv&page=1',
      '/products?q=tv&page=2',
      '/products?q=tv&page=2',
      '/products?q=tv&page=3',
      '/products?q=tv&page=3',
    ]);
    expect(doc.sources).toMatchObject([
      { status: 'ok', offers: 3 },
      { status: 'ok', offers: 3 },
    ]);
  });
});

describe('OAuth2 token disk cache (opt-in)', () => {
  const cached = (name: string, url: string) =>
    oauthSource(name, url).replace('scope: "read"', 'scope: "read"\n        cache: true');

  /** A first run that leaves its token in a fresh cache folder: the file, and what a next run needs. */
  async function withCachedToken() {
    const { server } = await oauthVendor('body');
    const xdg = mkdtempSync(path.join(os.tmpdir(), 'agg-xdg-'));
    const env = { ...ENV, XDG_CACHE_HOME: xdg };
    const file = writeConfig([cached('shop', `${server.url}/api`)]);
    await runCli(['search', 'x', '-c', file, '--json'], { env });
    const dir = path.join(xdg, 'agg');
    const stored = path.join(dir, readdirSync(dir).find((f) => f.startsWith('token-')) as string);
    return { server, env, file, dir, stored };
  }

  it('keeps the token in $XDG_CACHE_HOME/agg, mode 0600, and reuses it in the next run', async () => {
    const { server, tokens } = await oauthVendor('body');
    const xdg = mkdtempSync(path.join(os.tmpdir(), 'agg-xdg-'));
    const file = writeConfig([cached('shop', `${server.url}/api`)]);
    const env = { ...ENV, XDG_CACHE_HOME: xdg };
    for (let run = 0; run < 2; run++) {
      const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--json'], { env })).stdout);
      expect(doc.sources[0]).toMatchObject({ status: 'ok', offers: 1 });
    }
    expect(tokenRequests(server)).toHaveLength(1);
    const dir = path.join(xdg, 'agg');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    // The latency history shares the folder; exactly one token file is there.
    const [name, ...more] = readdirSync(dir).filter((f) => f.startsWith('token-'));
    expect(more).toEqual([]);
    expect(name).toMatch(/^token-[0-9a-f]{32}\.json$/);
    const stored = path.join(dir, name as string);
    expect(statSync(stored).mode & 0o777).toBe(0o600);
    const text = readFileSync(stored, 'utf8');
    expect(text).toContain(tokens.issued[0]);
    expect(text).not.toContain(CLIENT_SECRET);
    // A token from disk is a secret too, and --verbose says where it came from.
    const verbose = await runCli(['search', 'x', '-c', file, '--verbose'], { env });
    expect(verbose.stderr).toContain('shop: OAuth2 token from the disk cache');
    expect(verbose.stderr + verbose.stdout).not.toContain(tokens.issued[0]);
  });

  it('keeps the token on disk when any source sharing it says cache: true, even one after a source that does not', async () => {
    const { server } = await oauthVendor('body');
    const xdg = mkdtempSync(path.join(os.tmpdir(), 'agg-xdg-'));
    const env = { ...ENV, XDG_CACHE_HOME: xdg };
    const file = writeConfig([oauthSource('plain', `${server.url}/api/a`), cached('kept', `${server.url}/api/b`)]);
    for (let run = 0; run < 2; run++) {
      const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--json'], { env })).stdout);
      expect(doc.sources.map((s: { status: string }) => s.status)).toEqual(['ok', 'ok']);
    }
    expect(readdirSync(path.join(xdg, 'agg')).filter((f) => f.startsWith('token-'))).toHaveLength(1);
    expect(tokenRequests(server)).toHaveLength(1);
  });

  it('reads an expires_in sent as a string ("3599", as Azure AD v1 does) as the lifetime it is', async () => {
    const server = await serve((req, res) =>
      req.url === '/token'
        ? json(res, { access_token: 'tok-as-string-1234', expires_in: '3599' })
        : json(res, { items: [{ title: 'a', price: 1, currency: 'USD' }] }),
    );
    const xdg = mkdtempSync(path.join(os.tmpdir(), 'agg-xdg-'));
    const file = writeConfig([cached('shop', `${server.url}/api`)]);
    const env = { ...ENV, XDG_CACHE_HOME: xdg };
    await runCli(['search', 'x', '-c', file, '--json'], { env });
    const again = await runCli(['search', 'x', '-c', file, '--verbose'], { env });
    expect(again.stderr).toContain('shop: OAuth2 token from the disk cache');
    expect(tokenRequests(server)).toHaveLength(1);
  });

  it('does not reuse a token in its last minute: the run may outlast it', async () => {
    const server = await serve((req, res) =>
      req.url === '/token'
        ? json(res, { access_token: 'tok-short-lived-1234', expires_in: 50 })
        : json(res, { items: [{ title: 'a', price: 1, currency: 'USD' }] }),
    );
    const xdg = mkdtempSync(path.join(os.tmpdir(), 'agg-xdg-'));
    const file = writeConfig([cached('shop', `${server.url}/api`)]);
    const env = { ...ENV, XDG_CACHE_HOME: xdg };
    await runCli(['search', 'x', '-c', file, '--json'], { env });
    const again = await runCli(['search', 'x', '-c', file, '--verbose'], { env });
    expect(again.stderr).not.toContain('shop: OAuth2 token from the disk cache');
    expect(tokenRequests(server)).toHaveLength(2);
  });

  it('keeps a token per scope: a scope edited in the file asks for a new token, in the run and on disk', async () => {
    const { server } = await oauthVendor('body');
    const xdg = mkdtempSync(path.join(os.tmpdir(), 'agg-xdg-'));
    const env = { ...ENV, XDG_CACHE_HOME: xdg };
    const scopes = () => tokenRequests(server).map((r) => new URLSearchParams(r.body).get('scope'));
    const read = writeConfig([cached('shop', `${server.url}/api`)]);
    await runCli(['search', 'x', '-c', read, '--json'], { env });
    const admin = writeConfig([cached('shop', `${server.url}/api`).replace('scope: "read"', 'scope: "read admin"')]);
    const verbose = await runCli(['search', 'x', '-c', admin, '--verbose'], { env });
    expect(verbose.stderr).not.toContain('token from the disk cache');
    expect(scopes()).toEqual(['read', 'read admin']);
    // Each scope's token stays on disk for its own file.
    await runCli(['search', 'x', '-c', read, '--json'], { env });
    await runCli(['search', 'x', '-c', admin, '--json'], { env });
    expect(scopes()).toEqual(['read', 'read admin']);
    // Two sources of one client with different scopes in one run: a token each.
    const both = writeConfig([
      oauthSource('one', `${server.url}/api/1`),
      oauthSource('two', `${server.url}/api/2`).replace('scope: "read"', 'scope: "write"'),
    ]);
    const doc = JSON.parse((await runCli(['search', 'x', '-c', both, '--json'], { env: ENV })).stdout);
    expect(doc.sources.map((s: { status: string }) => s.status)).toEqual(['ok', 'ok']);
    expect(scopes().slice(2).sort()).toEqual(['read', 'write']);
  });

  it('ignores a cached token longer than a header value may be, and asks the endpoint', async () => {
    const { server, env, file, stored } = await withCachedToken();
    const { expiresAt } = JSON.parse(readFileSync(stored, 'utf8'));
    writeFileSync(stored, JSON.stringify({ token: 't'.repeat(65_535), expiresAt }));
    const verbose = await runCli(['search', 'x', '-c', file, '--verbose'], { env });
    expect(verbose.stderr).not.toContain('token from the disk cache');
    expect(tokenRequests(server)).toHaveLength(2);
  });

  it('ignores a token file that another user could have written, and tightens its own folder', async () => {
    const { env, file, dir, stored } = await withCachedToken();
    chmodSync(stored, 0o666);
    const verbose = await runCli(['search', 'x', '-c', file, '--verbose'], { env });
    expect(verbose.stderr).not.toContain('token from the disk cache');
    // A folder of this user's that others may write (an earlier agg made it with the umask's mode) is
    // made 0700 again; each file in it is still read only if it is this user's own.
    chmodSync(dir, 0o777);
    await runCli(['search', 'x', '-c', file, '--json'], { env });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it("deletes other clients' token files an hour past their expiry when it writes one, and nothing else", async () => {
    const { env, file, dir, stored } = await withCachedToken();
    const hour = 3600_000;
    const plant = (hex: string, expiresAt: number, mode = 0o600) => {
      const name = `token-${hex.repeat(32)}.json`;
      writeFileSync(path.join(dir, name), JSON.stringify({ token: `tok-${hex}`, expiresAt }), { mode });
      chmodSync(path.join(dir, name), mode);
      return name;
    };
    const stale = plant('a', Date.now() - 2 * hour);
    const lately = plant('b', Date.now() - 60_000);
    const valid = plant('c', Date.now() + hour);
    const notMine = plant('d', Date.now() - 2 * hour, 0o666);
    // A link is never followed, nor its target touched, even when what it points at is long expired.
    const outside = path.join(mkdtempSync(path.join(os.tmpdir(), 'agg-out-')), 'token.json');
    writeFileSync(outside, JSON.stringify({ token: 'tok-out', expiresAt: Date.now() - 2 * hour }), { mode: 0o600 });
    const link = `token-${'e'.repeat(32)}.json`;
    symlinkSync(outside, path.join(dir, link));
    const other = 'token-old.json';
    writeFileSync(path.join(dir, other), JSON.stringify({ expiresAt: 0 }), { mode: 0o600 });
    // Its own token gone, the next run asks for one and writes it.
    unlinkSync(stored);
    await runCli(['search', 'x', '-c', file, '--json'], { env });
    const left = readdirSync(dir).filter((f) => f.startsWith('token-'));
    expect(left.sort()).toEqual([path.basename(stored), lately, valid, notMine, link, other].sort());
    expect(left).not.toContain(stale);
    expect(readFileSync(outside, 'utf8')).toContain('tok-out');
  });

  it('deletes a token file with no expiry in it an hour after it was written, and temp files a killed run left', async () => {
    const { env, file, dir, stored } = await withCachedToken();
    const plant = (hex: string, text: string, ageMs: number) => {
      const name = `token-${hex.repeat(32)}.json`;
      writeFileSync(path.join(dir, name), text, { mode: 0o600 });
      const at = new Date(Date.now() - ageMs);
      utimesSync(path.join(dir, name), at, at);
      return name;
    };
    const corrupt = plant('a', '{"token": "tok-a", "expiresAt": ', TWO_HOURS);
    const noExpiry = plant('b', '{"token": "tok-b"}', TWO_HOURS);
    const lately = plant('c', 'not json', 60_000);
    const stale = path.basename(plantTemp(stored, TWO_HOURS));
    const fresh = path.basename(plantTemp(stored, 0, 'ba9876543210'));
    unlinkSync(stored);
    await runCli(['search', 'x', '-c', file, '--json'], { env });
    const left = readdirSync(dir).filter((f) => f.startsWith('token-'));
    expect(left.sort()).toEqual([path.basename(stored), lately, fresh].sort());
    expect([corrupt, noExpiry, stale].filter((f) => left.includes(f))).toEqual([]);
  });

  it('replaces a cached token the API refuses, and caches nothing without `cache: true`', async () => {
    const { server, tokens } = await oauthVendor('body');
    const xdg = mkdtempSync(path.join(os.tmpdir(), 'agg-xdg-'));
    const env = { ...ENV, XDG_CACHE_HOME: xdg };
    const file = writeConfig([cached('shop', `${server.url}/api`)]);
    await runCli(['search', 'x', '-c', file, '--json'], { env });
    tokens.revoked.add(tokens.issued[0] as string);
    const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--json'], { env })).stdout);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', offers: 1 });
    expect(tokens.issued).toHaveLength(2);
    const [name] = readdirSync(path.join(xdg, 'agg')).filter((f) => f.startsWith('token-'));
    expect(readFileSync(path.join(xdg, 'agg', name as string), 'utf8')).toContain(tokens.issued[1]);

    const plainXdg = mkdtempSync(path.join(os.tmpdir(), 'agg-xdg-'));
    const plain = writeConfig([oauthSource('shop', `${server.url}/api`)]);
    await runCli(['search', 'x', '-c', plain, '--json'], { env: { ...ENV, XDG_CACHE_HOME: plainXdg } });
    const stored = readdirSync(plainXdg, { recursive: true }).map(String);
    expect(stored.filter((f) => f.includes('token-'))).toEqual([]);
  });
});

describe('poll edge cases', () => {
  it('a poll template that finds nothing in the response keeps the create response, saying so', async () => {
    const server = await serve((_req, res) =>
      json(res, { status: 'RESULT_STATUS_INCOMPLETE', items: [{ title: 'early', price: 5, currency: 'USD' }] }),
    );
    const file = writeConfig([
      source(
        'sky',
        `${server.url}/create`,
        `\n    poll:\n      request: { url: "${server.url}/poll/{{ $response.sessionToken }}" }\n      until: status = "done"\n      interval: 10ms`,
      ),
    ]);
    const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--json'])).stdout);
    expect(server.requests).toHaveLength(1);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', incomplete: true, offers: 1 });
    expect(doc.sources[0].error).toBe(
      'incomplete after 0 polls: a poll.request template yields nothing from the previous response',
    );
  });

  // JSON.stringify of the value, for the URL's text or the JSON body, overflowed the stack: the row read
  // `incomplete after 0 polls: Maximum call stack size exceeded`.
  it('a poll template given a $response value nested 200,000 deep keeps the create response, naming the depth', async () => {
    const server = await serve((req, res) => {
      if (req.url !== '/create') return undefined;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"status":"pending","id":${DEEP_LIST},"items":[{"title":"early","price":5,"currency":"USD"}]}`);
      return Promise.resolve();
    });
    const requests = {
      'poll.request.url': `{ url: "${server.url}/poll/{{ $response.id }}" }`,
      'poll.request.body.id': `{ method: POST, url: "${server.url}/poll", body: { id: "{{ $response.id }}" } }`,
    };
    for (const [field, request] of Object.entries(requests)) {
      const poll = `\n    poll:\n      request: ${request}\n      until: status = "done"\n      interval: 10ms`;
      const out = await runCli([
        'search',
        'x',
        '-c',
        writeConfig([source('sky', `${server.url}/create`, poll)]),
        '--json',
      ]);
      expect(out.code).toBe(0);
      const doc = JSON.parse(out.stdout);
      expect(doc.sources[0]).toMatchObject({ status: 'ok', incomplete: true, offers: 1, attempts: 1 });
      expect(doc.sources[0].error).toBe(`incomplete after 0 polls: ${field}: a value is nested deeper than 100 levels`);
    }
    expect(server.requests.map((r) => r.url)).toEqual(['/create', '/create']);
  });

  it("an until that overflows the stack on a deep response says so in words, not in V8's", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"status":${DEEP_LIST},"items":[{"title":"early","price":5,"currency":"USD"}]}`);
      return Promise.resolve();
    });
    const poll = `\n    poll:\n      request: { url: "${server.url}/poll" }\n      until: $string(status) = "done"\n      interval: 10ms`;
    const doc = JSON.parse(
      (await runCli(['search', 'x', '-c', writeConfig([source('sky', `${server.url}/create`, poll)]), '--json']))
        .stdout,
    );
    expect(server.requests).toHaveLength(1);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', incomplete: true, offers: 1 });
    expect(doc.sources[0].error).toBe(
      'incomplete after 0 polls: poll.until failed: a value is nested too deeply to read',
    );
  });

  it("an unchanged that overflows the stack on a deep poll answer says so in words, not in V8's", async () => {
    const server = await serve((req, res) => {
      if (req.url === '/create')
        return json(res, { status: 'running', items: [{ title: 'early', price: 5, currency: 'USD' }] });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"status":"running","meta":${DEEP_LIST},"items":[]}`);
      return Promise.resolve();
    });
    const poll = `\n    poll:\n      request: { url: "${server.url}/poll" }\n      until: status = "done"\n      unchanged: $string(meta) = "[]"\n      interval: 10ms`;
    const doc = JSON.parse(
      (await runCli(['search', 'x', '-c', writeConfig([source('sky', `${server.url}/create`, poll)]), '--json']))
        .stdout,
    );
    expect(server.requests).toHaveLength(2);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', incomplete: true, offers: 1 });
    expect(doc.sources[0].error).toBe(
      'incomplete after 1 poll: poll.unchanged failed: a value is nested too deeply to read',
    );
  });

  it('an empty poll answer (204 while the search runs) keeps the previous response and polling goes on', async () => {
    let polls = 0;
    const offer = (title: string, price: number) => ({ title, price, currency: 'USD' });
    const server = await serve((req, res) => {
      if (req.url === '/create') return json(res, { id: 's1', status: 'running', items: [offer('early', 5)] });
      if (req.url !== '/poll/s1') return undefined;
      if (++polls < 3) {
        res.writeHead(204).end();
        return Promise.resolve();
      }
      return json(res, { id: 's1', status: 'done', items: [offer('early', 5), offer('late', 3)] });
    });
    const file = writeConfig([
      source(
        'sky',
        `${server.url}/create`,
        `\n    poll:\n      request: { url: "${server.url}/poll/{{ $response.id }}" }\n      until: status = "done"\n      interval: 10ms`,
      ),
    ]);
    const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--json'])).stdout);
    expect(server.requests.map((r) => r.url)).toEqual(['/create', '/poll/s1', '/poll/s1', '/poll/s1']);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', offers: 2, attempts: 4 });
    expect(doc.sources[0].incomplete).toBeUndefined();
  });

  it('polls that only ever answer empty end at maxAttempts with the create response', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/create')
        return json(res, { id: 's1', status: 'running', items: [{ title: 'early', price: 5 }] });
      res.writeHead(204).end();
      return Promise.resolve();
    });
    const file = writeConfig([
      source(
        'sky',
        `${server.url}/create`,
        `\n    currency: USD\n    poll:\n      request: { url: "${server.url}/poll/{{ $response.id }}" }\n      until: status = "done"\n      interval: 10ms\n      maxAttempts: 2`,
      ),
    ]);
    const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--json'])).stdout);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', incomplete: true, offers: 1, httpStatus: 200, attempts: 3 });
    expect(doc.sources[0].error).toBe('incomplete after 2 polls (maxAttempts): `status = "done"` never held');
  });
});

describe('token redaction', () => {
  it('a vendor that echoes the token back in an error shows *** instead', async () => {
    const tokens = tokenEndpoint('body');
    const server = await serve(tokens.handle.bind(tokens) as Handler, (req, res) =>
      req.url?.startsWith('/api')
        ? json(res, { message: `token ${req.headers.authorization?.slice(7)} has no access` }, { status: 403 })
        : undefined,
    );
    const file = writeConfig([oauthSource('shop', `${server.url}/api`, 'body')]);
    const out = await runCli(['search', 'x', '-c', file, '--json', '--verbose'], { env: ENV });
    const doc = JSON.parse(out.stdout);
    expect(doc.sources[0].error).toMatch(/^HTTP 403 Forbidden: GET .* \(token \*\*\* has no access\)$/);
    expect(out.stdout + out.stderr).not.toContain(tokens.issued[0]);
  });
});

describe('poll origin', () => {
  it('does not poll a URL whose host comes from the response and differs from the create', async () => {
    const server = await serve((_req, res) =>
      json(res, { status: 'pending', host: 'evil.example', items: [{ title: 'a', price: 1, currency: 'USD' }] }),
    );
    const poll = `\n    poll:\n      request: { url: "http://{{ $response.host }}/poll" }\n      until: status = "done"\n      interval: 10ms`;
    const file = writeConfig([source('sky', `${server.url}/create`, poll)]);
    const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--json'])).stdout);
    expect(server.requests).toHaveLength(1);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', incomplete: true, offers: 1 });
    expect(doc.sources[0].error).toBe(
      'incomplete after 0 polls: poll URL on another origin not followed: http://evil.example',
    );
  });

  // `$response` cannot give a poll URL credentials (a `{{ }}` value is percent-encoded, `@` too): only the
  // file can write them, and it is told where. Found at the first poll, it read `the last failed: …`.
  it('refuses a poll URL that carries user:pass@ where the file is loaded', async () => {
    const poll = `\n    poll:\n      request: { url: "http://{{ $response.login }}@127.0.0.1:9/poll" }\n      until: status = "done"`;
    const out = await runCli(['search', 'x', '-c', writeConfig([source('sky', 'http://127.0.0.1:9/create', poll)])]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/:\d+:\d+: sources\[0\]\.poll\.request\.url: carries `user:pass@`, which is never sent/);
  });
});

describe('NDJSON streaming of flows', () => {
  const offerLines = (writes: string[]) =>
    writes.map((w) =>
      w
        .split('\n')
        .filter((l) => l.includes('"type":"offer"'))
        .map((l) => JSON.parse(l).title),
    );

  it("writes each poll's new offers as it arrives, and each offer once", async () => {
    const vendor = livePrices(2);
    const server = await serve(vendor.handle);
    const file = writeConfig([LIVE_PRICES_SOURCE(server.url)]);
    const out = await runCli(['search', 'from=JFK', '-c', file, '--format', 'ndjson']);
    // The create's offers, then the first poll's new one, then the rest with the source line.
    expect(offerLines(out.writes).filter((w) => w.length > 0)).toEqual([['it-a', 'it-b'], ['it-c'], ['it-d', 'it-z']]);
    const lines = out.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.type === 'source')).toEqual([expect.objectContaining({ name: 'sky', offers: 5 })]);
    expect(lines.at(-1)).toMatchObject({ type: 'summary', partial: false });
  });

  it('writes each page as it arrives', async () => {
    let base = '';
    const server = await serve(pagedList(() => base));
    base = server.url;
    const file = writeConfig([source('list', `${server.url}/list?q=x&page=1`, '\n    next: next')]);
    const out = await runCli(['search', 'x', '-c', file, '--format', 'ndjson']);
    expect(offerLines(out.writes).filter((w) => w.length > 0)).toEqual([['p1-a', 'p1-b'], ['p2-a'], ['p3-a']]);
  });
});
