/**
 * `agg demo`: simulated vendors on 127.0.0.1 and the real search path against them. Nothing in
 * the search path knows: the demo only sets AGG_DEMO_URL and loads sources.example.yaml.
 */

import path from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Dispatcher } from 'undici';
import { findConfig, loadConfigText } from '../config/index.js';
import { readSourcesFileAsync } from '../config/read.js';
import { startDemoServer } from '../demo/server.js';
import { EXIT, NoRunnableSourceError, UsageError } from '../errors.js';
import type { Config } from '../types.js';
import type { Io } from './io.js';
import type { RawSearchFlags } from './options.js';
import { paramName, parseTerms } from './params.js';
import { hedgesEvery, resolveFlags } from './resolve-flags.js';
import { runSearch } from './run-search.js';
import { shellWord } from './shell-word.js';
import { flagWords, type TypedFlag } from './typed-flags.js';

/** Flags only the demo has. */
export interface DemoFlags {
  serve?: boolean;
  port?: string;
}

/** The packaged example, next to package.json whether running from src/ or dist/. */
export const EXAMPLE_CONFIG = fileURLToPath(new URL('../../sources.example.yaml', import.meta.url));

/** The two searches `agg demo` runs when given no terms. */
const DEMO_QUERIES: readonly (readonly string[])[] = [
  ['sony', 'headphones'],
  ['from=JFK', 'to=LHR', 'date=2026-12-20'],
];

/** The flags `agg demo --serve` reads (or, for --no-color, accepts). */
const SERVE_FLAGS: ReadonlySet<string> = new Set(['--serve', '--port', '--no-color']);

/** The port `agg demo --serve` listens on, unless --port says otherwise. */
const DEFAULT_PORT = '8787';

/** Runs the demo; returns the worst exit code of its searches. */
export async function runDemo(
  terms: string[],
  flags: RawSearchFlags & DemoFlags,
  io: Io,
  dispatcherFor: (config: Config, hedged: boolean) => Promise<Dispatcher>,
  typed: readonly TypedFlag[] = [],
  stdin?: () => Readable,
): Promise<number> {
  // Ignored in silence, either would leave the user looking for a server on a port, or results for terms.
  if (flags.serve && terms.length > 0)
    throw new UsageError(`--serve starts the vendors only; it takes no search terms`);
  // So would a search flag (`--serve --json`, `-c mine.yaml`): --serve runs no search. --no-color is
  // accepted, as `agg sources` accepts it, so that an alias may pass it to every command.
  const searchFlag = flags.serve ? typed.find((f) => !SERVE_FLAGS.has(f.flag))?.flag : undefined;
  if (searchFlag) throw new UsageError(`--serve starts the vendors only; ${searchFlag} is for a search`);
  if (!flags.serve && flags.port !== undefined) throw new UsageError('--port is the port for --serve; add --serve');
  if (flags.serve) return serve(flags.port ?? DEFAULT_PORT, io);
  const resolved = resolveFlags(flags);
  const server = await startDemoServer();
  try {
    const env = { ...io.env, AGG_DEMO_URL: server.url };
    const file =
      flags.config !== undefined ? findConfig({ flag: flags.config, env, cwd: io.cwd, home: io.home }) : EXAMPLE_CONFIG;
    // Read as search reads it: `-c -` from a Node parent or ssh is a socket, which /dev/stdin cannot open.
    const config = notSecret(
      loadConfigText(await readSourcesFileAsync(file, io.cwd, io.interrupt, stdin), file, env),
      server.url,
    );
    let worst: number = EXIT.ok;
    let ran = false;
    let unrunnable: NoRunnableSourceError | undefined;
    // `agg demo --param from=EWR` changes the built-in flight search: a param given twice is a usage
    // error (params.ts), and the user's --param must not meet the demo's own `from=JFK` as one.
    const assignments = flags.param ?? [];
    const given = new Set(assignments.map(paramName).filter((name) => name !== undefined));
    // A built-in search's words are its `query` (params.ts): `--param query=bose` replaces `sony headphones`.
    const setBy = (t: string) => paramName(t) ?? 'query';
    const sets = (q: readonly string[], name: string | undefined) => q.some((t) => setBy(t) === name);
    // A --param goes to the built-in searches that set it themselves (`from` to the flight search): given
    // to the shop search too, it only warned that no shop reads it. One that neither sets goes to both.
    const builtIn = DEMO_QUERIES.map((q) => ({
      query: q.filter((t) => !given.has(setBy(t))),
      params: assignments.filter((a) => {
        const name = paramName(a);
        return sets(q, name) || !DEMO_QUERIES.some((other) => sets(other, name));
      }),
    }));
    // The flags too (a --param is among the terms): `$ agg search sony headphones` above `No offers.` hid the
    // `--where 'price < 1'` that left them out, and pasted, the line ran another search.
    const searchFlags = flagWords(typed.filter((f) => f.flag !== '--param'));
    for (const { query, params } of terms.length > 0 ? [{ query: terms, params: assignments }] : builtIn) {
      // The params too: a built-in term a --param replaced (`from=JFK`) is not what ran.
      if (!flags.quiet) io.stderr.write(`\n$ agg search ${searchLine([...query, ...params], searchFlags)}\n`);
      let code: number;
      try {
        code = await runSearch(
          config,
          parseTerms(query, params),
          resolved,
          io,
          await dispatcherFor(config, hedgesEvery(resolved.search.hedge)),
          // `agg demo --json | jq`: jq may be printing the first search's document while the second runs.
          ran,
        );
      } catch (err) {
        // `agg demo --tag flights`: the shop search has no source to run; the flight search still does.
        if (!(err instanceof NoRunnableSourceError) || terms.length > 0) throw err;
        unrunnable ??= err;
        if (!flags.quiet) io.stderr.write(`skipped: ${err.message}\n`);
        continue;
      }
      ran = true;
      worst = Math.max(worst, code);
      if (io.interrupt.aborted) break;
    }
    if (!ran && unrunnable) throw unrunnable;
    return worst;
  } finally {
    await server.close();
  }
}

async function serve(portText: string, io: Io): Promise<number> {
  // Digits only, as --limit: Number() reads `--port "$PORT"` with PORT unset as 0, any free port, and
  // `0x1F90` as 8080, so the vendors would listen where the user is not looking.
  const port = /^\d+$/.test(portText) ? Number(portText) : Number.NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port: expected 0–65535, got "${portText}"`);
  const server = await startDemoServer({ port }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE') {
      throw new UsageError(`--port ${port} is in use; pick another, or --port 0 for any free one`);
    }
    if (err.code === 'EACCES')
      throw new UsageError(`--port ${port} needs privileges; pick one above 1023, or --port 0`);
    throw err;
  });
  io.stdout.write(`${server.url}\n`);
  io.stderr.write(
    `simulated vendors listening on ${server.url} (Ctrl-C to stop)\n` +
      `try: AGG_DEMO_URL=${server.url} agg search -c ${shellWord(exampleFrom(io.cwd))} sony headphones\n`,
  );
  // Ctrl-C (or SIGTERM) may have come while the servers were starting.
  if (!io.interrupt.aborted)
    await new Promise<void>((resolve) => io.interrupt.addEventListener('abort', () => resolve(), { once: true }));
  await server.close();
  return EXIT.ok;
}

/**
 * The packaged example as the user can name it from `cwd`: by its bare name only in the clone itself. From
 * any other folder (an installed agg) `-c sources.example.yaml` was "file not found".
 */
function exampleFrom(cwd: string): string {
  const relative = path.relative(cwd, EXAMPLE_CONFIG);
  const outside = relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
  return outside ? EXAMPLE_CONFIG : relative;
}

/**
 * The terms and flags as a line to paste: the flags after the terms, as typed most often, but before them
 * when a term starts with `-` (`agg demo tv -- -refurb`): shown as `agg search tv -refurb` that is an
 * unknown option, and a flag after the `--` would be a term.
 */
function searchLine(terms: readonly string[], flags: readonly string[]): string {
  const words = terms.map(shellWord);
  if (!terms.some((t) => t.startsWith('-'))) return [...words, ...flags].join(' ');
  return [...flags, '--', ...words].join(' ');
}

/**
 * The config without `value` among its secrets. The demo's own loopback address comes in as
 * `${AGG_DEMO_URL}`, and every value from the environment is hidden: the demo's `--verbose` lines and
 * error rows all read `GET ***` and then a path, the one place it shows what agg logs.
 */
function notSecret(config: Config, value: string): Config {
  const secretNames = Object.fromEntries(Object.entries(config.secretNames).filter(([v]) => v !== value));
  return { ...config, secrets: config.secrets.filter((v) => v !== value), secretNames };
}
