import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument } from 'yaml';
import { formatPath, locate } from '../../src/config/positions.js';

describe('formatPath', () => {
  it('formats like JavaScript indexing', () => {
    expect(formatPath(['sources', 2, 'request', 'url'])).toBe('sources[2].request.url');
    expect(formatPath(['defaults', 'headers', 'User-Agent'])).toBe('defaults.headers.User-Agent');
    expect(formatPath(['sources', 0, 'request', 'body', 'a.b'])).toBe('sources[0].request.body["a.b"]');
    expect(formatPath([])).toBe('');
  });
});

describe('locate', () => {
  const text = [
    'sources:', //
    '  - name: a',
    '    request:',
    '      url: "https://x"',
    '    fields: { title: t }',
    '    empty:',
  ].join('\n');
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });

  it('finds a value', () => {
    expect(locate(doc, counter, ['sources', 0, 'request', 'url'])).toEqual({ line: 4, col: 12 });
    expect(locate(doc, counter, ['sources', 0, 'fields', 'title'])).toEqual({ line: 5, col: 22 });
  });

  it('finds a key when asked', () => {
    expect(locate(doc, counter, ['sources', 0, 'request', 'url'], 'key')).toEqual({ line: 4, col: 7 });
  });

  it('points at the parent for a missing key, and at the key for an empty value', () => {
    expect(locate(doc, counter, ['sources', 0, 'fields', 'price'])).toEqual({ line: 5, col: 13 });
    expect(locate(doc, counter, ['sources', 0, 'request', 'method'])).toEqual({ line: 4, col: 7 });
    expect(locate(doc, counter, ['sources', 0, 'empty'])).toEqual({ line: 6, col: 5 });
    expect(locate(doc, counter, ['sources', 5, 'name'])).toEqual({ line: 2, col: 3 });
  });

  it('has nothing to point at in an empty document', () => {
    const empty = new LineCounter();
    expect(locate(parseDocument('', { lineCounter: empty }), empty, ['sources'])).toBeUndefined();
  });
});
