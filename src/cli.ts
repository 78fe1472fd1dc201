/**
 * The command line: commander wiring, and the only module that touches `process`.
 * `run()` takes argv and an Io so tests can drive it; `main()` binds it to the real process.
 *
 * Only commander and the flag declarations load up front: each action imports what it needs
 * (undici, yaml, zod, jsonata, ora, cli-table3), so `agg --version` and `--help` cost little more
 * than starting node (issue #7: ≤ 1.5× `node -e 0`).
 */
import { closeSync, existsSync, fstatSync } from 'node:fs';
import path from 'node:path';
import { isatty } from 'node:tty';
import { Argument, Command, CommanderError, Option } from 'commander';
import type { Dispatcher } from 'undici';
import { SHELLS, type Shell } from './cli/completes.js';
import type { CompletionFlags } from './cli/completion-command.js';
import type { DemoFlags } from './cli/demo.js';
import { type Io, tableWidth } from './cli/io.js';
import { addSearchOptions, configOption, hedgesEvery, type RawSearchFlags, resolveFlags } from './cli/options.js';
import { shellWord } from './cli/shell-word.js';
import { AggError, EXIT, TERMINATED } from './errors.js';
import { now } from './shared/clock.js';
import { homeDir } from './shared/home.js';
import { makeRedactor, type Redactor, redactQuery, redactUserInfo } from './shared/redact.js';
import { cleanText, showInvisible } from './shared/sanitize.js';
import { VERSION } from './shared/version.js';
import type { Config } from './types.js';

const SEARCH_EXAMPLES = `
Examples:
  $ agg search sony headphones
  $ agg search sony headphones --strategy best --currency EUR
  $ agg search from=JFK to=LHR date=2026-12-20 --where 'stops = 0' --limit 5
  $ agg search from=JFK to=LHR date=2026-12-20 --strategy first --timeout 2s
  $ agg search sony headphones --json | jq '.offers[0]'
  $ agg search sony headphones -f ndjson | jq -c 'select(.type == "offer")'

Exit codes:
  0    offers printed
  1    no offers
  2    usage or config error, or every source skipped
  3    --strict and a source failed
  4    every source failed
  70   internal error: a bug in agg, please report it (AGG_DEBUG=1: the stack)
  74   stdout or stderr cannot be written (a full disk)
  129  the terminal closed (SIGHUP)
  130  interrupted (Ctrl-C)
  143  terminated (SIGTERM)`;

const COMPLETION_HELP = `
Load it as your shell starts:
  bash  ~/.bashrc                    eval "$(agg completion bash)"
  zsh   ~/.zshrc, after compinit     eval "$(agg completion zsh)"
  fish  ~/.config/fish/config.fish   agg completion fish | source
or save it once: agg completion zsh > ~/.zfunc/_agg (a folder in $fpath),
  agg completion fish > ~/.config/fish/completions/agg.fish`;

/** How `run` ends. */
interface RunOptions {
  /**
   * The process exits as soon as `run` returns (main() says so). Sockets are then left for the kernel
   * to close at exit, all at once, rather than closed one by one: the dispatcher's keep-alive ones
   * (50–150 ms at N = 1,000) and those of requests a search cancels (GatherOptions.exitsAfter).
   * Off by default: a caller that lives on gets every socket closed before `run` returns.
   */
  readonly exitsAfter?: boolean;
  /** Called after a search (or the demo's) ran: start.ts then knows this run compiled the search path. */
  readonly onSearched?: () => void;
  /** Which build is running (start.ts: a hash of the bundle), for the config cache (ConfigCache.build). */
  readonly build?: string;
  /**
   * Given the run's own error report (one line, with the sources file's secrets hidden once it is
   * loaded): main() reports with it an error thrown where no await catches it.
   */
  readonly onReporter?: (report: (err: unknown) => number) => void;
}

/** Runs agg with `argv` (without node and script) and returns the exit code. */
export async function run(
  argv: readonly string[],
  io: Io,
  { exitsAfter = false, onSearched, build, onReporter }: RunOptions = {},
): Promise<number> {
  let code: number = EXIT.ok;
  // Made on first use, so that the sources file's `defaults.connections` can size its pools, and
  // `--help` never loads undici.
  let dispatcher: Dispatcher | undefined;
  const dispatcherFor = async (config: Config, hedged = false): Promise<Dispatcher> => {
    const [{ createDispatcher }, { soleOrigins }] = await Promise.all([
      import('./scatter/dispatcher.js'),
      import('./scatter/origins.js'),
    ]);
    dispatcher ??= createDispatcher({
      connections: config.connections,
      soleOrigins: soleOrigins(config.sources, hedged),
    });
    return dispatcher;
  };
  let subcommand: Command | undefined;
  const program = new Command('agg')
    .description('Compare prices and flights across vendor APIs: one query, every source at once.')
    .version(VERSION, '-V, --version')
    .exitOverride()
    // commander's own errors quote the argument they refuse (`unknown option '--\x1b]52;…'`): cleaned
    // line by line like report()'s, since a flag's text may hold anything a terminal acts on.
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      // `agg: ` as every other message of agg's starts, not commander's `error: `.
      writeErr: (s) =>
        io.stderr.write(cleanLines(withSearchHint(withWordHint(s, subcommand))).replace(/^error: /, 'agg: ')),
    })
    .showHelpAfterError('(add --help for usage)')
    // The command an error comes from, for withWordHint: only search and demo take words.
    .hook('preSubcommand', (_, sub) => {
      subcommand = sub;
    });

  // Until a config names its secrets, an error can still carry a credential-looking URL param.
  let redact: Redactor = (text) => redactUserInfo(redactQuery(text));
  onReporter?.((err) => report(err, io, redact));
  const loadFrom = async (flag: string | undefined) => {
    // The cached path first: a file read before loads without the YAML parser, which is then never
    // even imported (src/config/cached.ts). A miss, or any problem, reads the YAML.
    const [{ findConfig }, { readSourcesFileAsync }, { loadCachedTextLazily }, { cacheDir }] = await Promise.all([
      import('./config/find.js'),
      import('./config/read.js'),
      import('./config/cached.js'),
      import('./shared/cache-dir.js'),
    ]);
    const dir = cacheDir(io.env, io.home);
    const cache = dir ? { dir, version: VERSION, ...(build ? { build } : {}) } : undefined;
    const file = findConfig({ flag, env: io.env, cwd: io.cwd, home: io.home });
    const text = await readSourcesFileAsync(file, io.cwd, io.interrupt, () => process.stdin);
    const config =
      (cache && (await loadCachedTextLazily(cache, text, file, io.env))) ??
      (await import('./config/load.js')).parseConfigText(text, file, io.env, cache);
    redact = makeRedactor(config.secretNames);
    return config;
  };

  addSearchOptions(program.command('search').argument('[terms...]', 'words, and name=value params'))
    .description('search every relevant source and rank the offers')
    .addHelpText('after', SEARCH_EXAMPLES)
    .action(async (terms: string[], flags: RawSearchFlags) => {
      const resolved = resolveFlags(flags);
      // Loaded while nothing else is happening: one await for the whole search path.
      const [config, { parseTerms }, { runSearch }, { defaultHistoryFile }] = await Promise.all([
        loadFrom(flags.config),
        import('./cli/params.js'),
        import('./cli/run-search.js'),
        import('./history.js'),
      ]);
      // Only real searches feed the latency history: the demo's vendors would skew a real source's p95.
      const historyFile = defaultHistoryFile(io.env, io.home);
      const withHistory = { ...resolved, search: { ...resolved.search, historyFile, exitsAfter } };
      const sender = await dispatcherFor(config, hedgesEvery(resolved.search.hedge));
      code = await runSearch(config, parseTerms(terms, flags.param), withHistory, io, sender);
      onSearched?.();
    });

  program
    .command('sources')
    .description('list the configured sources (and check the file)')
    .addOption(configOption())
    .option('--json', 'as JSON')
    // The listing has no colour; the flag is accepted so that a script or alias may pass it to every command.
    .option('--no-color', 'no colour (accepted for symmetry with search: this listing has none)')
    .action(async (flags: { config?: string; json?: boolean }) => {
      const [{ renderSources }, { defaultHistoryFile, LatencyHistory }] = await Promise.all([
        import('./render/sources.js'),
        import('./history.js'),
      ]);
      const historyFile = defaultHistoryFile(io.env, io.home);
      const history = historyFile ? LatencyHistory.load(historyFile).history : undefined;
      const width = tableWidth(io);
      io.stdout.write(renderSources(await loadFrom(flags.config), { json: Boolean(flags.json), history, width }));
    });

  addSearchOptions(
    program.command('demo').argument('[terms...]', 'a search; by default one for products, one for flights'),
    // The demo's vendors answer to the bundled example file; $AGG_CONFIG and ./sources.yaml are someone's real ones.
    'sources file (default: the bundled sources.example.yaml, whatever $AGG_CONFIG says)',
    false,
  )
    .description('run agg against simulated vendors on 127.0.0.1 (no keys, no network)')
    .option('--serve', 'only start the simulated vendors and print their URL')
    // No commander default: a --port given without --serve must be told apart, and refused.
    .option('--port <n>', 'port for --serve (default: 8787)')
    .action(async (terms: string[], flags: RawSearchFlags & DemoFlags, command: Command) => {
      const { runDemo } = await import('./cli/demo.js');
      // The flags typed, not those at their default: --serve refuses a search's, rather than ignore it.
      const typed = command.options
        .filter((o) => command.getOptionValueSource(o.attributeName()) === 'cli')
        .map((o) => o.long ?? o.flags);
      code = await runDemo(terms, flags, io, dispatcherFor, typed, () => process.stdin);
      onSearched?.();
    });

  program
    .command('completion')
    .description('print a shell completion script (see --help for where it goes)')
    .addArgument(new Argument('[shell]', 'the shell').choices(SHELLS))
    // What the scripts ask for as the user presses Tab: never typed, so not in the help.
    .addOption(new Option('--list <what>').hideHelp())
    .addOption(configOption().hideHelp())
    .addHelpText('after', COMPLETION_HELP)
    .action(async (shell: Shell | undefined, flags: CompletionFlags) => {
      const { runCompletion } = await import('./cli/completion-command.js');
      code = await runCompletion(shell, flags, program, io, loadFrom);
    });

  try {
    refuseHelpForNoCommand(program, argv);
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    code = report(err, io, redact);
  } finally {
    if (!exitsAfter) await dispatcher?.destroy();
  }
  return code;
}

/**
 * `agg help nothing`: commander printed the whole help, as if it had been asked for, and exited 2 with no
 * word that there is no such command. Throws commander's usage error, naming the commands there are.
 */
function refuseHelpForNoCommand(program: Command, argv: readonly string[]): void {
  const [first, asked] = argv;
  if (first !== 'help' || asked === undefined || asked === 'help' || asked.startsWith('-')) return;
  const names = program.commands.map((c) => c.name());
  if (names.includes(asked) || program.commands.some((c) => c.aliases().includes(asked))) return;
  program.error(`error: unknown command '${asked}' (agg help takes ${names.join(', ')})`);
}

/**
 * A line of an error, cleaned, with its invisible characters shown as the sources file's problems show
 * them (errors.ts): a flag value with a pasted zero-width space read `unknown source "ebay"; configured:
 * ebay, …` and `--currency: … got "USD"`, next to a value that looked right.
 */
const errorLine = (line: string): string => showInvisible(cleanText(line));

/** errorLine on each line of `text`, keeping its line breaks. */
const cleanLines = (text: string): string => text.split('\n').map(errorLine).join('\n');

/**
 * Maps an error to its exit code; the stack only under AGG_DEBUG=1. Every line is redacted and
 * cleaned, the stack too: a message can quote the sources file, a flag or a vendor.
 */
function report(err: unknown, io: Io, redact: Redactor): number {
  if (err instanceof CommanderError) {
    // Help and --version exit 0; any other commander error is a usage error.
    return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  const safe = (text: string): string =>
    text
      .split('\n')
      .map((line) => errorLine(redact(line)))
      .join('\n');
  if (io.env.AGG_DEBUG === '1') io.stderr.write(`${safe((err as Error)?.stack ?? String(err))}\n`);
  if (err instanceof AggError) {
    io.stderr.write(`agg: ${safe(err.message)}\n`);
    return err.exitCode;
  }
  io.stderr.write(
    `agg: internal error: ${safe((err as Error)?.message ?? String(err))} (AGG_DEBUG=1 shows the stack)\n`,
  );
  return EXIT.internal;
}

/**
 * Resolves once what was written to `stream` has gone out. Only a stream with bytes still queued (a
 * pipe) is waited on: the empty write that waits is itself a write(2), which /dev/full fails, and
 * `agg -q 2>/dev/full` must not exit 74 for output it never wrote.
 */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.writableLength === 0) return Promise.resolve();
  return new Promise((resolve) => stream.write('', () => resolve()));
}

/** A signal repeated within this is one delivered twice (see onSignals), not a second Ctrl-C: far quicker than a person presses twice. */
export const SAME_SIGNAL_MS = 100;

/**
 * Ctrl-C, or SIGTERM (`timeout 30 agg …`, a service manager), on `target` (the process): the first
 * aborts `interrupt`, so that what arrived is printed, then agg exits 128 + the signal's number; a
 * second one (of either kind) means now: `exit` with its code. But one signal can arrive twice: `timeout` sends it
 * to agg and then to its whole process group, and `npm run` passes on a Ctrl-C that agg already got
 * from the terminal. A repeat within SAME_SIGNAL_MS is that same one: exiting on it printed nothing.
 * Returns which signal came first, if any.
 */
export function onSignals(
  target: Pick<NodeJS.EventEmitter, 'on'>,
  interrupt: AbortController,
  exit: (code: number) => void,
  clock: () => number = now,
): () => NodeJS.Signals | undefined {
  let signalled: NodeJS.Signals | undefined;
  // One for both signals: a SIGTERM after a Ctrl-C (a service manager stopping a run the user already
  // interrupted) is a second signal too, and means now.
  let first: number | undefined;
  for (const [signal, code] of [
    ['SIGINT', EXIT.interrupted],
    ['SIGTERM', EXIT.terminated],
  ] as const) {
    // `on`, never `once` and a new listener: with none left for a moment, Node gives the signal back to
    // its default action, and a repeat arriving just then killed agg before it printed anything.
    target.on(signal, () => {
      if (first === undefined) {
        first = clock();
        signalled ??= signal;
        // The reason is the word the cancelled rows say (gather/index.ts), as the last line and exit code do.
        interrupt.abort(signal === 'SIGTERM' ? TERMINATED : undefined);
      } else if (clock() - first >= SAME_SIGNAL_MS) {
        exit(code);
      }
    });
  }
  return () => signalled;
}

/**
 * Ctrl-Z while the spinner spins: it stopped agg with the cursor hidden and the spinner's text on the
 * line, so the shell's prompt came back without a cursor (and after `bg` the spinner went on drawing over
 * it). `beforeStop` clears the line and shows the cursor; then agg stops as it would have, its listener
 * gone so that Node gives SIGTSTP back to its default action. Returns what takes the listener off.
 */
export function onSuspend(
  proc: Pick<NodeJS.EventEmitter, 'on' | 'removeListener'> & {
    pid: number;
    kill(pid: number, signal: string): unknown;
  },
  beforeStop: () => void,
): () => void {
  const suspend = (): void => {
    beforeStop();
    proc.removeListener('SIGTSTP', suspend);
    proc.kill(proc.pid, 'SIGTSTP');
  };
  proc.on('SIGTSTP', suspend);
  return () => void proc.removeListener('SIGTSTP', suspend);
}

/**
 * `nohup agg … &` (or `trap '' HUP`) asks that a hang-up be ignored, but Node sets every signal back to its
 * default action at start, so agg died at logout, its answer unwritten, where any other program goes on.
 * With neither stdout nor stderr on a terminal (nohup sends both to a file), a hang-up cannot touch where
 * the answer goes: agg ignores it and finishes. On a terminal it ends at once, as before (exit 129).
 */
export function ignoreHangUpAwayFromTerminal(
  proc: Pick<NodeJS.EventEmitter, 'on'> & { stdout: { isTTY?: boolean }; stderr: { isTTY?: boolean } },
  stdinIsTerminal: boolean = isatty(0),
  closeStdin: () => void = () => closeSync(0),
): boolean {
  if (proc.stdout.isTTY || proc.stderr.isTTY) return false;
  // Standard input may still be the terminal (`agg … > out.json 2>&1 &`, then the window closed; nohup
  // takes it away, a plain `&` does not). At exit Node sets a terminal's modes back, and on one that hung
  // up that fails a check of Node's own: agg aborted after writing its answer, with a native stack trace
  // in the log and status 134. agg never reads a terminal, so it lets go of it (Node skips a closed one);
  // once, as the number may be a file's by a second hang-up.
  let detached = !stdinIsTerminal;
  proc.on('SIGHUP', () => {
    if (detached) return;
    detached = true;
    try {
      closeStdin();
    } catch {
      // Already closed: nothing is left to set back.
    }
  });
  return true;
}

/**
 * The working directory. One deleted under agg (a cron job's temporary folder, a release folder a deploy
 * replaced) has no path: process.cwd() throws, which was an internal error even for `-c /abs/file`. It
 * reads as $PWD, where the shell left it, if nothing is there now, else the root: a relative name then
 * finds no file, as in a shell, and an absolute one works.
 */
function workingDir(): string {
  try {
    return process.cwd();
  } catch {
    // Only while nothing is there: a $PWD that names a folder now is not the deleted one (a parent that
    // changed folder without setting PWD, or one recreated by a deploy), and its sources.yaml is another file.
    const pwd = process.env.PWD;
    return pwd && path.isAbsolute(pwd) && !existsSync(pwd) ? pwd : path.parse(process.execPath).root;
  }
}

/** Whether descriptor `fd` is a pipe or a socket (`agg … | jq`); false when it cannot be told. */
function isPipe(fd: number): boolean {
  try {
    const stat = fstatSync(fd);
    return stat.isFIFO() || stat.isSocket();
  } catch {
    return false;
  }
}

/** Entry point for src/start.ts (bin/agg.js): real streams, Ctrl-C handling, `process.exitCode`. */
export async function main({ onSearched, build }: Pick<RunOptions, 'onSearched' | 'build'> = {}): Promise<void> {
  // Set when a stream failed for good: its handler exits 74 once its one line is out, and main leaves it to.
  let ioFailed = false;
  for (const stream of [process.stdout, process.stderr]) {
    let readerGone = false;
    stream.on('error', (err: NodeJS.ErrnoException) => {
      // `agg … | head` closes the pipe early: that is the reader's choice, not an error. Stop writing
      // and let the search finish, so that the status still says how it went (`set -o pipefail; agg … |
      // head -1` in a cron job must not report success when every vendor failed). main() exits once the
      // other stream has drained: exiting here, when stderr's reader left first (`2> >(grep -m1 …)`),
      // cut off the JSON still queued for stdout, and exited 0.
      if (err.code === 'EPIPE' || readerGone) {
        readerGone = true;
        return;
      }
      // A full disk or a closed terminal: say so in one line (stderr may be the broken one).
      ioFailed = true;
      process.stderr.write(`agg: cannot write output: ${err.code ?? err.message}\n`, () => process.exit(EXIT.io));
    });
  }
  // A bug thrown where no await catches it (in an event handler: undici 7's parser once asserted there)
  // would end the process with a stack trace. It gets the one line any internal error gets, and exit 70.
  let reportFatal: (err: unknown) => number = (err) => {
    process.stderr.write(`agg: internal error: ${cleanText(String((err as Error)?.message ?? err))}\n`);
    return EXIT.internal;
  };
  const onFatal = (err: unknown): void => {
    process.exit(reportFatal(err));
  };
  process.on('uncaughtException', onFatal);
  process.on('unhandledRejection', onFatal);
  const interrupt = new AbortController();
  const signalled = onSignals(process, interrupt, (code) => process.exit(code));
  // `agg demo --serve` runs until stopped: a hang-up still ends it, or a closed terminal left it holding its port.
  if (!process.argv.includes('--serve')) ignoreHangUpAwayFromTerminal(process);
  const code = await run(
    process.argv.slice(2),
    {
      stdout: process.stdout,
      stderr: process.stderr,
      env: process.env,
      cwd: workingDir(),
      home: homeDir(),
      interrupt: interrupt.signal,
      interruptedBy: signalled,
      stdoutPipe: isPipe(process.stdout.fd),
      onSuspend: (beforeStop) => onSuspend(process, beforeStop),
    },
    {
      exitsAfter: true,
      onSearched,
      ...(build ? { build } : {}),
      onReporter: (report) => {
        reportFatal = report;
      },
    },
  );
  process.exitCode = code === EXIT.interrupted && signalled() === 'SIGTERM' ? EXIT.terminated : code;
  // What arrived is printed: a first signal from here on has nothing left to print, and means now. Taken
  // as a request to print, it was lost: with output still queued for a reader that does not read (a
  // stalled pipe, a pager), a SIGTERM was ignored, and agg waited on, then exited 0.
  interrupt.signal.addEventListener('abort', () =>
    process.exit(signalled() === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted),
  );
  // The answer is out once stdout and stderr have drained; then exit. agg's own timers and idle sockets
  // would let Node end by itself (test/leaks.test.ts), but a connection still being opened (a TLS
  // handshake, or a connect to a host that never answers) is not cancelled by an abort: undici keeps
  // it until its 10 s connect timeout, and a cancelled source must not hold the answer's process.
  // A failed write reports its error on a later tick: let it arrive before deciding how to exit.
  await new Promise((resolve) => setImmediate(resolve));
  await drained(process.stdout);
  await drained(process.stderr);
  if (!ioFailed) process.exit(process.exitCode);
}

/**
 * `agg sony headphones`, the search word where the command goes: commander's `unknown command 'sony'`
 * did not say that a search is a command of its own. Not when commander has a suggestion
 * (`agg serach` is told `Did you mean search?`).
 */
function withSearchHint(message: string): string {
  // Any word, a quote in it too: `agg "levi's jeans"` got no hint at all.
  const word = /^error: unknown command '(.+)'\n$/s.exec(message)?.[1];
  // Quoted as a shell needs it: the hint is a line to paste, and `agg 'AT&T'` was told `agg search AT&T …`.
  // A word after `--` (`agg -- -refurb`) goes after it again: `agg search -refurb` is an unknown option.
  const words = word?.startsWith('-') ? `-- ${shellWord(word)}` : word && shellWord(word);
  // At the message's end: a word may hold a line break, where the hint went in the middle of it.
  return words ? message.replace(/\n$/, ` (to search for it: \`agg search ${words} …\`)\n`) : message;
}

/**
 * `agg search sony -refurbished`, a word that starts with `-`, reads as an unknown option: commander's
 * message alone did not say that a search word goes after `--`. Only for a command that takes words
 * (`agg sources -- -x` is too many arguments), and not for a long option given one dash (`-json`), which
 * `-- -json` would have searched for; and `--` ends the options, so an option after it is a word too.
 */
function withWordHint(message: string, command: Command | undefined): string {
  const word = /^error: unknown option '(-[^-'][^']+)'\n/.exec(message)?.[1];
  if (!word || !command?.registeredArguments.length) return message;
  const hint = command.options.some((option) => option.long === `-${word}`)
    ? `(did you mean -${word}?)`
    : `(a search word that starts with -: put it last, after --, as \`-- ${word}\`)`;
  return message.replace('\n', ` ${hint}\n`);
}
