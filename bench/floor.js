// The floor under agg's fan-out: how fast a Node program that only fetches and parses can be, with
// undici (the library agg must use) and without it, next to agg, curl and `node -e 0`. Not part of
// `npm run bench`: it answers "how much of agg's overhead is agg's?" (docs/BENCHMARKS.md).
//   node bench/floor.js [--runs 15] [--size 200]
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { alternate, findCurl, load1, runTimed, scratchFile, stats } from './measure.js';
import { startVendors, vendorUrl, writeConfigs } from './vendors.js';

const USAGE = 'usage: node bench/floor.js [--runs N] [--size N]';
const DELAY_MS = 300;

function count(name, text, fallback) {
  if (text === undefined) return fallback;
  if (!/^[1-9]\d*$/.test(text)) {
    console.error(`floor: --${name}: expected a whole number ≥ 1, got "${text}"\n${USAGE}`);
    process.exit(2);
  }
  return Number(text);
}

let values;
try {
  values = parseArgs({ options: { runs: { type: 'string' }, size: { type: 'string' } } }).values;
} catch (err) {
  console.error(`floor: ${err.message}\n${USAGE}`);
  process.exit(2);
}
const runs = count('runs', values.runs, 15);
const size = count('size', values.size, 200);

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
// Bundled as agg's command line is (scripts/bundle-cli.js), so that neither pays for module loading.
const undiciBundle = scratchFile('undici-client.cjs');
await build({
  entryPoints: [here('./floor/undici-client.mjs')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  outfile: undiciBundle,
  logLevel: 'error',
});

const vendors = await startVendors(size);
try {
  const targets = vendors.ports.map((port) => ({ port, ms: DELAY_MS }));
  const { sources, curlConfig } = writeConfigs(`floor-${size}`, targets);
  const urls = scratchFile('floor-urls.json');
  writeFileSync(urls, JSON.stringify(targets.map(({ port, ms }) => `${vendorUrl(port, ms)}sony`)));
  const node = (args, env) => () => runTimed(process.execPath, args, env ? { env: { ...process.env, ...env } } : {});
  const subjects = {
    'node -e 0': node(['-e', '0']),
    'node:http, parse only': node([here('./floor/http-client.mjs'), urls]),
    'undici, parse only': node(['--liftoff-only', here('./floor/run-cached.cjs'), undiciBundle, urls]),
    agg: node([here('../bin/agg.js'), 'search', 'sony', '-c', sources, '-s', 'all', '-f', 'json'], {
      XDG_CACHE_HOME: scratchFile('floor-cache'),
    }),
  };
  const curl = findCurl();
  if (curl) {
    subjects[`curl -Z --parallel-max ${size}`] = () =>
      runTimed(curl, ['-Z', '--parallel-max', String(size), '-s', '-K', curlConfig]);
  }
  const before = load1();
  const samples = await alternate(subjects, runs);
  console.log(
    `fan-out N=${size} × ${DELAY_MS} ms, ${runs} runs each, alternated; load ${before.toFixed(2)}→${load1().toFixed(2)}\n`,
  );
  console.log('| subject | median | min–max | over 300 ms | failed runs |\n|---|---|---|---|---|');
  for (const [name, list] of Object.entries(samples)) {
    const s = stats(list.map((r) => r.ms));
    const failed = list.filter((r) => r.code !== 0).length;
    const over = name === 'node -e 0' ? '–' : `${Math.round(s.median - DELAY_MS)} ms`;
    console.log(
      `| ${name} | ${Math.round(s.median)} ms | ${Math.round(s.min)}–${Math.round(s.max)} ms | ${over} | ${failed} |`,
    );
  }
} finally {
  await vendors.close();
}
