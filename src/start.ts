/**
 * What bin/agg.js loads: the command line, bundled as one script (dist/cli.cjs), run with V8's code
 * cache kept in agg's cache folder. Compiling that script was most of what start-up cost after node's
 * own boot (issue #7, docs/BENCHMARKS.md). Like cli.ts, this file touches the process.
 */
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { cacheDir } from './cache-dir.js';
import { runCachedScript } from './code-cache.js';

type Cli = typeof import('./cli.js');

const BUNDLE = fileURLToPath(new URL('./cli.cjs', import.meta.url));

export async function start(): Promise<void> {
  const cli = runCachedScript<Cli>(BUNDLE, cacheDir(process.env, os.homedir()));
  let searched = false;
  // main() ends in process.exit(). The cache is written then, once per build, and only after a search
  // (or the demo): an entry written after `--help` would hold little more than commander.
  process.once('exit', () => {
    if (searched) cli.save();
  });
  await cli.exports.main({
    onSearched: () => {
      searched = true;
    },
  });
}
