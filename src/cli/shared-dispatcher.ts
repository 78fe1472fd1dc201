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

/** Makes a SharedDispatcher; nothing is loaded until its first `get`. */
export function sharedDispatcher(): SharedDispatcher {
  let dispatcher: Dispatcher | undefined;
  return {
    get: async (config, hedged = false) => {
      const [{ createDispatcher }, { soleOrigins }] = await Promise.all([
        import('../scatter/dispatcher.js'),
        import('../scatter/origins.js'),
      ]);
      dispatcher ??= createDispatcher({
        connections: config.connections,
        soleOrigins: soleOrigins(config.sources, hedged),
      });
      return dispatcher;
    },
    destroy: async () => {
      await dispatcher?.destroy();
    },
  };
}
