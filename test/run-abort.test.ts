/**
 * The run's abort, fanned out to every request through one listener (src/scatter/run-abort.ts):
 * EventTarget walks all of a signal's listeners on each add and remove, a million steps at 1,000 sources.
 */
import { getEventListeners } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { listenForAbort } from '../src/scatter/run-abort.js';

describe('listenForAbort', () => {
  it('calls every callback once, in the order they were added, through one listener on the signal', () => {
    const run = new AbortController();
    const called: number[] = [];
    for (let i = 0; i < 1000; i++) listenForAbort(run.signal, () => called.push(i));
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(1);
    run.abort();
    run.abort();
    expect(called).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(0);
  });

  it('never calls a removed callback, even one removed by another callback during the abort', () => {
    const run = new AbortController();
    const called: string[] = [];
    const stopA = listenForAbort(run.signal, () => called.push('a'));
    let stopC = (): void => {};
    listenForAbort(run.signal, () => {
      called.push('b');
      stopC();
    });
    stopC = listenForAbort(run.signal, () => called.push('c'));
    listenForAbort(run.signal, () => called.push('d'));
    stopA();
    run.abort();
    expect(called).toEqual(['b', 'd']);
  });

  it('treats the same function added twice as two callbacks, each removed on its own', () => {
    const run = new AbortController();
    let calls = 0;
    const callback = (): void => {
      calls++;
    };
    const stopFirst = listenForAbort(run.signal, callback);
    listenForAbort(run.signal, callback);
    stopFirst();
    run.abort();
    expect(calls).toBe(1);
  });

  it('keeps signals apart, and starts afresh on a signal whose callbacks have all been removed', () => {
    const a = new AbortController();
    const b = new AbortController();
    const called: string[] = [];
    listenForAbort(a.signal, () => called.push('a'))();
    listenForAbort(b.signal, () => called.push('b'));
    listenForAbort(a.signal, () => called.push('a2'));
    a.abort();
    expect(called).toEqual(['a2']);
    b.abort();
    expect(called).toEqual(['a2', 'b']);
  });

  it('still calls the others when one throws, and does not swallow the error', () => {
    const run = new AbortController();
    const called: string[] = [];
    listenForAbort(run.signal, () => {
      throw new Error('boom');
    });
    listenForAbort(run.signal, () => called.push('after'));
    // The error is rethrown on the next tick, as EventTarget does with a throwing listener.
    const nextTick = vi.spyOn(process, 'nextTick').mockImplementation(() => {});
    let deferred: unknown[][];
    try {
      run.abort();
    } finally {
      deferred = [...nextTick.mock.calls];
      nextTick.mockRestore();
    }
    expect(called).toEqual(['after']);
    const rethrow = deferred.map((call) => call[0] as () => void).find((fn) => fn.toString().includes('throw'));
    expect(rethrow).toThrow('boom');
  });
});
