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

// What makes a UTF-16 unit other than a column of its own: half of a pair (an emoji, a flag), what
// string-width counts as no column or what joins the character before (marks, format characters, the
// Hangul vowels and finals). Text without them is a column a unit at least.
const NOT_ONE_UNIT_EACH = /[\ud800-\udfff\p{M}\p{Cf}\u1160-\u11ff]/u;

// Made on first use: making one costs ~15 ms (ICU's break rules).
let graphemes: Intl.Segmenter | undefined;

/** Where the character (grapheme cluster) that UTF-16 unit `index` of `text` belongs to starts. */
function characterStart(text: string, index: number): number {
  if (index >= text.length) return text.length;
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return graphemes.segment(text).containing(index)?.index ?? index;
}

/**
 * The longest prefix of `text`, whole characters, no wider than `width`. A unit adds at most 2 columns,
 * so dropping half the excess in units never skips a prefix that fits: O(log n) measures. Then back to
 * where the character the cut fell in starts: cut by units, `x☕️☕` lost its last selector (a column
 * wider than the border), a flag was cut in two, a family emoji after a joiner.
 */
function fittingPrefix(text: string, width: number): string {
  // As cli-table3 does: nothing under a width of none.
  if (width <= 0) return '';
  const measured = tableUtils.strlen(text);
  // A text as wide as it is long is one column a unit only when no unit is less than one: cli-table3
  // took any such text for it, but `☕️` is 2 units in 2 columns, and so is `中` with an accent.
  if (measured === text.length && !NOT_ONE_UNIT_EACH.test(text)) return text.slice(0, width);
  let rest = text;
  let over = measured - width;
  while (over > 0 && rest.length > 0) {
    rest = rest.slice(0, -Math.max(1, Math.floor(over / 2)));
    over = tableUtils.strlen(rest) - width;
  }
  return text.slice(0, characterStart(text, rest.length));
}

tableUtils.truncate = (text, width, mark) => {
  if (typeof text !== 'string' || text.includes('\u001b')) return original(text, width, mark);
  if (tableUtils.strlen(text) <= width) return text;
  const ellipsis = mark || '…';
  return `${fittingPrefix(text, width - tableUtils.strlen(ellipsis))}${ellipsis}`;
};
