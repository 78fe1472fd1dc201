/**
 * The command line: commander wiring, and the only module that touches `process`.
 * `run()` takes argv and an Io so tests can drive it; `main()` binds it to the real process.
 *
 * Only commander and the flag declarations load up front: each action imports what it needs
 * (undici, yaml, zod, jsonata, ora, cli-table3), so `agg --version` and `--help` cost little more
 * than starting node (issue #7: ≤ 1.5× `node -e 0`).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Argument, Command, Option } from 'commander';
import { SHELLS, type Shell } from './cli/completes.js';
import type { CompletionFlags } from './cli/completion-command.js';
import type { DemoFlags } from './cli/demo.js';
import { COMPLETION_HELP, SEARCH_EXAMPLES } from './cli/help-text.js';
import { type Io, tableWidth } from './cli/io.js';
import { loadSourcesFile } from './cli/load-sources.js';
import { addSearchOptions, configOption, type RawSearchFlags } from './cli/options.js';
import { cleanLines, report } from './cli/report.js';
import { hedgesEvery, resolveFlags } from './cli/resolve-flags.js';
import { sharedDispatcher } from './cli/shared-dispatcher.js';
import { ignoreHangUpAwayFromTerminal, onSignals, onSuspend } from './cli/signals.js';
import { drained, isPipe } from './cli/stdio.js';
import { refuseHelpForNoCommand, withSearchHint, withWordHint } from './cli/usage-hints.js';
import { EXIT } from './errors.js';
import { redactQuery } from './shared/credential-params.js';
import { homeDir } from './shared/home.js';
import { makeRedactor, type Redactor, redactUserInfo } from './shared/redact.js';
import { cleanText } from './shared/sanitize.js';
import { VERSION } from './shared/version.js';

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
  // One for every command: made on first use (cli/shared-dispatcher.ts), so `--help` never loads undici.
  const dispatcher = sharedDispatcher(io.env);
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
    const config = await loadSourcesFile(flag, io, build, () => process.stdin);
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
        import('./history/index.js'),
      ]);
      // Only real searches feed the latency history: the demo's vendors would skew a real source's p95.
      const historyFile = defaultHistoryFile(io.env, io.home);
      const withHistory = { ...resolved, search: { ...resolved.search, historyFile, exitsAfter } };
      const sender = await dispatcher.get(config, hedgesEvery(resolved.search.hedge));
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
        import('./history/index.js'),
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
        // With their values: the demo's heading repeats them.
        .map((o) => ({ flag: o.long ?? o.flags, value: command.getOptionValue(o.attributeName()) }));
      code = await runDemo(terms, flags, io, dispatcher.get, typed, () => process.stdin);
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
      // Not loadFrom: the list reads the file in an environment of its own (toleratingUnset), and the
      // redactor it would set is for a search's errors, which a completion never prints.
      const load = (file: string, env: Io['env']) => loadSourcesFile(file, { ...io, env }, build, () => process.stdin);
      code = await runCompletion(shell, flags, program, io, load);
    });

  try {
    refuseHelpForNoCommand(program, argv);
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    code = report(err, io, redact);
  } finally {
    if (!exitsAfter) await dispatcher.destroy();
  }
  return code;
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
