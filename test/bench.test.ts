import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// CI-safe smoke test of `npm run bench`: the harness runs end to end with a tiny N. No timing is
// asserted, and curl is optional (the harness skips its peer when there is none).
const dir = mkdtempSync(path.join(os.tmpdir(), 'agg-bench-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bench = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['bench/run.js', '--quick', '--runs', '1', '--sizes', '2', '--first-n', '3', ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });

describe('bench harness', () => {
  it('runs every scenario with a tiny N and writes the report, keeping its notes', () => {
    const out = path.join(dir, 'BENCHMARKS.md');
    writeFileSync(
      out,
      'old\n<!-- Notes below this line are kept when `npm run bench` rewrites the file. -->\nmy notes\n',
    );
    const r = bench(['--out', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    for (const row of ['fan-out N=2', 'take-first N=3', 'cold start', 'agg --version', 'mapping: eBay-like']) {
      expect(r.stdout).toContain(row);
    }
    expect(r.stdout).toMatch(/fan-out N=2 × 300 ms\s+agg .*0 failed/);
    // The table subject drew every offer: 2 sources × 20.
    expect(r.stdout).toMatch(/fan-out N=2 × 300 ms\s+agg -f table \(piped\) .*40 rows: -?\d+ ms more than JSON/);
    const report = readFileSync(out, 'utf8');
    expect(report).toContain('| scenario | subject | median |');
    expect(report).toContain(`- **Node:** ${process.version}`);
    expect(report).not.toContain('old\n');
    expect(report.endsWith('my notes\n')).toBe(true);
  }, 60_000);

  it('runs the floor comparison (bench/floor.js) with a tiny N, and refuses a bad count', () => {
    const r = spawnSync(process.execPath, ['bench/floor.js', '--runs', '1', '--size', '2'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    for (const subject of ['| node -e 0 |', '| node:http, parse only |', '| undici, parse only |', '| agg |']) {
      expect(r.stdout).toContain(subject);
    }
    // Every subject fetched every URL: no run failed.
    expect(r.stdout).not.toMatch(/\| [1-9]\d* \|\n/);
    const bad = spawnSync(process.execPath, ['bench/floor.js', '--size', '0'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--size: expected a whole number ≥ 1, got "0"');
  }, 60_000);

  it('skips the curl peer when there is no curl', () => {
    const r = bench(['--only', 'fanout', '--no-write'], { BENCH_CURL: 'none' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('curl: not found (peer skipped)');
    expect(r.stdout).not.toContain('curl -Z');
  }, 60_000);

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['--runs', 'x'], /--runs: expected a whole number ≥ 1, got "x"/],
    [['--sizes', '2,0'], /--sizes: expected a whole number ≥ 1, got "0"/],
    [['--only', 'fan'], /--only: no scenario "fan"/],
  ])('exits 2 with its usage, not a stack trace, on a flag mistake: %j', (args, message) => {
    const r = bench([...args, '--no-write']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('usage: node bench/run.js');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
