import { describe, expect, it } from 'vitest';
import { checkDepth, cleanText, cleanValue } from '../src/shared/sanitize.js';

describe('cleanText', () => {
  it.each([
    ['CSI', '\x1b[2Jwiped', '␛[2Jwiped'],
    ['OSC title with BEL', '\x1b]0;pwned\x07', '␛]0;pwned␇'],
    ['OSC 8 hyperlink', '\x1b]8;;https://evil\x1b\\x', '␛]8;;https://evil␛\\x'],
    ['one-byte CSI (C1)', '\x9b31m', '<U+009B>31m'],
    ['NUL, backspace, DEL', 'a\x00b\x08c\x7f', 'a␀b␈c␡'],
    ['bidi override', 'abc\u202edef', 'abc<U+202E>def'],
    ['line breaks and tabs', 'a\r\n\tb\u2028c\u0085d', 'a b c d'],
    ['plain text', 'Sony WH-1000XM5 — 😀', 'Sony WH-1000XM5 — 😀'],
    ['half a surrogate pair', 'cut \ud83d, stray \udc00', 'cut \ufffd, stray \ufffd'],
  ])('shows %s in a visible, inert form', (_, input, expected) => {
    expect(cleanText(input)).toBe(expected);
  });
});

describe('cleanValue', () => {
  it('leaves no lone surrogate for JSON to write as `\\ud800`, which strict parsers refuse', () => {
    const out = JSON.stringify(cleanValue(JSON.parse('{"title":"a\\ud800","\\udfff":["\\ud83d"]}')));
    expect(out).toBe('{"title":"a\ufffd","\ufffd":["\ufffd"]}');
  });

  it('cleans keys and values, keeping `__proto__` an own key', () => {
    const out = cleanValue(JSON.parse('{"__proto__":{"a\\u001b":"b\\u0007"},"list":["\\u009b"]}')) as object;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ 'a␛': 'b␇' });
    expect(out).toHaveProperty('list', ['<U+009B>']);
  });

  it('refuses values nested past its limit with a RangeError', () => {
    expect(() => cleanValue(JSON.parse(`${'['.repeat(101)}${']'.repeat(101)}`))).toThrow(RangeError);
    expect(() => cleanValue(JSON.parse(`${'['.repeat(100)}${']'.repeat(100)}`))).not.toThrow();
  });

  it('counts objects toward the limit as it counts lists', () => {
    const nested = (depth: number): unknown => JSON.parse(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
    expect(() => cleanValue(nested(101))).toThrow(RangeError);
    expect(() => cleanValue(nested(100))).not.toThrow();
    expect(() => cleanValue(JSON.parse(`${'{"a":['.repeat(51)}1${']}'.repeat(51)}`))).toThrow(RangeError);
  });

  it('keeps numbers, booleans and nulls as they are, in objects and lists', () => {
    const value = { price: 12.5, stock: 0, new: true, used: false, note: null, sizes: [42, null, false] };
    expect(cleanValue(value)).toEqual(value);
    expect(cleanValue(7)).toBe(7);
    expect(cleanValue(null)).toBeNull();
  });
});

describe('cleanText fast return', () => {
  /** cleanText without its early return: the passes it skips when nothing is unsafe. */
  const visible = (ch: string): string => {
    const code = ch.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return '\u2421';
    return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
  };
  const reference = (text: string): string =>
    text
      .replace(/[\t\n\v\f\r\u0085\u2028\u2029]+/g, ' ')
      .replace(/[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, visible);

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

describe('checkDepth', () => {
  // It guards values sent on as they are (a poll's `{{ $response.id }}`): the limit must be cleanValue's.
  it("refuses what cleanValue refuses, with cleanValue's RangeError, and accepts what it accepts", () => {
    for (const depth of [100, 101]) {
      const lists = JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);
      const objects = JSON.parse(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
      for (const value of [lists, objects]) {
        if (depth === 100) expect(() => checkDepth(value)).not.toThrow();
        else expect(() => checkDepth(value)).toThrow(new RangeError('a value is nested deeper than 100 levels'));
      }
    }
    expect(() => checkDepth(JSON.parse(`${'['.repeat(200_000)}${']'.repeat(200_000)}`))).toThrow(RangeError);
  });
});
