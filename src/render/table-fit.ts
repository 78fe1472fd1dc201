/** Fitting the table to the terminal: which columns are dropped, and how far each of the rest is cut. */

import type { Column } from './table-columns.js';

// Below these widths (padding included) a truncated cell stops telling the reader much, so a first pass
// stops there; a second goes down to one character plus `…` rather than let a row wrap.
const MIN_TEXT = 12;
const URL_ROOMY = 34;
const URL_USEFUL = 26;
const TITLE_ROOMY = 30;
// What a title keeps before a date-time or code is kept whole beside it: twice the readable minimum, as
// the start of a title is often the same on every row (a route, `JFK → LHR · `; a brand, `Sony WH-1000`).
export const TITLE_FAIR = 2 * MIN_TEXT;
const MIN_SOURCE = 8;
const MIN_HARD = 4;

/**
 * The columns shown at `width` and their widths, from the cut columns and their measured (natural) widths:
 * the url goes when cut too short to open or tell apart, extras that cannot stay readable go from the right,
 * and a date-time or code goes before the title is cut below its fair width; the rest cut by fitWidths.
 * `whole` is the columns before any cell was cut, for the url's whole links.
 */
export function fitColumns(
  shown: readonly Column[],
  measured: readonly number[],
  whole: readonly Column[],
  width: number,
): { columns: readonly Column[]; widths: number[] } {
  // Indexes into `shown` of the columns kept, so that a column dropped on the way can be put back in its place.
  let keep = shown.map((_, i) => i);
  const columnsOf = (ks: readonly number[]) => ks.map((i) => shown[i] as Column);
  const naturalOf = (ks: readonly number[]) => ks.map((i) => measured[i] ?? 0);
  let columns = shown;
  let natural = measured;
  const drop = (at: number) => {
    keep = keep.filter((_, j) => j !== at);
    columns = columnsOf(keep);
    natural = naturalOf(keep);
  };
  // A url cut to a few characters neither opens nor tells hosts apart, and one cut before the part
  // that differs (a vendor's links all start `https://www.kiwi.com/deep?affilid=…`) shows every row
  // the same link: give its room to the rest.
  const url = columns.findIndex((c) => c.kind === 'url');
  const urlWidth = fitWidths(columns, natural, width)[url] ?? 0;
  const tooShort = urlWidth < Math.min(natural[url] ?? 0, URL_USEFUL);
  if (url >= 0 && (tooShort || !tellsApart(whole[url]?.cells ?? [], urlWidth - 2))) drop(url);
  // An extra column cut below its header's width says nothing (`s…` under `s…`), and takes room from
  // the title: drop extras from the right while the table cannot fit with each still readable, beside a
  // title and source at their readable minimums. Past that, only the hard cuts of fitWidths are left.
  const floor = (cs: readonly Column[], ws: readonly number[]) =>
    tableWidth(ws.map((w, i) => Math.min(w, readableWidth(cs[i]))));
  const unreadable: number[] = [];
  const lastExtra = columns.findLastIndex((c) => c.kind === 'extra');
  for (let i = lastExtra; i >= 0 && floor(columns, natural) > width && columns[i]?.kind === 'extra'; i--) {
    unreadable.push(keep[i] as number);
    drop(i);
  }
  // A date-time or code is kept whole (see isFixedShape), but not at the title's expense: at 100 columns
  // a 27-column departure was kept beside titles cut to `JFK → LHR…`, the same on every row. While the
  // title would be left less than its fair width (or its whole, if shorter), the rightmost such column
  // wider than its header goes, as extras go from the right, and its room goes to the title. One no
  // wider than its header (`stops`, `bags`) takes no more than any extra is left, and stays.
  const titleWidth = (cs: readonly Column[], ws: readonly number[]) =>
    fitWidths(cs, ws, width)[cs.findIndex((c) => c.kind === 'title')] ?? 0;
  const fair = Math.min(TITLE_FAIR, natural[columns.findIndex((c) => c.kind === 'title')] ?? 0);
  const lastWide = () => columns.findLastIndex((c, j) => c.fixedShape && (natural[j] ?? 0) > readableText(c));
  for (let i = lastWide(); i >= 0 && titleWidth(columns, natural) < fair; i = lastWide()) drop(i);
  // A date-time that went for the title may leave room for an extra dropped before it: at 80 columns a
  // flight table dropped its duration, then its departure, and showed neither, though the duration then
  // fit beside a title of its fair width. Each is put back in its place, from the left, when it fits so.
  for (const i of unreadable.reverse()) {
    const tried = [...keep, i].sort((a, b) => a - b);
    const [cs, ws] = [columnsOf(tried), naturalOf(tried)];
    if (floor(cs, ws) <= width && titleWidth(cs, ws) >= fair) {
      keep = tried;
      columns = cs;
      natural = ws;
    }
  }
  return { columns, widths: fitWidths(columns, natural, width) };
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
export function tableWidth(widths: readonly number[]): number {
  return widths.reduce((sum, w) => sum + w + 1, 1);
}
