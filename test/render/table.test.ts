import Table from 'cli-table3';
import { describe, expect, it, vi } from 'vitest';
import { MAX_PIPED_CELL, renderTable } from '../../src/render/table.js';
import type { SearchResult } from '../../src/types.js';
import { CONTROL, emptyFixture, fixture, headerCells } from './fixture.js';

// Every character in these tables is one column wide, so code points measure visible width.
const ESC_SEQ = /\x1b\[[0-9;]*m/g;
const visible = (line: string): number => [...line.replace(ESC_SEQ, '')].length;
// The lines of the box itself, without the footnotes under it (unconverted prices, hidden columns).
const boxLines = (text: string): string[] => text.split('\n').filter((line) => /^[┌│├└]/.test(line));

describe('renderTable', () => {
  it('renders every column, untruncated when no width is given', () => {
    expect(renderTable(fixture(), { color: false })).toMatchInlineSnapshot(`
      "┌───┬─────────────┬──────────────┬───────────────────────────────────────────────────┬───────────┬───────┬─────────┬────────────────────────────┬─────────────────────────────────────────┐
      │ # │       price │     original │ title                                             │ source    │ stops │ carrier │ legs                       │ url                                     │
      ├───┼─────────────┼──────────────┼───────────────────────────────────────────────────┼───────────┼───────┼─────────┼────────────────────────────┼─────────────────────────────────────────┤
      │ 1 │    €89.50   │              │ Lisbon direct                                     │ skyfare   │ 0     │ TP      │                            │ https://skyfare.example/o/1             │
      │ 2 │    €92.14   │       $99.99 │ =HYPERLINK("http://evil.example","click")         │ usfly     │ 1     │ UA, LH  │                            │ https://usfly.example/deal?id=2&ref=agg │
      │ 3 │    -€5.00   │              │ Red␛[31m alert<U+009B>2J <U+202E>evil second line │ evilco    │ 2     │ XX      │ {"out":"LIS","back":"OPO"} │ https://evil.example/x                  │
      │ 4 │ €1,234.50   │ CHF 1,500.00 │ Window seat, "premium" economy                    │ quoteshop │       │         │                            │ https://quote.example/4                 │
      │ 5 │   ¥12,000 * │              │ Tokyo via Lisbon                                  │ yenair    │ 1     │         │                            │ https://yen.example/5                   │
      └───┴─────────────┴──────────────┴───────────────────────────────────────────────────┴───────────┴───────┴─────────┴────────────────────────────┴─────────────────────────────────────────┘
      * not converted to EUR: no exchange rate; ranked last
      "
    `);
  });

  it('has no ANSI codes or control characters when colour is off', () => {
    const text = renderTable(fixture(), { color: false });
    expect(text).not.toMatch(CONTROL);
    // Shown, not dropped: the reader sees that the vendor sent escapes, and the terminal acts on none.
    expect(text).toContain('Red␛[31m alert<U+009B>2J <U+202E>evil second line');
  });

  it('colours only the header when colour is on', () => {
    const text = renderTable(fixture(), { color: true });
    expect(text).toContain('\x1b[1m\x1b[36m#\x1b[39m\x1b[22m');
    expect(text.replace(ESC_SEQ, '')).toBe(renderTable(fixture(), { color: false }));
  });

  it.each([150, 120, 80, 60, 45])('fits %i columns by truncating, never wrapping', (width) => {
    const text = renderTable(fixture(), { width, color: true });
    const lines = text.trimEnd().split('\n');
    for (const line of lines) expect(visible(line)).toBeLessThanOrEqual(width);
    // 5 offers + header + 3 border lines, then the unconverted footnote and, where columns were dropped,
    // the one naming them: nothing wrapped onto extra lines.
    expect(boxLines(text)).toHaveLength(9);
    expect(lines.slice(9).join('\n')).toMatch(/^\* not converted[^\n]*(\n\d+ columns? hidden for width: [^\n]*)?$/);
  });

  it('leaves a field that is Infinity or NaN blank, as JSON writes it null and CSV leaves it empty', () => {
    const result = fixture();
    result.offers = result.offers.map((o, i) => ({
      ...o,
      perStop: [Number.POSITIVE_INFINITY, Number.NaN, 3][i % 3],
      perLeg: [1, Number.NEGATIVE_INFINITY, 2],
    }));
    const text = renderTable(result, { color: false });
    expect(text).not.toMatch(/Infinity|NaN/);
    // In a list too, as JSON writes [1,null,2].
    expect(text).toContain('│ 1, , 2 │');
    expect(text).toMatch(/│ perStop │/);
    expect(text).toMatch(/│ 3 +│/);
  });

  it('fits a vendor’s absurd price (1e308) without wrapping', () => {
    const result = fixture();
    result.offers = result.offers.map((o, i) => (i === 0 ? { ...o, price: Number.MAX_VALUE } : o));
    const text = renderTable(result, { width: 80, color: false });
    for (const line of text.trimEnd().split('\n')) expect(visible(line)).toBeLessThanOrEqual(80);
    expect(text).toContain('€1.80E308');
  });

  it('cuts a currency that is no code to 12 characters: the price column, never cut, outgrew the terminal', () => {
    const result = fixture();
    const long = 'PRICE IN UNITED STATES DOLLARS INCL. VAT';
    const controls = '\u202e'.repeat(12);
    result.offers = result.offers.map((o, i) =>
      i === 4 ? { ...o, price: 5, currency: long } : i === 3 ? { ...o, price: 6, currency: controls } : o,
    );
    const text = renderTable(result, { width: 60, color: false });
    for (const line of text.trimEnd().split('\n')) expect(visible(line)).toBeLessThanOrEqual(60);
    expect(text).toContain('5.00 PRICE IN UN… *');
    // Cut after cleaning: twelve controls are not twelve `<U+202E>`.
    expect(text).toContain('6.00 <U+202E><U+…');
    // A short unknown code is written whole.
    result.offers = result.offers.map((o, i) => (i === 4 ? { ...o, currency: 'US DOLLARS' } : o));
    expect(renderTable(result, { color: false })).toContain('5.00 US DOLLARS *');
  });

  it('never leaves half an emoji where it cuts a cell, and keeps the rows aligned', () => {
    const result = fixture();
    result.offers = result.offers.map((o) => ({ ...o, title: '🎧'.repeat(40) }));
    for (const width of [100, 77, 60]) {
      const lines = boxLines(renderTable(result, { width, color: false }));
      const text = lines.join('\n');
      expect(text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
      // An emoji takes two columns: every row is as wide as the borders.
      const columns = (line: string) => [...line].reduce((n, ch) => n + (ch.codePointAt(0) === 0x1f3a7 ? 2 : 1), 0);
      for (const line of lines) expect(columns(line), line).toBe(columns(lines[0] ?? ''));
    }
  });

  // string-width 4, cli-table3's measure, counts a column for each Thai, Arabic or Hebrew mark and for a
  // zero-width space or BOM, which a terminal draws in none: such a row ended short of the border above it.
  it('keeps the borders of rows in scripts with marks and of zero-width characters in line', () => {
    // A joiner outside an emoji sequence too: Devanagari's half forms, or one pasted between two letters.
    const titles = [
      'หูฟังไร้สาย Sony สีดำ',
      'سَمّاعَاتُ رَأْسٍ',
      'אוֹזְנִיּוֹת',
      '\ufeffSony\u200b WH-1000XM5',
      'क्\u200dष zero\u200dwidth',
    ];
    const result = fixture();
    result.offers = result.offers.map((o, i) => ({ ...o, title: titles[i] as string }));
    // A terminal's count (wcwidth): every character one column but marks and format characters.
    const columns = (line: string) => [...line.replace(/[\p{Mn}\p{Cf}]/gu, '')].length;
    for (const width of [undefined, 80]) {
      const lines = boxLines(renderTable(result, { width, color: false }));
      for (const line of lines) expect(columns(line), line).toBe(columns(lines[0] ?? ''));
    }
  });

  // Tag characters draw nothing but a flag (🏴 and tags, as Scotland's): string-width counted a column for
  // each one outside a flag, text hidden in a title, and that row ended short of the border. Likewise the
  // Hangul vowels and finals of Jamo Extended-B (U+D7B0–U+D7FF), joined to the syllable before.
  it('measures tag characters outside a flag, and old Hangul vowels, as no columns', () => {
    const hidden = [...'ignore this'].map((c) => String.fromCodePoint(0xe0000 + (c.codePointAt(0) ?? 0))).join('');
    const scotland = '🏴\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}';
    const titles = [
      `Sony${hidden} WH-1000XM5`,
      `${scotland} kilt`,
      '\u1100\u1161\ud7cb hangul',
      `a${scotland}b${hidden}`,
      'plain',
    ];
    const result = fixture();
    result.offers = result.offers.map((o, i) => ({ ...o, title: titles[i] as string }));
    const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    // A flag or a Hangul syllable's first letter two columns, a tag or a Hangul vowel or final none, any
    // other character one.
    const columns = (line: string) =>
      [...graphemes.segment(line)].reduce((n, { segment }) => {
        if (segment.startsWith('🏴') || segment.startsWith('\u1100')) return n + 2;
        return n + [...segment.replace(/[\u{e0000}-\u{e007f}\u1160-\u11ff\ud7b0-\ud7ff]/gu, '')].length;
      }, 0);
    for (const width of [undefined, 80, 40]) {
      const lines = boxLines(renderTable(result, { width, color: false }));
      for (const line of lines) expect(columns(line), `width ${width}: ${line}`).toBe(columns(lines[0] ?? ''));
    }
  });

  // A terminal draws an emoji presentation in two columns: `☕`, or `❤` with the emoji variation selector
  // (VS16, U+FE0F); a text one in one: `❤`, `❤︎` (VS15). string-width counted VS16 after an emoji already
  // two columns (`☕️`, as phone keyboards write it) as a third, and VS15, or VS16 after a letter, as one:
  // that row ended a column off the border.
  it('measures a character with a variation selector as a terminal draws it', () => {
    const titles = ['☕️ Coffee ⭐️⭐️', 'I ❤️ NY tee', 'I ❤ NY, I ❤︎ NY', 'keycap 1️⃣ 👩‍💻 coder 👍🏽️', 'stray a️ 🥲️'];
    const result = fixture();
    result.offers = result.offers.map((o, i) => ({ ...o, title: titles[i] as string }));
    const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    const wide = /\p{Emoji_Presentation}|\p{Emoji}\ufe0f|\u20e3/u;
    const columns = (line: string) =>
      [...graphemes.segment(line)].reduce((n, { segment }) => n + (wide.test(segment) ? 2 : 1), 0);
    for (const width of [undefined, 80, 60]) {
      const lines = boxLines(renderTable(result, { width, color: false }));
      for (const line of lines) expect(columns(line), `width ${width}: ${line}`).toBe(columns(lines[0] ?? ''));
    }
  });

  // The table's rule is `│`: a vendor's title that held one drew a column of its own, and with the url
  // column hidden for the width, `… │ $0.01 │ https://evil.example/` read as a price and a link.
  it('shows a vendor’s column rule as <U+2502>, so that no cell draws a column of its own', () => {
    const result = fixture();
    const spoofs = ['Sony │ $0.01 │ https://evil.example/', 'a ┃ b ║ c ┆ d ￨ e', 'plain'];
    result.offers = result.offers.map((o, i) => ({ ...o, title: spoofs[i % 3] as string, carrier: spoofs[i % 3] }));
    for (const width of [undefined, 120, 60]) {
      const rows = boxLines(renderTable(result, { width, color: false })).filter((line) => line.startsWith('│'));
      const rules = (line: string) => line.match(/[│┃║┆￨]/g)?.length;
      for (const row of rows) expect(rules(row), `width ${width}: ${row}`).toBe(rules(rows[0] ?? ''));
    }
    const text = renderTable(result, { color: false });
    expect(text).toContain('Sony <U+2502> $0.01 <U+2502> https://evil.example/');
    expect(text).toContain('a <U+2503> b <U+2551> c <U+2506> d <U+FFE8> e');
    result.offers = result.offers.map((o) => ({ ...o, title: 'a ⏐ b ❘ c ∣ d ｜ e ǀ f' }));
    expect(renderTable(result, { color: false })).toContain('a <U+23D0> b <U+2758> c <U+2223> d <U+FF5C> e <U+01C0> f');
    // An unconverted offer's price shows the vendor's own currency code: vendor text, in the price column.
    result.offers = result.offers.map((o, i) =>
      i === 0 ? { ...o, title: 'plain', currency: 'U│D', unconverted: true } : { ...o, title: 'plain' },
    );
    const priced = renderTable(result, { color: false });
    expect(priced).toContain('U<U+2502>D');
    const rows = boxLines(priced).filter((line) => line.startsWith('│'));
    for (const row of rows) expect(row.match(/│/g)?.length, row).toBe(rows[0]?.match(/│/g)?.length);
  });

  // A title as many UTF-16 units as columns (`☕️` is 2 and 2, a flag 4 and 2, `中` and an accent 2 and 2)
  // was cut by units, as if each unit were a column: `x☕️☕️☕` lost its last selector, a column wider than
  // the border; a flag was cut in two, a family emoji after a joiner.
  it('cuts a cell between characters, never inside one, at any width', () => {
    const titles = [
      'x☕️☕️☕️☕️☕️☕️☕️☕️☕️☕️☕️☕️',
      '🇯🇵🇫🇷🇯🇵🇫🇷🇯🇵🇫🇷🇯🇵🇫🇷🇯🇵🇫🇷',
      'a👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧👨‍👩‍👧',
      '中\u0301中\u0301中\u0301中\u0301中\u0301中\u0301中\u0301中\u0301',
      'ab',
    ];
    const result = fixture();
    result.offers = result.offers.map((o, i) => ({ ...o, title: titles[i] as string }));
    const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    const wide = /\p{Emoji_Presentation}|\p{Emoji}\ufe0f|\p{Regional_Indicator}|中/u;
    const columns = (line: string) =>
      [...graphemes.segment(line)].reduce((n, { segment }) => n + (wide.test(segment) ? 2 : 1), 0);
    // What is left of a character cut in two: a selector, a joiner or an accent with nothing before it,
    // one flag letter, an emoji that ends in a joiner.
    const broken =
      /[^☕]\ufe0f|\u200d(?!\p{Extended_Pictographic})|[^中]\u0301|^(\p{Regional_Indicator}{2})*\p{Regional_Indicator}…/u;
    for (let width = 40; width <= 70; width++) {
      const lines = boxLines(renderTable(result, { width, color: false }));
      for (const line of lines) expect(columns(line), `width ${width}: ${line}`).toBe(columns(lines[0] ?? ''));
      for (const line of lines.slice(2)) {
        const title = line.split('│')[3]?.trim() ?? '';
        expect(title, `width ${width}`).not.toMatch(broken);
      }
    }
  });

  // cli-table3 cuts a cell of wide characters one character at a time, measuring the rest each time: a
  // vendor's title of 20,000 CJK characters took 33 s to cut (1 MB of them, days), in one synchronous call.
  it('cuts a vendor’s huge title of wide characters in time linear in its length', { timeout: 120_000 }, () => {
    const result = fixture();
    result.offers = result.offers.map((o, i) => (i === 0 ? { ...o, title: `漢字${'字'.repeat(20_000)}` } : o));
    const started = performance.now();
    const text = renderTable(result, { width: 100, color: false });
    expect(performance.now() - started).toBeLessThan(5_000);
    const row = text.split('\n')[3] ?? '';
    expect(row).toMatch(/│ 漢字字+… +│/);
    // Two columns a character: the row is as wide as the top border.
    const columns = (line: string) => [...line].reduce((n, ch) => n + (/[漢字]/.test(ch) ? 2 : 1), 0);
    expect(columns(row)).toBe(columns(text.split('\n')[0] ?? ''));
  });

  // Piped, with no width, cli-table3 still cut every cell to 10 columns for a debug line it never prints,
  // one character at a time: 20,000 CJK characters took 16 s, 2,000,000 hours.
  it('draws a long title of wide characters whole in time linear in its length when piped', {
    timeout: 120_000,
  }, () => {
    const result = fixture();
    const title = `漢字${'字'.repeat(MAX_PIPED_CELL - 2)}`;
    result.offers = result.offers.map((o, i) => (i === 0 ? { ...o, title } : o));
    const started = performance.now();
    const text = renderTable(result, { color: false });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(text.split('\n')[3]).toContain(`│ ${title} │`);
  });

  // A piped table keeps its natural width, but not a vendor's 8 MB title: cli-table3 measures a cell
  // several times, and one title of 2,000,000 emoji took 5 s to draw, deaf to Ctrl-C. JSON has it whole.
  it.each([
    ['CJK', '字'],
    ['emoji', '😀'],
    ['Latin', 'a'],
  ])('cuts a piped cell of %s at MAX_PIPED_CELL characters', { timeout: 120_000 }, (_, char) => {
    const result = fixture();
    result.offers = result.offers.map((o, i) => (i === 0 ? { ...o, title: char.repeat(2_000_000) } : o));
    const text = renderTable(result, { color: false });
    expect(text.split('\n')[3]).toContain(`│ ${char.repeat(MAX_PIPED_CELL)}… │`);
    expect(text).not.toContain(char.repeat(MAX_PIPED_CELL + 1));
  });

  const alone = (title: string): SearchResult => ({
    ...fixture(),
    offers: [{ source: 'shop', title, price: 10, currency: 'EUR' }],
  });
  // Cut before cli-table3 by characters, not UTF-16 units: a flag is 4 units in 2 columns, an é written as
  // e and its accent 2 in 1. Cut by units, such a title lost what the terminal had room for.
  it.each([
    ['flags', `${'🇯🇵🇫🇷🇩🇪🇬🇧🇺🇸🇮🇹🇪🇸🇨🇦 '.repeat(4)}flags`],
    ['accents written apart', `Vie\u0323\u0302t Nam ${'e\u0301'.repeat(60)}`],
  ])('gives a title of %s all the room the terminal has', (_, title) => {
    const text = renderTable(alone(title), { width: 80, color: false });
    // The box is drawn one unit a column: the table is as wide as the terminal, not narrower.
    expect(text.split('\n')[0]).toHaveLength(80);
  });

  it('cuts the widest of two extras longer than the terminal first, as it cuts any widest extra', () => {
    const offers = [
      { source: 'air', title: 'Flight', price: 101, currency: 'EUR', notes: 'n'.repeat(120), legs: 'L'.repeat(300) },
    ];
    const text = renderTable({ ...fixture(), offers }, { width: 100, color: false });
    // Both were cut to the terminal's width before the table was sized: the tie left `notes` to give way.
    expect(text).toMatch(/│ n+… +│ LLLL… │/);
  });

  it('keeps a date-time whole while longer text gives way, and drops extras rather than cut one', () => {
    const offers = [0, 1, 2].map((i) => ({
      source: 'kiwi',
      title: `JFK → LHR · LH 673 + LH 118${i}`,
      price: 637 + i,
      currency: 'EUR',
      carrier: ['Lufthansa', 'KLM', 'Air Canada'][i],
      stops: i,
      departure: `2026-12-20T2${i}:05:00-05:00`,
      arrival: `2026-12-21T1${i}:10:00+00:00`,
      duration: `PT1${i}H5M`,
      origin: 'JFK',
      destination: 'LHR',
      cabin: 'economy',
      flightNumber: `LH ${673 + i}`,
      legs: `JFK→FRA LH 673 2026-12-20 2${i}:05, FRA→LHR LH 1187 2026-12-21 13:30`,
      bags: 1,
    }));
    for (const width of [100, 160, 200]) {
      const text = renderTable({ ...fixture(), offers }, { width, color: false });
      // Cut to its header's width, the departure read `2026-12-2…`: the time, which tells flights apart, was lost.
      expect(text, `width ${width}`).not.toMatch(/\d{4}-\d\d-\d?…/);
      expect(text, `width ${width}`).toContain('│ 2026-12-20T20:05:00-05:00 │');
      for (const line of text.trimEnd().split('\n')) expect(visible(line), `width ${width}`).toBeLessThanOrEqual(width);
    }
    // The free text (legs, the title) gives way first: at 200 both date-times are whole beside a cut legs.
    const wide = renderTable({ ...fixture(), offers }, { width: 200, color: false });
    expect(wide).toContain('│ 2026-12-21T10:10:00+00:00 │');
    expect(wide).toMatch(/│ JFK→F?…/);
  });

  it('keeps whole the longest date-time, with milliseconds and an offset, and dates of unlike lengths', () => {
    const offers = [0, 1, 2].map((i) => ({
      source: 'kiwi',
      title: `JFK → LHR · LH 673 + LH 118${i} via Frankfurt, economy light, one bag`,
      price: 637 + i,
      currency: 'EUR',
      departure: `2026-12-20T2${i}:05:00.000-05:00`,
      // A date alone, or with a time: the shape of a date all the same.
      day: ['2026-12-20', '2026-12-21T08:00', '2026-12-22T08:00:00Z'][i],
      legs: `JFK→FRA LH 673 2026-12-20 2${i}:05, FRA→LHR LH 1187 2026-12-21 13:30`,
    }));
    for (const width of [90, 100, 110]) {
      const text = renderTable({ ...fixture(), offers }, { width, color: false });
      // A date cut anywhere (`2026-12-2…`, `2026-12-20T20:05:00.…`): shown whole, or its column dropped.
      expect(text, `width ${width}`).not.toMatch(/\d{4}-\d\d-\d?\d?[^│]*…/);
      for (const line of text.trimEnd().split('\n')) expect(visible(line)).toBeLessThanOrEqual(width);
    }
    const text = renderTable({ ...fixture(), offers }, { width: 100, color: false });
    expect(text).toContain('│ 2026-12-20T20:05:00.000-05:00 │');
    // Both beside a title of its fair width (at 100 the day went for it: see the test below).
    const wider = renderTable({ ...fixture(), offers }, { width: 120, color: false });
    expect(wider).toContain('│ 2026-12-20T20:05:00.000-05:00 │');
    expect(wider).toContain('│ 2026-12-22T08:00:00Z │');
  });

  // At 100 columns a flight table kept a 27-column departure whole beside titles cut to `JFK → LHR…`:
  // every row read the same.
  it("orders the extra columns as the sources file maps them, whichever source's offer ranks first", () => {
    const shop = (first: Record<string, unknown>) => ({
      ...fixture(),
      fields: ['condition', 'shipping'],
      offers: [
        { source: 'etsy', title: 'Vintage MDR-3', price: 69.66, currency: 'USD', ...first },
        { source: 'ebay', title: 'MDR-7506', price: 85.99, currency: 'USD', condition: 'Used', shipping: '25.00 USD' },
      ],
    });
    // Etsy maps only `shipping`: first in the ranking, it put that column before eBay's `condition`.
    const etsyFirst = renderTable(shop({ shipping: 'unknown' }), { color: false });
    expect(headerCells(etsyFirst)).toEqual(['#', 'price', 'title', 'source', 'condition', 'shipping']);
    const plain = renderTable(shop({}), { color: false });
    expect(headerCells(plain)).toEqual(headerCells(etsyFirst));
    // A field no source of the file maps (a result built by hand) comes after those that one does.
    const extra = renderTable({ ...shop({ seller: 'RetroAudioNL' }) }, { color: false });
    expect(headerCells(extra)).toEqual(['#', 'price', 'title', 'source', 'condition', 'shipping', 'seller']);
  });

  it('puts back an extra dropped before a date-time that went for the title, when it then fits', () => {
    // The demo's flights at 80 columns, the usual terminal: the duration went first (the table could not
    // fit with the departure whole), then the departure (for the title), and neither was shown.
    const offers = ['LH 673 + LH 1187', 'B6 1279', 'KL 405 + KL 138'].map((flight, i) => ({
      source: ['kiwi', 'amadeus', 'duffel'][i] as string,
      title: `JFK → LHR · ${flight}`,
      price: 637 + i,
      currency: 'EUR',
      carrier: flight.slice(0, 2),
      stops: flight.includes('+') ? 1 : 0,
      departure: `2026-12-20 ${10 + i}:05`,
      duration: `PT${7 + 4 * (i % 2)}H25M`,
    }));
    const text = renderTable({ ...fixture(), offers }, { width: 80, color: false });
    expect(headerCells(text)).toEqual(['#', 'price', 'title', 'source', 'carrier', 'stops', 'duration']);
    expect(text).toContain('│ 11h 25m  │');
    expect(text).toContain('\n1 column hidden for width: departure (see --json)\n');
    for (const line of text.trimEnd().split('\n')) expect(visible(line)).toBeLessThanOrEqual(80);
    // Beside a title of its fair width (24, `…` included), as when the departure went alone.
    expect(text).toContain('│ JFK → LHR · LH 673 + L… │');
  });

  it('drops a date-time, from the right, rather than keep it whole beside a title cut below its fair width', () => {
    const flights = (extra: (i: number) => Record<string, unknown>) => ({
      ...fixture(),
      offers: ['LH 673 + LH 1187', 'B6 1279', 'BA 178', 'VS 4'].map((flight, i) => ({
        source: ['kiwi', 'amadeus', 'skyscanner', 'kiwi'][i] as string,
        title: `JFK → LHR · ${flight}`,
        price: 637 + i,
        currency: 'EUR',
        carrier: ['LH', 'B6', 'BRITISH AIRWAYS', 'Virgin'][i],
        stops: i % 2,
        ...extra(i),
      })),
    });
    const dated = flights((i) => ({ departs: `2026-12-20T2${i}:05:00-05:00`, duration: `PT${7 + i}H25M` }));
    const text = renderTable(dated, { width: 100, color: false });
    expect(text).toContain('│ JFK → LHR · LH 673 + LH 1187 │');
    // `stops`, a code no wider than its header, costs the title nothing and stays; `duration`, text, stays.
    expect(headerCells(text)).toEqual(['#', 'price', 'title', 'source', 'carrier', 'stops', 'duration']);
    expect(text).toContain('\n1 column hidden for width: departs (see --json)\n');
    // The rightmost goes first, and only as many as the title needs for its fair width (24, `…` included).
    const twice = flights((i) => ({ departs: `2026-12-20T2${i}:05:00-05:00`, arrives: `2026-12-21T0${i}:30:00Z` }));
    const both = renderTable(twice, { width: 100, color: false });
    expect(headerCells(both)).toEqual(['#', 'price', 'title', 'source', 'carrier', 'stops', 'departs']);
    expect(both).toContain('│ JFK → LHR · LH 673 + … │');
    expect(both).toContain('\n1 column hidden for width: arrives (see --json)\n');
    // With room for both, the date-time is kept whole beside the whole title.
    const wide = renderTable(dated, { width: 120, color: false });
    expect(wide).toContain('│ JFK → LHR · LH 673 + LH 1187 │');
    expect(wide).toContain('│ 2026-12-20T20:05:00-05:00 │');
    expect(wide).not.toContain('hidden');
    // A title no wider than its fair width asks only its own.
    const short = renderTable(
      flights((i) => ({ title: `LHR ${i}`, departs: `2026-12-20T2${i}:05:00-05:00` })),
      { width: 80, color: false },
    );
    expect(short).toContain('│ 2026-12-20T20:05:00-05:00 │');
  });

  it('past every readable minimum, cuts the source before the title, which says what the offer is', () => {
    const row = renderTable(fixture(), { width: 34, color: false }).split('\n')[3] ?? '';
    expect(row).toContain('│ Lisbon… │ s… │');
  });

  it('shows whole a title more UTF-16 units than the terminal is wide that fits it', () => {
    const title = 'e\u0301'.repeat(45);
    expect(renderTable(alone(title), { width: 80, color: false })).toContain(`│ ${title} │`);
  });

  it('shortens a long url first, then the title', () => {
    const text = renderTable(fixture(), { width: 150, color: false });
    expect(text).toContain('https://usfly.example/deal?id=2…');
    expect(text).toContain('Window seat, "premium" economy');
    expect(text).toMatchInlineSnapshot(`
      "┌───┬─────────────┬────────────────────────────────────┬───────────┬───────┬─────────┬────────────────────────────┬──────────────────────────────────┐
      │ # │       price │ title                              │ source    │ stops │ carrier │ legs                       │ url                              │
      ├───┼─────────────┼────────────────────────────────────┼───────────┼───────┼─────────┼────────────────────────────┼──────────────────────────────────┤
      │ 1 │    €89.50   │ Lisbon direct                      │ skyfare   │ 0     │ TP      │                            │ https://skyfare.example/o/1      │
      │ 2 │    €92.14   │ =HYPERLINK("http://evil.example",… │ usfly     │ 1     │ UA, LH  │                            │ https://usfly.example/deal?id=2… │
      │ 3 │    -€5.00   │ Red␛[31m alert<U+009B>2J <U+202E>… │ evilco    │ 2     │ XX      │ {"out":"LIS","back":"OPO"} │ https://evil.example/x           │
      │ 4 │ €1,234.50   │ Window seat, "premium" economy     │ quoteshop │       │         │                            │ https://quote.example/4          │
      │ 5 │   ¥12,000 * │ Tokyo via Lisbon                   │ yenair    │ 1     │         │                            │ https://yen.example/5            │
      └───┴─────────────┴────────────────────────────────────┴───────────┴───────┴─────────┴────────────────────────────┴──────────────────────────────────┘
      * not converted to EUR: no exchange rate; ranked last
      1 column hidden for width: original (see --json)
      "
    `);
  });

  it('says an offer that gave no currency was not converted for that, not for want of a rate', () => {
    const mixed = fixture();
    const yen = mixed.offers.find((o) => o.unconverted);
    if (!yen) throw new Error('the fixture has an unconverted offer');
    const none = { ...yen, title: 'No code', currency: 'XXX', rank: 6 };
    mixed.offers = [...mixed.offers, none];
    expect(renderTable(mixed, { width: 200, color: false })).toContain(
      '* not converted to EUR: no exchange rate, or no currency given; ranked last\n',
    );
    mixed.offers = mixed.offers.filter((o) => !o.unconverted || o.currency === 'XXX');
    expect(renderTable(mixed, { width: 200, color: false })).toContain(
      '* not converted to EUR: no currency given; ranked last\n',
    );
  });

  it('says an offer gave no currency when there is no ranking currency to star it against', () => {
    // Every offer in XXX and no ranking currency: `¤38.00` with no footnote, and nothing on stdout said why.
    const none = fixture();
    none.offers = none.offers.map((o) => ({ ...o, currency: 'XXX', unconverted: undefined }));
    none.currency = undefined;
    const text = renderTable(none, { width: 200, color: false });
    expect(text).toContain('│     ¤89.50 │');
    expect(text.endsWith('┘\n¤ no currency given\n')).toBe(true);
    expect(
      renderTable({ ...none, offers: fixture().offers.filter((o) => !o.unconverted) }, { width: 200, color: false }),
    ).not.toContain('no currency');
  });

  it('says "ranked last" only when converted offers come before the unconverted ones', () => {
    const all = fixture();
    all.offers = all.offers.filter((o) => o.unconverted);
    const text = renderTable(all, { width: 200, color: false });
    expect(text).toContain('* not converted to EUR: no exchange rate\n');
    expect(text).not.toContain('ranked last');
    // Under --sort stops an unconverted offer listed last is there for its stops, not its currency.
    const sorted = renderTable(fixture(), { width: 200, color: false, sortedBy: 'stops' });
    expect(sorted).toContain('* not converted to EUR: no exchange rate\n');
  });

  it('numbers each row by the rank its offer carries, not its place in the table', () => {
    const result = fixture();
    result.offers = result.offers.slice(0, 2).map((o, i) => ({ ...o, rank: [3, 7][i] }));
    expect(renderTable(result, { color: false })).toMatch(/│ 3 │[^\n]*\n│ 7 │/);
  });

  it('drops the url column rather than cut it to a stub, and gives the title its room', () => {
    const text = renderTable(fixture(), { width: 100, color: false });
    expect(text).not.toMatch(/│ url/);
    // Beside the original price (`$99.99`), kept: the title still has more than its fair 24 columns.
    expect(text).toContain('│ =HYPERLINK("http://evil.… │');
    for (const line of text.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('drops the url column when its links would be cut before the part where they differ', () => {
    const deep = 'https://www.kiwi.com/deep?affilid=agg-demo&currency=USD&flightsId=';
    const offers = ['aku71joy', '95fvx6mw', 'x3k2'].map((id, i) => ({
      source: 'kiwi',
      title: `JFK → LHR · flight ${i + 1}`,
      price: 600 + i,
      currency: 'EUR',
      url: `${deep}${id}&from=JFK&to=LHR`,
    }));
    // Cut to ~45 characters, every row showed `https://www.kiwi.com/deep?affilid=agg-demo…`.
    const cut = renderTable({ ...fixture(), offers }, { width: 100, color: false });
    expect(cut).not.toMatch(/│ url/);
    expect(cut).not.toContain('kiwi.com');
    // With room enough to reach the ids, the links are shown.
    const roomy = renderTable({ ...fixture(), offers }, { width: 140, color: false });
    expect(roomy).toContain(`${deep}aku71joy`);
  });

  it('drops extra columns from the right until even a narrow terminal fits, with or without the url', () => {
    // Narrow enough to drop the url: the extras must still go, the last first, until the table fits.
    for (let width = 30; width <= 60; width++) {
      const lines = boxLines(renderTable(fixture(), { width, color: false }));
      for (const line of lines) expect(visible(line), `width ${width}`).toBeLessThanOrEqual(width);
    }
    const narrow = renderTable(fixture(), { width: 40, color: false }).split('\n')[1] ?? '';
    expect(narrow).not.toContain('url');
    expect(narrow).not.toContain('legs');
  });

  it('drops an extra column rather than cut it below its header, and gives its room to the title', () => {
    for (let width = 30; width <= 90; width++) {
      const header = renderTable(fixture(), { width, color: false }).split('\n')[1] ?? '';
      const cells = header
        .split('│')
        .slice(1, -1)
        .map((c) => c.trim());
      // Only the title, source and url may be cut (`sour…`); `s…` for `stops` would be no column at all.
      for (const cut of cells.filter((c) => c.endsWith('…'))) {
        expect(
          ['title', 'source', 'url'].some((name) => name.startsWith(cut.slice(0, -1))),
          `width ${width}: ${cut}`,
        ).toBe(true);
      }
    }
    // At 60 columns the legs go, and the title keeps its readable width beside stops and carrier.
    const header = renderTable(fixture(), { width: 60, color: false }).split('\n')[1] ?? '';
    expect(header.split('│').map((c) => c.trim())).toEqual([
      '',
      '#',
      'price',
      'title',
      'source',
      'stops',
      'carrier',
      '',
    ]);
  });

  it('has no url column when no offer has a url, so the others keep its room', () => {
    const result = fixture();
    const offers = result.offers.map(({ url: _, ...o }) => o);
    const header = renderTable({ ...result, offers }, { color: false }).split('\n')[1] ?? '';
    expect(header).not.toContain('url');
    expect(header).toContain('legs');
  });

  it('takes a width of 0 (a terminal that reports no columns) as no width, not as room for nothing', () => {
    expect(renderTable(fixture(), { width: 0, color: false })).toBe(renderTable(fixture(), { color: false }));
  });

  it('leaves a table that already fits alone', () => {
    const wide = renderTable(fixture(), { color: false });
    expect(renderTable(fixture(), { width: 500, color: false })).toBe(wide);
  });

  it('leaves a field named like an Object.prototype method empty where an offer has none of its own', () => {
    const result = fixture();
    result.offers = result.offers.slice(0, 2);
    Object.assign(result.offers[0] as object, { toString: 'ts', valueOf: 3 });
    const row = renderTable(result, { color: false }).split('\n')[4] ?? '';
    expect(row).toContain('usfly');
    expect(row).not.toContain('native code');
  });

  it('draws many offers as one table: one header, one bottom border, every line as wide, rows in order', () => {
    const many = (n: number, longTitleAt: number): SearchResult => ({
      ...fixture(),
      offers: Array.from({ length: n }, (_, i) => ({
        rank: i + 1,
        source: 's',
        title: i === longTitleAt ? 'a much longer name than the others' : `t${i}`,
        price: i,
        currency: 'EUR',
      })),
    });
    for (const width of [undefined, 40]) {
      // The widest cell last: it sizes the column of the first rows too.
      const lines = renderTable(many(1234, 1233), { width, color: false }).trimEnd().split('\n');
      expect(lines).toHaveLength(1234 + 4);
      expect(lines.filter((l) => l.includes('title'))).toHaveLength(1);
      expect(lines.filter((l) => l.startsWith('└'))).toHaveLength(1);
      expect(lines.filter((l) => l.startsWith('├'))).toHaveLength(1);
      expect(new Set(lines.map(visible)).size).toBe(1);
      expect(lines.slice(3, -1).map((l) => Number(l.split('│')[1]))).toEqual(
        Array.from({ length: 1234 }, (_, i) => i + 1),
      );
    }
  });

  // Past one block of rows the columns are measured, not left to cli-table3: a measure off by one column for
  // any character (wide, emoji, combining, zero-width, a coloured header) would shift every row's borders.
  it('sizes the columns of a long table as cli-table3 sizes the block that holds the widest cells', () => {
    const tricky = ['ヘッドホン 耳机', '😀 👍🏽 🇯🇵', 'e\u0301te\u0301', 'zero\u200bwidth', 'ﾊﾝｶｸ Ω', 'plain'];
    const offers = Array.from({ length: 100 }, (_, i) => ({
      rank: i + 1,
      source: tricky[(i + 2) % tricky.length] as string,
      title: `${tricky[i % tricky.length]} ${i}`,
      price: i * 1.5,
      currency: 'EUR',
      seller: tricky[(i + 4) % tricky.length],
    }));
    const short = Array.from({ length: 50 }, (_, i) => ({
      rank: 101 + i,
      source: 's',
      title: 't',
      price: 1,
      currency: 'EUR',
    }));
    for (const color of [false, true]) {
      // One block (100 rows) is drawn at the widths cli-table3 chooses itself.
      const own = renderTable({ ...fixture(), offers }, { color }).split('\n');
      const measured = renderTable({ ...fixture(), offers: [...offers, ...short] }, { color }).split('\n');
      // The top border, the header and every row of the first 100 come out the same.
      expect(measured.slice(0, 103)).toEqual(own.slice(0, 103));
    }
  });

  // cli-table3 lays out a table in time quadratic in its rows: 40,000 offers took over a minute.
  it('renders 40,000 offers in seconds, not minutes', { timeout: 90_000 }, () => {
    const offers = Array.from({ length: 40_000 }, (_, i) => ({
      rank: i + 1,
      source: 's',
      title: `t${i}`,
      price: i,
      currency: 'EUR',
    }));
    const started = performance.now();
    const text = renderTable({ ...fixture(), offers }, { color: false });
    expect(performance.now() - started).toBeLessThan(45_000);
    expect(text.trimEnd().split('\n')).toHaveLength(40_000 + 4);
  });

  // The columns are measured, not drawn to be sized: a sizing draw doubled every table's time.
  it('draws each block of a table once, whether it fits or is cut to the width', () => {
    const draws = vi.spyOn(Table.prototype, 'toString');
    try {
      renderTable(fixture(), { color: false });
      expect(draws).toHaveBeenCalledTimes(1);
      draws.mockClear();
      renderTable(fixture(), { color: false, width: 30 });
      expect(draws).toHaveBeenCalledTimes(1);
      draws.mockClear();
      const offers = Array.from({ length: 250 }, (_, i) => ({
        rank: i + 1,
        source: 's',
        title: `t${i}`,
        price: i,
        currency: 'EUR',
      }));
      renderTable({ ...fixture(), offers }, { color: false, width: 40 });
      expect(draws).toHaveBeenCalledTimes(3);
    } finally {
      draws.mockRestore();
    }
  });

  // Each of these held by no test before: a change to the rule went unnoticed.
  describe('the rules a narrow terminal follows', () => {
    /** The fixture's offers with `fields` only: no extras or url unless given. */
    const only = (fields: (i: number) => Record<string, unknown> = () => ({})): SearchResult => {
      const result = fixture();
      result.offers = result.offers.map((o, i) => ({
        rank: i + 1,
        source: o.source,
        price: o.price,
        currency: 'EUR',
        title: 'Window seat, premium economy, Lisbon',
        ...fields(i),
      }));
      return result;
    };
    const rowsOf = (text: string): string[] => text.split('\n').filter((l) => l.startsWith('│'));

    it('keeps 10 characters of the title while the source is cut to nothing', () => {
      expect(rowsOf(renderTable(only(), { width: 36, color: false }))[1]).toBe('│ 1 │     €89.50 │ Window se… │ s… │');
    });

    it('drops an extra column rather than cut the source below 6 characters', () => {
      const carrier = (i: number) => ({ carrier: ['Lufthansa Cityline', 'KLM', 'Air Canada Rouge'][i % 3] });
      const text = renderTable(only(carrier), { width: 50, color: false });
      expect(headerCells(text)).toEqual(['#', 'price', 'title', 'source']);
      expect(text).toContain('│ quoteshop │');
    });

    it('cuts an extra column of text of unlike lengths, as it is no date or code', () => {
      const carrier = (i: number) => ({ carrier: ['Lufthansa Cityline', 'KLM', 'Air Canada Rouge'][i % 3] });
      expect(renderTable(only(carrier), { width: 80, color: false })).toContain('│ Lufthansa Cityl… │');
    });

    it('keeps a url column of short links that fit whole', () => {
      // 80: the title gives way, and the url keeps its 14 characters, short of the 24 a long one keeps.
      const text = renderTable(
        only((i) => ({ url: `https://a.ex/${i}` })),
        { width: 80, color: false },
      );
      expect(headerCells(text)).toContain('url');
      expect(text).toContain('│ https://a.ex/4 │');
    });

    it('never cuts a price, even one wider than the terminal', () => {
      const huge = only();
      huge.offers = huge.offers.slice(0, 1).map((o) => ({ ...o, price: 1e14 }));
      expect(renderTable(huge, { width: 20, color: false })).toContain('€100,000,000,000,000.00');
    });

    it('says "ranked last" only when every offer after the first unconverted one is unconverted too', () => {
      const mixed = fixture();
      const [a, b, , , yen] = mixed.offers;
      if (!a || !b || !yen) throw new Error('the fixture has five offers');
      mixed.offers = [a, yen, b];
      expect(
        renderTable(mixed, { width: 200, color: false }).endsWith('\n* not converted to EUR: no exchange rate\n'),
      ).toBe(true);
    });

    it('keeps a footnote exactly as wide as the terminal whole, and cuts one a character wider', () => {
      const footnote = '* not converted to EUR: no exchange rate; ranked last';
      expect(renderTable(fixture(), { width: footnote.length, color: false })).toContain(`\n${footnote}\n`);
      expect(renderTable(fixture(), { width: footnote.length - 1, color: false })).toContain(
        `\n${footnote.slice(0, -2)}…\n`,
      );
    });

    // A narrow table dropped `departs` and `duration` without a word: nothing said they were ever there.
    it('names the columns it hides for the width under the table, and how to see them', () => {
      const flights = only((i) => ({ departs: `2026-12-20T2${i}:05:00-05:00`, duration: `PT${7 + i}H25M` }));
      const text = renderTable(flights, { width: 60, color: false });
      expect(headerCells(text)).toEqual(['#', 'price', 'title', 'source']);
      // On stdout with the table, right under it, in the table's order.
      expect(text).toMatch(/┘\n2 columns hidden for width: departs, duration \(see --json\)\n$/);
      // The url, dropped as too short to tell links apart, is named too.
      const linked = renderTable(fixture(), { width: 100, color: false });
      expect(headerCells(linked)).not.toContain('url');
      expect(linked).toContain('\n1 column hidden for width: url (see --json)\n');
    });

    it('says nothing of hidden columns when none is hidden, nor when piped', () => {
      const flights = only((i) => ({ departs: `2026-12-20T2${i}:05:00-05:00` }));
      expect(renderTable(flights, { width: 200, color: false })).not.toContain('hidden');
      expect(renderTable(flights, { color: false })).not.toContain('hidden');
    });

    it('names fewer columns rather than lose the count or the hint, and fits the width', () => {
      for (let width = 20; width <= 70; width++) {
        const text = renderTable(fixture(), { width, color: false });
        const note = text.split('\n').find((line) => line.includes(' hidden'));
        expect(note, `width ${width}`).toBeDefined();
        expect(note?.length, `width ${width}`).toBeLessThanOrEqual(width);
      }
      // 45: four of the five names (the original price first) would not fit beside the count and the hint.
      expect(renderTable(fixture(), { width: 45, color: false })).toContain(
        '\n5 columns hidden for width: … (see --json)\n',
      );
      // Narrower, the count and the hint outlast the words: `5 columns hidden for wi…` kept neither.
      expect(renderTable(fixture(), { width: 40, color: false })).toContain('\n5 columns hidden (see --json)\n');
      // After the unconverted footnote, the other note on the table.
      expect(renderTable(fixture(), { width: 60, color: false })).toMatch(
        /┘\n\* not converted[^\n]*\n3 columns hidden for width: original, legs, url \(see --json\)\n$/,
      );
    });

    it('cleans the ranking currency it names in the footnote', () => {
      const odd = fixture();
      odd.currency = 'E\x1b[2JUR';
      const text = renderTable(odd, { width: 200, color: false });
      expect(text).not.toMatch(CONTROL);
      expect(text).toContain('* not converted to E␛[2JUR: ');
    });
  });

  it('says so when there are no offers, and how many sources failed', () => {
    const empty = emptyFixture();
    expect(renderTable(empty, { color: false })).toBe('No offers: 2 of 8 sources failed.\n');
    empty.sources = empty.sources.filter((s) => s.status === 'ok');
    expect(renderTable(empty, { color: false })).toBe('No offers.\n');
  });
});

describe('renderTable: durations', () => {
  const withDurations = (values: unknown[]): SearchResult => {
    const result = fixture();
    result.offers = result.offers.map((o, i) => ({ ...o, duration: values[i] }));
    return result;
  };
  const column = (text: string, head: string): string[] => {
    const rows = boxLines(text)
      .filter((l) => l.startsWith('│'))
      .map((l) => l.split('│').map((c) => c.trim()));
    const at = rows[0]?.indexOf(head) ?? -1;
    return rows.slice(1).map((r) => r[at] ?? '');
  };

  it('shows ISO 8601 durations as hours and minutes, and keeps them whole in a narrow table', () => {
    const result = withDurations(['PT11H20M', 'PT7H5M', undefined, 'P1DT2H', 'PT55M']);
    expect(column(renderTable(result, { color: false }), 'duration')).toEqual(['11h 20m', '7h 5m', '', '26h', '55m']);
    // The title gives way first; a cut length (`11h 2…`) would say nothing.
    expect(column(renderTable(result, { color: false, width: 100 }), 'duration')).toEqual([
      '11h 20m',
      '7h 5m',
      '',
      '26h',
      '55m',
    ]);
  });

  it('reads one length one way however a vendor wrote it: in hours and minutes, to the minute', () => {
    const result = withDurations(['PT90M', 'PT1H30M', 'PT0.5H', 'PT36H', 'PT20S']);
    expect(column(renderTable(result, { color: false }), 'duration')).toEqual([
      '1h 30m',
      '1h 30m',
      '30m',
      '36h',
      '20s',
    ]);
  });

  it('leaves a column as written when a length is past what a number holds to the minute', () => {
    // 400 nines of days read `Infinityh`; 99999999999999999999 hours `100000000000000000000h`, another number.
    const result = withDurations(['PT2H', `P${'9'.repeat(400)}D`, 'PT99999999999999999999H']);
    expect(column(renderTable(result, { color: false, width: 1000 }), 'duration')).toEqual([
      'PT2H',
      `P${'9'.repeat(400)}D`,
      'PT99999999999999999999H',
      '',
      '',
    ]);
  });

  it('leaves a column as written when any of its values is not such a duration', () => {
    const result = withDurations(['PT11H20M', '7h 5m', 'PT5M', 430, undefined]);
    expect(column(renderTable(result, { color: false }), 'duration')).toEqual(['PT11H20M', '7h 5m', 'PT5M', '430', '']);
  });
});
