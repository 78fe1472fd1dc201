// Measuring processes: wall time from spawn to exit, peak RSS (via /usr/bin/time), and the stats
// the report uses. Every figure is taken the same way for agg and for its peer, so the ratio is fair.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** /usr/bin/time when present: it reports the peak RSS of the child (and of its children). */
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'agg-bench-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

/** A scratch path removed when the bench exits. */
export const scratchFile = (name) => path.join(scratch, name);

/** The first curl on PATH (or BENCH_CURL; `BENCH_CURL=none` skips it), or undefined. */
export function findCurl() {
  const wanted = process.env.BENCH_CURL;
  if (wanted === 'none') return undefined;
  const bin = wanted || 'curl';
  return spawnSync(bin, ['--version'], { stdio: 'ignore' }).status === 0 ? bin : undefined;
}

let devNull;
/**
 * Runs `cmd args` to completion. `stdout: 'null'` sends it to /dev/null (the bench's JSON output);
 * 'pipe' collects it. Resolves { ms, rssMb, code, stdout, stderr }.
 */
export function runTimed(cmd, args, { stdout = 'null', env } = {}) {
  devNull ??= openSync('/dev/null', 'w');
  const rssFile = scratchFile(`rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const [bin, argv] = TIME ? [TIME, ['-f', '%M', '-o', rssFile, cmd, ...args]] : [cmd, args];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(bin, argv, {
      stdio: ['ignore', stdout === 'null' ? devNull : 'pipe', 'pipe'],
      env: env ?? process.env,
    });
    let out = '';
    let err = '';
    child.stdout?.setEncoding('utf8').on('data', (s) => {
      out += s;
    });
    child.stderr.setEncoding('utf8').on('data', (s) => {
      err += s;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - started;
      let rssMb;
      if (TIME) {
        try {
          rssMb = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024;
          rmSync(rssFile, { force: true });
        } catch {
          rssMb = undefined;
        }
      }
      // 'close' follows once the pipes drain; stdout/stderr are complete then.
      child.on('close', () => resolve({ ms, rssMb, code, stdout: out, stderr: err }));
    });
  });
}

/**
 * Runs each subject `runs` times, alternating (ABAB…, then BABA… on odd rounds) so that load from
 * other processes falls on both alike, after one untimed warm-up each. `subjects` maps a name to an
 * async function returning a sample ({ ms, rssMb, … }). Returns { name: sample[] }.
 */
export async function alternate(subjects, runs, { warmup = true } = {}) {
  const names = Object.keys(subjects);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  if (warmup) for (const n of names) await subjects[n]();
  for (let i = 0; i < runs; i++) {
    const order = i % 2 ? [...names].reverse() : names;
    for (const n of order) samples[n].push(await subjects[n]());
  }
  return samples;
}

/** Median, min and max of numbers. */
export function stats(xs) {
  const s = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return undefined;
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1], n: s.length };
}

/** The machine, for the report: CPU, cores, Node, load now. */
export function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  };
}

/** The 1-minute load average, sampled around each scenario: the other work on the machine. */
export const load1 = () => os.loadavg()[0];
