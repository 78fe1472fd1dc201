/**
 * From command-line terms to query params: `name=value` terms and `--param` set params, the
 * other words join into `query`. So both `sony headphones` and `from=JFK to=LHR` read naturally.
 */
import { UsageError } from '../errors.js';
import type { Params } from '../types.js';

const ASSIGNMENT = /^([A-Za-z_]\w*)=(.*)$/s;
/** `return-date=2026-12-27`: meant as a param, but a name has no `-`; as a word it would be searched for. */
const DASHED_ASSIGNMENT = /^([A-Za-z_][\w-]*-[\w-]*)=/;

/** The param a term sets (`from` for `from=JFK`), or undefined for a word. */
export const paramName = (term: string): string | undefined => ASSIGNMENT.exec(term)?.[1];

/**
 * Node reads the command line as UTF-8, and a byte that is not (a Latin-1 terminal's `é`, text from a
 * Latin-1 file) as U+FFFD: `agg search café` there searched for `caf%EF%BF%BD` without a word, as a
 * sources file saved as Latin-1 did before config/read.ts refused it. The bytes are gone: only say so.
 * `named` is how the message names the text: the term itself, or the flag and its value.
 */
export function refuseReplacement(text: string, named = JSON.stringify(text)): void {
  if (text.includes('\uFFFD'))
    throw new UsageError(
      `${named}: bytes that are not UTF-8 were read as \uFFFD (a terminal or file in Latin-1?); give the text as UTF-8`,
    );
}

/** The params and the display text of a query. */
export function parseTerms(
  terms: readonly string[],
  assignments: readonly string[] = [],
): { text: string; params: Params } {
  const words: string[] = [];
  const params: Record<string, string> = Object.create(null);
  // `from=JFK … from=EWR` would search one of them and silently drop the other.
  const byParam = new Set<string>();
  const set = (name: string, value: string, viaParam: boolean): void => {
    const before = params[name];
    if (before !== undefined && before !== value) {
      // The terms are read before the --param values: commander hands them over apart, and does not say
      // which came first on the line. Of one of each, the message says which is which, not an order:
      // `-p from=JFK from=EWR` read `("EWR" and "JFK")`, the reverse of what was typed.
      const mixed = viaParam && !byParam.has(name);
      const values = mixed
        ? `${JSON.stringify(before)} in the search terms, ${JSON.stringify(value)} by --param`
        : `${JSON.stringify(before)} and ${JSON.stringify(value)}`;
      throw new UsageError(`${name} is given twice (${values}): give it once`);
    }
    // Blank (`query="  "`) is given empty, as the words' `agg search "  "` is nothing to search for: sent, it
    // was a 400 from two shops and every listing of a third, ranked as an answer.
    params[name] = value.trim() === '' ? '' : value;
    if (viaParam) byParam.add(name);
  };
  for (const term of [...terms, ...assignments]) refuseReplacement(term);
  for (const term of terms) {
    const m = ASSIGNMENT.exec(term);
    if (m) set(m[1] as string, m[2] as string, false);
    else {
      const dashed = DASHED_ASSIGNMENT.exec(term)?.[1];
      if (dashed) {
        throw new UsageError(
          `${JSON.stringify(term)}: a param name has letters, digits and _ only (${dashed.replaceAll('-', '_')}=…); to search for it as words, give query=…`,
        );
      }
      words.push(term);
    }
  }
  for (const a of assignments) {
    const m = ASSIGNMENT.exec(a);
    if (!m)
      throw new UsageError(`--param ${JSON.stringify(a)}: expected name=value, with a name like from or max_price`);
    set(m[1] as string, m[2] as string, true);
  }
  const query = words.join(' ').trim();
  // `agg search bar query=foo` would search for one of them and silently drop the other.
  if (query && params.query !== undefined && params.query !== query) {
    throw new UsageError(
      `both words (${JSON.stringify(query)}) and query=${JSON.stringify(params.query)}: give the query one way`,
    );
  }
  if (query) params.query ??= query;
  if (Object.keys(params).length === 0) {
    throw new UsageError('nothing to search for: give words (agg search sony headphones) or params (from=JFK to=LHR)');
  }
  const named = Object.entries(params).filter(([k]) => !(k === 'query' && params.query === query));
  const text = [query, ...named.map(([k, v]) => `${k}=${v}`)].filter(Boolean).join(' ');
  return { text, params: { ...params } };
}
