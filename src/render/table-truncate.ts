/**
 * cli-table3 0.6's `truncate`, made linear for text without escape codes. Its truncateWidth cuts a
 * string that is wider than it is long (CJK, emoji) one UTF-16 unit at a time, measuring the whole rest
 * with string-width each time; and Cell.draw calls it on every cell, for a debug line it never prints
 * (`truncate(content, 10)`). So a piped table of 1,000 offers with 300-character Japanese titles took
 * 11 s to draw (0.6 s in Latin letters), and one vendor title of 2,000,000 CJK characters hours, deaf to
 * SIGTERM, as drawing one block is synchronous.
 *
 * Cell.draw reads `utils.truncate` from cli-table3's utils module at each call, so it is replaced there,
 * once. Same result: the longest prefix that fits, then `…`. A text with escape codes (a colour, a link)
 * keeps the original, which carries the codes over the cut.
 */
import tableUtils from 'cli-table3/src/utils.js';

const original = tableUtils.truncate;

/**
 * The longest prefix of `text` (in UTF-16 units, as cli-table3 cuts) no wider than `width`. A unit adds
 * at most 2 columns, so dropping half the excess in units never skips a prefix that fits: O(log n) measures.
 */
function fittingPrefix(text: string, width: number): string {
  // As cli-table3 does: nothing under a width of none, and a text as wide as it is long (wide and
  // zero-width characters may even out) cut by units.
  if (width <= 0) return '';
  if (text.length === tableUtils.strlen(text)) return text.substr(0, width);
  let rest = text;
  let over = tableUtils.strlen(rest) - width;
  while (over > 0 && rest.length > 0) {
    rest = rest.slice(0, -Math.max(1, Math.floor(over / 2)));
    over = tableUtils.strlen(rest) - width;
  }
  return rest;
}

tableUtils.truncate = (text, width, mark) => {
  if (typeof text !== 'string' || text.includes('\u001b')) return original(text, width, mark);
  if (tableUtils.strlen(text) <= width) return text;
  const ellipsis = mark || '…';
  return `${fittingPrefix(text, width - tableUtils.strlen(ellipsis))}${ellipsis}`;
};
