/**
 * Reading the sources file itself, bounded, for both loaders: the YAML one (load.ts) and the cached
 * one (cached.ts). Problems are ConfigErrors that name the file as the user wrote it.
 */
import { isUtf8 } from 'node:buffer';
import { closeSync, constants, openSync, readSync, type Stats, statSync } from 'node:fs';
import { Socket } from 'node:net';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { ConfigError, InterruptedError } from '../errors.js';
import { STDIN } from './find.js';

/**
 * A sources file past this is a mistake (a wrong `-c`, a log file). Real ones are a few kilobytes; a
 * thousand generated sources (bench/) are about 350 KB, and this allows ten times that, while parsing
 * tens of megabytes of YAML would take seconds before saying so.
 */
export const MAX_CONFIG_CHARS = 4 * 1024 * 1024;

const UTF16 = 'is saved as UTF-16; save it as UTF-8';
const NOT_UTF8 = 'is not UTF-8 here (saved as Latin-1 or Windows-1252?); save the file as UTF-8';
const NUL_BYTE = 'has a NUL byte here (a binary file, or UTF-16 without a byte order mark?); save the file as UTF-8';

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
  return decode(bytes, file);
}

/**
 * readSourcesFile for the command line, where `-c` may name a pipe (`-c <(…)`, `… | agg -c /dev/stdin`,
 * a FIFO) whose writer takes its time, or never comes. A pipe is read through the event loop, never by
 * a thread blocked in read(2), which would hold back Ctrl-C and the exit: Ctrl-C (`signal`) ends the
 * wait with InterruptedError. Anything else is read as readSourcesFile reads it.
 */
export async function readSourcesFileAsync(
  file: string,
  cwd: string,
  signal: AbortSignal,
  stdin?: () => Readable,
): Promise<string> {
  const full = path.resolve(cwd, file);
  let stat: Stats | undefined;
  try {
    stat = statSync(full);
  } catch {
    // Missing: readSourcesFile says so.
  }
  // Standard input from a Node parent (`stdio: 'pipe'`) or ssh's command is a socket, which
  // /dev/stdin cannot open (ENXIO): `-c -` said "cannot read": it is read as the process has it.
  // The caller (cli.ts, one of the few modules that touch the process) hands over the process's stdin, made
  // only when read: `process.stdin` opens a handle of its own.
  const stdinSocket = full === STDIN && stat?.isSocket() === true && stdin !== undefined;
  if (!stat?.isFIFO() && !stdinSocket) return readSourcesFile(file, cwd);
  let bytes: Buffer;
  try {
    bytes = await readPipe(stdinSocket && stdin ? stdin() : full, MAX_CONFIG_CHARS, signal);
  } catch (err) {
    if (err instanceof InterruptedError) throw err;
    throw new ConfigError([{ file, path: '', message: readError(err) }]);
  }
  return decode(bytes, file);
}

// Counted in bytes here: decoding first would let a cut-off file of multibyte text pass as complete.
function decode(bytes: Buffer, file: string): string {
  if (bytes.length > MAX_CONFIG_CHARS) throw new ConfigError([{ file, path: '', message: TOO_BIG }]);
  // Windows editors save "Unicode" as UTF-16 with a byte order mark; read as UTF-8 it is one odd string.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    throw new ConfigError([{ file, path: '', message: UTF16 }]);
  // YAML allows no NUL, but yaml reads one as text: UTF-16 saved without a byte order mark (iconv's
  // UTF-16LE) read as `expected a mapping, got a string`, a stray NUL at the end as `Implicit map keys
  // need to be followed by map values`.
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw new ConfigError([{ file, ...positionOf(bytes, nul), path: '', message: NUL_BYTE }]);
  // Decoded anyway, a Latin-1 `é` is U+FFFD: `ville=Montréal` in a URL was sent as `Montr%EF%BF%BDal`, without a word.
  if (!isUtf8(bytes)) throw new ConfigError([{ file, ...firstNonUtf8(bytes), path: '', message: NOT_UTF8 }]);
  return bytes.toString('utf8');
}

/** Line and column of the first byte that is no UTF-8: where the decoded text stops matching the bytes. */
function firstNonUtf8(bytes: Buffer): { line: number; col: number } {
  let offset = 0;
  let line = 1;
  let col = 1;
  for (const ch of bytes.toString('utf8')) {
    const encoded = Buffer.from(ch, 'utf8');
    if (!bytes.subarray(offset, offset + encoded.length).equals(encoded)) break;
    offset += encoded.length;
    if (ch === '\n') [line, col] = [line + 1, 1];
    else col += 1;
  }
  return { line, col };
}

/** Line and column (in characters, as firstNonUtf8 counts them) of the byte at `offset`. */
function positionOf(bytes: Buffer, offset: number): { line: number; col: number } {
  const before = bytes.subarray(0, offset);
  let line = 1;
  for (let at = before.indexOf(0x0a); at >= 0; at = before.indexOf(0x0a, at + 1)) line += 1;
  const col = [...before.subarray(before.lastIndexOf(0x0a) + 1).toString('utf8')].length + 1;
  return { line, col };
}

/** Why a file could not be read, in words rather than an errno. */
function readError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EISDIR') return 'is a folder, not a sources file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return `cannot read: ${(err as Error).message}`;
}

/**
 * Reads at most `max` bytes and one more, so that a file that is too big is refused without agg
 * holding all of it: `-c /dev/zero` would otherwise never end.
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

/**
 * A pipe's bytes until its writer closes it, or `max` and one more: the pipe at `source`, or a stream
 * already open. Opened non-blocking, so that a FIFO with no writer yet does not block the open either:
 * the event loop then waits for one.
 */
function readPipe(source: string | Readable, max: number, signal: AbortSignal): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new InterruptedError(signal.reason));
    let pipe: Readable;
    try {
      pipe =
        typeof source !== 'string'
          ? source
          : new Socket({
              fd: openSync(source, constants.O_RDONLY | constants.O_NONBLOCK),
              readable: true,
              writable: false,
            });
    } catch (err) {
      return reject(err);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (settle: () => void): void => {
      signal.removeEventListener('abort', onAbort);
      pipe.destroy();
      settle();
    };
    const onAbort = (): void => finish(() => reject(new InterruptedError(signal.reason)));
    signal.addEventListener('abort', onAbort, { once: true });
    pipe.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > max) finish(() => resolve(Buffer.concat(chunks)));
    });
    pipe.on('end', () => finish(() => resolve(Buffer.concat(chunks))));
    pipe.on('error', (err) => finish(() => reject(err)));
  });
}
