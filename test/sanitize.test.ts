import { describe, expect, it } from 'vitest';
import { cleanText } from '../src/sanitize.js';

/** cleanText without its early return: the three passes it skips when nothing is unsafe. */
const ESCAPES = /\x1b(?:[\]P^_X][^\x07\x1b]*(?:\x07|\x1b\\)?|\[[0-?]*[ -/]*[@-~]?|[@-Z\\-_]?)|\x9b[0-?]*[ -/]*[@-~]?/g;
const reference = (text: string): string =>
  text
    .replace(ESCAPES, '')
    .replace(/[\t\n\v\f\r\u0085\u2028\u2029]+/g, ' ')
    .replace(/[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '');

describe('cleanText', () => {
  it('returns safe text as it is', () => {
    const text = 'Sony WH-1000XM5 — 99,99 € · ☃';
    expect(cleanText(text)).toBe(text);
  });

  it('cleans every code point up to U+2FFF as the full passes do, alone and in text', () => {
    for (let cp = 0; cp <= 0x2fff; cp++) {
      const ch = String.fromCodePoint(cp);
      for (const text of [ch, `a${ch}b`, `\x1b[31m${ch}x`]) expect(cleanText(text)).toBe(reference(text));
    }
  });
});
