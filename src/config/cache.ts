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
import type jsonata from 'jsonata';
import { fieldReader } from '../map/index.js';
import { readPrivateFile, removeStaleTemps, writePrivateFile } from '../shared/cache-dir.js';
import type { KnownTrees } from '../shared/expression.js';
import type { ParamPositions } from './assemble.js';
import { storable } from './tree.js';

/** Where parsed files are kept, and what else keys them (agg's version: a new agg may read YAML differently). */
export interface ConfigCache {
  dir: string;
  version: string;
  /**
   * The running build (a hash of the command line's bundle, start-whole.ts), when known. Only then is a
   * file's validated data kept too: validation is agg's code, which a build without a new version
   * (a git checkout) can change.
   */
  build?: string | undefined;
}

/** Entries kept: more sources files than one person switches between; the oldest go first. */
export const MAX_ENTRIES = 16;
// Part of every key: bump it when what an entry holds changes (tree.ts, or the parse options in load.ts),
// or when load.ts finds a problem in the YAML document that its tree cannot show (3: collection-keys.ts),
// or takes more from it than the tree (4: where each declared param is written, `positions`).
const FORMAT = 4;
const PREFIX = 'config-';

const fileFor = (cache: ConfigCache, text: string): string => {
  const key = createHash('sha256').update(`${FORMAT}\n${cache.version}\n`).update(text).digest('hex');
  return path.join(cache.dir, `${PREFIX}${key.slice(0, 32)}.json`);
};

/**
 * A cached file: its tree, whether any `${VAR}` reference in it waits to be filled, and the parse
 * trees of its fast-path expressions (shared/expression.ts, knowTrees). `data` is the tree as validation
 * left it (durations in ms, say), kept only for a file without references, by the build reading it:
 * the same text always validates the same there, so validation (zod, about 7 ms at 200 sources and
 * 20 at 1,000) need not run again.
 */
export interface CachedTree {
  tree: unknown;
  references: boolean;
  trees: KnownTrees;
  data?: unknown;
  /** Where each declared param is written (`params:`), which a message about its value names. */
  positions: ParamPositions;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const isPosition = (v: unknown): boolean => isRecord(v) && Number.isSafeInteger(v.line) && Number.isSafeInteger(v.col);

/** The cached tree for this text, or undefined (none, unreadable, or a file another user could have written). */
export function readCachedTree(cache: ConfigCache, text: string): CachedTree | undefined {
  try {
    const entry = JSON.parse(readPrivateFile(fileFor(cache, text))) as {
      format?: unknown;
      tree?: unknown;
      references?: unknown;
      trees?: unknown;
      build?: unknown;
      data?: unknown;
      positions?: unknown;
    };
    if (entry?.format !== FORMAT) return undefined;
    // An entry that does not say `references: false` is walked for them, as every entry once was.
    const references = entry.references !== false;
    const trees = isRecord(entry.trees) && Object.values(entry.trees).every(isRecord) ? entry.trees : {};
    const validated = !references && cache.build !== undefined && entry.build === cache.build && isRecord(entry.data);
    const positions =
      isRecord(entry.positions) && Object.values(entry.positions).every(isPosition) ? entry.positions : {};
    return {
      tree: entry.tree,
      references,
      trees: trees as KnownTrees,
      positions: positions as ParamPositions,
      ...(validated ? { data: entry.data } : {}),
    };
  } catch {
    return undefined;
  }
}

/**
 * The parse trees worth keeping of a file's expressions: those on the fast path (the only ones read
 * from their trees alone) that survive JSON. The caller passes only expressions written in the file
 * (load.ts, cacheable.ts), never one an environment value reached.
 */
export function fastTrees(expressions: ReadonlyMap<string, jsonata.Expression>): KnownTrees {
  const out: Record<string, jsonata.ExprNode> = {};
  for (const [text, expr] of expressions) {
    if (!fieldReader(expr)) continue;
    // JSON keeps what a fast-path tree holds (names, safe integers); a tree it would change is not kept.
    const copy = JSON.parse(JSON.stringify(expr.ast())) as jsonata.ExprNode;
    if (fieldReader({ ast: () => copy } as jsonata.Expression)) out[text] = copy;
  }
  return out;
}

/**
 * Keeps `tree` for this text, when it survives JSON; then drops the oldest entries past MAX_ENTRIES.
 * `data`, the tree as validated, is kept beside it for a file without references, by a known build,
 * when it too survives JSON (an optional field left `undefined` would not).
 */
export function writeCachedTree(
  cache: ConfigCache,
  text: string,
  tree: unknown,
  references?: ReadonlySet<object>,
  trees: KnownTrees = {},
  data?: unknown,
  positions: ParamPositions = {},
): void {
  try {
    if (!storable(tree, references)) return;
    const referenced = (references?.size ?? 0) > 0;
    const validated =
      !referenced && cache.build !== undefined && data !== undefined && storable(data)
        ? { build: cache.build, data }
        : {};
    const entry = { format: FORMAT, references: referenced, trees, tree, positions, ...validated };
    writePrivateFile(fileFor(cache, text), JSON.stringify(entry));
    prune(cache.dir);
  } catch {
    // A read-only cache, a full disk, a tree nested past the stack: the next run parses the YAML again.
  }
}

/**
 * The names fileFor gives, and only those: a library caller's `cache.dir` may be a folder of its own,
 * whose `config-prod.json` the oldest-first pruning deleted as one of agg's entries.
 */
const ENTRY_NAME = new RegExp(`^${PREFIX}[0-9a-f]{32}\\.json$`);

function prune(dir: string): void {
  removeStaleTemps(dir, ENTRY_NAME);
  const entries = readdirSync(dir)
    .filter((name) => ENTRY_NAME.test(name))
    .map((name) => ({ file: path.join(dir, name), mtime: statSync(path.join(dir, name)).mtimeMs }));
  if (entries.length <= MAX_ENTRIES) return;
  entries.sort((a, b) => b.mtime - a.mtime);
  for (const { file } of entries.slice(MAX_ENTRIES)) rmSync(file, { force: true });
}
