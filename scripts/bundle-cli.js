// Bundles the command line (dist/cli.js and what it imports, as tsc emitted them) and its dependencies
// into one CommonJS script, dist/cli.cjs, which dist/start.cjs runs with V8's code cache (issue #7,
// docs/BENCHMARKS.md). Why CommonJS: on Node 20 only a script (vm.Script) can be given a code cache;
// ES modules get one from Node 22.1 (module.enableCompileCache). The sources stay ES modules, and
// dist/index.js, the library, stays as tsc emitted it.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { build } from 'esbuild';

const dist = new URL('../dist/', import.meta.url).pathname;
const require = createRequire(import.meta.url);
// The chunks of the ES-module bundle that dist/cli.cjs replaced.
rmSync(`${dist}chunks`, { recursive: true, force: true });

// `undici` in the bundle is scripts/undici-subset.cjs. Every name the code imports from it must be
// there: a missing one would be undefined at run time, so it stops the build instead.
const subset = new URL('./undici-subset.cjs', import.meta.url).pathname;
const offered = Object.keys(require(subset));
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

// undici's client-h2.js loads node:http2 (and with it tls) up front, about 7 ms of every start, but
// undici uses HTTP/2 only for clients made with `allowH2` or `useH2c`, which agg never sets: in the bundle
// it gets scripts/shims/no-http2.cjs, the value undici itself falls back to when Node has no http2.
const usesH2 = readdirSync(dist, { recursive: true })
  .filter((f) => f.endsWith('.js') && !f.startsWith('chunks'))
  .filter((f) => /\b(allowH2|useH2c)\b/.test(readFileSync(path.join(dist, f), 'utf8')));
if (usesH2.length > 0) throw new Error(`${usesH2.join(', ')} may use HTTP/2: drop the http2 stand-in in bundle-cli.js`);
const noHttp2 = {
  name: 'no-http2',
  setup(b) {
    const shim = new URL('./shims/no-http2.cjs', import.meta.url).pathname;
    b.onResolve({ filter: /^node:http2$/ }, (args) =>
      args.importer.includes('/node_modules/undici/') ? { path: shim } : undefined,
    );
  },
};

// commander loads node:child_process (and with it net and dgram) up front for executable subcommands,
// which agg has none of: in the bundle it gets scripts/shims/lazy-child-process.cjs, which loads the
// module the first time `spawn` is read. Anything else commander read from it would be undefined.
const commanderDir = path.dirname(require.resolve('commander'));
const childProcessUses = readdirSync(commanderDir, { recursive: true })
  .filter((f) => f.endsWith('.js'))
  .flatMap((f) => [...readFileSync(path.join(commanderDir, f), 'utf8').matchAll(/\bchildProcess\.(\w+)/g)])
  .map((m) => m[1]);
const unshimmed = [...new Set(childProcessUses)].filter((name) => name !== 'spawn');
if (childProcessUses.length === 0 || unshimmed.length > 0) {
  throw new Error(
    `commander uses child_process.${unshimmed.join(', ') || '?'}: update scripts/shims/lazy-child-process.cjs`,
  );
}
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    const shim = new URL('./shims/lazy-child-process.cjs', import.meta.url).pathname;
    b.onResolve({ filter: /^node:child_process$/ }, (args) =>
      args.importer.startsWith(`${commanderDir}${path.sep}`) ? { path: shim } : undefined,
    );
  },
};

// undici loads node:http (Node's HTTP/1 client and server) up front for two values: in the bundle it
// gets scripts/shims/lazy-http.cjs. Each undici file that requires node:http may read only those.
const undiciDir = path.dirname(require.resolve('undici'));
const HTTP_READS = new Set(['IncomingMessage', 'maxHeaderSize']);
const lazyHttp = {
  name: 'lazy-http',
  setup(b) {
    const shim = new URL('./shims/lazy-http.cjs', import.meta.url).pathname;
    b.onResolve({ filter: /^node:http$/ }, (args) => {
      if (!args.importer.startsWith(`${undiciDir}${path.sep}`)) return undefined;
      const text = readFileSync(args.importer, 'utf8');
      const named = [...text.matchAll(/\{([^}]*)\}\s*=\s*require\('node:http'\)/g)].flatMap((m) =>
        m[1].split(',').map((n) => n.trim()),
      );
      const bound = [...text.matchAll(/(?:const|let|var)\s+(\w+)\s*=\s*require\('node:http'\)/g)].map((m) => m[1]);
      const read = bound.flatMap((name) => [...text.matchAll(new RegExp(`\\b${name}\\.(\\w+)`, 'g'))].map((m) => m[1]));
      const other = [...named, ...read].filter((n) => n && !HTTP_READS.has(n));
      if (other.length > 0 || named.length + bound.length === 0) {
        throw new Error(
          `${args.importer} reads ${other.join(', ') || '?'} from node:http: update scripts/shims/lazy-http.cjs`,
        );
      }
      return { path: shim };
    });
  },
};

// undici's `assert(x)` without a message makes Node read and parse the bundle's (very long) line to
// write one: in the bundle it gets scripts/shims/undici-assert.cjs, which calls assert() alone.
const usesAssertMethods = readdirSync(undiciDir, { recursive: true })
  .filter((f) => f.endsWith('.js'))
  .filter((f) => /\bassert\.\w/.test(readFileSync(path.join(undiciDir, f), 'utf8')));
if (usesAssertMethods.length > 0) {
  throw new Error(
    `undici's ${usesAssertMethods.join(', ')} use assert.<method>: update scripts/shims/undici-assert.cjs`,
  );
}
const undiciAssert = {
  name: 'undici-assert',
  setup(b) {
    const shim = new URL('./shims/undici-assert.cjs', import.meta.url).pathname;
    b.onResolve({ filter: /^node:assert$/ }, (args) =>
      args.importer.startsWith(`${undiciDir}${path.sep}`) ? { path: shim } : undefined,
    );
  },
};

// strip-ansi (string-width's, under cli-table3) compiles ansi-regex's pattern anew for every string a
// table cell measures: in the bundle it gets scripts/shims/ansi-regex-once.cjs, which makes it once.
// Sharing one global pattern is safe only where it goes straight to `replace`, which resets it: strip-ansi
// must do nothing else with it, or the build stops.
const fromTable = (name, dir) => require.resolve(name, { paths: [dir] });
const stripAnsiFile = fromTable('strip-ansi', path.dirname(fromTable('string-width', require.resolve('cli-table3'))));
const stripAnsiText = readFileSync(stripAnsiFile, 'utf8');
if ((stripAnsiText.match(/ansiRegex\(/g) ?? []).length !== 1 || !stripAnsiText.includes(".replace(ansiRegex(), '')")) {
  throw new Error(
    `${stripAnsiFile} uses ansiRegex() other than in one replace(): drop scripts/shims/ansi-regex-once.cjs`,
  );
}
const ansiRegexOnce = {
  name: 'ansi-regex-once',
  setup(b) {
    const shim = new URL('./shims/ansi-regex-once.cjs', import.meta.url).pathname;
    b.onResolve({ filter: /^ansi-regex$/ }, (args) => (args.importer === stripAnsiFile ? { path: shim } : undefined));
  },
};

// `import.meta.url` means the file a module was emitted as (`new URL('../package.json', import.meta.url)`
// in cli.js, `../../sources.example.yaml` in cli/demo.js): each becomes that file's URL, worked out at
// run time from where dist/cli.cjs is, so the package can still be moved after it is built.
const moduleUrls = {
  name: 'module-urls',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, (args) => {
      if (!args.path.startsWith(dist)) return undefined;
      const text = readFileSync(args.path, 'utf8');
      const url = `__aggModuleUrl(${JSON.stringify(path.relative(dist, args.path))})`;
      return { contents: text.replaceAll('import.meta.url', url), loader: 'js', resolveDir: path.dirname(args.path) };
    });
  },
};

// Both scripts are CommonJS for Node 20.18, and strict, as the ES modules they are made of are: a
// "use strict" after the banner's statement would be no directive at all, and the script would run
// in sloppy mode (a write to a frozen Config ignored instead of throwing, for one).
const asScript = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20.18',
  banner: {
    js: "'use strict';const __aggModuleUrl = (file) => require('node:url').pathToFileURL(require('node:path').join(__dirname, file)).href;",
  },
  logLevel: 'warning',
};

await build({
  ...asScript,
  entryPoints: [`${dist}cli.js`],
  outfile: `${dist}cli.cjs`,
  sourcemap: true,
  // Fewer bytes to read, hash and parse at every start; names are kept, for AGG_DEBUG's stacks.
  minifyWhitespace: true,
  minifySyntax: true,
  // Licence comments go to dist/cli.cjs.LEGAL.txt, so the bundle is ASCII (checked below).
  legalComments: 'external',
  plugins: [undiciSubset, noHttp2, lazyChildProcess, lazyHttp, undiciAssert, ansiRegexOnce, moduleUrls],
});

// dist/help.cjs, which dist/start.cjs requires when argv may ask only for help or the version: commander
// and the command line's definition (dist/cli/program.js), no command's action. It runs without a code
// cache: compiling its ~70 KB costs less than node:crypto, hashing dist/cli.cjs and deserialising its entry.
const help = await build({
  ...asScript,
  entryPoints: [`${dist}help.js`],
  outfile: `${dist}help.cjs`,
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'external',
  plugins: [lazyChildProcess, moduleUrls],
  metafile: true,
});
// An import of an action's code into cli/program.ts (a parser, undici, the config loader) would bring it
// into every `--help`: of the packages, commander alone; of agg's own code, a few small modules (41 KB now).
const helpInputs = Object.entries(help.metafile.inputs);
const helpPackages = helpInputs
  .map(([file]) => file)
  .filter((f) => /node_modules\//.test(f) && !/node_modules\/commander\//.test(f));
const helpOwnBytes = helpInputs
  .filter(([file]) => !/node_modules\//.test(file))
  .reduce((sum, [, { bytes }]) => sum + bytes, 0);
if (helpPackages.length > 0 || helpOwnBytes > 80_000) {
  throw new Error(
    `dist/help.cjs holds ${helpPackages.join(', ') || `${helpOwnBytes} bytes of agg's own code`}: keep action code out of cli/program.ts`,
  );
}

// dist/start.cjs, what bin/agg.js requires: dist/start.js and the modules it imports, as one script.
// bin/ is CommonJS (bin/package.json), so a start never sets up Node's ES-module loader: about 5 ms
// of every run, the loader's own modules and the resolution of each import.
await build({ ...asScript, entryPoints: [`${dist}start.js`], outfile: `${dist}start.cjs`, plugins: [moduleUrls] });

// src/code-cache.ts reads the bundle as latin1, which is ASCII only when every byte is below 0x80
// (esbuild escapes non-ASCII characters in code; comments are what could break it).
const at = readFileSync(`${dist}cli.cjs`).findIndex((byte) => byte > 0x7f);
if (at !== -1) throw new Error(`dist/cli.cjs is not ASCII at byte ${at}: src/code-cache.ts reads it as latin1`);
