/**
 * One temporary folder per `npm test` run, removed when the run ends: every test's temporary files
 * (sources files, XDG caches with their 1 MB code caches, fixtures) go there through TMPDIR, which
 * os.tmpdir() reads in the test workers and in the agg processes they start.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function setup(): () => void {
  const root = mkdtempSync(path.join(os.tmpdir(), 'agg-test-run-'));
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
