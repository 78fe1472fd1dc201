/**
 * "Did you mean" for a name typed wrong: a key of the sources file (config/issues.ts), or an option a
 * JavaScript caller passes to search(). Its own module, so that search() does not load zod's schema for it.
 */

/**
 * Edit distance, for suggestions, with a swap of two neighbours as one edit (`titel` is one edit from
 * `title`): the optimal string alignment distance. Keys are short, so the plain quadratic table is fine.
 */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => d[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * A word without its plural ending (`retries` → `retry`, `headers` → `header`, `boxes` → `box`), to find
 * the other number of a key: `retry` is three edits from `retries`, far more than a short word may differ.
 */
function singular(word: string): string {
  if (/[^aeiou]ies$/.test(word)) return `${word.slice(0, -3)}y`;
  if (/(?:[sxz]|[cs]h)es$/.test(word)) return word.slice(0, -2);
  return /[^s]s$/.test(word) ? word.slice(0, -1) : word;
}

// A word cut short (`idempot`), or with a little more after it (`retriesMax`), is that candidate when
// it keeps this much of it: `time` is no `timeout`, and `title` no `title_en`.
const PREFIX_SHARE = 2 / 3;
const PREFIX_MIN = 5;

/** The one candidate that `word` starts or begins with, keeping PREFIX_SHARE of the longer, if only one does. */
function byPrefix(word: string, candidates: readonly string[]): string | undefined {
  const found = candidates.filter((c) => {
    const [short, long] = word.length < c.length ? [word, c.toLowerCase()] : [c.toLowerCase(), word];
    return short.length >= PREFIX_MIN && long.startsWith(short) && short.length >= long.length * PREFIX_SHARE;
  });
  return found.length === 1 ? found[0] : undefined;
}

/**
 * The candidate `word` was meant as, if any: the other number of it (`retry`, `retries`), else the closest
 * within a couple of edits (fewer for short words), else the only one it is a cut or a longer form of.
 */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  const stem = singular(lower);
  const sameStem = candidates.filter((c) => singular(c.toLowerCase()) === stem);
  if (stem.length >= 3 && sameStem.length === 1) return sameStem[0];
  const limit = Math.min(2, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const c of candidates) {
    const d = distance(lower, c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best ?? byPrefix(lower, candidates);
}
