/**
 * The command line as commander knows it: the commands, their arguments and flags, their help texts and
 * how commander reports a mistake; what each command does is handed in. cli.ts runs it with the real
 * actions; cli/help-only.ts with none, to print `--help` and `--version` without loading the rest of agg.
 * Only what declaring it needs is imported here (no action code): the completion scripts, the help and
 * both runs read this one definition.
 */
import { Argument, Command, Option } from 'commander';
import { VERSION } from '../shared/version.js';
import { SHELLS, type Shell } from './completes.js';
import type { CompletionFlags } from './completion-command.js';
import type { DemoFlags } from './demo.js';
import { COMPLETION_HELP, SEARCH_EXAMPLES } from './help-text.js';
import type { Out } from './io.js';
import { addSearchOptions, configOption, type RawSearchFlags } from './options.js';
import { cleanLines } from './report.js';
import { withSearchHint, withWordHint } from './usage-hints.js';

/** The flags of `agg sources`. */
export interface SourcesFlags {
  config?: string;
  json?: boolean;
}

/** What each command does when commander runs it. */
export interface ProgramActions {
  search(terms: string[], flags: RawSearchFlags): Promise<void>;
  sources(flags: SourcesFlags): Promise<void>;
  /** `command`: the demo's, whose flags tell a typed one from a default. */
  demo(terms: string[], flags: RawSearchFlags & DemoFlags, command: Command): Promise<void>;
  /** `program`: the command line the completion script completes. */
  completion(shell: Shell | undefined, flags: CompletionFlags, program: Command): Promise<void>;
}

/** Makes the command line, writing help and commander's errors to `out`; it throws CommanderError rather than exit. */
export function defineProgram(out: { readonly stdout: Out; readonly stderr: Out }, actions: ProgramActions): Command {
  let subcommand: Command | undefined;
  const program = new Command('agg')
    .description('Compare prices and flights across vendor APIs: one query, every source at once.')
    .version(VERSION, '-V, --version')
    .exitOverride()
    // commander's own errors quote the argument they refuse (`unknown option '--\x1b]52;…'`): cleaned
    // line by line like report()'s, since a flag's text may hold anything a terminal acts on.
    .configureOutput({
      writeOut: (s) => out.stdout.write(s),
      // `agg: ` as every other message of agg's starts, not commander's `error: `.
      writeErr: (s) =>
        out.stderr.write(cleanLines(withSearchHint(withWordHint(s, subcommand))).replace(/^error: /, 'agg: ')),
    })
    .showHelpAfterError('(add --help for usage)')
    // The command an error comes from, for withWordHint: only search and demo take words.
    .hook('preSubcommand', (_, sub) => {
      subcommand = sub;
    });

  addSearchOptions(program.command('search').argument('[terms...]', 'words, and name=value params'))
    .description('search every relevant source and rank the offers')
    .addHelpText('after', SEARCH_EXAMPLES)
    .action((terms: string[], flags: RawSearchFlags) => actions.search(terms, flags));

  program
    .command('sources')
    .description('list the configured sources (and check the file)')
    .addOption(configOption())
    .option('--json', 'as JSON')
    // The listing has no colour; the flag is accepted so that a script or alias may pass it to every command.
    .option('--no-color', 'no colour (accepted for symmetry with search: this listing has none)')
    .action((flags: SourcesFlags) => actions.sources(flags));

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
    .action((terms: string[], flags: RawSearchFlags & DemoFlags, command: Command) =>
      actions.demo(terms, flags, command),
    );

  program
    .command('completion')
    .description('print a shell completion script (see --help for where it goes)')
    .addArgument(new Argument('[shell]', 'the shell').choices(SHELLS))
    // What the scripts ask for as the user presses Tab: never typed, so not in the help.
    .addOption(new Option('--list <what>').hideHelp())
    .addOption(configOption().hideHelp())
    .addHelpText('after', COMPLETION_HELP)
    .action((shell: Shell | undefined, flags: CompletionFlags) => actions.completion(shell, flags, program));

  return program;
}
