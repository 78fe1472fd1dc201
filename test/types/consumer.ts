/**
 * A library caller's code under the strictest settings (tsconfig.json here: exactOptionalPropertyTypes),
 * type-checked by test/types.test.ts against the built declarations (dist/index.d.ts): the README's
 * example passes values that may be undefined (`config.connections`), as callers' code does.
 */
import {
  compileWhere,
  convert,
  createDispatcher,
  type FindOptions,
  findConfig,
  type LoadOptions,
  loadConfig,
  type Offer,
  type ProxySettings,
  proxyFromEnv,
  type Rates,
  render,
  renderNdjson,
  renderTable,
  type SearchOptions,
  search,
} from '../../dist/index.js';

export async function example(limit: number | undefined, signal: AbortSignal | undefined): Promise<string> {
  const config = loadConfig('sources.yaml', process.env);
  // As the command line: the proxies of the environment (https_proxy, no_proxy, …), checked.
  const proxy: ProxySettings = proxyFromEnv(process.env);
  const dispatcher = createDispatcher({ connections: config.connections, proxy });
  const options: SearchOptions = {
    text: 'sony headphones',
    params: { query: 'sony headphones' },
    strategy: 'all',
    sort: { field: 'price', desc: false },
    tags: ['products'],
    dispatcher,
    where: compileWhere('price < 150'),
    limit,
    signal,
    deadlineMs: undefined,
  };
  const result = await search(config, options);
  await dispatcher.destroy();
  const width: number | undefined = process.stdout.columns;
  // render() takes the table's options only for the table.
  return (
    renderNdjson(result) +
    renderTable(result, { width, color: false }) +
    render(result, 'json') +
    render(result, 'table')
  );
}

/** Rates as search() builds them from a config, whose `currency` may be undefined. */
export function inDollars(offer: Offer): Offer {
  const config = loadConfig('sources.yaml', process.env);
  const rates: Rates = { base: config.currency, rates: config.rates };
  return convert(offer, 'USD', rates);
}

/** The sources file as the command line finds it, from a `--config` that may be absent, parsed through a cache. */
export function open(flag: string | undefined, cacheDir: string | undefined): string {
  const where: FindOptions = { flag, env: process.env, cwd: process.cwd(), home: '/home/me' };
  const load: LoadOptions = {
    cache: cacheDir === undefined ? undefined : { dir: cacheDir, version: '1', build: undefined },
  };
  return loadConfig(findConfig(where), process.env, '.', load).file;
}
