/**
 * agg's cache folder (src/shared/cache-dir.ts): made where it is missing, private at every level it makes,
 * and a folder that cannot be made costs the cache, never the search.
 */
import {
  chmodSync,
  chownSync,
  existsSync,
  lchownSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPrivateFile, removeStaleTemps, STALE_TEMP_MS, writePrivateFile } from '../src/shared/cache-dir.js';
import { runBin } from './helpers/bin.js';
import { source, writeConfig } from './helpers/config.js';
import { json, startServer, type TestServer } from './helpers/server.js';
import { plantTemp, TWO_HOURS } from './helpers/temp-file.js';

describe('the cache folder', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer((_req, res) => json(res, { items: [{ title: 'A', price: 5, currency: 'USD' }] }));
  });
  afterAll(() => server.close());

  it("removes the temp files a killed run left, an hour old, of agg's own names only", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'agg-temps-'));
    const entry = /^entry-[0-9a-f]{4}\.json$/;
    const stale = plantTemp(path.join(dir, 'entry-abcd.json'), TWO_HOURS);
    const fresh = plantTemp(path.join(dir, 'entry-abcd.json'), 60_000, 'ba9876543210');
    const justUnder = plantTemp(path.join(dir, 'entry-0000.json'), STALE_TEMP_MS - 60_000);
    // Another program's temp files, and names agg never gives, in a folder a caller chose.
    const others = [
      plantTemp(path.join(dir, 'notes.txt'), TWO_HOURS),
      plantTemp(path.join(dir, 'entry-abcd.json.bak'), TWO_HOURS),
      plantTemp(path.join(dir, 'entry-abcd.json'), TWO_HOURS, 'not-hex-12ch'),
    ];
    // A link is no file of agg's, whatever it is named and however old.
    const link = path.join(dir, 'entry-beef.json.0123456789ab.tmp');
    symlinkSync(stale, link);
    removeStaleTemps(dir, entry);
    const left = readdirSync(dir).map((name) => path.join(dir, name));
    expect(left.sort()).toEqual([fresh, justUnder, ...others, link].sort());
    // A folder that is not there is nothing to do.
    expect(() => removeStaleTemps(path.join(dir, 'missing'), entry)).not.toThrow();
  });

  // Only root can make a file another user's here (chown), as a shared cache folder would hold one.
  it.runIf(process.getuid?.() === 0)("leaves another user's temp file alone, however old", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'agg-temps-'));
    const theirs = plantTemp(path.join(dir, 'entry-abcd.json'), TWO_HOURS);
    chownSync(theirs, 4242, 4242);
    removeStaleTemps(dir, /^entry-abcd\.json$/);
    expect(readdirSync(dir)).toEqual([path.basename(theirs)]);
  });

  it('is made with every missing folder above it, each 0700', () => {
    const base = mkdtempSync(path.join(os.tmpdir(), 'agg-dirs-'));
    const file = path.join(base, 'a', 'b', 'agg', 'entry.json');
    writePrivateFile(file, '{}');
    expect(readFileSync(file, 'utf8')).toBe('{}');
    for (const dir of ['a', 'a/b', 'a/b/agg']) expect(statSync(path.join(base, dir)).mode & 0o777).toBe(0o700);
  });

  // Planted in a shared XDG_CACHE_HOME, `agg` -> a folder of the user's: agg made that folder 0700 (chmod
  // follows a link), and wrote and read its files there. A planted link is its planter's (lchown stands in
  // for another user making it), so only root can build one here.
  it.runIf(process.getuid?.() === 0)(
    "is never another user's symbolic link: agg neither changes its target nor uses it",
    () => {
      for (const mode of [0o775, 0o700]) {
        const { target, dir } = linkedCache(mode);
        lchownSync(dir, 4242, 4242);
        expect(() => writePrivateFile(path.join(dir, 'new.json'), '{}')).toThrow(
          /agg is a symbolic link of another user's$/,
        );
        expect(() => readPrivateFile(path.join(dir, 'entry.json'))).toThrow(
          /agg is a symbolic link of another user's$/,
        );
        expect(statSync(target).mode & 0o7777).toBe(mode);
        expect(readdirSync(target)).toEqual(['entry.json']);
      }
    },
  );

  // `~/.cache/agg -> /data/cache/agg`, made by the user: refusing every link lost them the cache.
  it.runIf(process.getuid !== undefined)(
    "is the user's own symbolic link when its target is a private folder of theirs",
    () => {
      const { target, dir } = linkedCache(0o700);
      writePrivateFile(path.join(dir, 'new.json'), '{"mine":1}');
      expect(readPrivateFile(path.join(dir, 'new.json'))).toBe('{"mine":1}');
      expect(readPrivateFile(path.join(dir, 'entry.json'))).toBe('{"theirs":1}');
      expect(readdirSync(target).sort()).toEqual(['entry.json', 'new.json']);
    },
  );

  // Its target is the user's choice, not agg's own folder: never made private through the link.
  it.runIf(process.getuid !== undefined)(
    "is not the user's own link to a folder others may write, left as it is",
    () => {
      const { target, dir } = linkedCache(0o777);
      expect(() => writePrivateFile(path.join(dir, 'new.json'), '{}')).toThrow(/agg can be written by other users$/);
      expect(() => readPrivateFile(path.join(dir, 'entry.json'))).toThrow(/could have been written by another user$/);
      expect(statSync(target).mode & 0o7777).toBe(0o777);
      expect(readdirSync(target)).toEqual(['entry.json']);
    },
  );

  // mkdirSync({ recursive: true }) loops forever there on Node 20: every search hung, and no signal stopped it.
  it.runIf(existsSync('/proc/self'))(
    'under a folder where nothing can be made (/proc), a search still ends',
    async () => {
      const file = writeConfig([source('shop', `${server.url}/s`)]);
      const out = await runBin(['search', 'x', '-c', file, '--json', '--hedge', 'auto'], { XDG_CACHE_HOME: '/proc' });
      expect(out.code).toBe(0);
      expect(JSON.parse(out.stdout).offers).toHaveLength(1);
      // hedge: auto relies on the history, so its loss is said; the search is not.
      expect(out.stderr).toContain('cannot save latency history to /proc/agg/latency.jsonl');
    },
    15_000,
  );

  // `sudo agg …` with the user's HOME (macOS's sudo keeps it): root made their ~/.cache its own, 0700,
  // and from then on the user's agg, and their other programs, could write no cache there.
  it.runIf(process.getuid?.() === 0)(
    'as root, makes no folder inside another user’s, and the search goes on',
    async () => {
      const home = mkdtempSync(path.join(os.tmpdir(), 'agg-home-'));
      chownSync(home, 65534, 65534);
      const file = writeConfig([source('shop', `${server.url}/s`)]);
      const out = await runBin(['search', 'x', '-c', file, '--json'], { XDG_CACHE_HOME: path.join(home, '.cache') });
      expect(out.code).toBe(0);
      expect(JSON.parse(out.stdout).offers).toHaveLength(1);
      expect(readdirSync(home)).toEqual([]);
      // root's own folders are made as ever.
      const own = path.join(mkdtempSync(path.join(os.tmpdir(), 'agg-root-')), 'a', 'agg', 'entry.json');
      writePrivateFile(own, '{}');
      expect(readFileSync(own, 'utf8')).toBe('{}');
    },
  );
});

/** `…/cache/agg` as a symbolic link to a folder `project` of mode `mode` holding one entry. */
function linkedCache(mode: number): { target: string; dir: string } {
  const base = mkdtempSync(path.join(os.tmpdir(), 'agg-link-'));
  const target = path.join(base, 'project');
  mkdirSync(target);
  chmodSync(target, mode);
  writeFileSync(path.join(target, 'entry.json'), '{"theirs":1}', { mode: 0o600 });
  const dir = path.join(base, 'cache', 'agg');
  mkdirSync(path.dirname(dir));
  symlinkSync(target, dir);
  return { target, dir };
}
