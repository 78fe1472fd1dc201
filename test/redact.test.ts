import { describe, expect, it } from 'vitest';
import { makeRedactor } from '../src/shared/redact.js';

describe('makeRedactor', () => {
  it('hides a secret that a URL path resolves to nothing, and nothing else', () => {
    // As a URL path `../..` is '', one of the forms looked for: every gap between two characters was hidden.
    const redact = makeRedactor({ '../..': 'SEG' });
    expect(redact('expected a number, got a string')).toBe('expected a number, got a string');
    expect(redact('GET http://h/a/../../b')).toBe('GET http://h/a/***/b');
  });

  it('hides a secret too long for one pattern of all its forms, as written and with spaces and escapes', () => {
    // V8 refused the pattern ("Regular expression too large") when it first ran: the run ended as exit 70.
    const long = 'x'.repeat(50_000);
    expect(makeRedactor({ [long]: 'T' })(`timeout: "${long}" is not a duration`)).toBe(
      'timeout: "***" is not a duration',
    );
    const spaced = `${'x'.repeat(30_000)} %2f ${'y'.repeat(30_000)}`;
    expect(makeRedactor({ [spaced]: 'KEY' })(`key ${spaced}.`)).toBe('key ***.');
  });
});
