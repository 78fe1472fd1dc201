import { describe, expect, it } from 'vitest';
import { problems } from './helpers.js';

// The shape of a first sources file: a list item whose keys a misplaced line falls out of.
const source = (offers: string): string =>
  [
    'sources:',
    '  - name: shop',
    '    request:',
    '      url: "https://shop.example/?q={{query}}"',
    offers,
    '    fields:',
    '      title: name',
    '      price: price',
    '',
  ].join('\n');

describe('a line out of place is named at its key, in words about the line', () => {
  it('names a key indented further than the one above it at its own line, not the line before', () => {
    // yaml read `2s retries` as one key, and said so at `2s`, on line 2.
    expect(problems('defaults:\n  timeout: 2s\n   retries: 1\nsources: []\n')).toEqual([
      "sources.yaml:3:4: `retries:` is indented further than `timeout:` above it, which makes it part of that key's value: start both at the same column",
    ]);
    expect(problems(source('    offers: items').replace('    fields:', '     fields:'))).toEqual([
      "sources.yaml:6:6: `fields:` is indented further than `offers:` above it, which makes it part of that key's value: start both at the same column",
    ]);
  });

  it('names a key indented short of its mapping once, at the key, without the errors that follow from it', () => {
    // Was three lines at 5:1: `Sequence item without - indicator` and two on implicit keys.
    expect(problems(source('   offers: items'))).toEqual([
      'sources.yaml:5:4: `offers:` is not lined up with the keys above it: the keys of one mapping start at the same column',
    ]);
    expect(problems(source('    offers: items').replace('      price', '     price'))).toEqual([
      'sources.yaml:8:6: `price:` is not lined up with the keys above it: the keys of one mapping start at the same column',
    ]);
    expect(problems(source('\toffers: items'))).toEqual([
      'sources.yaml:5:1: a tab indents this line; YAML indents with spaces only',
    ]);
  });

  it('counts the line and column as an editor does, with CRLF line ends and a byte order mark', () => {
    const text = `\uFEFF${source('    offers: items').replace('    fields:', '     fields:').replaceAll('\n', '\r\n')}`;
    expect(problems(text)[0]).toMatch(/^sources\.yaml:6:6: `fields:` is indented further/);
    expect(problems(`\uFEFF${source('   offers: items').replaceAll('\n', '\r\n')}`)[0]).toMatch(
      /^sources\.yaml:5:4: `offers:` is not lined up/,
    );
  });

  it('says a list item needs a space after its dash', () => {
    expect(problems('sources:\n  -name: shop\n    offers: items\n')).toEqual([
      'sources.yaml:2:3: a list item needs a space after its `-`: write `- name: shop`',
    ]);
  });
});
