/**
 * The search flags, declared once and shared by `agg search` and `agg demo`; cli/resolve-flags.ts turns
 * their values into typed options. Closed sets come from the `as const` lists in types.ts. Only what
 * declaring them needs is imported here: `--help` and `--version` load this file (cli/help-only.ts).
 */
import { type Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { FORMATS, type Format, STRATEGIES, type StrategyName } from '../types.js';
import { type CompletionList, completes } from './completes.js';

/** Raw flag values as commander hands them over. */
export interface RawSearchFlags {
  config?: string;
  strategy: StrategyName;
  format: Format;
  json?: boolean;
  param?: string[];
  source?: string[];
  tag?: string[];
  where?: string;
  sort?: string;
  desc?: boolean;
  distinct?: string;
  limit?: string;
  currency?: string;
  timeout?: string;
  deadline?: string;
  retries?: string;
  hedge?: string;
  strict?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  color: boolean;
}

// No commander default for lists: `(default: [])` in the help says nothing. Empty names are kept, for
// resolveFlags to refuse with the flag's name.
const collect = (value: string, previous: string[] | undefined): string[] => [
  ...(previous ?? []),
  ...value.split(',').map((s) => s.trim()),
];

/**
 * `--where 'price < 500' --where 'stops = 0'` kept only the last filter: commander keeps an option's last
 * value, so offers with stops came out, the first filter gone in silence. Refused, as a param given twice is.
 */
const oneWhere = (value: string, previous: string | undefined): string => {
  if (previous !== undefined && previous !== value) {
    throw new UsageError(
      `--where is given twice (${JSON.stringify(previous)} and ${JSON.stringify(value)}): give one, joining them with and`,
    );
  }
  return value;
};

/**
 * `--sort stops --sort price`, meant as stops then price, ranked by price alone: commander keeps the last
 * value, and the stops were dropped in silence. One field ranks; ties on it already go cheapest first.
 * (No commander default: it would reach here as `previous`, and `--sort stops` would seem given twice.)
 */
const oneSort = (value: string, previous: string | undefined): string => {
  if (previous !== undefined && previous !== value) {
    throw new UsageError(
      `--sort is given twice (${JSON.stringify(previous)} and ${JSON.stringify(value)}): give one field; ties on it are ranked by price, cheapest first`,
    );
  }
  return value;
};

/**
 * `--distinct carrier --distinct departure` could mean both fields or the last: refused, as a second
 * --sort is, rather than guessed. One list says it: `--distinct carrier,departure`.
 */
const oneDistinct = (value: string, previous: string | undefined): string => {
  if (previous !== undefined && previous !== value) {
    throw new UsageError(
      `--distinct is given twice (${JSON.stringify(previous)} and ${JSON.stringify(value)}): give one list of fields, comma-separated (--distinct carrier,departure)`,
    );
  }
  return value;
};

/** The words `--hedge` takes besides a duration: the help, the check and the completions read this one list. */
export const HEDGE_WORDS = ['auto', 'off'] as const;
export type HedgeWord = (typeof HEDGE_WORDS)[number];

export const SEARCH_CONFIG_HELP =
  'sources file, - for standard input (default: $AGG_CONFIG, ./sources.yaml, $XDG_CONFIG_HOME/agg/sources.yaml, else ~/.config/agg/sources.yaml)';

/** `-c, --config <file>`, whose value completes to a file path. */
export const configOption = (help = SEARCH_CONFIG_HELP): Option =>
  completes(new Option('-c, --config <file>', help), 'file');

/**
 * Adds every search flag to `cmd`; `configHelp` says where its sources file comes from without `-c`.
 * `userFile`: the command reads the user's sources file, so --source, --tag, --param, --sort, --distinct and --currency complete from it
 * (not the demo's, which reads the bundled example).
 */
export function addSearchOptions(cmd: Command, configHelp = SEARCH_CONFIG_HELP, userFile = true): Command {
  const fromFile = (option: Option, list: CompletionList): Option => (userFile ? completes(option, list) : option);
  return cmd
    .addOption(configOption(configHelp))
    .addOption(new Option('-s, --strategy <name>', 'how offers are reduced').choices(STRATEGIES).default('all'))
    .addOption(new Option('-f, --format <format>', 'output format').choices(FORMATS).default('table'))
    .addOption(new Option('--json', 'shorthand for --format json').conflicts('format'))
    .addOption(
      fromFile(
        new Option('-p, --param <name=value>', 'set a query param (repeatable)').argParser(
          (v: string, p?: string[]) => [...(p ?? []), v],
        ),
        'params',
      ),
    )
    .addOption(
      fromFile(
        new Option('--source <names>', 'these sources (comma-separated, repeatable; added to --tag)').argParser(
          collect,
        ),
        'sources',
      ),
    )
    .addOption(
      fromFile(
        new Option(
          '--tag <tags>',
          'sources with any of these tags (comma-separated, repeatable; added to --source)',
        ).argParser(collect),
        'tags',
      ),
    )
    .option('--where <jsonata>', "keep offers for which this is truthy, e.g. 'stops = 0 and price < 500'", oneWhere)
    .addOption(
      fromFile(
        new Option('--sort <field>', 'rank by this offer field (default: "price")').argParser(oneSort),
        'fields',
      ),
    )
    .option('--desc', 'rank in descending order')
    .addOption(
      fromFile(
        new Option(
          '--distinct <fields>',
          'list offers alike in these fields (comma-separated) once: the first ranked, with where else it was (alsoAt)',
        ).argParser(oneDistinct),
        'fields',
      ),
    )
    .option('--limit <n>', 'keep at most n offers (under best: the top n; after --distinct)')
    .addOption(
      fromFile(new Option('--currency <code>', 'ranking and display currency (overrides the file)'), 'currencies'),
    )
    .option('--timeout <duration>', 'per-source time limit, e.g. 2s (overrides the file)')
    .option('--deadline <duration>', 'time limit for the whole run; late sources become timeout')
    .option('--retries <n>', 'extra attempts on 429/502/503/504 and connection errors, 0-5 (overrides the file)')
    .addOption(
      completes(
        new Option(
          `--hedge <duration|${HEDGE_WORDS.join('|')}>`,
          'send one duplicate request when a source has not answered after this long, or auto: its recorded p95; off: none',
        ),
        { words: HEDGE_WORDS },
      ),
    )
    .option('--strict', 'exit 3 when any source fails or times out')
    .option('-q, --quiet', 'no spinner, status rows or summary on stderr (warnings stay)')
    .option('--verbose', 'log each request to stderr (secrets redacted)')
    .option(
      '--no-color',
      'no colour, nor links in the table (also NO_COLOR, FORCE_COLOR=0, TERM=dumb, or stdout not a terminal)',
    );
}
