/** How a demo shop searches its items: every word of the search in the item's title or keywords. */

const stem = (word: string): string => (word.length > 3 && word.endsWith('s') ? word.slice(0, -1) : word);

/** Lowercase search words, crudely stemmed so that "headphones" finds "Headphone Stand". */
export const searchWords = (text: string): string[] =>
  text
    .toLowerCase()
    .split(/[^\p{L}\p{N}.-]+/u)
    .filter(Boolean)
    .map(stem);

/** True when every word occurs in the item's title or keywords. An empty search matches all. */
export function matches(item: { title: string; keywords: string }, words: readonly string[]): boolean {
  const haystack = `${item.title} ${item.keywords}`.toLowerCase();
  return words.every((w) => haystack.includes(w));
}
