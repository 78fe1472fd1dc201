/** The search flags' values, as commander hands them over (cli/options.ts), checked and turned into typed options. */
import { DURATION_PATTERN, parseDuration, refuseSecondsMeant } from '../config/duration.js';
import { UsageError } from '../errors.js';
import { compileWhere } from '../gather/where.js';
import { checkDistinctFields, splitFields } from '../rank/distinct-fields.js';
import type { SearchOptions } from '../search/options.js';
import { type Format, NO_CURRENCY } from '../types.js';
import { HEDGE_WORDS, type HedgeWord, type RawSearchFlags } from './options.js';
import { refuseReplacement } from './params.js';

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
  // Checked here, where a mistake can name the flag; split at commas, each trimmed, as --source's names are.
  const distinct =
    raw.distinct === undefined
      ? undefined
      : checkDistinctFields(splitFields(raw.distinct), '--distinct', '--distinct carrier,departure');
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
      distinct,
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
