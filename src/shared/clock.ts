/**
 * A monotonic clock in milliseconds, for durations and deadlines. Not `performance.now()`: the first
 * read of the `performance` global loads perf_hooks, about 1.4 ms of every start of the command line
 * (issue #7). Its zero is arbitrary (not the start of the process): compare its readings with each
 * other only.
 */
export function now(): number {
  const [seconds, nanoseconds] = process.hrtime();
  return seconds * 1e3 + nanoseconds / 1e6;
}

/**
 * The machine's date as `YYYY-MM-DD`, in its own time zone: the day a person at it calls today. `at` is
 * there for tests, which must not depend on the day they run.
 */
export function localDate(at: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${String(at.getFullYear()).padStart(4, '0')}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}
