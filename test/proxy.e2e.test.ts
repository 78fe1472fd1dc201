/**
 * The built bin behind a proxy, as a cron job on a server with an egress proxy runs it: an https source
 * reached only through the proxy's CONNECT tunnel (its certificate, for `shop.test`, trusted through
 * NODE_EXTRA_CA_CERTS as Node starts), and a proxy URL agg cannot use.
 */
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { runBin } from './helpers/bin.js';
import { source, writeConfig } from './helpers/config.js';
import { type ConnectProxy, startConnectProxy } from './helpers/connect-proxy.js';

const tls = fileURLToPath(new URL('./fixtures/tls/', import.meta.url));
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

async function httpsShop(): Promise<{ port: number; hosts: string[] }> {
  const hosts: string[] = [];
  const server = https.createServer(
    { key: readFileSync(`${tls}shop-test-key.pem`), cert: readFileSync(`${tls}shop-test-cert.pem`) },
    (req, res) => {
      hosts.push(req.headers.host ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ items: [{ title: 'headphones', price: 10, currency: 'USD' }] }));
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });
  return { port: (server.address() as AddressInfo).port, hosts };
}

async function proxy(credentials?: string): Promise<ConnectProxy> {
  const started = await startConnectProxy({
    hosts: { 'shop.test': '127.0.0.1' },
    ...(credentials ? { credentials } : {}),
  });
  cleanups.push(() => started.close());
  return started;
}

it('searches an https vendor through the proxy in HTTPS_PROXY, its credentials hidden from --verbose', async () => {
  const shop = await httpsShop();
  const tunnel = await proxy('bob:pr0xy-s3cret');
  const url = `https://shop.test:${shop.port}/s`;
  const file = writeConfig([source('shop', url)]);
  const out = await runBin(['search', 'x', '-c', file, '--json', '--verbose'], {
    HTTPS_PROXY: tunnel.url.replace('//', '//bob:pr0xy-s3cret@'),
    NODE_EXTRA_CA_CERTS: `${tls}shop-test-cert.pem`,
  });
  expect(out.code).toBe(0);
  expect(JSON.parse(out.stdout).sources[0]).toMatchObject({ status: 'ok', offers: 1 });
  expect(tunnel.connects.map((c) => c.target)).toEqual([`shop.test:${shop.port}`]);
  expect(shop.hosts).toEqual([`shop.test:${shop.port}`]);
  expect(out.stderr).toContain(`shop: GET ${url} → 200 · `);
  expect(out.stderr).toContain(`via proxy ${tunnel.url}\n`);
  expect(out.stdout + out.stderr).not.toContain('pr0xy-s3cret');
});

it('exits 2 for a proxy URL agg cannot use, naming the variable and not the password', async () => {
  const file = writeConfig([source('shop', 'https://shop.test/s')]);
  const out = await runBin(['search', 'x', '-c', file], { https_proxy: 'socks5://bob:pr0xy-s3cret@127.0.0.1:1080' });
  expect(out).toEqual({
    code: 2,
    stdout: '',
    stderr: 'agg: https_proxy: agg cannot use a socks5:// proxy; write an http:// or https:// proxy URL\n',
  });
});
