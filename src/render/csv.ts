/** RFC 4180 CSV for spreadsheets, defended against formula injection. */

import { ALSO_AT, type SearchResult } from '../types.js';
import { BASE_KEYS, CONVERSION_KEYS, extraKeys } from './fields.js';

// Spreadsheets run a cell that starts with one of these as a formula (OWASP "CSV Injection"); some
// trim leading spaces on import first. (Vendor text reaches here cleaned: a tab or CR is a space by now.)
// The full-width forms too: Excel in a Japanese or Chinese locale reads `＝1+1` as it reads `=1+1`, and
// East Asian vendors write them.
const FORMULA_START = /^[\t\r]|^\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/;
// `;` too: where a spreadsheet's list separator is `;` (Excel in most of Europe), an unquoted
// `a;=1+1` is two cells, and the second a formula that no leading `'` was put before.
const NEEDS_QUOTES = /[",;\r\n]/;
/** The columns every CSV starts with: a name in `result.fields` among them is not a second column. */
const LEADING: ReadonlySet<string> = new Set([...BASE_KEYS, ...CONVERSION_KEYS]);

/** A string cell: neutralised with a leading `'` if it could start a formula, then quoted if needed. */
function textCell(text: string): string {
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One cell; numbers stay numeric so `-12.5` is a value, not a neutralised string. */
function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  // Infinity and NaN (a mapping's `price / stops` on a non-stop flight) are what JSON writes as null:
  // an empty cell, not `-Infinity`, which a spreadsheet takes for a formula (#NAME?).
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return textCell(value);
  return textCell(JSON.stringify(value) ?? '');
}

/**
 * A header, then one row per offer; CRLF endings. The header is the same from one run to the next for
 * the same search (a cron job appending to one file): the common six, the three conversion columns,
 * then the fields the searched sources map (`result.fields`), answered or not; then any other field an
 * offer has (a result built by hand); under `--distinct`, `alsoAt` last.
 */
export function renderCsv(result: SearchResult): string {
  // Once each, and none of the leading columns: a library caller may build `fields` by hand (two
  // searches' concatenated, or a source's every mapped name, `price` included).
  const fields = [...new Set(result.fields ?? [])].filter((key) => !LEADING.has(key) && key !== ALSO_AT);
  const others = extraKeys(result.offers).filter((key) => !fields.includes(key));
  // Under --distinct, last, whether or not any offer was folded, or came: the JSON list of where else each was.
  const also = result.distinct !== undefined || result.offers.some((o) => o.alsoAt !== undefined) ? [ALSO_AT] : [];
  const keys = [...BASE_KEYS, ...CONVERSION_KEYS, ...fields, ...others, ...also];
  const rows = [keys.map(textCell), ...result.offers.map((offer) => keys.map((key) => cell(offer[key])))];
  return rows.map((row) => `${row.join(',')}\r\n`).join('');
}
