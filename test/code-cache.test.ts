/**
 * The code cache of the command line (src/code-cache.ts, src/start-whole.ts): a run uses the bytecode an
 * earlier run compiled, never one that another script, another build or another user wrote, and a
 * cache it cannot read or write costs only the compile.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CODE_ENTRIES } from '../src/code-cache.js';
import { runBin } from './helpers/bin.js';
import { source, writeConfig } from './helpers/config.js';
import { json, startServer, type TestServer } from './helpers/server.js';
import { plantTemp, TWO_HOURS } from './helpers/temp-file.js';

const temp = (prefix: string): string => mkdtempSync(path.join(os.tmpdir(), prefix));
const entries = (dir: string): string[] => readdirSync(dir).filter((f) => /^code-.*\.bin$/.test(f));

const CODE_CACHE = fileURLToPath(new URL('../dist/code-cache.js', import.meta.url));

/**
 * runCachedScript (as built) in a process of its own: within one process V8 keeps what it compiled
 * in memory and never looks at the cache, which would make every run after the first a `hit`.
 */
function runCachedScript(
  file: string,
  dir: string | undefined,
  {
    save = true,
    env = process.env,
    flags = [],
  }: { save?: boolean; env?: NodeJS.ProcessEnv; flags?: readonly string[] } = {},
): { status: string; value: string } {
  const program = `
    import { runCachedScript } from ${JSON.stringify(CODE_CACHE)};
    const run = runCachedScript(${JSON.stringify(file)}, ${JSON.stringify(dir)});
    if (${save}) run.save();
    console.log(JSON.stringify({ status: run.status, value: run.exports.value, answer: run.exports.answer() }));`;
  return JSON.parse(
    execFileSync(process.execPath, [...flags, '--input-type=module', '-e', program], { encoding: 'utf8', env }),
  );
}

/** A CommonJS script that exports `value`, in a folder of its own, and a cache folder for it. */
function script(value: string): { file: string; dir: string } {
  const file = path.join(temp('agg-script-'), 'script.cjs');
  writeFileSync(file, `module.exports = { value: ${JSON.stringify(value)}, answer: () => 42 };\n`);
  return { file, dir: path.join(temp('agg-code-'), 'agg') };
}

describe('runCachedScript', () => {
  it('compiles on a miss, writes a private entry, and uses it next time', () => {
    const { file, dir } = script('one');
    expect(runCachedScript(file, dir)).toEqual({ status: 'miss', value: 'one', answer: 42 });
    const [entry] = entries(dir);
    expect(entry).toMatch(/^code-[0-9a-f]{32}\.bin$/);
    expect(statSync(path.join(dir, entry ?? '')).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);

    const written = statSync(path.join(dir, entry ?? '')).mtimeMs;
    // A hit is left as it is by save().
    expect(runCachedScript(file, dir)).toEqual({ status: 'hit', value: 'one', answer: 42 });
    expect(statSync(path.join(dir, entry ?? '')).mtimeMs).toBe(written);
  });

  it('never runs the bytecode of an earlier text, even one of the same length', () => {
    const { file, dir } = script('one');
    runCachedScript(file, dir);
    // Same length: V8's own check (the source's length) would take the old entry and run `one`.
    writeFileSync(file, `module.exports = { value: ${JSON.stringify('two')}, answer: () => 42 };\n`);
    expect(runCachedScript(file, dir)).toMatchObject({ status: 'miss', value: 'two' });
    expect(runCachedScript(file, dir)).toMatchObject({ status: 'hit', value: 'two' });
  });

  it('removes the temp file of an entry that a killed run left, when it next writes one', () => {
    const { file, dir } = script('one');
    runCachedScript(file, dir);
    const stale = plantTemp(path.join(dir, entries(dir)[0] ?? ''), TWO_HOURS);
    const fresh = plantTemp(path.join(dir, entries(dir)[0] ?? ''), 0, 'ba9876543210');
    writeFileSync(file, `module.exports = { value: ${JSON.stringify('two')}, answer: () => 42 };\n`);
    expect(runCachedScript(file, dir)).toMatchObject({ status: 'miss', value: 'two' });
    expect(readdirSync(dir)).toContain(path.basename(fresh));
    expect(readdirSync(dir)).not.toContain(path.basename(stale));
  });

  it('keeps the entries of the last MAX_CODE_ENTRIES scripts written', () => {
    const dir = path.join(temp('agg-code-'), 'agg');
    const files = ['a', 'b', 'c', 'd', 'e', 'f'].map((value) => {
      const { file } = script(value);
      runCachedScript(file, dir);
      return file;
    });
    expect(entries(dir)).toHaveLength(MAX_CODE_ENTRIES);
    for (const file of files.slice(-MAX_CODE_ENTRIES)) expect(runCachedScript(file, dir).status).toBe('hit');
    expect(runCachedScript(files[0] ?? '', dir, { save: false }).status).toBe('miss');
  });

  it('keeps an entry per Node and V8 flags, so that runs under each do not reject one another’s', () => {
    const { file, dir } = script('one');
    // V8 rejects an entry written under other flags: named by the script alone, each run wrote its own over it.
    const flagged = { ...process.env, NODE_OPTIONS: '--max-old-space-size=300' };
    expect(runCachedScript(file, dir).status).toBe('miss');
    expect(runCachedScript(file, dir, { env: flagged }).status).toBe('miss');
    expect(runCachedScript(file, dir).status).toBe('hit');
    expect(runCachedScript(file, dir, { env: flagged }).status).toBe('hit');
    expect(entries(dir)).toHaveLength(2);
  });

  // What V8 checks an entry against is its version and its flags, however given: `node --max-old-space-size=300
  // bin/agg.js` (or another build of the same Node version) rejected the entry of a plain run, and the two
  // wrote theirs over each other's at every run.
  it('keeps an entry per V8 version and flags, given on node’s command line too', () => {
    const { file, dir } = script('one');
    const flags = ['--max-old-space-size=300'];
    expect(runCachedScript(file, dir).status).toBe('miss');
    expect(runCachedScript(file, dir, { flags }).status).toBe('miss');
    expect(runCachedScript(file, dir).status).toBe('hit');
    expect(runCachedScript(file, dir, { flags }).status).toBe('hit');
    expect(entries(dir)).toHaveLength(2);
  });

  it('treats a corrupt entry as rejected and rewrites it', () => {
    const { file, dir } = script('one');
    runCachedScript(file, dir);
    const entry = path.join(dir, entries(dir)[0] ?? '');
    writeFileSync(entry, Buffer.from('not bytecode at all'), { mode: 0o600 });
    expect(runCachedScript(file, dir)).toMatchObject({ status: 'rejected', value: 'one' });
    expect(runCachedScript(file, dir).status).toBe('hit');
  });

  it('ignores an entry that another user could have written: bytecode is code', () => {
    if (process.getuid === undefined) return; // POSIX only, as readPrivateBytes
    const { file, dir } = script('one');
    runCachedScript(file, dir);
    const entry = path.join(dir, entries(dir)[0] ?? '');
    chmodSync(entry, 0o666);
    expect(runCachedScript(file, dir, { save: false }).status).toBe('miss');
    chmodSync(entry, 0o600);
    chmodSync(dir, 0o777);
    expect(runCachedScript(file, dir, { save: false }).status).toBe('miss');
    chmodSync(dir, 0o700);
    expect(runCachedScript(file, dir, { save: false }).status).toBe('hit');
  });

  it('runs without a cache folder, or with one it cannot write', () => {
    const { file } = script('one');
    expect(runCachedScript(file, undefined)).toMatchObject({ status: 'off', value: 'one' });
    // The folder's place is taken by a file: saving fails quietly, and the run still worked.
    const blocked = path.join(temp('agg-blocked-'), 'agg');
    writeFileSync(blocked, 'not a folder');
    expect(runCachedScript(file, blocked)).toMatchObject({ status: 'miss', value: 'one' });
  });
});

describe('the command line’s code cache', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer((_req, res) => json(res, { items: [{ title: 'Sony', price: 10, currency: 'USD' }] }));
  });
  afterAll(() => server.close());

  it('is written after the first search, not after --version, and then used as it is', async () => {
    const XDG_CACHE_HOME = temp('agg-xdg-code-');
    const dir = path.join(XDG_CACHE_HOME, 'agg');
    const version = await runBin(['--version'], { XDG_CACHE_HOME });
    expect(version.code).toBe(0);
    expect(readdirSync(XDG_CACHE_HOME)).toEqual([]);

    const file = writeConfig([source('shop', `${server.url}/s?q={{query}}`)]);
    const first = await runBin(['search', 'sony', '-c', file, '--json'], { XDG_CACHE_HOME });
    expect(first.code).toBe(0);
    const [entry] = entries(dir);
    expect(entry).toBeDefined();
    const written = statSync(path.join(dir, entry ?? ''));
    // The config cache keeps the file's validated data for this build, named by the same hash.
    const [config] = readdirSync(dir).filter((f) => f.startsWith('config-'));
    const build = JSON.parse(readFileSync(path.join(dir, config ?? ''), 'utf8')).build;
    const bundle = readFileSync(fileURLToPath(new URL('../dist/cli.cjs', import.meta.url)));
    expect(build).toBe(createHash('sha256').update(bundle).digest('hex').slice(0, 32));

    const second = await runBin(['search', 'sony', '-c', file, '--json'], { XDG_CACHE_HOME });
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout).offers).toEqual(JSON.parse(first.stdout).offers);
    // Not rewritten: V8 took the entry (a rejected one is written again).
    const after = statSync(path.join(dir, entry ?? ''));
    expect([after.ino, after.mtimeMs]).toEqual([written.ino, written.mtimeMs]);
  });

  it('a corrupt entry costs the compile, not the run', async () => {
    const XDG_CACHE_HOME = temp('agg-xdg-code-');
    const file = writeConfig([source('shop', `${server.url}/s?q={{query}}`)]);
    expect((await runBin(['search', 'sony', '-c', file], { XDG_CACHE_HOME })).code).toBe(0);
    const dir = path.join(XDG_CACHE_HOME, 'agg');
    const entry = path.join(dir, entries(dir)[0] ?? '');
    writeFileSync(entry, Buffer.alloc(4096, 7), { mode: 0o600 });
    const run = await runBin(['search', 'sony', '-c', file, '--json'], { XDG_CACHE_HOME });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).offers).toHaveLength(1);
    expect(statSync(entry).size).toBeGreaterThan(4096); // written again, whole
  });

  it('an entry of the right length whose bytes went bad is rejected, not run', async () => {
    const XDG_CACHE_HOME = temp('agg-xdg-code-');
    const file = writeConfig([source('shop', `${server.url}/s?q={{query}}`)]);
    expect((await runBin(['search', 'sony', '-c', file], { XDG_CACHE_HOME })).code).toBe(0);
    const dir = path.join(XDG_CACHE_HOME, 'agg');
    const entry = path.join(dir, entries(dir)[0] ?? '');
    // What a power cut can leave of a file written just before: its length, with its last page zeros.
    // V8 took it (its header is whole) and died in "Fatal error: unreachable code", at every command.
    const bytes = readFileSync(entry);
    bytes.fill(0, bytes.length - 4096);
    writeFileSync(entry, bytes, { mode: 0o600 });
    const version = await runBin(['--version'], { XDG_CACHE_HOME });
    expect(version).toMatchObject({ code: 0, stderr: '' });
    const run = await runBin(['search', 'sony', '-c', file, '--json'], { XDG_CACHE_HOME });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).offers).toHaveLength(1);
    expect(readFileSync(entry).equals(bytes)).toBe(false); // written again
  });
});
