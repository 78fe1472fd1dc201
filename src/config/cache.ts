/**
 * Parsed sources files, kept between runs: the YAML parser is the largest cost before the first
 * request leaves (about 130 ms for 200 sources, 280 ms for 1,000, on a cold process), and the same
 * file is read again and again, by hand or by cron. An entry is keyed by a hash of the file's text
 * and agg's version, and holds its data with `${VAR}` references unresolved (see tree.ts), so it
 * never goes stale and never holds a secret. Validation and compiling still run on every load.
 * Every failure here is a cache miss: the YAML is read as if there were no cache.
 */
import { createHash } from 'node:crypto';
import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { readPrivateFile, writePrivateFile } from '../cache-dir.js';
import { storable } from './tree.js';

/** Where parsed files are kept, and what else keys them (agg's version: a new agg may read YAML differently). */
export interface ConfigCache {
  dir: string;
  version: string;
}

/** Entries kept: more sources files than one person switches between; the oldest go first. */
export const MAX_ENTRIES = 16;
// Part of every key: bump it when what a tree holds changes (tree.ts, or the parse options in load.ts).
const FORMAT = 1;
const PREFIX = 'config-';

const fileFor = (cache: ConfigCache, text: string): string => {
  const key = createHash('sha256').update(`${FORMAT}\n${cache.version}\n`).update(text).digest('hex');
  return path.join(cache.dir, `${PREFIX}${key.slice(0, 32)}.json`);
};

/** The cached tree for this text, or undefined (none, unreadable, or a file another user could have written). */
export function readCachedTree(cache: ConfigCache, text: string): unknown {
  try {
    const entry = JSON.parse(readPrivateFile(fileFor(cache, text))) as { format?: unknown; tree?: unknown };
    return entry?.format === FORMAT ? entry.tree : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps `tree` for this text, when it survives JSON; then drops the oldest entries past MAX_ENTRIES. */
export function writeCachedTree(
  cache: ConfigCache,
  text: string,
  tree: unknown,
  references?: ReadonlySet<object>,
): void {
  try {
    if (!storable(tree, references)) return;
    writePrivateFile(fileFor(cache, text), JSON.stringify({ format: FORMAT, tree }));
    prune(cache.dir);
  } catch {
    // A read-only cache, a full disk, a tree nested past the stack: the next run parses the YAML again.
  }
}

function prune(dir: string): void {
  const entries = readdirSync(dir)
    .filter((name) => name.startsWith(PREFIX) && name.endsWith('.json'))
    .map((name) => ({ file: path.join(dir, name), mtime: statSync(path.join(dir, name)).mtimeMs }));
  if (entries.length <= MAX_ENTRIES) return;
  entries.sort((a, b) => b.mtime - a.mtime);
  for (const { file } of entries.slice(MAX_ENTRIES)) rmSync(file, { force: true });
}
