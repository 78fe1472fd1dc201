import { describe, expect, it } from 'vitest';
import { durationSeconds } from '../src/shared/duration-text.js';

describe('durationSeconds', () => {
  it('reads ISO 8601 and written durations, in any script’s digits', () => {
    expect(durationSeconds('PT55M')).toBe(3_300);
    expect(durationSeconds('P1DT2H')).toBe(93_600);
    expect(durationSeconds('PT1.5H')).toBe(5_400);
    expect(durationSeconds(' 1h 5m ')).toBe(3_900);
    expect(durationSeconds('55 min')).toBe(3_300);
    expect(durationSeconds('٢h ٣٠m')).toBe(9_000);
    // Mathematical digits are five sets back to back: each digit is its place in the run, mod 10.
    expect(durationSeconds('𝟐h 𝟷𝟶m')).toBe(7_800);
  });

  it('reads no duration in text that holds none', () => {
    for (const text of ['', 'P', 'PT', 'P1M', '9:05', '4.5 stars', 'hdmi 5m']) {
      expect([text, durationSeconds(text)]).toEqual([text, undefined]);
    }
  });
});
