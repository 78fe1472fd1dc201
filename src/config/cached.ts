/**
 * The fast way in: a sources file read before, loaded from the config cache (cache.ts) without the
 * YAML parser, which the command line then does not even load, nor zod when the cache holds the
 * file's validated data. Anything it cannot vouch for is undefined, and the caller reads the YAML
 * (load.ts), which reports every problem where it is written.
 */
import { knowTrees } from '../shared/expression.js';
import type { Config } from '../types.js';
import { assemble, type Checked, checkValidated } from './assemble.js';
import { type CachedTree, type ConfigCache, readCachedTree, writeCachedTree } from './cache.js';
import { namesHoldingSecrets } from './checks.js';
import { secretRecorder } from './interpolate.js';
import type { SourcesFile } from './schema.js';
import { fillReferences, storable } from './tree.js';
import type { check } from './validate.js';

type Check = typeof check;

/**
 * The Config for sources-file text read before, from the cache: its references filled from this
 * environment, then validated and compiled as always. Undefined when it is not cached or has any
 * problem at all (a tree nested past the stack included): reading the YAML then finds the same
 * problem and says where it is written. `validate` is validate.ts's check (load.ts passes it).
 */
export function loadCachedText(
  cache: ConfigCache,
  text: string,
  file: string,
  env: Record<string, string | undefined>,
  validate: Check,
): Config | undefined {
  const cached = readOrUndefined(cache, text);
  return cached && configFrom(cached, cache, text, file, env, validate);
}

/** loadCachedText for the command line: validate.ts, and zod with it, is loaded only if needed. */
export async function loadCachedTextLazily(
  cache: ConfigCache,
  text: string,
  file: string,
  env: Record<string, string | undefined>,
): Promise<Config | undefined> {
  const cached = readOrUndefined(cache, text);
  if (!cached) return undefined;
  const validate = cached.data === undefined ? (await import('./validate.js')).check : undefined;
  return configFrom(cached, cache, text, file, env, validate);
}

function readOrUndefined(cache: ConfigCache, text: string): CachedTree | undefined {
  try {
    return readCachedTree(cache, text);
  } catch {
    return undefined;
  }
}

function configFrom(
  cached: CachedTree,
  cache: ConfigCache,
  text: string,
  file: string,
  env: Record<string, string | undefined>,
  validate: Check | undefined,
): Config | undefined {
  try {
    const { tree } = cached;
    const { secretNames, secret, runSecrets } = secretRecorder();
    // Walking a tree without references finds none: about 2 ms at 200 sources (issue #7).
    const fromEnv = new Set<string>();
    if (cached.references) fillReferences(tree, env, secret, fromEnv);
    knowTrees(cached.trees);
    let checked: Checked;
    if (cached.data !== undefined) checked = checkValidated(tree, cached.data as SourcesFile);
    else if (validate) checked = validate(tree, () => undefined);
    else return undefined;
    if (checked.problems.length > 0 || !checked.data) return undefined;
    // The YAML path says why such a file is refused (an entry from an agg that did not).
    if (namesHoldingSecrets(checked.data.sources, secretNames, fromEnv).length > 0) return undefined;
    // An entry from before its build knew it (or from another build): keep the validated data now.
    // (Data JSON cannot carry would never be kept: the entry is then not rewritten at every load.)
    // A declared param whose place the entry lacks: the YAML says where it is, for a message about its value.
    if (Object.keys(checked.data.params ?? {}).some((name) => !Object.hasOwn(cached.positions, name))) return undefined;
    if (!cached.references && cached.data === undefined && cache.build !== undefined && storable(checked.data))
      writeCachedTree(cache, text, tree, undefined, cached.trees, checked.data, cached.positions);
    return assemble(checked, checked.data, runSecrets(), file, cached.positions);
  } catch {
    return undefined;
  }
}
