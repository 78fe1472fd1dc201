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
