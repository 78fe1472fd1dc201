/**
 * How scatter starts its sources: the first alone, then a batch at a time, with a turn of the event loop
 * in between (where the batch's sockets connect and its requests are written), so that no request waits
 * for every other one to be set up first.
 */
import { describe, expect, it } from 'vitest';
import { START_BATCH, startAll } from '../src/scatter/index.js';

describe('startAll', () => {
  it('starts a batch, lets the event loop turn, then starts the next, until all are started in order', async () => {
    const items = Array.from({ length: START_BATCH * 2 + 3 }, (_, i) => i);
    const started: number[] = [];
    // What had started each time the event loop got a turn (a setImmediate runs in the turn's check phase).
    const atTurns: number[] = [];
    let turns = true;
    const watch = (): void => {
      atTurns.push(started.length);
      if (turns) setImmediate(watch);
    };
    setImmediate(watch);
    await startAll(items, (i) => started.push(i));
    turns = false;
    expect(started).toEqual(items);
    // The first alone, then ten at a time.
    expect(atTurns[0]).toBe(1);
    expect(atTurns[1]).toBe(1 + START_BATCH);
    expect(atTurns).toContain(1 + START_BATCH * 2);
  });

  it('starts the first of more than a batch alone: its request goes out before the next ones are set up', async () => {
    // Under take-first the first is the recently fastest source (start-order.ts), the likely winner.
    const items = Array.from({ length: START_BATCH + 1 }, (_, i) => i);
    const started: number[] = [];
    let atFirstTurn: number[] | undefined;
    setImmediate(() => {
      atFirstTurn = [...started];
    });
    await startAll(items, (i) => started.push(i));
    expect(atFirstTurn).toEqual([0]);
    expect(started).toEqual(items);
  });

  it('starts the rest in one go once the run is over: they only settle as cancelled', async () => {
    const run = new AbortController();
    const items = Array.from({ length: START_BATCH * 3 }, (_, i) => i);
    const started: number[] = [];
    const done = startAll(
      items,
      (i) => {
        started.push(i);
        if (i === 0) run.abort();
      },
      run.signal,
    );
    expect(started).toEqual(items);
    await done;
  });

  it('starts a short list in one go, without waiting for a turn', async () => {
    const started: number[] = [];
    const items = Array.from({ length: START_BATCH }, (_, i) => i);
    const done = startAll(items, (i) => started.push(i));
    expect(started).toEqual(items);
    await done;
  });

  it('is small enough that a request is not held up by many others, and not 1 (a turn per source costs more)', () => {
    expect(START_BATCH).toBeGreaterThan(1);
    expect(START_BATCH).toBeLessThanOrEqual(25);
  });
});
