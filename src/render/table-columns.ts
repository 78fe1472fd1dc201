/** The table's columns, one per field the offers have, every vendor string made inert (cleanText) first. */

import { cleanText } from '../shared/sanitize.js';
import type { Offer } from '../types.js';
import { durationCells } from './duration-cell.js';
import { extraKeys } from './fields.js';
import { shownMoney } from './money.js';
import { cutForWidth } from './table-cut.js';
import { linkTarget } from './table-links.js';
import { originalColumns } from './table-original.js';
import { cellClean } from './table-rules.js';

/** A column of the table: its header, one cell per offer, and what it holds (which decides how it shrinks). */
export interface Column {
  head: string;
  cells: string[];
  kind: 'fixed' | 'title' | 'source' | 'extra' | 'url';
  /** Its longest cell's length (padding included) before the cells were cut for the terminal (cutForWidth). */
  uncut?: number;
  /** An extra column of values of one shape (see isFixedShape): shown whole, or dropped, never cut. */
  fixedShape?: boolean;
  /** For the title: each row's link target (linkTarget), when the table has links. */
  links?: (string | undefined)[];
  /** For the source: each row's ` +3` (`--distinct`'s count of where else), which a cut keeps (keepEnds). */
  ends?: string[];
}

const UNCONVERTED_MARK = ' *';

/** Compact one-line text for any mapped value: arrays of scalars as `a, b`, other structures as JSON. */
function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  // Infinity or NaN (a mapping's `p / stops` on a non-stop flight) is null in JSON and an empty CSV cell.
  if (typeof value === 'number' && !Number.isFinite(value)) return '';
  if (typeof value === 'string') return cellClean(value);
  if (Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object')) {
    return cellClean(value.map((v) => (v === null || v === undefined ? '' : cellText(v))).join(', '));
  }
  if (typeof value === 'object') return cellClean(JSON.stringify(value) ?? '');
  return cellClean(String(value));
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

/**
 * The table's columns for these offers: `#`, price, the vendor's price when any was converted (`original`),
 * title, source, the extra fields, and the url when any has one.
 */
export function columnsOf(offers: readonly Offer[], fields: readonly string[] | undefined, links: boolean): Column[] {
  const anyUnconverted = offers.some((o) => o.unconverted);
  return [
    { head: '#', kind: 'fixed', cells: offers.map((o, i) => String(o.rank ?? i + 1)) },
    { head: 'price', kind: 'fixed', cells: offers.map((o) => priceText(o, anyUnconverted)) },
    ...originalColumns(offers),
    {
      head: 'title',
      kind: 'title',
      cells: offers.map((o) => cellClean(o.title)),
      ...(links ? { links: offers.map((o) => linkTarget(o.url)) } : {}),
    },
    sourceColumn(offers),
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

/**
 * The source, and under `--distinct` how many more offers were folded into the row's (`kiwi +3`): a count
 * beside the name takes a few characters, where a column of its own would take an extra's room.
 */
function sourceColumn(offers: readonly Offer[]): Column {
  const names = offers.map((o) => cleanText(o.source));
  if (!offers.some((o) => o.alsoAt?.length)) return { head: 'source', kind: 'source', cells: names };
  const ends = offers.map((o) => (o.alsoAt?.length ? ` +${o.alsoAt.length}` : ''));
  return { head: 'source', kind: 'source', cells: names.map((name, i) => `${name}${ends[i]}`), ends };
}

/**
 * The columns with each cell that has an end (`ends`) cut before it, where `widths` (padding included) would
 * cut the cell: `skysc… +3`, not `skyscann…`, which lost the count.
 */
export function keepEnds(columns: readonly Column[], widths: readonly number[]): Column[] {
  return columns.map((c, i) => {
    const room = (widths[i] ?? Number.POSITIVE_INFINITY) - 2;
    const ends = c.ends;
    if (!ends || c.cells.every((cell) => cell.length <= room)) return c;
    const cells = c.cells.map((cell, row) => {
      const end = ends[row] ?? '';
      if (cell.length <= room || end === '' || room <= end.length + 1) return cell;
      // cutForWidth adds its `…` after the characters kept: one fewer.
      return `${cutForWidth(cell.slice(0, cell.length - end.length), room - end.length - 1)}${end}`;
    });
    return { ...c, cells };
  });
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
