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
