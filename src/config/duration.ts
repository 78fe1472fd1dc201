/**
 * Durations as people write them in the sources file and on the command line: `250ms`, `2s`,
 * `1.5s`, `1m`, `1h`, or a bare number of milliseconds. One parser, so both accept the same things.
 */

/** The accepted text forms, also used as the JSON Schema pattern so editors flag typos early. */
export const DURATION_PATTERN = '^\\d+(\\.\\d+)?(ms|s|m|h)?$';

/** Node's timers take at most 2^31-1 ms; a longer one fires after 1 ms, with a warning on stderr. */
export const MAX_TIMER_MS = 2 ** 31 - 1;
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/;
// `h` too: a cron job's `--deadline 1h` was refused as no duration.
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/** The message for anything that is not a duration; shared with the schema so both read alike. */
export function durationMessage(input: unknown): string {
  const shown = typeof input === 'string' ? JSON.stringify(input) : String(input);
  return `${shown} is not a duration; use 250ms, 2s, 1.5s, 1m or a number of ms`;
}

/** The message for a duration past Node's timers; shared with the schema. */
export function durationTooLong(input: unknown): string {
  const shown = typeof input === 'string' ? JSON.stringify(input) : String(input);
  return `${shown} is too long; a duration can be at most 24 days (${MAX_TIMER_MS}ms)`;
}

/** A bare number below this many ms, in the file or on the command line, is taken for seconds meant. */
export const SECONDS_MEANT_BELOW = 50;

/**
 * A bare number is milliseconds, so `timeout: 3` or `--timeout 3` failed every source as `not sent within
 * 3ms`: nobody means a limit that short, so a small one without a unit is refused, saying how to write
 * either. Throws an Error with that message; anything else is left to parseDuration.
 */
export function refuseSecondsMeant(input: string | number): void {
  const bare = String(input).trim();
  const n = Number(bare);
  if (/^\d+(\.\d+)?$/.test(bare) && n > 0 && n < SECONDS_MEANT_BELOW) throw new Error(secondsMeantMessage(bare));
}

/** What a small bare number is told; shared with the schema, whose number branch has it as its minimum. */
export function secondsMeantMessage(input: unknown): string {
  const bare = String(input).trim();
  return `${bare} is ${bare} ms; write ${bare}s for seconds, or ${bare}ms`;
}

/** Parses a duration to whole milliseconds; throws an Error with a helpful message on bad input. */
export function parseDuration(text: string | number): number {
  const m = typeof text === 'number' ? undefined : DURATION.exec(text.trim());
  const ms =
    typeof text === 'number' ? text : m ? Number(m[1]) * UNIT_MS[(m[2] ?? 'ms') as keyof typeof UNIT_MS] : Number.NaN;
  if (!Number.isFinite(ms) || ms < 0) throw new Error(durationMessage(text));
  // Node's timers take at most 2^31-1 ms (about 24.8 days) and treat anything longer as 1 ms.
  if (ms > MAX_TIMER_MS) throw new Error(durationTooLong(text));
  return Math.round(ms);
}

/** Formats milliseconds in the largest unit that keeps it exact enough: 2000 → `2s`, 90000 → `1.5m`. */
export function formatDuration(value: number): string {
  const ms = Math.round(value);
  if (ms >= 60_000 && ms % 6_000 === 0) return `${ms / 60_000}m`;
  if (ms >= 1000 && ms % 10 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
