/**
 * ISO 8601 durations as a table shows them. Flight APIs send a flight's length as `PT11H20M`, which JSON
 * and CSV keep for scripts (`$minutes()` and `--sort duration` read it); a person comparing flights reads
 * `11h 20m`. Only a column whose every value is such text is shown this way, so a product code that
 * happens to read `PT5M` among other codes stays as written.
 */
import { durationSeconds } from '../shared/duration-text.js';

// Days and the time part only, as shared/duration-text.ts reads them: ISO's `P1M` before the `T` is a month.
const ISO_DURATION = /^P(?:\d+(?:\.\d+)?D)?(?:T(?:\d+(?:\.\d+)?H)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?S)?)?$/;

/**
 * `11h 20m` for `PT11H20M`, and the same for `PT680M` or `PT11.333H`: one flight's length reads one way
 * whichever way a vendor wrote it, in hours and minutes (`1d 2h` is `26h`), rounded to the minute; under a
 * minute, in seconds. undefined for text that is no such duration.
 */
export function readableDuration(text: string): string | undefined {
  if (!ISO_DURATION.test(text)) return undefined;
  const seconds = durationSeconds(text);
  // A vendor's 400 digits of days read `Infinityh`, and 99999999999999999999 hours another number
  // (`100000000000000000000h`): past a safe integer of seconds, the text is left as the vendor wrote it.
  if (seconds === undefined || !Number.isSafeInteger(Math.round(seconds))) return undefined;
  if (seconds > 0 && seconds < 30) return `${Math.round(seconds)}s`;
  const minutes = Math.round(seconds / 60);
  const hours = Math.floor(minutes / 60);
  const parts = [hours ? `${hours}h` : '', minutes % 60 || !hours ? `${minutes % 60}m` : ''];
  return parts.filter(Boolean).join(' ');
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
