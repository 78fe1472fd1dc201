/**
 * agg's own folder under the user's cache: the latency history, cached OAuth2 tokens and parsed
 * sources files live there. Writes into it are whole-file and private: a temp file in a 0700
 * folder, 0600, renamed into place, so a reader never sees half a file and nobody else reads it;
 * what agg acts on (tokens, sources files) is read back only from files nobody else could write.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';

/** The name of agg's own folder under the cache (cacheDir): the only existing folder agg changes the mode of. */
const OWN_FOLDER = 'agg';

/**
 * `$XDG_CACHE_HOME/agg`, or `~/.cache/agg`; the XDG spec says a relative XDG_CACHE_HOME is ignored.
 * Undefined when neither is an absolute path (`HOME=` in a cron job or a container): a relative one
 * would scatter cache folders, and their tokens, into whatever folder agg happens to run in.
 */
export function cacheDir(env: Readonly<Record<string, string | undefined>>, home: string): string | undefined {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, OWN_FOLDER);
  return path.isAbsolute(home) ? path.join(home, '.cache', OWN_FOLDER) : undefined;
}

// POSIX only: Windows has no owner uid here, and its mode bits do not describe its ACLs.
const me = (): number | undefined => process.getuid?.();
const OTHERS_WRITE = 0o022;

/**
 * `mkdir -p dir`, each folder made 0700. Not mkdirSync's `recursive`: on Node 20 it loops forever,
 * in a synchronous call no signal can stop, where mkdir answers ENOENT under a folder that exists, as
 * /proc and /sys do (`XDG_CACHE_HOME=/proc` hung every search). Here each level is tried once.
 */
function makeDirs(dir: string): void {
  try {
    makeDir(dir);
  } catch (err) {
    const parent = path.dirname(dir);
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || parent === dir) throw err;
    makeDirs(parent);
    // The parent is there now; whatever this says (ENOENT again, on /proc) is the answer.
    makeDir(dir);
  }
}

/**
 * mkdir, 0700, where one already there is no error: another agg started at the same moment may have made
 * it since this one found it missing (with 120 started at once and no cache folder, about 1 failed with
 * EEXIST). Whether it is a folder agg may use is privateDir's to say.
 */
function makeDir(dir: string): void {
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

/**
 * Root makes no folder inside another user's (`sudo agg …` where sudo keeps HOME, as macOS's does, or
 * `sudo -E`): it made the user's `~/.cache` root's own, 0700, so the user's agg, and every other program
 * of theirs that keeps a cache, could no longer write there. A folder that is there is checked as ever.
 */
function refuseInOthersFolder(dir: string): void {
  for (let at = dir; ; at = path.dirname(at)) {
    let owner: number;
    try {
      owner = statSync(at).uid;
    } catch {
      if (path.dirname(at) === at) return;
      continue;
    }
    if (at !== dir && owner !== 0) throw new Error(`${at} belongs to another user`);
    return;
  }
}

/**
 * Makes `dir` (0700) if it is not there, and makes sure it is this user's: agg's own folder that others
 * may write (an earlier agg made it with the umask's mode: 0775 under umask 002) is tightened to 0700;
 * another user's is refused, and so is any other folder others may write. That one is the library
 * caller's (`historyFile`, `tokenCacheDir`): tightening it made a project folder private, and, run as
 * root, `historyFile: '/tmp/latency.jsonl'` made /tmp 0700 (and dropped its sticky bit) for everyone.
 */
function privateDir(dir: string): void {
  const uid = me();
  if (uid === 0) refuseInOthersFolder(dir);
  makeDirs(dir);
  if (uid === undefined) return;
  const { st, linked } = folderStat(dir, uid);
  if (!st.isDirectory()) throw new Error(`${dir} is not a folder`);
  const { uid: owner, mode } = st;
  if (owner !== uid) throw new Error(`${dir} belongs to another user`);
  if ((mode & OTHERS_WRITE) === 0) return;
  // Never through a link: its target is the user's own choice, and not agg's to make private.
  if (linked || path.basename(dir) !== OWN_FOLDER) throw new Error(`${dir} can be written by other users`);
  tighten(dir, st);
}

/**
 * The folder `dir` as agg may use it. A symbolic link is followed only when it is this user's own (a
 * dotfiles setup's `~/.cache/agg -> /data/cache/agg`, which refusing every link cost its cache): one
 * planted as `…/agg` in a shared XDG_CACHE_HOME is its planter's, and followed, had agg make the folder it
 * points to 0700, and write and read its files there.
 */
function folderStat(dir: string, uid: number): { st: Stats; linked: boolean } {
  const st = lstatSync(dir);
  if (!st.isSymbolicLink()) return { st, linked: false };
  if (st.uid !== uid) throw new Error(`${dir} is a symbolic link of another user's`);
  return { st: statSync(dir), linked: true };
}

/**
 * chmod 0700 of the folder lstat saw, through a descriptor opened without following a link: chmodSync
 * by name follows one, and a link put in the folder's place after the lstat would have its target changed.
 */
function tighten(dir: string, seen: Stats): void {
  const fd = openSync(dir, constants.O_RDONLY | (constants.O_DIRECTORY ?? 0) | (constants.O_NOFOLLOW ?? 0));
  try {
    const st = fstatSync(fd);
    if (st.dev !== seen.dev || st.ino !== seen.ino) throw new Error(`${dir} was replaced while agg used it`);
    fchmodSync(fd, 0o700);
  } finally {
    closeSync(fd);
  }
}

/** Writes `data` to `file` atomically, 0600 in a 0700 folder; throws what the file system says. */
export function writePrivateFile(file: string, data: string | Uint8Array): void {
  // Outside the try: with no folder there is no temp file to remove, and removing one under a file
  // (ENOTDIR) said that instead of what was wrong with the folder.
  privateDir(path.dirname(file));
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(temp, data, { mode: 0o600, flag: 'wx' });
    renameSync(temp, file);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}

/** The temp file writePrivateFile writes `name` through: `name`, a dot, 12 hex digits, `.tmp`. */
const TEMP_FILE = /^(.+)\.[0-9a-f]{12}\.tmp$/;

/**
 * A temp file this old is no write in progress (one takes milliseconds) but one a run left when it was
 * killed between writing and renaming: SIGKILL, the OOM killer, a power cut.
 */
export const STALE_TEMP_MS = 3600_000;

/**
 * Deletes the temp files in `dir` that writePrivateFile left for files named like `entry`, once they are
 * STALE_TEMP_MS old: nothing else would ever remove them, and a code cache's is a megabyte. Only this
 * user's plain files (never a link), only names agg gives; anything else, or gone, is left as it is.
 */
export function removeStaleTemps(dir: string, entry: RegExp, now = Date.now()): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  const uid = me();
  for (const name of names) {
    const written = TEMP_FILE.exec(name)?.[1];
    if (written === undefined || !entry.test(written)) continue;
    const file = path.join(dir, name);
    try {
      const st = lstatSync(file);
      if (!st.isFile() || (uid !== undefined && st.uid !== uid) || now - st.mtimeMs < STALE_TEMP_MS) continue;
      unlinkSync(file);
    } catch {
      // Removed already (another agg sweeping too), or not this user's to remove.
    }
  }
}

/**
 * Opens one of agg's own files: never through a symbolic link (O_NOFOLLOW), never blocking on a FIFO
 * (O_NONBLOCK), and only a regular file of this user's, with one name (or none), that others may not write, in a
 * folder others may not write. With XDG_CACHE_HOME on a shared disk, a planted file would otherwise be
 * read as agg's (a config entry sending `${VAR}` secrets where it liked) or written through (a link to
 * another of this user's files). Throws, and closes, on anything else.
 */
function openOwn(file: string, flags: number, mode?: number): number {
  const uid = me();
  if (uid !== undefined) {
    const { st: dir } = folderStat(path.dirname(file), uid);
    if (dir.uid !== uid || (dir.mode & OTHERS_WRITE) !== 0)
      throw new Error(`${path.dirname(file)} could have been written by another user`);
  }
  const fd = openSync(file, flags | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0), mode);
  const st = fstatSync(fd);
  // No name at all (nlink 0) is what another agg's rename over the file between the open and this
  // fstat leaves: the file is the one that was there, whole, and a file with no name is no link to
  // another. Refused, such a run read an empty latency history and compacted it over the log.
  const own = uid === undefined || (st.uid === uid && (st.mode & OTHERS_WRITE) === 0 && st.nlink <= 1);
  if (!st.isFile() || !own) {
    closeSync(fd);
    throw new Error(`${file} could have been written by another user`);
  }
  return fd;
}

/**
 * Reads a file agg wrote with writePrivateFile, refusing (by throwing) one that someone else could
 * have written, or that is no plain file of its own (openOwn).
 */
export function readPrivateFile(file: string): string {
  return readPrivateBytes(file).toString('utf8');
}

/** readPrivateFile's bytes. */
export function readPrivateBytes(file: string): Buffer {
  const fd = openOwn(file, constants.O_RDONLY);
  try {
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * The last `maxBytes` of a file agg wrote (all of it when smaller), with the same checks as
 * readPrivateBytes; `whole` says whether that is the whole file.
 */
export function readPrivateTail(file: string, maxBytes: number): { bytes: Buffer; whole: boolean } {
  const fd = openOwn(file, constants.O_RDONLY);
  try {
    const { size } = fstatSync(fd);
    const length = Math.min(size, maxBytes);
    const bytes = Buffer.alloc(length);
    let read = 0;
    while (read < length) {
      const n = readSync(fd, bytes, read, length - read, size - length + read);
      if (n === 0) break;
      read += n;
    }
    return { bytes: bytes.subarray(0, read), whole: length === size };
  } finally {
    closeSync(fd);
  }
}

/**
 * Opens `file` to append to, created 0600 in a 0700 folder, and returns its descriptor; throws what
 * the file system says, or when the file is not agg's own (openOwn). An append goes into the file that
 * is there, so unlike a rename it would follow a link planted in its place.
 */
export function openPrivateAppend(file: string): number {
  privateDir(path.dirname(file));
  return openOwn(file, constants.O_RDWR | constants.O_APPEND | constants.O_CREAT, 0o600);
}
