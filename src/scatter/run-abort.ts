/**
 * Callbacks for the abort of a signal that many share: the run's (its requests), and a library caller's
 * (its concurrent searches, gather/index.ts). Node's EventTarget walks
 * every listener of a signal on each addEventListener and removeEventListener, to find a duplicate or
 * the one to remove: with one listener per source, a run of 1,000 sources took a million steps, ~10 ms
 * (issue #7). Here the signal has one listener, and the callbacks sit in a Set: O(1) to add and remove.
 */

/** A signal's one listener, and the callbacks it calls. */
interface Listening {
  readonly callbacks: Set<() => void>;
  readonly onAbort: () => void;
}

const listeningOn = new WeakMap<AbortSignal, Listening>();

/**
 * Calls `callback` once when `signal` aborts, in the order callbacks were added, as EventTarget would.
 * Returns the function that removes it; removing the last one removes the listener too, so that a
 * caller's long-lived signal (a service's shutdown signal, shared by every search) keeps none. The
 * caller checks `signal.aborted` first: on a signal that has already aborted, the callback is never
 * called.
 */
export function listenForAbort(signal: AbortSignal, callback: () => void): () => void {
  let listening = listeningOn.get(signal);
  if (!listening) {
    const callbacks = new Set<() => void>();
    const onAbort = (): void => {
      listeningOn.delete(signal);
      // A callback may remove others as it runs; a Set's iteration skips the removed ones.
      for (const cb of callbacks) {
        callbacks.delete(cb);
        try {
          cb();
        } catch (err) {
          // As EventTarget does with a listener that throws: the others still run, the error is not lost.
          process.nextTick(() => {
            throw err;
          });
        }
      }
    };
    listening = { callbacks, onAbort };
    listeningOn.set(signal, listening);
    signal.addEventListener('abort', onAbort, { once: true });
  }
  const entry = (): void => callback();
  listening.callbacks.add(entry);
  const mine = listening;
  return () => {
    // During the abort, or after it, the listener is gone already.
    if (!mine.callbacks.delete(entry) || mine.callbacks.size > 0 || listeningOn.get(signal) !== mine) return;
    listeningOn.delete(signal);
    signal.removeEventListener('abort', mine.onAbort);
  };
}
