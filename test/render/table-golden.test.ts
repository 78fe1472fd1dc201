import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderTable, type TableOptions } from '../../src/render/table.js';
import type { Offer, SearchResult } from '../../src/types.js';

/**
 * The table's text for a varied set of rows, byte for byte as it was drawn before the drawing was made
 * faster (caches, smaller blocks): any change of output, however small, is a change of behaviour. The
 * piped text (and the shortest table's at 80 columns) is kept whole in the file, so that a diff shows
 * what moved; the others by hash.
 */

const TITLES = [
  'Sony WH-1000XM5 Wireless Noise Cancelling Headphones',
  'ソニー ワイヤレスノイズキャンセリングヘッドホン 黒 日本製 保証付き',
  '索尼 无线降噪耳机 中文标题 很长的商品名称',
  '한국어 제품 이름 헤드폰',
  'Family 👨‍👩‍👧‍👦 pack with flags 🇯🇵🇫🇷 and 🏴󠁧󠁢󠁳󠁣󠁴󠁿 and keycap 1️⃣ ☕️☕ ❤️ ❤︎ 🥲',
  'Cafe\u0301 re\u0301sume\u0301 Z\u0335\u0321a\u0336l\u0337g\u0334o combining marks',
  'سماعات لاسلكية عربية مع إلغاء الضوضاء',
  'אוזניות אלחוטיות עִבְרִית',
  'หูฟังไร้สาย ภาษาไทย',
  'हेडफ़ोन क्ष्‍ हिन्दी',
  'Lookalike rules │ ┃ ǀ ∣ ⏐ ❘ ❙ ❚ ｜ ￨ ║ in a title',
  'Bidi \u202eoverride\u202c and \u2066isolate\u2069 zero\u200bwidth \ufeffbom a\ufe0f soft\u00adhyphen',
  'Controls \x1b[31mred\x1b[0m bell\x07 tab\there C1\x9b2J newline\nsecond',
  '=HYPERLINK("http://evil.example","click") formula',
  'Tags hidden\u{e0041}\u{e0042} in text',
  'x'.repeat(140),
  '絵'.repeat(90),
  '',
];
const CURRENCIES = ['USD', 'EUR', 'JPY', 'GBP', 'CHF', 'KWD', 'INR', 'BRL', 'XAF', 'CNY', 'KRW', 'ZZZ'];
const URLS = [
  'https://vendor.example/itm/1',
  `https://long.example/${'path/'.repeat(40)}?q=${'a'.repeat(120)}`,
  'https://ünïcode.example/pfad/ä?x=ü',
  '/relative/only',
  'javascript:alert(1)',
  'https://user:pw@evil.example/',
  undefined,
];

function offer(i: number): Offer {
  const currency = CURRENCIES[i % CURRENCIES.length] ?? 'USD';
  return {
    rank: i + 1,
    source: ['shop', 'ショップ', 'evil│co', 'a-very-long-source-name-for-width'][i % 4] ?? 'shop',
    title: `${TITLES[i % TITLES.length]} #${i}`,
    price: Math.round((i * 37.13 + 0.5) * 100) / 100,
    currency,
    url: URLS[i % URLS.length],
    ...(currency === 'ZZZ' ? { unconverted: true } : {}),
    ...(i % 3 === 0 ? { originalPrice: i * 2, originalCurrency: 'GBP' } : {}),
    ...(i % 2 === 0 ? { condition: i % 4 === 0 ? 'New' : 'Used — like new ✨' } : {}),
    departs: `2026-12-${String((i % 28) + 1).padStart(2, '0')}T08:30:00Z`,
    duration: i % 5 === 0 ? undefined : `PT${(i % 13) + 1}H${(i * 7) % 60}M`,
    stops: i % 7 === 0 ? null : i % 3,
    carrier: i % 2 ? ['LH', 'UA', 'ANA 全日空'] : 'TP',
    legs: i % 9 === 0 ? { out: 'LIS', back: 'NRT', note: '東京' } : undefined,
  };
}

function result(rows: number): SearchResult {
  return {
    query: { text: 'q', params: { query: 'q' } },
    strategy: 'all',
    currency: 'USD',
    offers: Array.from({ length: rows }, (_, i) => offer(i)),
    sources: [{ name: 'shop', status: 'ok', httpStatus: 200, ms: 1, attempts: 1, offers: rows }],
    partial: false,
    elapsedMs: 1,
    warnings: [],
    fields: ['carrier', 'departs', 'duration', 'stops', 'condition', 'legs'],
  };
}

const WIDTHS = [undefined, 40, 80, 120, 200, 400];
const STYLES: TableOptions[] = [
  { color: false },
  { color: true },
  { color: true, links: true },
  { color: false, links: true, sortedBy: 'stops' },
];

const sha = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);

describe('the table, byte for byte', () => {
  it.each([7, 100, 101, 260])('draws %i varied rows as it did', async (rows) => {
    const parts: string[] = [];
    for (const width of WIDTHS) {
      for (const style of STYLES) {
        const text = renderTable(result(rows), { ...style, width });
        const whole = (width === undefined || (width === 80 && rows < 100)) && style.color === false && !style.links;
        parts.push(`== width ${width ?? 'piped'} ${JSON.stringify(style)}: ${whole ? `\n${text}` : sha(text)}`);
      }
    }
    await expect(parts.join('\n')).toMatchFileSnapshot(`./__golden__/table-${rows}.txt`);
  });
});
