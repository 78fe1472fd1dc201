/**
 * Runs a CommonJS script with V8's code cache, so that a run deserializes the bytecode an earlier
 * run compiled instead of compiling it again: the start-up of the command line (src/start-whole.ts).
 * Node 22.1 does this for ES modules itself (module.enableCompileCache); Node 20 offers it only
 * for vm.Script, which is why the command line is bundled as one script (scripts/bundle-cli.js).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { readPrivateBytes, removeStaleTemps, writePrivateFile } from './shared/cache-dir.js';

/** How the code cache served a run: `hit` (used), `miss` (none, or not ours), `rejected` (V8 refused it: another Node, or corrupt), `off`. */
type CodeCacheStatus = 'hit' | 'miss' | 'rejected' | 'off';

interface CachedScript<T> {
  readonly exports: T;
  readonly status: CodeCacheStatus;
  /** A hash of the script's text: which build is running (undefined without a cache folder). */
  readonly build: string | undefined;
  /** Writes what was compiled so far, unless the cache was used as it was; an unwritable folder is not an error. */
  save(): void;
}

const ENTRY = /^code-[0-9a-f]{32}\.bin$/;
/**
 * Entries kept, the most recently written: more than one, so that two installs of agg used in turn (a
 * global one and a project's) do not evict each other's at every run; an upgrade's old entry goes in time.
 */
export const MAX_CODE_ENTRIES = 4;

/**
 * An entry's name: the build, and what else V8 checks an entry against, its version and its flags:
 * v8.cachedDataVersionTag() is V8's own hash of both, taken once the flags are set (call it after
 * setFlagsFromString). Named by the build alone, runs of one agg under two Nodes, or with and without
 * `NODE_OPTIONS=--max-old-space-size=…` (a shell's and cron's), rejected each other's entry and wrote
 * their own over it at every run: a compile and a 1 MB write each time. Named by Node's version and
 * NODE_OPTIONS, two builds of one Node version (another V8 patch, pointer compression) or a flag on
 * `node`'s own command line still did.
 */
function runtimeKey(build: string): string {
  const runtime = [process.version, process.arch, process.env.NODE_OPTIONS ?? '', v8.cachedDataVersionTag()].join('\n');
  return createHash('sha256').update(`${build}\n${runtime}`).digest('hex').slice(0, 32);
}

function pruneEntries(dir: string): void {
  removeStaleTemps(dir, ENTRY);
  const entries = readdirSync(dir)
    .filter((name) => ENTRY.test(name))
    .map((name) => ({ file: path.join(dir, name), at: statSync(path.join(dir, name)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const { file } of entries.slice(MAX_CODE_ENTRIES)) rmSync(file, { force: true });
}

/**
 * Runs `file` (CommonJS) with the code cache kept in `dir`, or without one when `dir` is undefined.
 * A cache entry is read only through readPrivateBytes: bytecode is code, and one that another user
 * could have planted must never run.
 */
export function runCachedScript<T>(file: string, dir: string | undefined): CachedScript<T> {
  const bytes = readFileSync(file);
  // scripts/bundle-cli.js makes sure the bundle is ASCII, for which latin1 is the fastest decoding.
  const source = bytes.toString('latin1');
  // V8 checks an entry against its own version and flags but the source's length only: the name
  // carries a hash of the whole text, so a rebuilt or edited script never runs another's bytecode.
  const build = dir && createHash('sha256').update(bytes).digest('hex').slice(0, 32);
  // V8 checks an entry's header (version, flags, lengths) but, in a release build, not its payload:
  // an entry of the right length with bytes gone bad (a page left zeros by a power cut) ended every
  // command, `--version` included, in "Fatal error: unreachable code" until the cache was deleted.
  // With this flag V8 checks the checksum it writes into every entry, and rejects such an entry.
  // Set before the entry is named: the name holds the flags V8 compiles under.
  if (build) v8.setFlagsFromString('--verify-snapshot-checksum');
  const entry = dir && build ? path.join(dir, `code-${runtimeKey(build)}.bin`) : undefined;
  let cachedData: Buffer | undefined;
  try {
    if (entry) cachedData = readPrivateBytes(entry);
  } catch {
    // None yet, or not ours: compile from the source.
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  const status: CodeCacheStatus = !entry
    ? 'off'
    : !cachedData
      ? 'miss'
      : script.cachedDataRejected
        ? 'rejected'
        : 'hit';
  const module = { exports: {} };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  return {
    exports: module.exports as T,
    status,
    build: build || undefined,
    save() {
      if (!dir || !entry || status === 'hit') return;
      try {
        writePrivateFile(entry, script.createCachedData());
        pruneEntries(dir);
      } catch {
        // The next run compiles again; nothing else is lost.
      }
    },
  };
}
