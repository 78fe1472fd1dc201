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

  it('quotes a long key it names cut, as it quotes a value: a line of a megabyte was written back whole', () => {
    const key = 'k'.repeat(1_000_000);
    const [first = ''] = problems(`defaults:\n  timeout: 2s\n   ${key}: 1\nsources: []\n`);
    expect(first).toContain(`\`${'k'.repeat(29)}…:\` is indented further than \`timeout:\` above it`);
    expect(first.length).toBeLessThan(300);
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

describe('a key and value on one line that YAML reads otherwise', () => {
  it('says a key glued to its value needs a space after the colon', () => {
    // Was `Implicit map keys need to be followed by map values`, and `Implicit keys need to be on a single line`.
    expect(problems('defaults:\n  timeout: 2s\n  retries:1\nsources: []\n')).toEqual([
      'sources.yaml:3:3: `retries:1` needs a space after the colon: `retries: 1`',
    ]);
    // Alone under its key, it is no YAML error: the mapping's whole value is that one string.
    expect(problems(`defaults:\n  retries:1\n${source('    offers: items')}`)).toEqual([
      'sources.yaml:2:3: defaults: expected a mapping, got a string (`retries:1` needs a space after the colon: `retries: 1`)',
    ]);
    expect(problems(source('    offers:items'))).toEqual([
      'sources.yaml:5:5: `offers:items` needs a space after the colon: `offers: items`',
    ]);
    expect(problems('sources:\n  - name:shop\n    offers: items\n')).toEqual([
      'sources.yaml:2:5: `name:shop` needs a space after the colon: `name: shop`',
    ]);
  });

  it('says a key set with `=` is set with a colon, at the key, wherever the line is', () => {
    // Was `Implicit map keys need to be followed by map values` here, and elsewhere the line after it
    // named as indented too far, or `defaults: expected a mapping, got a string`.
    const said = (key: string, value: string): string =>
      `\`${key} = ${value}\`: write \`${key}: ${value}\`; YAML sets a key with a colon and a space`;
    expect(problems('defaults:\n  timeout: 2s\n  retries = 1\nsources: []\n')).toEqual([
      `sources.yaml:3:3: ${said('retries', '1')}`,
    ]);
    expect(problems('defaults:\n  retries = 1\n  timeout: 2s\nsources: []\n')).toEqual([
      `sources.yaml:2:3: ${said('retries', '1')}`,
    ]);
    expect(problems('retries=1\nsources: []\n')).toEqual([`sources.yaml:1:1: ${said('retries', '1')}`]);
    expect(problems('sources:\n  - name = shop\n    offers: items\n')).toEqual([
      `sources.yaml:2:5: ${said('name', 'shop')}`,
    ]);
    expect(problems(`defaults:\n  retries = 1\n${source('    offers: items')}`)).toEqual([
      `sources.yaml:2:3: defaults: expected a mapping, got a string (${said('retries', '1')})`,
    ]);
    // A mapping of only such lines is one string, its lines joined: the first is named, not all of them as its value.
    expect(problems(`defaults:\n  retries = 1\n  timeout = 2s\n${source('    offers: items')}`)).toEqual([
      `sources.yaml:2:3: defaults: expected a mapping, got a string (${said('retries', '1')})`,
    ]);
    // A credential is not written back, as a glued one is not.
    const header = source('    offers: items').replace(
      '      url:',
      '      headers:\n        X-Api-Key = sk_live_abc\n        Accept: "*/*"\n      url:',
    );
    expect(problems(header)).toEqual([`sources.yaml:5:9: ${said('X-Api-Key', '***')}`]);
  });

  it('takes a URL where a mapping goes for no glued key', () => {
    const text = source('    offers: items').replace('    request:\n      url:', '    request:');
    expect(problems(text)).toEqual([
      'sources.yaml:3:14: sources[0].request: expected a mapping, got a string (a URL alone: write it under `url:`, as `{ url: "https://…" }`)',
    ]);
  });

  it('does not quote a credential glued to its header name', () => {
    const text = source('    offers: items').replace(
      '      url:',
      '      headers:\n        X-Api-Key:sk_live_abcdef\n        Accept: "*/*"\n      url:',
    );
    expect(problems(text)).toEqual([
      'sources.yaml:5:9: `X-Api-Key:***` needs a space after the colon: `X-Api-Key: ***`',
    ]);
    const alone = source('    offers: items').replace(
      '      url:',
      '      headers:\n        X-Api-Key:sk_live_abcdef\n      url:',
    );
    expect(problems(alone)).toEqual([
      'sources.yaml:5:9: sources[0].request.headers: expected a mapping, got a string (`X-Api-Key:***` needs a space after the colon: `X-Api-Key: ***`)',
    ]);
  });

  it('says a value with a second `: ` in it must be quoted', () => {
    // Was `Nested mappings are not allowed in compact mappings`.
    expect(problems(source('    offers: items').replace('title: name', 'title: name: first'))).toEqual([
      'sources.yaml:7:14: a value with `: ` in it must be quoted: write `"name: first"`',
    ]);
  });
});
