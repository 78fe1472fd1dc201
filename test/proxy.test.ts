/**
 * Proxies from the environment: requests for SHOP, a name only the test proxy knows, arrive only
 * through its tunnel; loopback and NO_PROXY names go direct; a failure at the proxy reads as the proxy's;
 * its credentials are sent to it and never printed.
 */
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { source, writeConfig } from './helpers/config.js';
import { type ConnectProxy, type ConnectProxyOptions, closedPort, startConnectProxy } from './helpers/connect-proxy.js';
import { json, startServer, type TestServer } from './helpers/server.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

const items = { items: [{ title: 'headphones', price: 10, currency: 'USD' }] };

async function vendor(handler: Parameters<typeof startServer>[0] = (_req, res) => json(res, items)) {
  const server = await startServer(handler);
  open.push(server);
  return server;
}

/**
 * The vendor's name, which only the test proxy resolves. Its first label is 64 characters, past DNS's 63,
 * so a request that goes direct is refused by the C library before any query leaves the machine.
 */
const SHOP = `${'shop'.repeat(16)}.test`;

async function proxy(options: Partial<ConnectProxyOptions> = {}): Promise<ConnectProxy> {
  const started = await startConnectProxy({ hosts: { [SHOP]: '127.0.0.1', 'shop.test': '127.0.0.1' }, ...options });
  open.push(started);
  return started;
}

/** The vendor's URL under the name only the proxy resolves. */
const viaName = (server: TestServer, path = '/s') => `http://${SHOP}:${new URL(server.url).port}${path}`;
/** `http://user:pass@127.0.0.1:port` */
const withCredentials = (url: string, credentials: string) => url.replace('//', `//${credentials}@`);

async function searchOne(url: string, env: Record<string, string>, flags: string[] = []) {
  const file = writeConfig([source('shop', url)]);
  const out = await runCli(['search', 'x', '-c', file, '--json', ...flags], { env });
  const row = out.stdout ? JSON.parse(out.stdout).sources[0] : undefined;
  return { ...out, row };
}

describe('through a proxy', () => {
  it('sends a request for a name only the proxy knows through its tunnel, and says so under --verbose', async () => {
    const shop = await vendor();
    const tunnel = await proxy();
    const out = await searchOne(viaName(shop), { HTTP_PROXY: tunnel.url }, ['--verbose']);
    expect(out.row).toMatchObject({ status: 'ok', offers: 1 });
    expect(tunnel.connects.map((c) => c.target)).toEqual([`${SHOP}:${new URL(shop.url).port}`]);
    expect(out.stderr).toContain(`shop: GET ${viaName(shop)} → 200 · `);
    expect(out.stderr).toMatch(new RegExp(`1 attempt · via proxy ${tunnel.url}\\n`));
  });

  it('reads http_proxy over HTTP_PROXY when both are set, and takes a URL without a scheme as http://', async () => {
    const shop = await vendor();
    const tunnel = await proxy();
    const down = `http://127.0.0.1:${await closedPort()}`;
    const out = await searchOne(viaName(shop), { http_proxy: tunnel.url.replace('http://', ''), HTTP_PROXY: down });
    expect(out.row).toMatchObject({ status: 'ok' });
    expect(tunnel.connects).toHaveLength(1);
  });

  it('sends the credentials in the proxy URL to the proxy, and prints them nowhere', async () => {
    const shop = await vendor((req, res) => {
      if (req.url === '/echo') {
        // A vendor whose error page quotes the password: hidden as an env secret is.
        res.writeHead(400, { 'content-type': 'text/plain' });
        res.end('unknown key pr0xy-s3cret');
        return;
      }
      return json(res, items);
    });
    const tunnel = await proxy({ credentials: 'bob:pr0xy-s3cret' });
    const file = writeConfig([source('shop', viaName(shop)), source('echo', viaName(shop, '/echo'))]);
    const env = { HTTP_PROXY: withCredentials(tunnel.url, 'bob:pr0xy-s3cret') };
    const out = await runCli(['search', 'x', '-c', file, '--json', '--verbose'], { env });
    const [ok, echo] = JSON.parse(out.stdout).sources;
    expect(ok).toMatchObject({ status: 'ok' });
    expect(tunnel.connects[0]?.auth).toBe(`Basic ${Buffer.from('bob:pr0xy-s3cret').toString('base64')}`);
    expect(echo.error).toBe(`HTTP 400 Bad Request: GET ${viaName(shop, '/echo')} (unknown key ***)`);
    const printed = out.stdout + out.stderr;
    expect(printed).not.toContain('pr0xy-s3cret');
    expect(printed).not.toContain(Buffer.from('bob:pr0xy-s3cret').toString('base64'));
    expect(out.stderr).toContain(`via proxy ${tunnel.url}`);
  });

  it('sends a key written as the user alone (KEY:@proxy) to the proxy, and prints it nowhere', async () => {
    const key = 'k3y-0f-the-pr0xy-4ccount';
    const shop = await vendor((req, res) => {
      if (req.url === '/echo') {
        res.writeHead(400, { 'content-type': 'text/plain' });
        res.end(`unknown key ${key}`);
        return;
      }
      return json(res, items);
    });
    // As Zyte's proxy asks for its API key: the user, and an empty password.
    const tunnel = await proxy({ credentials: `${key}:` });
    const file = writeConfig([source('shop', viaName(shop)), source('echo', viaName(shop, '/echo'))]);
    const out = await runCli(['search', 'x', '-c', file, '--json'], {
      env: { HTTP_PROXY: withCredentials(tunnel.url, `${key}:`) },
    });
    const [ok, echo] = JSON.parse(out.stdout).sources;
    expect(ok).toMatchObject({ status: 'ok' });
    expect(tunnel.connects[0]?.auth).toBe(`Basic ${Buffer.from(`${key}:`).toString('base64')}`);
    expect(echo.error).toBe(`HTTP 400 Bad Request: GET ${viaName(shop, '/echo')} (unknown key ***)`);
    expect(out.stdout + out.stderr).not.toContain(key);
  });
});

describe('direct despite a proxy', () => {
  it('sends loopback requests direct whatever HTTPS_PROXY and HTTP_PROXY say', async () => {
    const local = await vendor();
    const port = new URL(local.url).port;
    const bogus = `http://127.0.0.1:${await closedPort()}`;
    const file = writeConfig([source('ip', `${local.url}/a`), source('name', `http://localhost:${port}/b`)]);
    const out = await runCli(['search', 'x', '-c', file, '--json', '--verbose'], {
      env: { HTTPS_PROXY: bogus, HTTP_PROXY: bogus, https_proxy: bogus, http_proxy: bogus },
    });
    const statuses = JSON.parse(out.stdout).sources.map((s: { status: string }) => s.status);
    expect(statuses).toEqual(['ok', 'ok']);
    expect(out.stderr).not.toContain('via proxy');
    expect(out.stderr).not.toContain('proxy http');
  });

  it.each([
    ['a suffix', '.test'],
    ['the exact host', `example.org, ${SHOP}`],
    ['*', '*'],
  ])('sends a NO_PROXY match (%s) direct, where its name is no host', async (_, noProxy) => {
    const shop = await vendor();
    const tunnel = await proxy();
    const out = await searchOne(viaName(shop), { HTTP_PROXY: tunnel.url, NO_PROXY: noProxy }, ['--verbose']);
    expect(out.row.error).toBe(`host not found: GET ${viaName(shop)}`);
    expect(tunnel.connects).toHaveLength(0);
    expect(out.stderr).not.toContain('via proxy');
  });

  it('reads no_proxy over NO_PROXY when both are set', async () => {
    const shop = await vendor();
    const tunnel = await proxy();
    const out = await searchOne(viaName(shop), { HTTP_PROXY: tunnel.url, no_proxy: 'example.org', NO_PROXY: '*' });
    expect(out.row).toMatchObject({ status: 'ok' });
    expect(tunnel.connects).toHaveLength(1);
  });
});

describe('a failure at the proxy', () => {
  it('says the proxy wants credentials (407) when the URL has none, in one line', async () => {
    const shop = await vendor();
    const tunnel = await proxy({ credentials: 'bob:pr0xy-s3cret' });
    const out = await searchOne(viaName(shop), { HTTPS_PROXY: 'http://127.0.0.1:1', HTTP_PROXY: tunnel.url });
    expect(out.row.error).toBe(
      `proxy ${tunnel.url} wants credentials (HTTP 407 Proxy Authentication Required): add user:pass@ before the host in HTTP_PROXY: GET ${viaName(shop)}`,
    );
    expect(out.code).toBe(4);
  });

  it('says the proxy refused the credentials given (407), without them', async () => {
    const shop = await vendor();
    const tunnel = await proxy({ credentials: 'bob:pr0xy-s3cret' });
    const out = await searchOne(viaName(shop), { http_proxy: withCredentials(tunnel.url, 'bob:wr0ng-pass') });
    expect(out.row.error).toBe(
      `proxy ${tunnel.url} refused the credentials in http_proxy (HTTP 407 Proxy Authentication Required): GET ${viaName(shop)}`,
    );
    expect(out.stdout + out.stderr).not.toContain('wr0ng-pass');
  });

  it.each([
    [403, `refused a tunnel to ${SHOP}:PORT (HTTP 403 Forbidden)`],
    [502, `could not reach ${SHOP}:PORT (HTTP 502 Bad Gateway)`],
  ])('says the proxy answered %i to CONNECT', async (status, words) => {
    const shop = await vendor();
    const tunnel = await proxy({ refuseWith: status });
    const out = await searchOne(viaName(shop), { HTTP_PROXY: tunnel.url });
    const port = new URL(shop.url).port;
    expect(out.row.error).toBe(`proxy ${tunnel.url} ${words.replace('PORT', port)}: GET ${viaName(shop)}`);
  });

  it('says the proxy refused the connection when nothing listens there', async () => {
    const shop = await vendor();
    const down = `http://127.0.0.1:${await closedPort()}`;
    const out = await searchOne(viaName(shop), { HTTP_PROXY: withCredentials(down, 'bob:pr0xy-s3cret') });
    expect(out.row.error).toBe(`proxy ${down} refused the connection: GET ${viaName(shop)}`);
    expect(out.stdout + out.stderr).not.toContain('pr0xy-s3cret');
  });

  it('names the proxy after a TLS failure with the vendor through its tunnel (a TLS-inspecting proxy’s certificate)', async () => {
    const tls = new URL('./fixtures/tls/', import.meta.url);
    // Not trusted in this process (no NODE_EXTRA_CA_CERTS): as a corporate proxy's own CA is not.
    const shop = https.createServer(
      { key: readFileSync(new URL('shop-test-key.pem', tls)), cert: readFileSync(new URL('shop-test-cert.pem', tls)) },
      (_req, res) => res.end('{}'),
    );
    await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
    open.push({
      close: () => {
        shop.closeAllConnections();
        return new Promise((resolve) => shop.close(() => resolve()));
      },
    });
    const tunnel = await proxy();
    const url = `https://shop.test:${(shop.address() as AddressInfo).port}/s`;
    const out = await searchOne(url, { HTTPS_PROXY: tunnel.url });
    expect(out.row.error).toBe(`self-signed certificate (through proxy ${tunnel.url}): GET ${url}`);
  });
});

describe('a proxy URL agg cannot use', () => {
  it.each([
    ['HTTPS_PROXY', 'socks5://bob:pr0xy-s3cret@127.0.0.1:1080', 'agg cannot use a socks5:// proxy'],
    ['https_proxy', 'http://bob:pr0xy-s3cret@[::1', 'not a proxy URL'],
    ['HTTP_PROXY', 'http://bob:pr0xy-%zz@127.0.0.1:3128', 'broken %-escape'],
  ])('is a usage error (exit 2) naming %s, never its credentials', async (name, value, words) => {
    const local = await vendor();
    const out = await searchOne(`${local.url}/s`, { [name]: value });
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(new RegExp(`^agg: ${name}: .*${words.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
    expect(out.stderr).not.toContain('pr0xy');
    expect(local.requests).toHaveLength(0);
  });
});
