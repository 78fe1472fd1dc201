/**
 * The candidates `agg completion --list NAME` prints from a loaded sources file, one a line, for the
 * shell scripts to offer: source names (--source), tags (--tag), a search's `name=` params with the
 * `name=choice` words of those that declare choices, the offer fields --sort ranks by and --distinct
 * folds by, and the currency codes --currency can rank in.
 */
import { BASE_KEYS } from '../render/fields.js';
import { makeRedactor } from '../shared/redact.js';
import type { Config } from '../types.js';
import type { CompletionList } from './completes.js';

/**
 * A candidate the prompt can take as it is. The file is the user's, not a vendor's, but a choice may
 * still hold a line break (one candidate would print as two) or an escape a terminal acts on; the schema
 * already keeps names and tags plain. Dropped rather than cleaned: a cleaned choice is not the value its
 * declaration allows, and would be refused when the search runs.
 */
const printable = (word: string): boolean =>
  word !== '' && !/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(word) && word.isWellFormed();

/**
 * The params a search can set, as `name=`: those the file declares, and those a source requires (its
 * `requires:`, and what its templates read). Not `query`: a search's words are its query.
 */
function paramWords(config: Config): string[] {
  const params = config.params ?? {};
  const names = [...new Set([...Object.keys(params), ...config.sources.flatMap((s) => s.requires)])];
  // Object.hasOwn: a source may require a param named `constructor`, which every object has.
  const choices = (name: string) => (Object.hasOwn(params, name) ? (params[name]?.choices ?? []) : []);
  return names
    .filter((name) => name !== 'query')
    .flatMap((name) => [`${name}=`, ...choices(name).map((choice) => `${name}=${choice}`)]);
}

/**
 * The fields `--sort` can rank by, and `--distinct` fold by: the offer model's own (not `rank`, which is
 * numbered after the sort, so no offer has it to sort by, nor two the same), then each field a source's
 * `fields:` maps (`stops`, `rating`).
 */
const sortFields = (config: Config): string[] => [
  ...BASE_KEYS.filter((key) => key !== 'rank'),
  ...config.sources.flatMap((s) => Object.keys(s.fields)),
];

/**
 * The codes `--currency` can rank in: the file's own `currency`, the ones its `rates` convert from,
 * and the sources' `currency:` (a source's offers rank unconverted in another, so its own is a choice).
 */
const currencyCodes = (config: Config): string[] => [
  ...(config.currency === undefined ? [] : [config.currency]),
  ...Object.keys(config.rates),
  ...config.sources.flatMap((s) => (s.currency === undefined ? [] : [s.currency])),
];

/** Each list's words, before the checks every candidate goes through. */
const LIST_WORDS: Readonly<Record<CompletionList, (config: Config) => string[]>> = {
  sources: (config) => config.sources.map((s) => s.name),
  tags: (config) => config.sources.flatMap((s) => s.tags),
  params: paramWords,
  fields: sortFields,
  currencies: currencyCodes,
};

/**
 * The candidates of `list` in `config`, each once, in the file's order. A tag, a `requires:` name or a
 * choice may be a `${VAR}`'s value, a secret `agg sources` shows as `***`, and a field may be named as a
 * secret is: left out, not printed to the terminal (and a candidate with `***` in it is no value to
 * complete to). A currency code, 3 letters, is shorter than any value hidden as a secret.
 */
export function completionCandidates(config: Config, list: CompletionList): string[] {
  const redact = makeRedactor(config.secretNames);
  return [...new Set(LIST_WORDS[list](config))].filter((word) => printable(word) && redact(word) === word);
}
