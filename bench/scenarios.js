// The process-level scenarios: fan-out, take-first, cold start and memory. Each runs agg and its
// peer alternately and returns rows of samples for report.js.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { alternate, load1, runTimed, scratchFile } from './measure.js';
import { writeConfigs } from './vendors.js';

const AGG = fileURLToPath(new URL('../bin/agg.js', import.meta.url));

/** agg's stderr summary: `1000 sources · 998 ok · 2 error · 20000 offers · 0.41s`. */
function summary(stderr) {
  const count = (word) => Number(new RegExp(`(\\d+) ${word}\\b`).exec(stderr)?.[1] ?? 0);
  const secs = /([\d.]+)s\s*$/.exec(stderr.trim())?.[1];
  return {
    ok: count('ok'),
    failed: count('errors?') + count('timeouts?'),
    cancelled: count('cancelled'),
    offers: count('offers?'),
    searchMs: secs === undefined ? undefined : Number(secs) * 1000,
  };
}

/** The subject that runs agg with an empty cache every time: a sources file it has never read. */
export const FIRST_RUN = 'agg, first run (empty cache)';
// agg's cache (parsed sources files, latency history) for the bench alone, never the user's: warm
// after the untimed warm-up run, as it is for anyone who runs the same file twice.
const WARM_CACHE = scratchFile('xdg-cache');

/**
 * The take-first subject whose caches are warm but who has no latency history, removed before each
 * run: its sources start in file order, where agg otherwise starts those that were fastest first.
 */
export const NO_HISTORY = 'agg, no latency history (file order)';
const NO_HISTORY_CACHE = scratchFile('xdg-no-history');

/**
 * The fan-out subject that prints a table (piped, so at its natural width) rather than JSON: what drawing
 * N × 20 rows with cli-table3 costs. Up to N = 200 (4,000 rows) only: 20,000 rows take seconds a run.
 */
export const TABLE_OUTPUT = 'agg -f table (piped)';
const TABLE_UP_TO = 200;

/**
 * One agg search over a sources file, JSON (or `format`) to /dev/null; `firstRun` gives it an empty
 * cache, `noHistory` a warm one without the latency history.
 */
const agg =
  (sources, strategy, { firstRun = false, noHistory = false, format = 'json' } = {}) =>
  async () => {
    if (noHistory) rmSync(path.join(NO_HISTORY_CACHE, 'agg', 'latency.jsonl'), { force: true });
    const XDG_CACHE_HOME = firstRun
      ? mkdtempSync(scratchFile('xdg-empty-'))
      : noHistory
        ? NO_HISTORY_CACHE
        : WARM_CACHE;
    const args = [AGG, 'search', 'sony', '-c', sources, '-s', strategy, '-f', format];
    const r = await runTimed(process.execPath, args, { env: { ...process.env, XDG_CACHE_HOME } });
    const s = summary(r.stderr);
    // No summary line: agg refused the run (a config error, say), and the sample measures that, not a search.
    const refused =
      s.searchMs === undefined
        ? (r.stderr.trim().split('\n').at(-1) || `exit ${r.code}`).replaceAll(sources, path.basename(sources))
        : undefined;
    return { ...r, ...s, stderr: undefined, ...(refused ? { refused } : {}) };
  };

/** curl -Z over a -K config; `-w` prints one status code per transfer, so failures are counted. */
const curlRun = (curl, config, parallel) => async () => {
  const r = await runTimed(
    curl,
    ['-Z', '--parallel-max', String(parallel), '-s', '-K', config, '-w', '%{http_code}\\n'],
    { stdout: 'pipe' },
  );
  const codes = r.stdout.split('\n').filter(Boolean);
  return { ...r, ok: codes.filter((c) => c === '200').length, failed: codes.filter((c) => c !== '200').length };
};

/**
 * Fan-out: N sources (N distinct origins) at `delayMs`, strategy all. Returns one result per N with
 * agg's and curl's samples.
 */
export async function fanOut({ ports, sizes, delayMs, runs, curl }) {
  const out = [];
  for (const n of sizes) {
    const targets = ports.slice(0, n).map((port) => ({ port, ms: delayMs }));
    const { sources, curlConfig } = writeConfigs(`fanout-${n}`, targets);
    const subjects = { agg: agg(sources, 'all'), [FIRST_RUN]: agg(sources, 'all', { firstRun: true }) };
    if (n <= TABLE_UP_TO) subjects[TABLE_OUTPUT] = agg(sources, 'all', { format: 'table' });
    if (curl) subjects.curl = curlRun(curl, curlConfig, n);
    const before = load1();
    const samples = await alternate(subjects, runs);
    out.push({ n, delayMs, samples, load: [before, load1()] });
  }
  return out;
}

/**
 * Take-first: one source at `fastMs` among `n - 1` at `slowMs`. The fast one sits in the middle of
 * the file, so file order does not help. The peer is curl fetching only the fast URL: the limit,
 * plus a process start.
 */
export async function takeFirst({ ports, n, fastMs, slowMs, runs, curl }) {
  const fastAt = Math.floor(n / 2);
  const targets = ports.slice(0, n).map((port, i) => ({ port, ms: i === fastAt ? fastMs : slowMs }));
  const { sources } = writeConfigs(`first-${n}`, targets);
  const subjects = {
    agg: agg(sources, 'first'),
    [NO_HISTORY]: agg(sources, 'first', { noHistory: true }),
    [FIRST_RUN]: agg(sources, 'first', { firstRun: true }),
  };
  if (curl)
    subjects['curl (fast URL only)'] = curlRun(curl, writeConfigs('first-one', [targets[fastAt]]).curlConfig, 1);
  const before = load1();
  const samples = await alternate(subjects, runs);
  return { n, fastMs, slowMs, samples, load: [before, load1()] };
}

/** The subject of cold start that runs with an empty cache: no code cache yet (a fresh install). */
export const VERSION_FIRST_RUN = 'agg --version, empty cache';

/**
 * Cold start: `agg --version`, `agg --help` and `node -e 0`, interleaved. agg runs with the bench's
 * cache, which holds the code cache once a search has run (one `agg demo` does it when only this
 * scenario runs), and once more with an empty cache.
 */
export async function coldStart({ runs }) {
  const env = (XDG_CACHE_HOME) => ({ ...process.env, XDG_CACHE_HOME });
  if (!existsSync(path.join(WARM_CACHE, 'agg')) || !readdirSync(path.join(WARM_CACHE, 'agg')).some(isCodeCache))
    await runTimed(process.execPath, [AGG, 'demo'], { env: env(WARM_CACHE) });
  const node = (args, cache) => () =>
    runTimed(process.execPath, args, { stdout: 'null', ...(cache ? { env: env(cache()) } : {}) });
  const warm = () => WARM_CACHE;
  const empty = () => mkdtempSync(scratchFile('xdg-empty-'));
  const before = load1();
  const samples = await alternate(
    {
      'node -e 0': node(['-e', '0']),
      'agg --version': node([AGG, '--version'], warm),
      'agg --help': node([AGG, '--help'], warm),
      [VERSION_FIRST_RUN]: node([AGG, '--version'], empty),
    },
    runs,
  );
  return { samples, load: [before, load1()] };
}

const isCodeCache = (name) => /^code-.*\.bin$/.test(name);
