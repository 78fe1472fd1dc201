/** A cell cut to the characters a line has room for, with `…`, before cli-table3 measures it. */

// Made on first use: making one costs ~15 ms (ICU's break rules), which every run would pay at start.
let graphemes: Intl.Segmenter | undefined;
// A flag of England is 14 units in 2 columns, a family emoji 11; a Vietnamese letter with two marks, 3.
const MAX_UNITS_PER_COLUMN = 8;
// What cli-table3's measure (string-width) counts as no column or joins to the character before it:
// combining marks, the joiner, the keycap, variation selectors, surrogate pairs. Text without them (most
// text) is a column a unit at least, and a cut by units, far cheaper than by graphemes, is as good.
const JOINS = /[\u0300-\u036f\ud800-\udfff]|\u200d|\u20e3|\ufe0e|\ufe0f/;

/**
 * A cell cut to `width` characters (grapheme clusters), with `…` when cut, before cli-table3 sees it.
 * cli-table3 cuts a cell that holds anything not one column wide (CJK, emoji) one character at a time,
 * measuring what is left each time: quadratic in the cell's length, so a vendor's 1 MB title of CJK hung
 * the table (uninterruptibly: it is one synchronous call). Each character is a column at least, and a
 * line shows no more than `width` columns, so no more than that many ever reach the screen. Characters,
 * not UTF-16 units: a flag (4 units, 2 columns) or an é written as e and its accent is more units than
 * columns, and a cut by units left such a title shorter than the table had room to show.
 */
export function cutForWidth(cell: string, width: number): string {
  if (cell.length <= width) return cell;
  if (!JOINS.test(cell.slice(0, width + 1))) return `${cell.slice(0, width)}…`;
  // Graphemes of the first `most` units only: a vendor's e with a million accents is one grapheme.
  const most = width * MAX_UNITS_PER_COLUMN;
  let end = 0;
  let count = 0;
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  for (const { index, segment } of graphemes.segment(cell.slice(0, most))) {
    if (count === width) break;
    end = index + segment.length;
    count++;
  }
  return end === cell.length ? cell : `${cell.slice(0, end)}…`;
}
