import { describe, expect, it } from 'vitest';
import { suggest } from '../src/shared/suggest.js';

const SOURCE_KEYS = ['name', 'tags', 'requires', 'currency', 'timeout', 'retries', 'idempotent', 'hedge', 'maxBytes'];
const REQUEST_KEYS = ['url', 'method', 'headers', 'query', 'body', 'params'];

describe('suggest', () => {
  it('finds a word a couple of edits away, a swap of neighbours being one', () => {
    expect(suggest('currancy', SOURCE_KEYS)).toBe('currency');
    expect(suggest('timeuot', SOURCE_KEYS)).toBe('timeout');
  });

  it('finds the other number of a word, however many edits its ending is', () => {
    // `retry` is three edits from `retries`: more than a five-letter word is allowed.
    expect(suggest('retry', SOURCE_KEYS)).toBe('retries');
    expect(suggest('Retry', SOURCE_KEYS)).toBe('retries');
    expect(suggest('header', REQUEST_KEYS)).toBe('headers');
    expect(suggest('param', REQUEST_KEYS)).toBe('params');
    expect(suggest('timeouts', SOURCE_KEYS)).toBe('timeout');
    expect(suggest('tag', SOURCE_KEYS)).toBe('tags');
  });

  it('finds a word cut short, or with a little more after it, when only one candidate starts so', () => {
    expect(suggest('idempot', SOURCE_KEYS)).toBe('idempotent');
    expect(suggest('maxByte', SOURCE_KEYS)).toBe('maxBytes');
    expect(suggest('retriesMax', SOURCE_KEYS)).toBe('retries');
    expect(suggest('maxBytesPerPage', ['maxBytes', 'maxPages'])).toBeUndefined();
    expect(suggest('max', ['maxBytes', 'maxPages'])).toBeUndefined();
  });

  it('suggests nothing for a word that is only near by chance', () => {
    for (const word of ['colour', 'x', 'ur', 'time', 'head', 'retr', 'price', 'tagging', 'names_en'])
      expect([word, suggest(word, [...SOURCE_KEYS, ...REQUEST_KEYS])]).toEqual([word, undefined]);
    expect(suggest('title', ['title_en'])).toBeUndefined();
    expect(suggest('as', ['a'])).toBeUndefined();
  });
});
