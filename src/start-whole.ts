/**
 * The whole command line, bundled as one script (dist/cli.cjs), run with V8's code cache kept in agg's
 * cache folder. Compiling that script was most of what start-up cost after node's own boot (issue #7,
 * docs/BENCHMARKS.md). start.ts runs this for every run but one that only asks for help or the version.
 */
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { runCachedScript } from './code-cache.js';
import { cacheDir } from './shared/cache-dir.js';
import { homeDir } from './shared/home.js';

type Cli = typeof import('./cli.js');

const BUNDLE = fileURLToPath(new URL('./cli.cjs', import.meta.url));

/** Runs dist/cli.cjs's main(), and writes the code cache at exit after a search. */
export async function startWhole(): Promise<void> {
  // undici parses HTTP with llhttp, compiled to WebAssembly: V8 runs it with its baseline compiler
  // (Liftoff), then recompiles hot functions with TurboFan on a background thread, and exiting waits
  // for that job: 55 ms at the end of a 200-source take-first run. A run lasts a second or so; the
  // baseline code is enough. Set before the script is compiled: the code cache records V8's flags.
  v8.setFlagsFromString('--liftoff-only');
  const cli = runCachedScript<Cli>(BUNDLE, cacheDir(process.env, homeDir()));
  let searched = false;
  // main() ends in process.exit(). The cache is written then, once per build, and only after a search
  // (or the demo): an entry written after `--help` would hold little more than commander.
  process.once('exit', () => {
    if (searched) cli.save();
  });
  await cli.exports.main({
    ...(cli.build ? { build: cli.build } : {}),
    onSearched: () => {
      searched = true;
    },
  });
}
