/**
 * The candidates `agg completion --list NAME` prints from a loaded sources file, one a line, for the
 * shell scripts to offer: source names (--source), tags (--tag), and a search's `name=` params with the
 * `name=choice` words of those that declare choices.
 */
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
 * The candidates of `list` in `config`, each once, in the file's order. A tag, a `requires:` name or a
 * choice may be a `${VAR}`'s value, a secret `agg sources` shows as `***`: left out, not printed to the
 * terminal (and a candidate with `***` in it is no value to complete to).
 */
export function completionCandidates(config: Config, list: CompletionList): string[] {
  const redact = makeRedactor(config.secretNames);
  const words =
    list === 'sources'
      ? config.sources.map((s) => s.name)
      : list === 'tags'
        ? config.sources.flatMap((s) => s.tags)
        : paramWords(config);
  return [...new Set(words)].filter((word) => printable(word) && redact(word) === word);
}
