/** What main() asks of its standard streams: whether stdout is a pipe, and when written output has gone out. */
import { fstatSync } from 'node:fs';

/** Whether descriptor `fd` is a pipe or a socket (`agg … | jq`); false when it cannot be told. */
export function isPipe(fd: number): boolean {
  try {
    const stat = fstatSync(fd);
    return stat.isFIFO() || stat.isSocket();
  } catch {
    return false;
  }
}

/**
 * Resolves once what was written to `stream` has gone out. Only a stream with bytes still queued (a
 * pipe) is waited on: the empty write that waits is itself a write(2), which /dev/full fails, and
 * `agg -q 2>/dev/full` must not exit 74 for output it never wrote.
 */
export function drained(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.writableLength === 0) return Promise.resolve();
  return new Promise((resolve) => stream.write('', () => resolve()));
}
