// agg's benchmarks, offline: vendor servers on 127.0.0.1 in their own process, agg and its peer
// (curl --parallel, node -e 0, a hand mapping) run alternately. Run with `npm run bench`.
// Flags: USAGE below, or `node bench/run.js --help`.
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { mappingThroughput } from './mapping.js';
import { findCurl, machine } from './measure.js';
import { markdownTable, textTable, toRows, writeReport } from './report.js';
import { coldStart, fanOut, takeFirst } from './scenarios.js';
import { startVendors } from './vendors.js';

const USAGE = `usage: node bench/run.js [--quick] [--runs N] [--sizes 10,200,1000] [--first-n 200]
                        [--only fanout,first,cold,map] [--out docs/BENCHMARKS.md | --no-write] [--markdown]
env: BENCH_RUNS, BENCH_SIZES, BENCH_CURL (a curl binary, or \`none\` to skip the curl peer)`;

/** The flags, or the usage and exit 2 on a mistake (a bench flag typo is not worth a stack trace). */
function flags() {
  try {
    return parseArgs({ options: OPTIONS }).values;
  } catch (err) {
    usageError(err.message);
  }
}

function usageError(message) {
  console.error(`bench: ${message}\n${USAGE}`);
  process.exit(2);
}

const OPTIONS = {
  quick: { type: 'boolean', default: false },
  runs: { type: 'string' },
  sizes: { type: 'string' },
  'first-n': { type: 'string' },
  only: { type: 'string' },
  out: { type: 'string', default: fileURLToPath(new URL('../docs/BENCHMARKS.md', import.meta.url)) },
  'no-write': { type: 'boolean', default: false },
  markdown: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
};
const opt = flags();
if (opt.help) {
  console.log(USAGE);
  process.exit(0);
}

const runs = count('--runs', opt.runs ?? process.env.BENCH_RUNS ?? (opt.quick ? '3' : '7'));
const sizes = (opt.sizes ?? process.env.BENCH_SIZES ?? '10,200,1000').split(',').map((n) => count('--sizes', n));
const firstN = count('--first-n', opt['first-n'] ?? '200');
const SCENARIOS = ['fanout', 'first', 'cold', 'map'];
const only = new Set((opt.only ?? SCENARIOS.join(',')).split(','));
for (const name of only) if (!SCENARIOS.includes(name)) usageError(`--only: no scenario "${name}"`);

/** A whole number ≥ 1 from a flag, or the usage and exit 2: NaN runs would measure nothing, quietly. */
function count(flag, text) {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) usageError(`${flag}: expected a whole number ≥ 1, got "${text}"`);
  return n;
}
// Cold start compares ~50 ms processes: twice the runs, at least 10, except under --quick.
const coldRuns = opt.quick ? runs : Math.max(runs, 5) * 2;
const curl = findCurl();
const info = { ...machine(), loadavg: os.loadavg() };

console.log(`agg bench · ${info.cpu} × ${info.cores} · Node ${info.node} · load ${info.loadavg[0].toFixed(2)}`);
console.log(`${runs} runs each, alternating · curl: ${curl ?? 'not found (peer skipped)'}`);

const results = {};
const needed = Math.max(only.has('fanout') ? Math.max(...sizes) : 0, only.has('first') ? firstN : 0);
if (needed > 0) {
  const vendors = await startVendors(needed);
  try {
    if (only.has('fanout')) {
      console.log(`fan-out: N = ${sizes.join(', ')} …`);
      results.fanOut = await fanOut({ ports: vendors.ports, sizes, delayMs: 300, runs, curl });
    }
    if (only.has('first')) {
      console.log(`take-first: N = ${firstN} …`);
      results.takeFirst = await takeFirst({ ports: vendors.ports, n: firstN, fastMs: 50, slowMs: 3000, runs, curl });
    }
  } finally {
    await vendors.close();
  }
}
if (only.has('cold')) {
  console.log('cold start …');
  results.coldStart = await coldStart({ runs: coldRuns });
}
if (only.has('map')) {
  console.log('mapping throughput …');
  results.mapping = await mappingThroughput({ runs, budgetMs: opt.quick ? 100 : 300 });
}

const rows = toRows(results);
console.log(`\n${opt.markdown ? markdownTable(rows) : textTable(rows)}`);
if (!opt['no-write']) {
  const settings = `${runs} per subject (cold start: ${coldRuns})${opt.quick ? ', --quick' : ''}; curl ${
    curl ? 'present' : 'absent'
  }`;
  writeReport(opt.out, { machine: info, settings, rows });
  console.log(`\nwrote ${opt.out}`);
}
