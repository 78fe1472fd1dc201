// Bundles the command line (dist/cli.js, as tsc emitted it) and its dependencies into dist/cli.js
// plus lazily loaded chunks in dist/chunks/, so that a run loads a handful of files instead of
// hundreds: about 10% off a search and `agg --version` (issue #7, docs/BENCHMARKS.md).
// dist/index.js, the library, stays as tsc emitted it.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { build } from 'esbuild';

const dist = new URL('../dist/', import.meta.url).pathname;
// Chunks from an earlier build would otherwise pile up (their names carry a content hash).
rmSync(`${dist}chunks`, { recursive: true, force: true });

// `undici` in the bundle is scripts/undici-subset.cjs. Every name the code imports from it must be
// there: a missing one would be undefined at run time, so it stops the build instead.
const subset = new URL('./undici-subset.cjs', import.meta.url).pathname;
const offered = Object.keys(createRequire(import.meta.url)(subset));
const imported = readdirSync(dist, { recursive: true })
  .filter((f) => f.endsWith('.js') && !f.startsWith('chunks'))
  .flatMap((f) => [...readFileSync(path.join(dist, f), 'utf8').matchAll(/^import \{([^}]*)\} from 'undici';/gm)])
  .flatMap((m) => m[1].split(',').map((name) => name.trim().split(/\s+as\s+/)[0]))
  .filter((name) => name !== '');
const missing = imported.filter((name) => !offered.includes(name));
if (missing.length > 0) throw new Error(`scripts/undici-subset.cjs lacks ${missing.join(', ')}: add it there`);
const undiciSubset = {
  name: 'undici-subset',
  setup(b) {
    b.onResolve({ filter: /^undici$/ }, () => ({ path: subset }));
  },
};

await build({
  entryPoints: [`${dist}cli.js`],
  outdir: dist,
  allowOverwrite: true,
  bundle: true,
  // The actions' `await import()`s stay lazy: each becomes a chunk loaded only when needed.
  splitting: true,
  // In dist/chunks/, two levels below the package root as dist/cli/*.js are, so that
  // `new URL('../../sources.example.yaml', import.meta.url)` in the demo still finds the file.
  chunkNames: 'chunks/[name]-[hash]',
  format: 'esm',
  platform: 'node',
  target: 'node20.18',
  sourcemap: true,
  // Bundled CommonJS dependencies (undici, jsonata, commander, …) call require() for node: builtins.
  banner: {
    js: "import { createRequire as __aggRequire } from 'node:module';\nconst require = __aggRequire(import.meta.url);",
  },
  plugins: [undiciSubset],
  logLevel: 'warning',
});
