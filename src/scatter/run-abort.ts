/**
 * Callbacks for the abort of a signal that many requests share (the run's). Node's EventTarget walks
 * every listener of a signal on each addEventListener and removeEventListener, to find a duplicate or
 * the one to remove: with one listener per source, a run of 1,000 sources took a million steps, ~10 ms
 * (issue #7). Here the signal has one listener, and the callbacks sit in a Set: O(1) to add and remove.
 */

const callbacksOf = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Calls `callback` once when `signal` aborts, in the order callbacks were added, as EventTarget would.
 * Returns the function that removes it. The caller checks `signal.aborted` first: on a signal that has
 * already aborted, the callback is never called.
 */
export function listenForAbort(signal: AbortSignal, callback: () => void): () => void {
  let callbacks = callbacksOf.get(signal);
  if (!callbacks) {
    const set = new Set<() => void>();
    callbacks = set;
    callbacksOf.set(signal, set);
    signal.addEventListener(
      'abort',
      () => {
        callbacksOf.delete(signal);
        // A callback may remove others as it runs; a Set's iteration skips the removed ones.
        for (const cb of set) {
          set.delete(cb);
          try {
            cb();
          } catch (err) {
            // As EventTarget does with a listener that throws: the others still run, the error is not lost.
            process.nextTick(() => {
              throw err;
            });
          }
        }
      },
      { once: true },
    );
  }
  const entry = (): void => callback();
  callbacks.add(entry);
  const set = callbacks;
  return () => {
    set.delete(entry);
  };
}
