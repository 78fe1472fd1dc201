/** Lines for stderr: what went wrong per source, one summary line, warnings. Pure: the CLI prints them. */

import { cleanText } from '../shared/sanitize.js';
import { type SearchResult, type SourceResult, STATUSES, type Status } from '../types.js';

const STATUS_WIDTH = Math.max(...STATUSES.map((s) => s.length));

/** What a row says: the error, and items the mapping dropped (a `price` mapping gone wrong shows here). */
function rowText(s: SourceResult): string {
  // A field that threw says which and why: a typo in `carrier` is not a price problem.
  const why = s.droppedError ? ` (${s.droppedError})` : ' without a usable price';
  // A source that kept none is an error that says so itself.
  const dropped = s.dropped && s.status === 'ok' ? `dropped ${s.dropped} item${s.dropped > 1 ? 's' : ''}${why}` : '';
  // An incomplete row is `ok` with offers; the word says the offers are not the whole answer.
  const error = s.incomplete && s.error && !s.error.startsWith('incomplete') ? `incomplete: ${s.error}` : s.error;
  const hedged = s.hedged ? 'hedged: a duplicate request was sent' : '';
  // Said even when the offers are right: the vendor's pages overlapped, and each listing is listed once.
  const duplicates = s.duplicates ? `${s.duplicates} duplicate${s.duplicates > 1 ? 's' : ''} across pages` : '';
  const filtered = s.filteredOut ? `${s.filteredOut} left out by --where` : '';
  const folded = s.folded ? `${s.folded} folded by --distinct` : '';
  return [error, dropped, duplicates, filtered, folded, s.note, hedged].filter(Boolean).join('; ');
}

/** A row worth a line of its own: not `ok`, incomplete, with items dropped or duplicates, hedged, or with a note. */
const noteworthy = (s: SourceResult): boolean =>
  s.status !== 'ok' || Boolean(s.incomplete || s.dropped || s.duplicates || s.hedged || s.note);

/**
 * One aligned line per noteworthy source (every source with `all`, as under --verbose): name, status,
 * text; empty when none.
 */
export function renderStatusRows(sources: readonly SourceResult[], { all = false } = {}): string {
  const shown = all ? sources : sources.filter(noteworthy);
  const names = shown.map((s) => cleanText(s.name));
  const nameWidth = Math.max(0, ...names.map((n) => n.length));
  return shown
    .map((s, i) => {
      const line = `  ${names[i]?.padEnd(nameWidth)}  ${s.status.padEnd(STATUS_WIDTH)}  ${cleanText(rowText(s))}`;
      return `${line.trimEnd()}\n`;
    })
    .join('');
}

// Nouns take a plural; the adjectives (ok, cancelled, skipped) read right as they are.
const STATUS_LABEL: Record<Status, [one: string, many: string]> = {
  ok: ['ok', 'ok'],
  error: ['error', 'errors'],
  timeout: ['timeout', 'timeouts'],
  cancelled: ['cancelled', 'cancelled'],
  skipped: ['skipped', 'skipped'],
};

// Plain digits, not `1,000`: scripts read this line (bench/scenarios.js's `(\d+) ok` did), and grouped
// counts read as `000 ok` to them.
function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** How many offers `--where` left out, over every row: 0 without one. */
export const filteredOutOf = (sources: readonly SourceResult[]): number =>
  sources.reduce((n, s) => n + (s.filteredOut ?? 0), 0);

/** How many offers `--distinct` folded into others, over every row: 0 without it. */
export const foldedOf = (sources: readonly SourceResult[]): number => sources.reduce((n, s) => n + (s.folded ?? 0), 0);

/**
 * `7 sources · 4 ok (1 incomplete) · 1 error · 1 timeout · 1 skipped · 23 offers · 1.84s`; zero counts
 * omitted except ok. `0 offers (17 left out by --where)`: else "the vendors had nothing" and "the filter
 * took everything" read alike. `12 offers (36 folded by --distinct)`: else 48 offers seemed to be 12.
 */
export function renderSummary(result: SearchResult): string {
  const parts = [count(result.sources.length, 'source', 'sources')];
  for (const status of STATUSES) {
    const n = result.sources.filter((s) => s.status === status).length;
    if (n > 0 || status === 'ok') parts.push(count(n, ...STATUS_LABEL[status]));
    const incomplete = result.sources.filter((s) => s.status === status && s.incomplete).length;
    if (incomplete > 0) parts[parts.length - 1] += ` (${incomplete} incomplete)`;
  }
  const filteredOut = filteredOutOf(result.sources);
  const folded = foldedOf(result.sources);
  const offers = count(result.offers.length, 'offer', 'offers');
  const why = [
    filteredOut > 0 ? `${filteredOut} left out by --where` : '',
    folded > 0 ? `${folded} folded by --distinct` : '',
  ].filter(Boolean);
  parts.push(why.length > 0 ? `${offers} (${why.join(', ')})` : offers, `${(result.elapsedMs / 1000).toFixed(2)}s`);
  return `${parts.join(' · ')}\n`;
}

/** One `warning: …` line per warning, cleaned because warnings can quote vendor text. */
export function renderWarnings(warnings: readonly string[]): string {
  return warnings.map((w) => `warning: ${cleanText(w)}\n`).join('');
}
