/**
 * The library's proxy: none unless the caller passes one (createDispatcher never reads process.env),
 * proxyFromEnv(env) for the command line's, and the proxy's credentials hidden from the result.
 */
import { afterEach, expect, it } from 'vitest';
import { createDispatcher, loadConfigText, proxyFromEnv, search } from '../src/index.js';
import { source } from './helpers/config.js';
import { startConnectProxy } from './helpers/connect-proxy.js';
import { json, startServer } from './helpers/server.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function setUp() {
  const shop = await startServer((_req, res) => json(res, { items: [{ title: 't', price: 1, currency: 'USD' }] }));
  const tunnel = await startConnectProxy({ hosts: { 'shop.test': '127.0.0.1' }, credentials: 'bob:pr0xy-s3cret' });
  open.push(shop, tunnel);
  const url = `http://shop.test:${new URL(shop.url).port}/s`;
  const config = loadConfigText(`sources:${source('shop', url)}\n`, 'sources.yaml', {});
  return { tunnel, config, withCredentials: tunnel.url.replace('//', '//bob:pr0xy-s3cret@') };
}

it('sends through the proxy a caller passes, as proxyFromEnv reads it', async () => {
  const { tunnel, config, withCredentials } = await setUp();
  const lines: string[] = [];
  const dispatcher = createDispatcher({ proxy: proxyFromEnv({ HTTP_PROXY: withCredentials }) });
  try {
    const result = await search(config, {
      text: 'x',
      params: { query: 'x' },
      dispatcher,
      log: (line) => lines.push(line),
    });
    expect(result.sources[0]).toMatchObject({ status: 'ok', offers: 1 });
    expect(tunnel.connects).toHaveLength(1);
    expect(lines.join('\n')).toContain(`via proxy ${tunnel.url}`);
  } finally {
    await dispatcher.destroy();
  }
});

it('sends direct without a proxy option, whatever process.env says', async () => {
  const { tunnel, config, withCredentials } = await setUp();
  const saved = process.env.HTTP_PROXY;
  process.env.HTTP_PROXY = withCredentials;
  try {
    const result = await search(config, { text: 'x', params: { query: 'x' } });
    expect(result.sources[0]?.error).toMatch(/^host not found: GET http:\/\/shop\.test:/);
    expect(tunnel.connects).toHaveLength(0);
  } finally {
    if (saved === undefined) delete process.env.HTTP_PROXY;
    else process.env.HTTP_PROXY = saved;
  }
});
