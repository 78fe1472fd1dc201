/**
 * The command line: commander wiring (the commands themselves are cli/program.ts) and what each command
 * does. `run()` takes argv and an Io so tests can drive it; `main()` binds it to the real process (main.ts).
 *
 * Only commander and the flag declarations load up front: each action imports what it needs
 * (undici, yaml, zod, jsonata, ora, cli-table3). `agg --version` and `--help` do not load this file at
 * all when asked alone (start.ts, cli/help-only.ts): issue #7, ≤ 1.5× `node -e 0`.
 */
import { type Io, tableWidth } from './cli/io.js';
import { loadSourcesFile } from './cli/load-sources.js';
import { defineProgram } from './cli/program.js';
import { report } from './cli/report.js';
import { hedgesEvery, resolveFlags } from './cli/resolve-flags.js';
import { sharedDispatcher } from './cli/shared-dispatcher.js';
import { refuseHelpForNoCommand } from './cli/usage-hints.js';
import { EXIT } from './errors.js';
import { type RunOptions, runInProcess } from './main.js';
import { redactQuery } from './shared/credential-params.js';
import { makeRedactor, type Redactor, redactUserInfo } from './shared/redact.js';

/** Runs agg with `argv` (without node and script) and returns the exit code. */
export async function run(
  argv: readonly string[],
  io: Io,
  { exitsAfter = false, onSearched, build, onReporter }: RunOptions = {},
): Promise<number> {
  let code: number = EXIT.ok;
  // One for every command: made on first use (cli/shared-dispatcher.ts), so `--help` never loads undici.
  const dispatcher = sharedDispatcher(io.env);
  // Until a config names its secrets, an error can still carry a credential-looking URL param.
  let redact: Redactor = (text) => redactUserInfo(redactQuery(text));
  onReporter?.((err) => report(err, io, redact));
  const loadFrom = async (flag: string | undefined) => {
    const config = await loadSourcesFile(flag, io, build, () => process.stdin);
    redact = makeRedactor(config.secretNames);
    return config;
  };

  const program = defineProgram(io, {
    search: async (terms, flags) => {
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
    },
    sources: async (flags) => {
      const [{ renderSources }, { defaultHistoryFile, LatencyHistory }] = await Promise.all([
        import('./render/sources.js'),
        import('./history/index.js'),
      ]);
      const historyFile = defaultHistoryFile(io.env, io.home);
      const history = historyFile ? LatencyHistory.load(historyFile).history : undefined;
      const width = tableWidth(io);
      io.stdout.write(renderSources(await loadFrom(flags.config), { json: Boolean(flags.json), history, width }));
    },
    demo: async (terms, flags, command) => {
      const { runDemo } = await import('./cli/demo.js');
      // The flags typed, not those at their default: --serve refuses a search's, rather than ignore it.
      const typed = command.options
        .filter((o) => command.getOptionValueSource(o.attributeName()) === 'cli')
        // With their values: the demo's heading repeats them.
        .map((o) => ({ flag: o.long ?? o.flags, value: command.getOptionValue(o.attributeName()) }));
      code = await runDemo(terms, flags, io, dispatcher.get, typed, () => process.stdin);
      onSearched?.();
    },
    completion: async (shell, flags, program) => {
      const { runCompletion } = await import('./cli/completion-command.js');
      // Not loadFrom: the list reads the file in an environment of its own (toleratingUnset), and the
      // redactor it would set is for a search's errors, which a completion never prints.
      const load = (file: string, env: Io['env']) => loadSourcesFile(file, { ...io, env }, build, () => process.stdin);
      code = await runCompletion(shell, flags, program, io, load);
    },
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

/** Entry point for src/start-whole.ts (bin/agg.js): run() with real streams, Ctrl-C and the exit code (main.ts). */
export function main(options: Pick<RunOptions, 'onSearched' | 'build'> = {}): Promise<void> {
  return runInProcess(run, options);
}
