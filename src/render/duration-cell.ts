/**
 * ISO 8601 durations as a table shows them. Flight APIs send a flight's length as `PT11H20M`, which JSON
 * and CSV keep for scripts (`$minutes()` and `--sort duration` read it); a person comparing flights reads
 * `11h 20m`. Only a column whose every value is such text is shown this way, so a product code that
 * happens to read `PT5M` among other codes stays as written.
 */

// Days and the time part only, as duration-text.ts reads them: ISO's `P1M` before the `T` is a month.
const ISO_DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** `11h 20m` for `PT11H20M`, `1d 2h` for `P1DT2H`; undefined for text that is no such duration. */
export function readableDuration(text: string): string | undefined {
  const m = ISO_DURATION.exec(text);
  if (!m || m.slice(1).every((part) => part === undefined)) return undefined;
  const [, d, h, min, s] = m;
  const parts = [
    [d, 'd'],
    [h, 'h'],
    [min, 'm'],
    [s, 's'],
  ]
    .filter(([n]) => n !== undefined && Number(n) !== 0)
    .map(([n, unit]) => `${Number(n)}${unit}`);
  return parts.length > 0 ? parts.join(' ') : '0m';
}

/**
 * The column's cells with each duration made readable, when every value it has is one (and it has one);
 * else undefined, and the cells are shown as written.
 */
export function durationCells(values: readonly unknown[]): string[] | undefined {
  const cells: string[] = [];
  let any = false;
  for (const value of values) {
    if (value === undefined || value === null) {
      cells.push('');
      continue;
    }
    const shown = typeof value === 'string' ? readableDuration(value) : undefined;
    if (shown === undefined) return undefined;
    cells.push(shown);
    any = true;
  }
  return any ? cells : undefined;
}
