/**
 * Whether the table's titles are terminal hyperlinks (OSC 8): decided here, from the Io, and handed to the
 * renderer as `links`, as colour is. The terminals are those supports-hyperlinks 4.6 (chalk) knows,
 * read from `io.env`: that package reads `process.env` and `process.argv` itself (so a test's or a library
 * caller's environment is not the one it judges) and says yes to FORCE_HYPERLINK or NETLIFY even in a pipe.
 * A terminal that does not know OSC 8 may print its bytes, so an unknown one gets none: AGG_HYPERLINKS=1
 * turns them on there.
 */

import { type Io, underCi, useColor } from './io.js';

type Env = Io['env'];

/** `TERM_PROGRAM_VERSION` (`3.4.19`, `20230712-072601-f4abf8fd`) as numbers; NaN where there is none. */
const version = (text: string | undefined): [number, number] => {
  const [major = Number.NaN, minor = Number.NaN] = (text ?? '').split(/[.-]/).map((n) => Number.parseInt(n, 10));
  return [major, minor];
};

/** By TERM_PROGRAM, the first version that shows OSC 8 links; `true`: every version. */
const PROGRAMS: Readonly<Record<string, (v: [number, number], env: Env) => boolean>> = {
  'iTerm.app': ([major, minor]) => major > 3 || (major === 3 && minor >= 1),
  // WezTerm's versions are dates (20200620-…); Nix's builds say 0-unstable-2020-06-20.
  WezTerm: ([major], env) => {
    const nix = /^0-unstable-(\d{4}-\d\d-\d\d)$/.exec(env.TERM_PROGRAM_VERSION ?? '')?.[1];
    return nix === undefined ? major >= 20200620 : nix >= '2020-06-20';
  },
  // VS Code's terminal from 1.72; Cursor, its fork, from its first.
  vscode: ([major, minor], env) => major > 1 || (major === 1 && minor >= 72) || Boolean(env.CURSOR_TRACE_ID),
  ghostty: () => true,
  zed: () => true,
  WarpTerminal: () => true,
};

/** Whether the terminal `env` describes shows OSC 8 hyperlinks, as far as its variables tell. */
export function terminalShowsLinks(env: Env): boolean {
  // Windows Terminal, and WSL within it.
  if (env.WT_SESSION !== undefined) return true;
  const program = env.TERM_PROGRAM === undefined ? undefined : PROGRAMS[env.TERM_PROGRAM];
  if (program?.(version(env.TERM_PROGRAM_VERSION), env)) return true;
  // GNOME Terminal, Tilix, Terminator… (VTE 0.50, written 5000, crashed on them: from 0.50.1).
  const vte = Number(env.VTE_VERSION);
  if (Number.isSafeInteger(vte) && vte > 5000) return true;
  if (env.KITTY_WINDOW_ID !== undefined) return true;
  return env.TERM === 'xterm-kitty' || env.TERM === 'alacritty' || env.TERM === 'xterm-ghostty';
}

/**
 * Links in the table: stdout is a terminal with colour allowed (not under --no-color, NO_COLOR,
 * FORCE_COLOR=0 or TERM=dumb), and AGG_HYPERLINKS says 1, or says nothing and the terminal is one
 * terminalShowsLinks knows and not a CI's log. AGG_HYPERLINKS=0 turns them off.
 */
export function useLinks(colorFlag: boolean, io: Io): boolean {
  if (!useColor(colorFlag, io)) return false;
  const asked = io.env.AGG_HYPERLINKS;
  if (asked === '0' || asked === 'false') return false;
  if (asked === '1' || asked === 'true') return true;
  return !underCi(io) && terminalShowsLinks(io.env);
}
