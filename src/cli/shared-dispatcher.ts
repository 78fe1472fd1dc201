/**
 * The one undici dispatcher a command sends through, made on first use: so that the sources file's
 * `defaults.connections` can size its pools, and `--help` never loads undici.
 */
import type { Dispatcher } from 'undici';
import type { Config } from '../types.js';

/** A dispatcher made on first use, and what destroys it (if one was made). */
export interface SharedDispatcher {
  /** The dispatcher, made for `config` on the first call (`hedged`: every source may send a duplicate). */
  readonly get: (config: Config, hedged?: boolean) => Promise<Dispatcher>;
  /** Closes every socket of the dispatcher, if one was made. */
  readonly destroy: () => Promise<void>;
}

/**
 * Makes a SharedDispatcher; nothing is loaded until its first `get`, which sends through the proxies
 * `env` sets (https_proxy, http_proxy, no_proxy) and throws a UsageError for one agg cannot use.
 */
export function sharedDispatcher(env: Readonly<Record<string, string | undefined>>): SharedDispatcher {
  let dispatcher: Dispatcher | undefined;
  return {
    get: async (config, hedged = false) => {
      const [{ createDispatcher }, { soleOrigins }, { proxyFromEnv }] = await Promise.all([
        import('../scatter/dispatcher.js'),
        import('../scatter/origins.js'),
        import('../scatter/proxy-settings.js'),
      ]);
      dispatcher ??= createDispatcher({
        connections: config.connections,
        soleOrigins: soleOrigins(config.sources, hedged),
        proxy: proxyFromEnv(env),
      });
      return dispatcher;
    },
    destroy: async () => {
      await dispatcher?.destroy();
    },
  };
}
