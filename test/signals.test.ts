/**
 * Ctrl-C and SIGTERM (src/cli/signals.ts, onSignals): the first prints what arrived, a second exits at once,
 * and one signal delivered twice (`timeout`, `npm run`) counts once. The end-to-end runs are in
 * test/e2e.test.ts; here the clock is the test's, so the rule is checked to the millisecond.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ignoreHangUpAwayFromTerminal, onSignals, onSuspend, SAME_SIGNAL_MS } from '../src/cli/signals.js';
import { EXIT } from '../src/errors.js';

function setup() {
  const target = new EventEmitter();
  const interrupt = new AbortController();
  const exits: number[] = [];
  let at = 1000;
  const signalled = onSignals(
    target,
    interrupt,
    (code) => exits.push(code),
    () => at,
  );
  return { target, interrupt, exits, signalled, advance: (ms: number) => (at += ms) };
}

describe('onSignals', () => {
  it('aborts on the first signal and exits on a second one later: 130 for Ctrl-C, 143 for SIGTERM', () => {
    for (const [signal, code] of [
      ['SIGINT', EXIT.interrupted],
      ['SIGTERM', EXIT.terminated],
    ] as const) {
      const s = setup();
      expect(s.signalled()).toBeUndefined();
      s.target.emit(signal);
      expect(s.interrupt.signal.aborted).toBe(true);
      expect(s.signalled()).toBe(signal);
      expect(s.exits).toEqual([]);
      s.advance(SAME_SIGNAL_MS + 50);
      s.target.emit(signal);
      expect(s.exits).toEqual([code]);
    }
  });

  it('keeps its listener on each signal throughout: with none, Node gives the signal its default action', () => {
    const s = setup();
    const removed: string[] = [];
    s.target.on('removeListener', (name: string) => removed.push(name));
    s.target.emit('SIGTERM');
    s.target.emit('SIGINT');
    s.advance(SAME_SIGNAL_MS);
    s.target.emit('SIGTERM');
    // A once() and a new listener would leave a moment with none, when a repeat killed agg silently.
    expect(removed).toEqual([]);
    expect([s.target.listenerCount('SIGINT'), s.target.listenerCount('SIGTERM')]).toEqual([1, 1]);
  });

  it('exits on a second signal of the other kind too, with its code: SIGTERM after a Ctrl-C means now', () => {
    for (const [first, second, code] of [
      ['SIGINT', 'SIGTERM', EXIT.terminated],
      ['SIGTERM', 'SIGINT', EXIT.interrupted],
    ] as const) {
      const s = setup();
      s.target.emit(first);
      s.advance(SAME_SIGNAL_MS + 50);
      s.target.emit(second);
      expect(s.exits).toEqual([code]);
      expect(s.signalled()).toBe(first);
    }
  });

  it('takes a repeat within SAME_SIGNAL_MS for the same signal delivered twice, as `timeout` delivers it', () => {
    const s = setup();
    s.target.emit('SIGTERM');
    s.target.emit('SIGTERM');
    s.advance(SAME_SIGNAL_MS - 1);
    s.target.emit('SIGTERM');
    expect(s.exits).toEqual([]);
    // A real second one, later, still means now.
    s.advance(SAME_SIGNAL_MS);
    s.target.emit('SIGTERM');
    expect(s.exits).toEqual([EXIT.terminated]);
  });
});

describe('ignoreHangUpAwayFromTerminal', () => {
  const proc = (stdoutTTY: boolean, stderrTTY: boolean) =>
    Object.assign(new EventEmitter(), { stdout: { isTTY: stdoutTTY }, stderr: { isTTY: stderrTTY } });

  it('ignores SIGHUP when neither stdout nor stderr is a terminal (nohup sends both to a file)', () => {
    const p = proc(false, false);
    expect(ignoreHangUpAwayFromTerminal(p)).toBe(true);
    expect(p.listenerCount('SIGHUP')).toBe(1);
  });

  it('lets go of a terminal on stdin at the hang-up, once: Node aborted at exit setting its modes back', () => {
    for (const stdinIsTerminal of [true, false]) {
      const p = proc(false, false);
      let closed = 0;
      expect(ignoreHangUpAwayFromTerminal(p, stdinIsTerminal, () => closed++)).toBe(true);
      p.emit('SIGHUP');
      // A second hang-up must not close what has the number since: a file opened after the first.
      p.emit('SIGHUP');
      expect(closed).toBe(stdinIsTerminal ? 1 : 0);
    }
  });

  it('leaves SIGHUP to end the run when either is a terminal: the terminal is gone', () => {
    for (const [out, err] of [
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      const p = proc(out, err);
      expect(ignoreHangUpAwayFromTerminal(p)).toBe(false);
      expect(p.listenerCount('SIGHUP')).toBe(0);
    }
  });
});

describe('onSuspend', () => {
  it('runs beforeStop on Ctrl-Z, then stops agg with the signal’s default action, its listener gone first', () => {
    const kills: [number, string, number][] = [];
    const target: EventEmitter & { pid: number; kill(pid: number, signal: string): void } = Object.assign(
      new EventEmitter(),
      {
        pid: 42,
        kill(pid: number, signal: string) {
          // With a listener still there, Node would hand the signal to it, not stop the process.
          kills.push([pid, signal, target.listenerCount('SIGTSTP')]);
        },
      },
    );
    const steps: string[] = [];
    onSuspend(target, () => steps.push('cleared'));
    target.emit('SIGTSTP');
    expect(steps).toEqual(['cleared']);
    expect(kills).toEqual([[42, 'SIGTSTP', 0]]);
  });

  it('takes its listener off when the spinner stops', () => {
    const target = Object.assign(new EventEmitter(), { pid: 42, kill: () => true });
    const off = onSuspend(target, () => {});
    expect(target.listenerCount('SIGTSTP')).toBe(1);
    off();
    expect(target.listenerCount('SIGTSTP')).toBe(0);
  });
});
