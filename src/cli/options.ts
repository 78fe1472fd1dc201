/**
 * The search flags, declared once and shared by `agg search` and `agg demo`, and their
 * translation into typed options. Closed sets come from the `as const` lists in types.ts.
 */
import { type Command, Option } from 'commander';
import { DURATION_PATTERN, parseDuration, refuseSecondsMeant } from '../config/duration.js';
import { UsageError } from '../errors.js';
import { compileWhere } from '../gather/where.js';
import type { SearchOptions } from '../search/options.js';
import { FORMATS, type Format, NO_CURRENCY, STRATEGIES, type StrategyName } from '../types.js';
import { type CompletionList, completes } from './completes.js';
import { refuseReplacement } from './params.js';

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

/** The words `--hedge` takes besides a duration: the help, the check and the completions read this one list. */
export const HEDGE_WORDS = ['auto', 'off'] as const;
type HedgeWord = (typeof HEDGE_WORDS)[number];

export const SEARCH_CONFIG_HELP =
  'sources file, - for standard input (default: $AGG_CONFIG, ./sources.yaml, $XDG_CONFIG_HOME/agg/sources.yaml, else ~/.config/agg/sources.yaml)';

/** `-c, --config <file>`, whose value completes to a file path. */
export const configOption = (help = SEARCH_CONFIG_HELP): Option =>
  completes(new Option('-c, --config <file>', help), 'file');

/**
 * Adds every search flag to `cmd`; `configHelp` says where its sources file comes from without `-c`.
 * `userFile`: the command reads the user's sources file, so --source, --tag, --param, --sort and --currency complete from it
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
    .option('--limit <n>', 'keep at most n offers (under best: the top n)')
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

/** Output settings, separate from what the search itself needs. */
export interface OutputFlags {
  readonly format: Format;
  readonly strict: boolean;
  readonly quiet: boolean;
  readonly verbose: boolean;
  readonly color: boolean;
}

// The command line always says how to rank: its flags have defaults.
type ResolvedSearch = Omit<SearchOptions, 'text' | 'params' | 'dispatcher' | 'sort' | 'strategy'> &
  Required<Pick<SearchOptions, 'sort' | 'strategy'>>;

/** Validates and converts flags; throws UsageError naming the flag. */
export function resolveFlags(raw: RawSearchFlags): { search: ResolvedSearch; output: OutputFlags } {
  const duration = (flag: string, value: string | undefined): number | undefined => {
    if (value === undefined) return undefined;
    try {
      refuseSecondsMeant(value);
      const ms = parseDuration(value);
      if (ms <= 0) throw new Error('must be more than 0');
      return ms;
    } catch (err) {
      throw new UsageError(`${flag}: ${(err as Error).message}`);
    }
  };
  // `--source "$VENDORS"` with VENDORS empty names no source: selecting every one instead would send the
  // query to every vendor in the file (paid APIs too), as `-c ""` would read the wrong file.
  for (const [flag, names] of [
    ['--source', raw.source],
    ['--tag', raw.tag],
  ] as const) {
    if (names === undefined) continue;
    const given = names.filter(Boolean);
    if (given.length === 0) throw new UsageError(`${flag} needs a name, and was given none`);
    // `--source ebay --source "$MORE"` with MORE unset, or `--source 'ebay,'`: the empty one was dropped in
    // silence, and the search ran without what the script meant to add.
    if (given.length < names.length) {
      throw new UsageError(
        `${flag} was given an empty name beside ${given.map((n) => JSON.stringify(n)).join(', ')} (a stray comma, or an empty $VAR): give names only`,
      );
    }
  }
  // Checked here so the message names the flag: search() refuses it too, but in the library's words
  // (`sort: expected { field: "price", desc: false }`), which `--sort "$FIELD"` with FIELD unset does not use.
  // Trimmed, as --currency is: `--sort " stops"` (a list's leftover space) warned of no field ` stops`.
  const sort = (raw.sort ?? 'price').trim();
  if (sort === '') throw new UsageError('--sort: expected an offer field, like price or stops');
  let limit: number | undefined;
  if (raw.limit !== undefined) {
    // Digits only: Number() would also take `0x10`, `1e3` and ` 5 `. One past what a double counts exactly
    // (`--limit 999999999999999999`, for "all") was refused as no whole number: it limits nothing, as the most does.
    limit = /^\d+$/.test(raw.limit) ? Math.min(Number(raw.limit), Number.MAX_SAFE_INTEGER) : Number.NaN;
    if (!Number.isSafeInteger(limit) || limit < 1)
      throw new UsageError(`--limit: expected a whole number ≥ 1, got "${raw.limit}"`);
  }
  let retries: number | undefined;
  if (raw.retries !== undefined) {
    // Digits only, as --limit: Number() reads `--retries "$N"` with N unset as 0, turning off every
    // source's own retries in silence, and takes `0x2`, `1e0` and ` 2` too.
    retries = /^\d+$/.test(raw.retries) ? Number(raw.retries) : Number.NaN;
    if (!Number.isInteger(retries) || retries < 0 || retries > 5)
      throw new UsageError(`--retries: expected a whole number from 0 to 5, got "${raw.retries}"`);
  }
  let hedge: number | HedgeWord | undefined = HEDGE_WORDS.find((word) => word === raw.hedge?.trim());
  if (hedge === undefined && raw.hedge !== undefined) {
    // Only what is no duration at all is told that auto is taken too: a duration refused for its size kept
    // that message, so `--hedge 0` and `--hedge 30000000000` read "expected a duration like 300ms".
    if (!new RegExp(DURATION_PATTERN).test(raw.hedge.trim()))
      throw new UsageError(`--hedge: expected a duration like 300ms, auto, or off; got "${raw.hedge}"`);
    hedge = duration('--hedge', raw.hedge);
  }
  const currency = raw.currency?.trim().toUpperCase();
  if (currency !== undefined && !/^[A-Z]{3}$/.test(currency)) {
    throw new UsageError(`--currency: expected a 3-letter code like USD, got "${raw.currency}"`);
  }
  // XXX marks the offers that gave no currency: ranked "in" it, every real price went unconverted.
  if (currency === NO_CURRENCY) {
    throw new UsageError(`--currency: ${NO_CURRENCY} marks offers that gave no currency; rank in a real one, like USD`);
  }
  // `--where "$FILTER"` with FILTER unset read `invalid JSONata "": Unexpected end of expression`.
  if (raw.where?.trim() === '')
    throw new UsageError('--where needs an expression, and was given none (like --where "stops = 0")');
  // As a search term is: `title ~> /café/` from a Latin-1 terminal matched no offer, without a word.
  if (raw.where !== undefined) refuseReplacement(raw.where, `--where ${JSON.stringify(raw.where)}`);
  // Named as the flag: its errors, and search()'s when it throws on every offer, say `--where: …`.
  const where: ResolvedSearch['where'] = raw.where === undefined ? undefined : compileWhere(raw.where, '--where');
  return {
    search: {
      strategy: raw.strategy,
      sort: { field: sort, desc: Boolean(raw.desc) },
      limit,
      currency,
      where,
      names: raw.source,
      tags: raw.tag,
      timeoutMs: duration('--timeout', raw.timeout),
      deadlineMs: duration('--deadline', raw.deadline),
      retries,
      hedge,
    },
    output: {
      format: raw.json ? 'json' : raw.format,
      strict: Boolean(raw.strict),
      quiet: Boolean(raw.quiet),
      verbose: Boolean(raw.verbose),
      color: raw.color,
    },
  };
}

/** `--hedge` makes every source hedge (the dispatcher then counts each as two users of its origin): not `off`. */
export const hedgesEvery = (hedge: number | HedgeWord | undefined): boolean => hedge !== undefined && hedge !== 'off';
