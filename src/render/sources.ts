/** `agg sources`: what is configured, as a table or JSON. Hosts from the environment stay redacted. */
import Table from 'cli-table3';
import { formatDuration } from '../config/duration.js';
import { describeDeclaration } from '../config/param-check.js';
import type { LatencyHistory } from '../history/index.js';
import { historyKey } from '../history/key.js';
import { makeRedactor } from '../shared/redact.js';
import { cleanText } from '../shared/sanitize.js';
import type { Config } from '../types.js';
import { safeStringify } from './json.js';
import { cellWidths, drawInBlocks, hiddenNote } from './table.js';

/** How to list: JSON or a table, the recorded latencies, and the terminal's width (none when piped). */
interface SourcesOptions {
  json: boolean;
  history?: LatencyHistory;
  width?: number;
}

const HEAD = ['name', 'tags', 'method', 'host', 'requires', 'timeout', 'flow', 'p50', 'p95'] as const;
/**
 * The order in which a narrow terminal gives columns up: what the file says in plain sight (method,
 * timeout, flow) goes before what only agg can tell (the recorded latencies) and what a search needs
 * (requires). Name and host always stay; past that, they are cut with `…`.
 */
const DROP_ORDER = ['method', 'timeout', 'flow', 'tags', 'p50', 'p95', 'requires'] as const;
const MIN_CELL = 6;

/** One row per source: name, tags, method, host, required params, timeout, its flow if any, recorded p50 and p95. */
export function renderSources(config: Config, { json, history, width }: SourcesOptions): string {
  const redact = makeRedactor(config.secretNames);
  // A param with a declared default is never missing: listed as required, `adults` read as one to type.
  const defaulted = new Set(
    Object.entries(config.params ?? {}).flatMap(([name, decl]) => (decl.default === undefined ? [] : [name])),
  );
  const rows = config.sources.map((s) => {
    const flow = flowOf(s);
    return {
      // Any string of the file may hold a `${VAR}`, tags and params too: every one shown is redacted.
      name: redact(s.name),
      tags: s.tags.map(redact),
      method: s.request.method,
      host: hostOf(redact(s.request.url)),
      requires: s.requires.filter((name) => !defaulted.has(name)).map(redact),
      timeout: formatDuration(s.timeoutMs),
      ...(s.hedge !== undefined ? { hedge: s.hedge === 'auto' ? 'auto' : formatDuration(s.hedge) } : {}),
      // Only the shape of the flow: credentials and token URLs stay out of this listing.
      ...(flow.length > 0 ? { flow } : {}),
      p50: percentile(history, historyKey(s, config.secretNames), 50),
      p95: percentile(history, historyKey(s, config.secretNames), 95),
    };
  });
  if (json) return `${safeStringify(rows, 2)}\n`;
  // Tags, params and hosts are free text in the file, which may come from anywhere: clean them like vendor text.
  const cells = rows.map((r) => [
    ...[r.name, r.tags.join(', '), r.method, r.host, r.requires.join(', '), r.timeout, (r.flow ?? []).join(', ')].map(
      cleanText,
    ),
    r.p50 ?? '',
    r.p95 ?? '',
  ]);
  return `${fitted(cells, width)}\n${paramLines(config, redact)}`;
}

/**
 * The file's declared params under the table, one a line: `  adults  integer from 1 to 9, default 1`,
 * and the description after ` · `. (`--json` stays the list of sources it has always been.)
 */
function paramLines(config: Config, redact: (text: string) => string): string {
  const entries = Object.entries(config.params ?? {});
  if (entries.length === 0) return '';
  const names = entries.map(([name]) => cleanText(redact(name)));
  const pad = Math.max(...names.map((n) => n.length));
  const lines = entries.map(([, decl], i) => {
    const about = decl.description === undefined ? '' : ` · ${decl.description}`;
    return `  ${(names[i] as string).padEnd(pad)}  ${cleanText(redact(describeDeclaration(decl) + about))}`;
  });
  return `params:\n${lines.join('\n')}\n`;
}

/** The table, or, for a terminal narrower than it, the table with columns given up (DROP_ORDER), then cut. */
function fitted(cells: readonly string[][], width: number | undefined): string {
  let keep: number[] = HEAD.map((_, i) => i);
  // In blocks of rows (drawInBlocks): cli-table3's layout is quadratic in rows (4,000 sources took 6 s
  // to list in a pipe).
  const draw = (colWidths: number[]): string =>
    drawInBlocks(cells.length, colWidths, false, (widths, from, to) => {
      const table = new Table({
        head: keep.map((i) => HEAD[i] as string),
        colWidths: widths,
        wordWrap: false,
        style: { head: [], border: [] },
      });
      for (const row of cells.slice(from, to)) table.push(keep.map((i) => row[i] ?? ''));
      return table.toString();
    });
  // A column's natural width does not depend on the others: measured once, they tell how wide the table
  // is with any of them dropped, and only the table that fits is drawn (not once per column given up:
  // 4,000 sources took 16 s to list in a 40-column terminal; nor once more only to size it, which was
  // most of the 2.8 s that 4,000 sources took to list in a pipe, Ctrl-C unheard).
  const natural = cellWidths(HEAD, cells);
  const drawKept = (): string => draw(keep.map((i) => natural[i] ?? 0));
  // Piped (no width, or 0): the natural width.
  if (width === undefined || width <= 0) return drawKept();
  const tooWide = (columns: readonly number[]): boolean =>
    columns.reduce((sum, i) => sum + (natural[i] ?? 0) + 1, 1) > width;
  if (!tooWide(keep)) return drawKept();
  // Named under the table, as a search's are: a narrow terminal's list read as if no source had a p95.
  const withNote = (table: string): string =>
    `${table}\n${hiddenNote(
      HEAD.filter((_, i) => !keep.includes(i)),
      width,
    )}`;
  for (const name of DROP_ORDER) {
    keep = keep.filter((i) => HEAD[i] !== name);
    if (!tooWide(keep)) return withNote(drawKept());
  }
  // Name and host are left: the host gives way first, down to half the room; then both are cut.
  const [name = MIN_CELL, host = MIN_CELL] = keep.map((i) => natural[i] ?? 0);
  const room = width - 3;
  const nameWidth = Math.max(MIN_CELL, Math.min(name, room - Math.min(host, Math.ceil(room / 2))));
  return withNote(draw([nameWidth, Math.max(MIN_CELL, Math.min(host, room - nameWidth))]));
}

/** A recorded percentile as a duration, or null while too few latencies are recorded. */
function percentile(history: LatencyHistory | undefined, key: string, p: number): string | null {
  const ms = history?.percentile(key, p);
  return ms === undefined ? null : formatDuration(ms);
}

/** `oauth2`, `poll ≤10`, `pages ≤5`, `flow 30s`: what a source does beyond one request. */
function flowOf(s: Config['sources'][number]): string[] {
  const out: string[] = [];
  if (s.oauth2) out.push(s.oauth2.cache ? 'oauth2 (cached)' : 'oauth2');
  if (s.poll) out.push(`poll ≤${s.poll.maxAttempts} every ${formatDuration(s.poll.intervalMs)}`);
  if (s.next) out.push(`pages ≤${s.maxPages}`);
  if (s.flowTimeoutMs !== undefined) out.push(`flow ${formatDuration(s.flowTimeoutMs)}`);
  return out;
}

/** The host of a URL, or the redacted prefix (`***`) when a secret stands in for it. */
function hostOf(url: string): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]+)/i.exec(url);
  if (m) return m[1] as string;
  return url.split(/[/?#]/)[0] ?? url;
}
