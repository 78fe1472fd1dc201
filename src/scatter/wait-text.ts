/** A wait in words, as a rate limit's error and a poll's line say it: `30s`, `1.5s`, `2m 5s`, `3h`, `2d 4h`. */
export function formatWait(ms: number): string {
  // A poll's Retry-After of 400 digits read `Infinityd`, and an HTTP date in the year 275759 `99978957d 7h`.
  if (!(ms <= YEAR_MS)) return 'over a year';
  const s = Math.ceil(ms / 100) / 10;
  if (s < 60) return `${s}s`;
  // Whole seconds before the minutes are split off: 3599.7 s is `60m`, never `59m 60s`.
  const whole = Math.round(s);
  const m = Math.floor(whole / 60);
  const rest = whole - m * 60;
  if (m < 120) return rest ? `${m}m ${rest}s` : `${m}m`;
  // A daily quota's reset: hours, or days and hours; the seconds no longer matter.
  const h = Math.round(whole / 3600);
  return h < 48 ? `${h}h` : `${Math.floor(h / 24)}d${h % 24 ? ` ${h % 24}h` : ''}`;
}

/** Past this, a wait is said as `over a year`: a count of days that long is a vendor's garbage, not a plan. */
const YEAR_MS = 366 * 24 * 3600 * 1000;
