import { describe, expect, it } from 'vitest';
import { makeRedactor } from '../src/redact.js';

describe('makeRedactor', () => {
  it('hides a secret that a URL path resolves to nothing, and nothing else', () => {
    // As a URL path `../..` is '', one of the forms looked for: every gap between two characters was hidden.
    const redact = makeRedactor({ '../..': 'SEG' });
    expect(redact('expected a number, got a string')).toBe('expected a number, got a string');
    expect(redact('GET http://h/a/../../b')).toBe('GET http://h/a/***/b');
  });
});
