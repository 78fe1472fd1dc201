/** A temp file as writePrivateFile names one, as a run killed between its write and its rename leaves it. */
import { utimesSync, writeFileSync } from 'node:fs';

/** Plants `file`'s temp file, last written `ageMs` ago; returns its path. */
export function plantTemp(file: string, ageMs: number, hex = '0123456789ab'): string {
  const temp = `${file}.${hex}.tmp`;
  writeFileSync(temp, 'half written', { mode: 0o600 });
  const at = new Date(Date.now() - ageMs);
  utimesSync(temp, at, at);
  return temp;
}

/** Older than STALE_TEMP_MS (an hour): a temp file no run is still writing. */
export const TWO_HOURS = 2 * 3600_000;
