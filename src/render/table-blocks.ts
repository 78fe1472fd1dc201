/**
 * Drawing the table: rows in blocks of cli-table3 tables at widths measured once, each title linked as drawn.
 * cli-table3's own measure and cut are replaced first (table-width.ts, table-truncate.ts), and how a cell
 * takes the table's options (table-cell-options.ts).
 */

import Table from 'cli-table3';
import tableUtils from 'cli-table3/src/utils.js';
import type { Column } from './table-columns.js';
import { linkTitle } from './table-links.js';
import './table-cell-options.js';
import './table-truncate.js';
import './table-width.js';

// Bold cyan written by hand rather than via `style.head`: cli-table3's colour library probes
// process.stdout itself, which would make this pure function depend on where it runs.
const bold = (text: string): string => `\x1b[1m\x1b[36m${text}\x1b[39m\x1b[22m`;

/**
 * Rows per cli-table3 table. Its layout checks every cell against every cell of the rows above
 * (quadratic in rows): 50,000 offers took 2.5 minutes in one table. Drawn in blocks of this many, with
 * the same widths, and joined, the table is the same text in linear time.
 */
export const ROWS_PER_BLOCK = 100;

const headText = (column: Column, color: boolean): string => (color ? bold(column.head) : column.head);

/** Rows `from` to `to` of the columns as one cli-table3 table at `colWidths`, each title a link when it has one. */
export function drawBlock(
  columns: readonly Column[],
  colWidths: number[],
  color: boolean,
  from: number,
  to: number,
): string {
  const table = new Table({
    head: columns.map((c) => headText(c, color)),
    colWidths,
    colAligns: columns.map((c) => (c.kind === 'fixed' ? 'right' : 'left')),
    wordWrap: false,
    // Border colour off too: cli-table3's default grey would add escape codes whatever `color` says.
    style: { head: [], border: [], compact: true },
  });
  for (let row = from; row < to; row++) table.push(columns.map((c) => c.cells[row] ?? ''));
  const drawn = table.toString();
  const title = columns.findIndex((c) => c.links);
  const links = columns[title]?.links;
  if (!links) return drawn;
  // Each row one line, under the top border, the header and its rule (compact: no rules between rows).
  const lines = drawn.split('\n');
  for (let row = from; row < to; row++) {
    const target = links[row];
    const line = lines[HEAD_LINES + row - from];
    if (target === undefined || line === undefined) continue;
    const before = columns.slice(0, title).map((c) => c.cells[row] ?? '');
    lines[HEAD_LINES + row - from] = linkTitle(line, before, columns[title]?.cells[row] ?? '', target);
  }
  return lines.join('\n');
}

// The lines a block draws above its rows: the top border, the header, the header's rule.
const HEAD_LINES = 3;

/**
 * A table of `rowCount` rows as `block(widths, from, to)` draws it (a cli-table3 table with a head, of
 * rows `from` to `to`), drawn in blocks of ROWS_PER_BLOCK rows with the same widths and joined: the same
 * text as one table, in linear time. `colWidths` are measured by the caller (cellWidths): blocks drawn
 * at widths each sized itself would not line up.
 * `compact` says the table draws no rule between rows: else the header's rule, the same line, joins blocks.
 */
export function drawInBlocks(
  rowCount: number,
  colWidths: number[],
  compact: boolean,
  block: (colWidths: number[], from: number, to: number) => string,
): string {
  if (rowCount <= ROWS_PER_BLOCK) return block(colWidths, 0, rowCount);
  return [...blockParts(rowCount, colWidths, compact, block)].join('');
}

/**
 * The widths cli-table3 would give the columns, widest over all blocks, measured rather than drawn: its
 * layout makes a column as wide as its widest cell by its own measure (`strlen`), plus a space either side.
 * Drawing every block only to size it took half of the seconds a table of thousands of offers is
 * drawn in. An empty part, a pause, after each block of rows: 200,000 offers are still a moment.
 */
export function* measuredWidths(columns: readonly Column[], color: boolean): Generator<string, number[]> {
  const widths = columns.map((c) => tableUtils.strlen(headText(c, color)));
  const rowCount = columns[0]?.cells.length ?? 0;
  for (let from = 0; from < rowCount; from += ROWS_PER_BLOCK) {
    const to = Math.min(rowCount, from + ROWS_PER_BLOCK);
    columns.forEach((c, i) => {
      for (let row = from; row < to; row++) widths[i] = Math.max(widths[i] ?? 0, tableUtils.strlen(c.cells[row] ?? ''));
    });
    yield '';
  }
  return widths.map((w) => w + CELL_PADDING);
}

// cli-table3's default padding, one space each side of a cell, which drawBlock keeps.
const CELL_PADDING = 2;

/**
 * The widths cli-table3 would give columns of these cells, measured as measuredWidths does rather than
 * drawn: drawing every block once only to size it was most of the 2.8 s 4,000 sources took to list.
 */
export function cellWidths(head: readonly string[], rows: readonly (readonly string[])[]): number[] {
  const widths = head.map((h) => tableUtils.strlen(h));
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, tableUtils.strlen(cell));
    });
  }
  return widths.map((w) => w + CELL_PADDING);
}

/**
 * drawInBlocks' text, a block of rows a part, each but the last ending in a newline. Each block is top
 * border, header, header rule, rows, bottom border: keep the first's head, the last's bottom, and between
 * rows drawn with rules, the header rule of the next block.
 */
export function* blockParts(
  rowCount: number,
  widths: number[],
  compact: boolean,
  block: (colWidths: number[], from: number, to: number) => string,
): Generator<string> {
  const head = compact ? 3 : 2;
  for (let from = 0; from < rowCount; from += ROWS_PER_BLOCK) {
    const drawn = block(widths, from, Math.min(rowCount, from + ROWS_PER_BLOCK)).split('\n');
    const last = from + ROWS_PER_BLOCK >= rowCount;
    const lines = drawn.slice(from === 0 ? 0 : head, last ? drawn.length : -1).join('\n');
    yield last ? lines : `${lines}\n`;
  }
}
