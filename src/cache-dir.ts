/**
 * agg's own folder under the user's cache: the latency history, cached OAuth2 tokens and parsed
 * sources files live there. Writes into it are whole-file and private: a temp file in a 0700
 * folder, 0600, renamed into place, so a reader never sees half a file and nobody else reads it.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** `$XDG_CACHE_HOME/agg`, or `~/.cache/agg`; the XDG spec says a relative XDG_CACHE_HOME is ignored. */
export function cacheDir(env: Readonly<Record<string, string | undefined>>, home: string): string {
  const xdg = env.XDG_CACHE_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.cache'), 'agg');
}

/** Writes `text` to `file` atomically, 0600 in a 0700 folder; throws what the file system says. */
export function writePrivateFile(file: string, text: string): void {
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(temp, text, { mode: 0o600, flag: 'wx' });
    renameSync(temp, file);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}
