import { describe, expect, it } from 'vitest';
import { renderTable } from '../../src/render/table.js';
import { linkTarget, linkTitle } from '../../src/render/table-links.js';
import { cleanText } from '../../src/shared/sanitize.js';
import type { Offer, SearchResult } from '../../src/types.js';
import { fixture } from './fixture.js';

// An OSC 8 link as table-links.ts writes it: `ESC ] 8 ; ; target ESC \`, then the text, then the same with no target.
const OSC8 = /\x1b\]8;;([^\x1b]*)\x1b\\/g;
const withoutLinks = (text: string): string => text.replace(OSC8, '');
/** Each link in `text`: its target and the text it covers. */
const linksIn = (text: string): { target: string; text: string }[] =>
  [...text.matchAll(/\x1b\]8;;([^\x1b]+)\x1b\\(.*?)\x1b\]8;;\x1b\\/g)].map(([, target = '', shown = '']) => ({
    target,
    text: shown,
  }));
// What a terminal would act on, once the links themselves are taken out: colour codes aside, nothing.
const CONTROLS = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/;

const offer = (title: string, url: string | undefined, price = 10): Offer => ({
  source: 'shop',
  title,
  price,
  currency: 'USD',
  ...(url === undefined ? {} : { url }),
});
const resultOf = (offers: Offer[]): SearchResult => ({
  ...fixture(),
  currency: 'USD',
  offers: offers.map((o, i) => ({ ...o, rank: i + 1 })),
});

describe('linkTarget', () => {
  it.each([
    ['https://www.ebay.com/itm/112429282722', 'https://www.ebay.com/itm/112429282722'],
    ['http://shop.example/p?id=2&ref=agg#top', 'http://shop.example/p?id=2&ref=agg#top'],
    // Not ASCII: percent-encoded, the host in punycode, as a browser sends it.
    ['https://bücher.example/köln?q=日本', 'https://xn--bcher-kva.example/k%C3%B6ln?q=%E6%97%A5%E6%9C%AC'],
    ['https://shop.example/a"b<c>', 'https://shop.example/a%22b%3Cc%3E'],
  ])('links %s as %s', (url, target) => {
    expect(linkTarget(url)).toBe(target);
  });

  it.each([
    ['a relative link', '/p/2'],
    ['javascript:', 'javascript:alert(1)'],
    ['JavaScript: in capitals', 'JavaScript:alert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['file:', 'file:///etc/passwd'],
    ['an OSC 8 of its own', 'https://shop.example/\x1b]8;;https://evil.example/\x1b\\'],
    ['a BEL, which ends an OSC too', 'https://shop.example/a\x07b'],
    ['a one-byte ST (C1)', 'https://shop.example/a\x9cb'],
    ['a one-byte OSC (C1)', 'https://shop.example/a\x9d8;;https://evil.example/'],
    ['a newline, which the URL parser would drop without a word', 'https://shop.example/a\nb'],
    ['a tab', 'https://shop.example/a\tb'],
    ['a space', 'https://shop.example/a b'],
    ['a DEL', 'https://shop.example/a\x7fb'],
    ['the escape as cleanText shows it', cleanText('https://shop.example/\x1b]8;;https://evil.example/\x07')],
    ['a C1 control as cleanText shows it', cleanText('https://shop.example/a\x9cb')],
    ['a link longer than a terminal keeps', `https://shop.example/${'a'.repeat(2100)}`],
    // Read as one host, opening another: the part before `@` is a user name (a full-width ／ is no slash).
    ['user info that reads as a host', 'https://www.amazon.com\uff0f@evil.example/'],
    ['a user name and password', 'https://www.amazon.com:login@evil.example/'],
    ['no URL at all', 'not a url'],
    ['empty', ''],
    ['not text', 42],
  ])('makes no link of %s', (_what, url) => {
    expect(linkTarget(url)).toBeUndefined();
  });
});

describe('linkTitle', () => {
  it('leaves a row it cannot read as drawn rather than guess where the title is', () => {
    const line = '│ 1 │ $5.00 │ Sony │ shop │';
    expect(linkTitle(line, ['1', '$9.99'], 'Sony', 'https://s.example/')).toBe(line);
    expect(linkTitle(line.slice(1), ['1', '$5.00'], 'Sony', 'https://s.example/')).toBe(line.slice(1));
  });

  it('finds the title past a price that holds the border character', () => {
    const line = '│ 1 │ 5.00 A│B │ Sony │ shop │';
    expect(withoutLinks(linkTitle(line, ['1', '5.00 A│B'], 'Sony', 'https://s.example/'))).toBe(line);
    expect(linksIn(linkTitle(line, ['1', '5.00 A│B'], 'Sony', 'https://s.example/'))).toEqual([
      { target: 'https://s.example/', text: 'Sony' },
    ]);
  });
});

describe('renderTable with links', () => {
  it('makes each title a link to its offer, and writes no link when not asked', () => {
    const text = renderTable(fixture(), { color: true, links: true, width: 80 });
    expect(linksIn(text)).toEqual([
      { target: 'https://skyfare.example/o/1', text: 'Lisbon direct' },
      { target: 'https://usfly.example/deal?id=2&ref=agg', text: '=HYPERLINK("http://…' },
      { target: 'https://evil.example/x', text: 'Red␛[31m alert<U+00…' },
      { target: 'https://quote.example/4', text: 'Window seat, "premi…' },
      { target: 'https://yen.example/5', text: 'Tokyo via Lisbon' },
    ]);
    // The url column is hidden at 80 columns (after the original price): the title is the link.
    expect(text).toContain('2 columns hidden for width: original, url (see --json)');
    expect(renderTable(fixture(), { color: true, width: 80 })).not.toContain('\x1b]');
    expect(renderTable(fixture(), { color: true, links: false, width: 80 })).not.toContain('\x1b]');
  });

  // The links go in after the table is drawn: the layout must not see them.
  const tricky = (): SearchResult =>
    resultOf([
      offer(
        'Sony WH-1000XM5 Wireless Noise Cancelling Headphones - Certified Refurbished',
        'https://www.ebay.com/itm/1',
      ),
      offer('ソニー ワイヤレスノイズキャンセリングヘッドホン WH-1000XM5 ブラック', 'https://shop.example/ja/2'),
      offer('🎧🎧🎧🎧🎧🎧🎧🎧🎧🎧🎧🎧🎧🎧🎧🎧🎧🎧🎧 headphones with emoji', 'https://shop.example/3'),
      offer('A title │ with the border character │ in it, and long enough to be cut', 'https://shop.example/4'),
      offer('Same start … and an ellipsis of its own in the vendor’s title', 'https://shop.example/5'),
      offer('No link: relative', '/p/6'),
      offer('No link: none', undefined),
      offer('', 'https://shop.example/empty-title'),
      { ...offer('A currency that is no code', 'https://shop.example/9'), currency: 'X│Y', unconverted: true },
    ]);

  it.each([undefined, 200, 150, 118, 100, 80, 60, 45, 30])(
    'at width %s, is the same table byte for byte once the links are taken out',
    (width) => {
      for (const [name, result] of [
        ['fixture', fixture()],
        ['tricky', tricky()],
      ] as const) {
        for (const color of [true, false]) {
          const plain = renderTable(result, { color, width });
          const linked = renderTable(result, { color, width, links: true });
          expect(withoutLinks(linked), `${name}, colour ${color}`).toBe(plain);
          expect(linked).not.toBe(plain);
        }
      }
    },
  );

  it('links a cut title with its `…`, and the whole of one shown whole', () => {
    const text = renderTable(tricky(), { color: false, links: true, width: 60 });
    const links = linksIn(text);
    expect(links.map((l) => l.target)).toEqual([
      'https://www.ebay.com/itm/1',
      'https://shop.example/ja/2',
      'https://shop.example/3',
      'https://shop.example/4',
      'https://shop.example/5',
      'https://shop.example/9',
    ]);
    // Each link covers the title as drawn, up to the padding: the cut ones end in `…`.
    for (const { text: shown } of links) expect(shown).toMatch(/\S$/);
    expect(links[0]?.text).toMatch(/^Sony WH-1000XM5 .*…$/);
    expect(links[3]?.text).toMatch(/^A title <U\+2502> with.*…$/);
    const whole = linksIn(renderTable(tricky(), { color: false, links: true }));
    expect(whole[0]?.text).toBe('Sony WH-1000XM5 Wireless Noise Cancelling Headphones - Certified Refurbished');
  });

  it('links each row of a table drawn in blocks to its own offer', () => {
    const offers = Array.from({ length: 250 }, (_, i) => offer(`Offer number ${i}`, `https://shop.example/o/${i}`, i));
    const text = renderTable(resultOf(offers), { color: false, links: true, width: 70 });
    const links = linksIn(text);
    expect(links).toHaveLength(250);
    links.forEach((link, i) => {
      expect(link).toEqual({ target: `https://shop.example/o/${i}`, text: `Offer number ${i}` });
    });
    expect(withoutLinks(text)).toBe(renderTable(resultOf(offers), { color: false, width: 70 }));
  });

  // As map-offer leaves a vendor's url (cleaned, relative kept, other schemes dropped), and raw, as a
  // library caller may hand renderTable anything.
  it.each([
    ['raw', (url: string) => url],
    ['as agg maps it', cleanText],
  ])('writes no link, and nothing a terminal acts on, for a hostile url (%s)', (_how, asMapped) => {
    const hostile = [
      'https://shop.example/\x1b]8;;https://evil.example/\x1b\\',
      'https://shop.example/\x1b]8;;https://evil.example/\x07',
      'https://shop.example/a\x07b',
      'https://shop.example/a\x9cb',
      'https://shop.example/a\x9d8;;https://evil.example/\x9c',
      'https://shop.example/a\nb',
      'https://shop.example/a\r\n\x1b[2J',
      'javascript:alert(1)',
      ' javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
    ];
    const offers = hostile.map((url, i) => offer(`Hostile ${i}`, asMapped(url)));
    for (const width of [undefined, 120, 50]) {
      const text = renderTable(resultOf(offers), { color: false, links: true, width });
      expect(linksIn(text)).toEqual([]);
      expect(withoutLinks(text)).not.toMatch(CONTROLS);
      expect(text).not.toContain('\x1b]');
    }
  });

  it('links a title to a url that is safe once percent-encoded, and to nothing else', () => {
    const offers = [offer('Unicode path', 'https://shop.example/köln'), offer('Quotes', 'https://shop.example/"x"')];
    const text = renderTable(resultOf(offers), { color: false, links: true });
    expect(linksIn(text).map((l) => l.target)).toEqual([
      'https://shop.example/k%C3%B6ln',
      'https://shop.example/%22x%22',
    ]);
    for (const { target } of linksIn(text)) expect(target).toMatch(/^https?:\/\/[\x21-\x7e]+$/);
  });
});
