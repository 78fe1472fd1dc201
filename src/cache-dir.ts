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
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';

/** `$XDG_CACHE_HOME/agg`, or `~/.cache/agg`; the XDG spec says a relative XDG_CACHE_HOME is ignored. */
export function cacheDir(env: Readonly<Record<string, string | undefined>>, home: string): string {
  const xdg = env.XDG_CACHE_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.cache'), 'agg');
}

/** Writes `data` to `file` atomically, 0600 in a 0700 folder; throws what the file system says. */
export function writePrivateFile(file: string, data: string | Uint8Array): void {
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(temp, data, { mode: 0o600, flag: 'wx' });
    renameSync(temp, file);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}

/**
 * Reads a file agg wrote with writePrivateFile, refusing (by throwing) one that someone else could
 * have written: not ours, or writable by others, or in such a folder. With XDG_CACHE_HOME on a shared
 * disk, a planted config entry would otherwise send this user's `${VAR}` secrets where it liked.
 */
export function readPrivateFile(file: string): string {
  return readPrivateBytes(file).toString('utf8');
}

/** readPrivateFile's bytes. */
export function readPrivateBytes(file: string): Buffer {
  // POSIX only: Windows has no owner uid here, and its mode bits do not describe its ACLs.
  const me = process.getuid?.();
  for (const at of me === undefined ? [] : [path.dirname(file), file]) {
    const { uid, mode } = statSync(at);
    if (uid !== me || (mode & 0o022) !== 0) throw new Error(`${at} could have been written by another user`);
  }
  return readFileSync(file);
}

/**
 * Opens `file` to append to, created 0600 in a 0700 folder, and returns its descriptor; throws what
 * the file system says, or when the file is not agg's own. An append goes into the file that is
 * there, so unlike a rename it would follow a link planted in a shared XDG_CACHE_HOME into another of
 * this user's files: a symbolic link is refused (O_NOFOLLOW), and so is a hard link (a second name),
 * a file of another owner or one others may write, or a folder others may write.
 */
export function openPrivateAppend(file: string): number {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const me = process.getuid?.();
  if (me !== undefined) {
    const dir = statSync(path.dirname(file));
    if (dir.uid !== me || (dir.mode & 0o022) !== 0)
      throw new Error(`${path.dirname(file)} could have been written by another user`);
  }
  const flags = constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | (constants.O_NOFOLLOW ?? 0);
  const fd = openSync(file, flags, 0o600);
  const { uid, mode, nlink } = fstatSync(fd);
  if (
    me !== undefined &&
    (uid !== me || (mode & 0o022) !== 0 || nlink !== 1 || (mode & constants.S_IFMT) !== constants.S_IFREG)
  ) {
    closeSync(fd);
    throw new Error(`${file} is not agg's own file`);
  }
  return fd;
}
