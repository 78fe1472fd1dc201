/**
 * The sources file a command names (`-c`, $AGG_CONFIG, ./sources.yaml, ~/.config/agg), read and loaded
 * through the config cache. Every module it needs is imported here, on first use: `--help` loads none.
 */
import type { Readable } from 'node:stream';
import { VERSION } from '../shared/version.js';
import type { Config } from '../types.js';
import type { Io } from './io.js';

/**
 * Finds, reads and loads the sources file; throws ConfigError (at file:line:col) for what is wrong in it.
 * `build` names the running build for the cache (ConfigCache.build); `stdin` is read for `-c -`.
 */
export async function loadSourcesFile(
  flag: string | undefined,
  io: Io,
  build: string | undefined,
  stdin: () => Readable,
): Promise<Config> {
  // The cached path first: a file read before loads without the YAML parser, which is then never
  // even imported (src/config/cached.ts). A miss, or any problem, reads the YAML.
  const [{ findConfig }, { readSourcesFileAsync }, { loadCachedTextLazily }, { cacheDir }] = await Promise.all([
    import('../config/find.js'),
    import('../config/read.js'),
    import('../config/cached.js'),
    import('../shared/cache-dir.js'),
  ]);
  const dir = cacheDir(io.env, io.home);
  const cache = dir ? { dir, version: VERSION, ...(build ? { build } : {}) } : undefined;
  const file = findConfig({ flag, env: io.env, cwd: io.cwd, home: io.home });
  const text = await readSourcesFileAsync(file, io.cwd, io.interrupt, stdin);
  return (
    (cache && (await loadCachedTextLazily(cache, text, file, io.env))) ??
    (await import('../config/load.js')).parseConfigText(text, file, io.env, cache)
  );
}
