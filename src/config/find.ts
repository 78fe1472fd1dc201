/**
 * Where the sources file is: `-c/--config`, then `$AGG_CONFIG`, then `./sources.yaml`, then
 * `$XDG_CONFIG_HOME/agg/sources.yaml` (`~/.config/agg/sources.yaml` by default). An explicit
 * choice that names a missing file is an error, never a silent fall-through to another file.
 */
import { type Stats, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, ConfigNotFoundError, UsageError } from '../errors.js';

/** The example file agg is installed with (package.json `files`), for the hint when none is found. */
const EXAMPLE = fileURLToPath(new URL('../../sources.example.yaml', import.meta.url));

/** What findConfig needs to know about the process, passed in so tests need not touch the real one. */
export interface FindOptions {
  /** The `-c/--config` value, if given (undefined is none, for a caller's `flag: args.config`). */
  flag?: string | undefined;
  env: Record<string, string | undefined>;
  cwd: string;
  home: string;
}

/** Standard input by name, what `-c -` reads (read.ts reads it as a pipe, a socket included). */
export const STDIN = '/dev/stdin';

const isFile = (file: string): boolean => {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
};

const isFolder = (file: string): boolean => {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
};

/** What a folder where a sources file was looked for (or named) is called, in every message. */
const FOLDER = 'is a folder, not a sources file';

/**
 * A `~` that reached agg: only a shell reads it as the home folder, and not after `=` or in quotes, so
 * `--config=~/agg.yaml` or `AGG_CONFIG="~/agg.yaml"` was "file not found" beside the file it meant.
 */
const tildeHint = (file: string): string =>
  file === '~' || file.startsWith('~/')
    ? `; ~ is expanded by the shell, not by agg, and not after = or in quotes: write $HOME${file.slice(1)}`
    : '';

/**
 * Checks a file the user named explicitly; `by` says how, for the message. A pipe will do as well as a
 * file (`-c <(…)`, `… | agg -c /dev/stdin`; read.ts reads it without blocking); a directory or a device
 * will not.
 */
function explicit(file: string, cwd: string, by: string): string {
  let stat: Stats;
  try {
    stat = statSync(path.resolve(cwd, file));
  } catch {
    throw new ConfigError([{ file, path: '', message: `file not found (named by ${by})${tildeHint(file)}` }]);
  }
  if (stat.isFile() || stat.isFIFO()) return file;
  // Standard input from a Node parent (`stdio: 'pipe'`) or ssh's command is a socket, not a pipe.
  if (stat.isSocket() && path.resolve(cwd, file) === STDIN) return file;
  throw new ConfigError([{ file, path: '', message: `${notReadable(stat, file, cwd)} (named by ${by})` }]);
}

/** Why `stat` is no sources file, in words: `-c - < /dev/null` (a cron line) read "is not a file or a pipe". */
function notReadable(stat: Stats, file: string, cwd: string): string {
  if (stat.isDirectory()) return FOLDER;
  const stdin = path.resolve(cwd, file) === STDIN;
  if (isDevNull(stat)) {
    return stdin ? 'is empty: standard input is /dev/null; pipe the sources file in' : 'is empty: it is /dev/null';
  }
  return stdin
    ? 'is a terminal or a device, not a file or a pipe: pipe the sources file in'
    : 'is not a file or a pipe';
}

const isDevNull = (stat: Stats): boolean => {
  try {
    const devNull = statSync('/dev/null');
    return stat.isCharacterDevice() && stat.rdev === devNull.rdev;
  } catch {
    return false;
  }
};

/**
 * The sources file to load. Explicit paths come back as given; `./sources.yaml` as
 * `sources.yaml`; relative results are relative to `cwd`. Throws ConfigNotFoundError listing
 * every place looked when there is none.
 */
export function findConfig(opts: FindOptions): string {
  const { flag, env, cwd, home } = opts;
  // `-c "$CFG"` with CFG unset is a choice too: falling through to ./sources.yaml would search the wrong vendors.
  if (flag === '') throw new UsageError('-c/--config needs a file name, and was given an empty one');
  // `-c -` is standard input, as for most tools that read a file (`… | agg search x -c -`).
  if (flag === '-') return explicit(STDIN, cwd, '-c -, standard input');
  if (flag !== undefined) return explicit(flag, cwd, '-c/--config');
  const fromEnv = env.AGG_CONFIG;
  // The same `-` as `-c -`: `AGG_CONFIG=- agg search x < sources.yaml` looked for a file named `-`.
  if (fromEnv === '-') return explicit(STDIN, cwd, '$AGG_CONFIG=-, standard input');
  if (fromEnv) return explicit(fromEnv, cwd, '$AGG_CONFIG');

  // The XDG spec says to ignore a relative XDG_CONFIG_HOME. With no absolute home either (`HOME=` in a
  // cron job) there is no user folder: `.config` relative to wherever agg runs is not one.
  const xdg = env.XDG_CONFIG_HOME;
  const configHome = xdg && path.isAbsolute(xdg) ? xdg : path.isAbsolute(home) ? path.join(home, '.config') : undefined;
  const local = path.join(cwd, 'sources.yaml');
  const user = configHome && path.join(configHome, 'agg', 'sources.yaml');
  // A folder named sources.yaml was passed over in silence: 'no sources file found; looked in: …/sources.yaml',
  // or another place's file searched in its stead.
  const places: [string, string][] = user
    ? [
        [local, 'sources.yaml'],
        [user, user],
      ]
    : [[local, 'sources.yaml']];
  for (const [place, shown] of places) {
    if (isFile(place)) return shown;
    if (isFolder(place)) throw new ConfigError([{ file: shown, path: '', message: FOLDER }]);
  }
  throw new ConfigNotFoundError(user ? [local, user] : [local], isFile(EXAMPLE) ? EXAMPLE : undefined);
}
