/**
 * The fast way in: a sources file read before, loaded from the config cache (cache.ts) without the
 * YAML parser, which the command line then does not even load. Anything it cannot vouch for is
 * undefined, and the caller reads the YAML (load.ts), which reports every problem where it is written.
 */
import { knowTrees } from '../expression.js';
import type { Config } from '../types.js';
import { assemble, check } from './assemble.js';
import { type ConfigCache, readCachedTree } from './cache.js';
import { secretRecorder } from './interpolate.js';
import { fillReferences } from './tree.js';

/**
 * The Config for sources-file text read before, from the cache: its references filled from this
 * environment, then validated and compiled as always. Undefined when it is not cached or has any
 * problem at all (a tree nested past the stack included): reading the YAML then finds the same
 * problem and says where it is written.
 */
export function loadCachedText(
  cache: ConfigCache,
  text: string,
  file: string,
  env: Record<string, string | undefined>,
): Config | undefined {
  try {
    const cached = readCachedTree(cache, text);
    if (cached === undefined) return undefined;
    const { tree } = cached;
    const { secretNames, secret } = secretRecorder();
    // Walking a tree without references finds none: about 2 ms at 200 sources (issue #7).
    if (cached.references) fillReferences(tree, env, secret);
    knowTrees(cached.trees);
    const checked = check(tree, () => undefined);
    return checked.problems.length === 0 && checked.data
      ? assemble(checked, checked.data, secretNames, file)
      : undefined;
  } catch {
    return undefined;
  }
}
