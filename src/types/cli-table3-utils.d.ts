// cli-table3's own measure of a cell (ANSI colour codes stripped, then string-width per line), which its
// layout sizes columns by. It ships no types for its src/ files.
declare module 'cli-table3/src/utils.js' {
  const utils: {
    strlen(text: string): number;
    truncate(text: string, width: number, mark?: string): string;
    pad(text: string, width: number, padding: string, align: string): string;
  };
  export default utils;
}

// cli-table3's cell, whose mergeTableOptions table-cell-options.ts replaces: the fields it sets and reads.
declare module 'cli-table3/src/cell.js' {
  class Cell {
    options: Record<string, unknown>;
    content: string;
    x: number;
    cells: unknown;
    chars: Record<string, unknown>;
    truncate: unknown;
    paddingLeft: number;
    paddingRight: number;
    head: unknown;
    border: unknown;
    fixedWidth: number | undefined;
    lines: string[];
    desiredWidth: number;
    desiredHeight: number;
    computeLines(tableOptions: Record<string, unknown>): string[];
    mergeTableOptions(tableOptions: Record<string, unknown>, cells: unknown): void;
  }
  export default Cell;
}
