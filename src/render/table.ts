/** The human view: a boxed table sized to the terminal, every vendor string made inert first. */

import Table from 'cli-table3';
import tableUtils from 'cli-table3/src/utils.js';
import { cleanText } from '../sanitize.js';
import { NO_CURRENCY, type Offer, type SearchResult } from '../types.js';
import { durationCells } from './duration-cell.js';
import { extraKeys } from './fields.js';
import { shownMoney } from './money.js';
import { linkTarget, linkTitle } from './table-links.js';
import './table-truncate.js';
import './table-width.js';

/** How the table is laid out: `width` is the terminal's (none when piped), `color` and `links` are decided by the CLI. */
export interface TableOptions {
  width?: number | undefined;
  color: boolean;
  /**
   * Each title a terminal hyperlink (OSC 8) to its offer's http(s) `url` (see table-links.ts); off when left
   * out. Only for a terminal that shows them: elsewhere the escapes are noise in the text.
   */
  links?: boolean | undefined;
  /**
   * The field the offers were ranked by (`--sort`; price unless given). Only a ranking by price puts the
   * unconverted offers last: under `--sort stops` one listed last is there for its stops, not its currency.
   */
  sortedBy?: string | undefined;
}

/** A column of the table: its header, one cell per offer, and what it holds (which decides how it shrinks). */
interface Column {
  head: string;
  cells: string[];
  kind: 'fixed' | 'title' | 'source' | 'extra' | 'url';
  /** Its longest cell's length (padding included) before the cells were cut for the terminal (cutForWidth). */
  uncut?: number;
  /** An extra column of values of one shape (see isFixedShape): shown whole, or dropped, never cut. */
  fixedShape?: boolean;
  /** For the title: each row's link target (linkTarget), when the table has links. */
  links?: (string | undefined)[];
}

// Below these widths (padding included) a truncated cell stops telling the reader much, so a first pass
// stops there; a second goes down to one character plus `…` rather than let a row wrap.
const MIN_TEXT = 12;
const URL_ROOMY = 34;
const URL_USEFUL = 26;
const TITLE_ROOMY = 30;
// What a title keeps before a date-time or code is kept whole beside it: twice the readable minimum, as
// the start of a title is often the same on every row (a route, `JFK → LHR · `; a brand, `Sony WH-1000`).
const TITLE_FAIR = 2 * MIN_TEXT;
const MIN_SOURCE = 8;
const MIN_HARD = 4;
const UNCONVERTED_MARK = ' *';
// Characters a cell of a piped table (natural width) shows at most; the rest is cut with `…`.
export const MAX_PIPED_CELL = 1000;

// Bold cyan written by hand rather than via `style.head`: cli-table3's colour library probes
// process.stdout itself, which would make this pure function depend on where it runs.
const bold = (text: string): string => `\x1b[1m\x1b[36m${text}\x1b[39m\x1b[22m`;

/** Compact one-line text for any mapped value: arrays of scalars as `a, b`, other structures as JSON. */
function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  // Infinity or NaN (a mapping's `p / stops` on a non-stop flight) is null in JSON and an empty CSV cell.
  if (typeof value === 'number' && !Number.isFinite(value)) return '';
  if (typeof value === 'string') return cleanText(value);
  if (Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object')) {
    return cleanText(value.map((v) => (v === null || v === undefined ? '' : cellText(v))).join(', '));
  }
  if (typeof value === 'object') return cleanText(JSON.stringify(value) ?? '');
  return cleanText(String(value));
}

function priceText(offer: Offer, markRoom: boolean): string {
  const money = shownMoney(offer.price, offer.currency);
  if (offer.unconverted) return `${money}${UNCONVERTED_MARK}`;
  // Blank padding on converted rows keeps right-aligned digits in line with the marked ones.
  return markRoom ? `${money}${' '.repeat(UNCONVERTED_MARK.length)}` : money;
}

/**
 * The extra fields the offers have, in the sources file's order (`fields`), as CSV's header has them; then
 * any other. First seen in the ranking, a shop's `shipping, condition` swapped places with a run in which
 * another source's offer, one mapping only `shipping`, came first.
 */
function extraColumns(offers: readonly Offer[], fields: readonly string[] | undefined): string[] {
  const present = extraKeys(offers);
  const inFile = [...new Set(fields ?? [])].filter((key) => present.includes(key));
  return [...inFile, ...present.filter((key) => !inFile.includes(key))];
}

function columnsOf(offers: readonly Offer[], fields: readonly string[] | undefined, links: boolean): Column[] {
  const anyUnconverted = offers.some((o) => o.unconverted);
  return [
    { head: '#', kind: 'fixed', cells: offers.map((o, i) => String(o.rank ?? i + 1)) },
    { head: 'price', kind: 'fixed', cells: offers.map((o) => priceText(o, anyUnconverted)) },
    {
      head: 'title',
      kind: 'title',
      cells: offers.map((o) => cleanText(o.title)),
      ...(links ? { links: offers.map((o) => linkTarget(o.url)) } : {}),
    },
    { head: 'source', kind: 'source', cells: offers.map((o) => cleanText(o.source)) },
    ...extraColumns(offers, fields).map((key): Column => {
      // Its own field only: an offer without a `toString` field must not show Object.prototype's method.
      const values = offers.map((o) => (Object.hasOwn(o, key) ? o[key] : undefined));
      // A length cut short (`11h 2…`) says nothing: a duration column is kept whole, as a date's is.
      const durations = durationCells(values);
      if (durations) return { head: cleanText(key), kind: 'extra', cells: durations, fixedShape: true };
      const cells = values.map(cellText);
      return { head: cleanText(key), kind: 'extra', cells, fixedShape: isFixedShape(values, cells) };
    }),
    // A column no offer fills (flight APIs often give no link) would only take room from the others.
    ...(offers.some((o) => o.url)
      ? [{ head: 'url', kind: 'url', cells: offers.map((o) => cellText(o.url)) } as const]
      : []),
  ];
}

// The longest value kept whole: an ISO 8601 date-time with milliseconds and an offset.
const MAX_FIXED_SHAPE = '2026-12-20T20:05:00.000+01:00'.length;
const DATE = /^\d{4}-\d\d-\d\d/;

/**
 * Whether a column holds short values of one shape: date-times, codes, ids, all as long as each other
 * (or all dates). Cut, every row loses the same end, which is where they differ: `2026-12-2…` has lost
 * the time. Such a column is kept whole while longer text gives way, and dropped rather than cut.
 */
function isFixedShape(values: readonly unknown[], cells: readonly string[]): boolean {
  let length: number | undefined;
  let dates = true;
  for (const [i, cell] of cells.entries()) {
    if (cell === '') continue;
    if (typeof values[i] === 'object' || cell.length > MAX_FIXED_SHAPE) return false;
    if (length !== undefined && cell.length !== length) length = -1;
    else length ??= cell.length;
    dates &&= DATE.test(cell);
  }
  return length !== -1 || dates;
}

/**
 * Rows per cli-table3 table. Its layout checks every cell against every cell of the rows above
 * (quadratic in rows): 50,000 offers took 2.5 minutes in one table. Drawn in blocks of this many, with
 * the same widths, and joined, the table is the same text in linear time.
 */
const ROWS_PER_BLOCK = 100;

const headText = (column: Column, color: boolean): string => (color ? bold(column.head) : column.head);

function drawBlock(columns: readonly Column[], colWidths: number[], color: boolean, from: number, to: number): string {
  const table = new Table({
    head: columns.map((c) => headText(c, color)),
    colWidths,
    colAligns: columns.map((c) => (c.kind === 'fixed' ? 'right' : 'left')),
    wordWrap: false,
    // Border colour off too: cli-table3's default grey would add escape codes whatever `color` says.
    style: { head: [], border: [], compact: true },
  });
  for (let row = from; row < to; row++) table.push(columns.map((c) => c.cells[row] ?? ''));
  const drawn = table.toString();
  const title = columns.findIndex((c) => c.links);
  const links = columns[title]?.links;
  if (!links) return drawn;
  // Each row one line, under the top border, the header and its rule (compact: no rules between rows).
  const lines = drawn.split('\n');
  for (let row = from; row < to; row++) {
    const target = links[row];
    const line = lines[HEAD_LINES + row - from];
    if (target === undefined || line === undefined) continue;
    const before = columns.slice(0, title).map((c) => c.cells[row] ?? '');
    lines[HEAD_LINES + row - from] = linkTitle(line, before, columns[title]?.cells[row] ?? '', target);
  }
  return lines.join('\n');
}

// The lines a block draws above its rows: the top border, the header, the header's rule.
const HEAD_LINES = 3;

/**
 * A table of `rowCount` rows as `block(widths, from, to)` draws it (a cli-table3 table with a head, of
 * rows `from` to `to`), drawn in blocks of ROWS_PER_BLOCK rows with the same widths and joined: the same
 * text as one table, in linear time. `colWidths` are measured by the caller (cellWidths): blocks drawn
 * at widths each sized itself would not line up.
 * `compact` says the table draws no rule between rows: else the header's rule, the same line, joins blocks.
 */
export function drawInBlocks(
  rowCount: number,
  colWidths: number[],
  compact: boolean,
  block: (colWidths: number[], from: number, to: number) => string,
): string {
  if (rowCount <= ROWS_PER_BLOCK) return block(colWidths, 0, rowCount);
  return [...blockParts(rowCount, colWidths, compact, block)].join('');
}

/**
 * The widths cli-table3 would give the columns, widest over all blocks, measured rather than drawn: its
 * layout makes a column as wide as its widest cell by its own measure (`strlen`), plus a space either side.
 * Drawing every block only to size it took half of the seconds a table of thousands of offers is
 * drawn in. An empty part, a pause, after each block of rows: 200,000 offers are still a moment.
 */
function* measuredWidths(columns: readonly Column[], color: boolean): Generator<string, number[]> {
  const widths = columns.map((c) => tableUtils.strlen(headText(c, color)));
  const rowCount = columns[0]?.cells.length ?? 0;
  for (let from = 0; from < rowCount; from += ROWS_PER_BLOCK) {
    const to = Math.min(rowCount, from + ROWS_PER_BLOCK);
    columns.forEach((c, i) => {
      for (let row = from; row < to; row++) widths[i] = Math.max(widths[i] ?? 0, tableUtils.strlen(c.cells[row] ?? ''));
    });
    yield '';
  }
  return widths.map((w) => w + CELL_PADDING);
}

// cli-table3's default padding, one space each side of a cell, which drawBlock keeps.
const CELL_PADDING = 2;

/**
 * The widths cli-table3 would give columns of these cells, measured as measuredWidths does rather than
 * drawn: drawing every block once only to size it was most of the 2.8 s 4,000 sources took to list.
 */
export function cellWidths(head: readonly string[], rows: readonly (readonly string[])[]): number[] {
  const widths = head.map((h) => tableUtils.strlen(h));
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, tableUtils.strlen(cell));
    });
  }
  return widths.map((w) => w + CELL_PADDING);
}

/**
 * drawInBlocks' text, a block of rows a part, each but the last ending in a newline. Each block is top
 * border, header, header rule, rows, bottom border: keep the first's head, the last's bottom, and between
 * rows drawn with rules, the header rule of the next block.
 */
function* blockParts(
  rowCount: number,
  widths: number[],
  compact: boolean,
  block: (colWidths: number[], from: number, to: number) => string,
): Generator<string> {
  const head = compact ? 3 : 2;
  for (let from = 0; from < rowCount; from += ROWS_PER_BLOCK) {
    const drawn = block(widths, from, Math.min(rowCount, from + ROWS_PER_BLOCK)).split('\n');
    const last = from + ROWS_PER_BLOCK >= rowCount;
    const lines = drawn.slice(from === 0 ? 0 : head, last ? drawn.length : -1).join('\n');
    yield last ? lines : `${lines}\n`;
  }
}

/**
 * Widths that fit `width`: cut the url, then the title, to roomy widths; then url, extras (widest first, not
 * those of one shape: see isFixedShape), title
 * and source, each to a readable minimum; if still too wide, the same columns in reverse down to one character. `#` and price are never cut:
 * a truncated price would mislead.
 */
function fitWidths(columns: readonly Column[], natural: readonly number[], width: number): number[] {
  const indexes = (kind: Column['kind']) => columns.flatMap((c, i) => (c.kind === kind ? [i] : []));
  // Widest as it was before cutForWidth: two extras longer than the terminal are both cut to about its
  // width, and the tie left the first, not the widest, to give way.
  const size = (c: number) => Math.max(natural[c] ?? 0, columns[c]?.uncut ?? 0);
  const extras = indexes('extra').sort((a, b) => size(b) - size(a));
  // A date-time or code is not cut while text can give way (see isFixedShape): only past the soft limits.
  const cuttable = extras.filter((c) => !columns[c]?.fixedShape);
  const [title, source, url] = [indexes('title'), indexes('source'), indexes('url')];
  const soft: [column: number, min: number][] = [
    // A URL's host and start say enough to tell links apart; the title says what the offer is.
    ...url.map((c): [number, number] => [c, URL_ROOMY]),
    ...title.map((c): [number, number] => [c, TITLE_ROOMY]),
    // A link is for clicking, not reading: it gives way before the facts in the extra columns.
    ...url.map((c): [number, number] => [c, MIN_TEXT]),
    // An extra column keeps its header readable in the first pass.
    ...cuttable.map((c): [number, number] => [c, (columns[c]?.head.length ?? 0) + 3]),
    ...title.map((c): [number, number] => [c, MIN_TEXT]),
    ...source.map((c): [number, number] => [c, MIN_SOURCE]),
  ];
  // Past the soft limits, sacrifice the supporting columns before the title, which says what the offer is.
  const hard = [...extras, ...source, ...url, ...title].map((c): [number, number] => [c, MIN_HARD]);
  const out = [...natural];
  let excess = tableWidth(natural) - width;
  for (const [column, min] of [...soft, ...hard]) {
    if (excess <= 0) break;
    const cut = Math.max(0, Math.min(excess, (out[column] ?? 0) - min));
    out[column] = (out[column] ?? 0) - cut;
    excess -= cut;
  }
  return out;
}

/** The narrowest an extra column of text is cut to while the title can give way: its header, padding included. */
const readableText = (column: Column): number => column.head.length + 3;

/** The narrowest a column can be and still say something: its header, for an extra column (padding included). */
function readableWidth(column: Column | undefined): number {
  switch (column?.kind) {
    case 'fixed':
      return Number.POSITIVE_INFINITY;
    case 'title':
      return MIN_TEXT;
    case 'source':
      return MIN_SOURCE;
    case 'extra':
      // A date-time or code cut at all says too little: its whole width (see isFixedShape).
      return column.fixedShape ? Number.POSITIVE_INFINITY : readableText(column);
    default:
      return MIN_HARD;
  }
}

/**
 * Whether links cut to `room` characters (cli-table3 keeps `room - 1` and adds `…`) still differ where
 * they did whole: two that differ only past the cut would show as one link on two rows.
 */
function tellsApart(urls: readonly string[], room: number): boolean {
  const shown = (u: string) => (u.length <= room ? u : u.slice(0, room - 1));
  return new Set(urls.map(shown)).size === new Set(urls).size;
}

/** Total width of a table whose columns (padding included) have these widths: one border char each, plus one. */
function tableWidth(widths: readonly number[]): number {
  return widths.reduce((sum, w) => sum + w + 1, 1);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A cell cut to `width` characters (grapheme clusters), with `…` when cut, before cli-table3 sees it.
 * cli-table3 cuts a cell that holds anything not one column wide (CJK, emoji) one character at a time,
 * measuring what is left each time: quadratic in the cell's length, so a vendor's 1 MB title of CJK hung
 * the table (uninterruptibly: it is one synchronous call). Each character is a column at least, and a
 * line shows no more than `width` columns, so no more than that many ever reach the screen. Characters,
 * not UTF-16 units: a flag (4 units, 2 columns) or an é written as e and its accent is more units than
 * columns, and a cut by units left such a title shorter than the table had room to show.
 */
// Made on first use: making one costs ~15 ms (ICU's break rules), which every run would pay at start.
let graphemes: Intl.Segmenter | undefined;
// A flag of England is 14 units in 2 columns, a family emoji 11; a Vietnamese letter with two marks, 3.
const MAX_UNITS_PER_COLUMN = 8;
// What cli-table3's measure (string-width) counts as no column or joins to the character before it:
// combining marks, the joiner, the keycap, variation selectors, surrogate pairs. Text without them (most
// text) is a column a unit at least, and a cut by units, far cheaper than by graphemes, is as good.
const JOINS = /[\u0300-\u036f\ud800-\udfff]|\u200d|\u20e3|\ufe0e|\ufe0f/;
function cutForWidth(cell: string, width: number): string {
  if (cell.length <= width) return cell;
  if (!JOINS.test(cell.slice(0, width + 1))) return `${cell.slice(0, width)}…`;
  // Graphemes of the first `most` units only: a vendor's e with a million accents is one grapheme.
  const most = width * MAX_UNITS_PER_COLUMN;
  let end = 0;
  let count = 0;
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  for (const { index, segment } of graphemes.segment(cell.slice(0, most))) {
    if (count === width) break;
    end = index + segment.length;
    count++;
  }
  return end === cell.length ? cell : `${cell.slice(0, end)}…`;
}

/** Offers as a table; to fit `width` (when given) it truncates with `…`, then drops extras, never wraps. */
export function renderTable(result: SearchResult, opts: TableOptions): string {
  return [...tableParts(result, opts)].join('');
}

/**
 * renderTable's text in parts, a block of rows each, and an empty part after each block it sizes: 20,000
 * offers are seconds of cli-table3, and the command line lets the event loop turn at each part, so that a
 * Ctrl-C is heard while the table is drawn, not only after it.
 */
export function* tableParts(result: SearchResult, opts: TableOptions): Generator<string> {
  if (result.offers.length === 0) {
    yield 'No offers.\n';
    return;
  }

  const whole = columnsOf(result.offers, result.fields, opts.links === true);
  let columns = whole;
  // The columns as they are before any is dropped for the width: those missing from the table at the end
  // are named under it (see hiddenNote).
  let all = whole;
  const width = opts.width !== undefined && opts.width > 0 ? opts.width : undefined;
  if (width === undefined) {
    // Piped, the table has its natural width, but a vendor's 8 MB title is no line a person reads, and
    // cli-table3 measures each cell several times while drawing it: 5 s for one title of 2,000,000 emoji,
    // the block deaf to Ctrl-C. JSON, NDJSON and CSV carry every value whole.
    columns = whole.map((c) =>
      c.kind === 'fixed' || c.cells.every((t) => t.length <= MAX_PIPED_CELL)
        ? c
        : { ...c, cells: c.cells.map((t) => cutForWidth(t, MAX_PIPED_CELL)) },
    );
  } else {
    // `#` and price are never cut (see fitWidths).
    columns = whole.map((c) => {
      if (c.kind === 'fixed' || c.cells.every((t) => t.length <= width)) return c;
      const uncut = c.cells.reduce((n, t) => Math.max(n, t.length), 0) + 2;
      return { ...c, cells: c.cells.map((t) => cutForWidth(t, width)), uncut };
    });
    all = columns;
  }
  const rowCount = result.offers.length;
  const blockOf =
    (shown: readonly Column[]) =>
    (colWidths: number[], from: number, to: number): string =>
      drawBlock(shown, colWidths, opts.color, from, to);
  // The widths cli-table3 gives the columns, widest over all blocks.
  let natural = yield* measuredWidths(columns, opts.color);
  // A table of one block is drawn at the widths cli-table3 chooses, as it always was.
  let widths = rowCount <= ROWS_PER_BLOCK ? [] : natural;
  if (width !== undefined && tableWidth(natural) > width) {
    // A url cut to a few characters neither opens nor tells hosts apart, and one cut before the part
    // that differs (a vendor's links all start `https://www.kiwi.com/deep?affilid=…`) shows every row
    // the same link: give its room to the rest.
    const url = columns.findIndex((c) => c.kind === 'url');
    const urlWidth = fitWidths(columns, natural, width)[url] ?? 0;
    const tooShort = urlWidth < Math.min(natural[url] ?? 0, URL_USEFUL);
    if (url >= 0 && (tooShort || !tellsApart(whole[url]?.cells ?? [], urlWidth - 2))) {
      columns = columns.filter((_, j) => j !== url);
      natural = natural.filter((_, j) => j !== url);
    }
    // An extra column cut below its header's width says nothing (`s…` under `s…`), and takes room from
    // the title: drop extras from the right while the table cannot fit with each still readable, beside a
    // title and source at their readable minimums. Past that, only the hard cuts of fitWidths are left.
    const floor = (ws: readonly number[]) => tableWidth(ws.map((w, i) => Math.min(w, readableWidth(columns[i]))));
    const lastExtra = columns.findLastIndex((c) => c.kind === 'extra');
    for (let i = lastExtra; i >= 0 && floor(natural) > width && columns[i]?.kind === 'extra'; i--) {
      columns = columns.filter((_, j) => j !== i);
      natural = natural.filter((_, j) => j !== i);
    }
    // A date-time or code is kept whole (see isFixedShape), but not at the title's expense: at 100 columns
    // a 27-column departure was kept beside titles cut to `JFK → LHR…`, the same on every row. While the
    // title would be left less than its fair width (or its whole, if shorter), the rightmost such column
    // wider than its header goes, as extras go from the right, and its room goes to the title. One no
    // wider than its header (`stops`, `bags`) takes no more than any extra is left, and stays.
    const title = columns.findIndex((c) => c.kind === 'title');
    const fair = Math.min(TITLE_FAIR, natural[title] ?? 0);
    const lastWide = () => columns.findLastIndex((c, j) => c.fixedShape && (natural[j] ?? 0) > readableText(c));
    for (let i = lastWide(); i >= 0 && (fitWidths(columns, natural, width)[title] ?? 0) < fair; i = lastWide()) {
      columns = columns.filter((_, j) => j !== i);
      natural = natural.filter((_, j) => j !== i);
    }
    widths = fitWidths(columns, natural, width);
  }
  // cli-table3 cuts a cell by UTF-16 units: a cut through an emoji leaves half of it, which a terminal
  // shows as U+FFFD. A space takes its place: the one column cli-table3 counted for it. (A part ends at a
  // line's end, so no pair is split between two parts.)
  for (const part of blockParts(rowCount, widths, true, blockOf(columns))) yield part.replace(LONE_SURROGATE, ' ');

  const hidden = all.filter((c) => !columns.includes(c)).map((c) => c.head);
  const notes = [unconvertedNote(result, opts), width && hidden.length > 0 ? hiddenNote(hidden, width) : ''];
  yield `\n${notes
    .filter(Boolean)
    .map((note) => `${note}\n`)
    .join('')}`;
}

/** The footnote on the prices: why the starred ones were not converted, or that some gave no currency; or none. */
function unconvertedNote(result: SearchResult, opts: TableOptions): string {
  const first = result.offers.findIndex((o) => o.unconverted);
  if (first < 0) {
    // With no ranking currency nothing is starred, and a price of `¤38.00` said nothing on stdout of why:
    // the footnote the README promises for an offer that gave no currency.
    return result.offers.some((o) => o.currency === NO_CURRENCY) ? '¤ no currency given' : '';
  }
  const target = result.currency ? ` to ${cleanText(result.currency)}` : '';
  // Only a ranking by price puts them last; under `--sort stops` an unconverted non-stop is listed first.
  const last =
    (opts.sortedBy ?? 'price') === 'price' && first > 0 && result.offers.slice(first).every((o) => o.unconverted);
  const footnote = `* not converted${target}: ${unconvertedWhy(result.offers)}${last ? '; ranked last' : ''}`;
  return opts.width && footnote.length > opts.width ? `${footnote.slice(0, opts.width - 1)}…` : footnote;
}

// Short enough that a note naming two columns fits 60 columns; the `for width` says a wider terminal would do.
const HIDDEN_HINT = ' (see --json)';

/**
 * The footnote for columns dropped to fit `width` (the url, extras), in the table's order: without it a
 * reader of a narrow table could not know `departs` was ever there. One line, as the other footnote; too
 * long, it names fewer columns (`…` for the rest) rather than lose the count or how to see them, and is
 * cut at the width, as that one is, only when even `N columns hidden for width: … (see --json)` is.
 */
export function hiddenNote(heads: readonly string[], width: number): string {
  const lead = `${heads.length} column${heads.length === 1 ? '' : 's'} hidden for width: `;
  const whole = `${lead}${heads.join(', ')}${HIDDEN_HINT}`;
  for (let named = heads.length; named >= 0; named--) {
    const note = named === heads.length ? whole : `${lead}${[...heads.slice(0, named), '…'].join(', ')}${HIDDEN_HINT}`;
    if (note.length <= width) return note;
  }
  // Narrower still, the count and where to see them outlast the words: `6 columns hidden for wi…` lost both.
  const counted = `${heads.length} column${heads.length === 1 ? '' : 's'} hidden${HIDDEN_HINT}`;
  if (counted.length <= width) return counted;
  return `${whole.slice(0, width - 1)}…`;
}

/** Why the starred offers were not converted: a code with no rate, or no code at all (`¤5.00`, as the warning says). */
function unconvertedWhy(offers: readonly Offer[]): string {
  const unconverted = offers.filter((o) => o.unconverted);
  const none = unconverted.filter((o) => o.currency === NO_CURRENCY).length;
  if (none === 0) return 'no exchange rate';
  return none === unconverted.length ? 'no currency given' : 'no exchange rate, or no currency given';
}
