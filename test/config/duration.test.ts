import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/config/index.js';

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['2s', 2000],
    ['1.5s', 1500],
    ['1m', 60_000],
    // A cron job's `--deadline 1h` was refused as no duration.
    ['1h', 3_600_000],
    ['0.5h', 1_800_000],
    ['750', 750],
    [' 3s ', 3000],
    [1200, 1200],
    [0, 0],
    // The longest a Node timer takes is a duration still; one ms more is refused (below).
    [2 ** 31 - 1, 2 ** 31 - 1],
  ] as const)('%j → %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['2 sec', '2d', '-1s', '', 's', '1.s', 'abc'])('rejects %j with a helpful message', (text) => {
    expect(() => parseDuration(text)).toThrow(
      `${JSON.stringify(text)} is not a duration; use 250ms, 2s, 1.5s, 1m or a number of ms`,
    );
  });

  it('rejects numbers that are negative or not finite', () => {
    expect(() => parseDuration(-5)).toThrow('-5 is not a duration');
    expect(() => parseDuration(Number.POSITIVE_INFINITY)).toThrow('is not a duration');
    expect(() => parseDuration(`${'9'.repeat(400)}s`)).toThrow('is not a duration');
    expect(() => parseDuration(2 ** 31)).toThrow('2147483648 is too long');
  });
});

describe('formatDuration', () => {
  it.each([
    [2000, '2s'],
    [250, '250ms'],
    [1500, '1.5s'],
    [60_000, '1m'],
    [90_000, '1.5m'],
    [61_000, '61s'],
    [1234, '1234ms'],
    [1250, '1.25s'],
    [1230, '1.23s'],
    [0, '0ms'],
  ])('%i → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('round-trips through parseDuration', () => {
    for (const ms of [1, 250, 1500, 2000, 60_000, 90_000, 61_000]) expect(parseDuration(formatDuration(ms))).toBe(ms);
  });
});
