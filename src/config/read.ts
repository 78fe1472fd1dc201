/**
 * Reading the sources file itself, bounded, for both loaders: the YAML one (load.ts) and the cached
 * one (cached.ts). Problems are ConfigErrors that name the file as the user wrote it.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';

/**
 * A sources file past this is a mistake (a wrong `-c`, a log file). Real ones are a few kilobytes; a
 * thousand generated sources (bench/) are about 350 KB, and this allows ten times that, while parsing
 * tens of megabytes of YAML would take seconds before saying so.
 */
export const MAX_CONFIG_CHARS = 4 * 1024 * 1024;

export const TOO_BIG = `is larger than ${MAX_CONFIG_CHARS / 1024 / 1024} MiB, the most a sources file may be`;

/** The text of the sources file at `file`, read relative to `cwd`; a ConfigError when it cannot be. */
export function readSourcesFile(file: string, cwd: string): string {
  let bytes: Buffer;
  try {
    // Read relative to the caller's working directory, but name the file as the user did.
    bytes = readBounded(path.resolve(cwd, file), MAX_CONFIG_CHARS);
  } catch (err) {
    throw new ConfigError([{ file, path: '', message: readError(err) }]);
  }
  // Counted in bytes here: decoding first would let a cut-off file of multibyte text pass as complete.
  if (bytes.length > MAX_CONFIG_CHARS) throw new ConfigError([{ file, path: '', message: TOO_BIG }]);
  return bytes.toString('utf8');
}

/** Why a file could not be read, in words rather than an errno. */
function readError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EISDIR') return 'is a directory, not a file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return `cannot read: ${(err as Error).message}`;
}

/**
 * Reads at most `max` bytes and one more, so that a file that is too big is refused a file that is too big
 * without agg holding all of it: `-c /dev/zero` would otherwise never end. Pipes (`-c <(…)`) still work.
 */
function readBounded(file: string, max: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(max + 1);
    let length = 0;
    for (let n = 1; n > 0 && length < buffer.length; length += n)
      n = readSync(fd, buffer, length, buffer.length - length, null);
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}
