/**
 * undici's decompress interceptor without its `ExperimentalWarning: DecompressInterceptor is
 * experimental and subject to change`, which undici emits at the first one made in a process: agg relies
 * on it knowingly (tests cover every encoding), and a library caller's program printed the warning at
 * its first createDispatcher(), for a choice that is agg's and not theirs.
 *
 * Node has no per-warning switch but its command line's (`--no-warnings=ExperimentalWarning`, every one of
 * them), and a 'warning' listener cannot stop the print. So process.emitWarning is replaced for the
 * length of that first synchronous call only, passing every other warning through, and put back before
 * any other code runs; later calls find undici's once-only flag set and need no such care.
 */
import { interceptors } from 'undici';

const UNDICI_SAYS = 'DecompressInterceptor is experimental';

let quieted = false;

/** `interceptors.decompress(options)`, its one warning left out; returns what undici returns. */
export function decompressInterceptor(
  options: Parameters<typeof interceptors.decompress>[0],
): ReturnType<typeof interceptors.decompress> {
  if (quieted) return interceptors.decompress(options);
  const emit = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (!String(typeof warning === 'string' ? warning : warning?.message).startsWith(UNDICI_SAYS)) {
      (emit as (...args: unknown[]) => void).call(process, warning, ...rest);
    }
  }) as typeof process.emitWarning;
  try {
    return interceptors.decompress(options);
  } finally {
    process.emitWarning = emit;
    quieted = true;
  }
}
