/**
 * A word as a shell needs it to run a line agg shows for pasting: `query=bose qc` in quotes (copied
 * bare, it is two words), `AT&T` too (bare, the `&` runs `agg search AT` in the background and then
 * a command `T`), and `$(…)` too, which a shell would run. The user's own text, cleaned of controls
 * like any echo of it.
 */
import { cleanText } from '../shared/sanitize.js';

export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${cleanText(word).replaceAll("'", `'\\''`)}'`;
}
