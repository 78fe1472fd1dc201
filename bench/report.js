// From samples to the printed table and docs/BENCHMARKS.md. Ratios compare medians taken in the
// same, interleaved run; absolute times are context only.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { stats } from './measure.js';
import { FIRST_RUN, TABLE_OUTPUT } from './scenarios.js';

const ms = (x) => (x === undefined ? '–' : `${Math.round(x)} ms`);
const spread = (s, unit = 'ms', digits = 0) => (s ? `${s.min.toFixed(digits)}–${s.max.toFixed(digits)} ${unit}` : '–');
const mb = (s) => (s ? `${s.median.toFixed(0)} MB (max ${s.max.toFixed(0)})` : '–');
const verdict = (ok) => (ok === undefined ? 'n/a' : ok ? 'met' : 'missed');
const loadText = ([a, b]) => `${a.toFixed(2)}→${b.toFixed(2)}`;
const col = (samples, key) => stats(samples.map((s) => s[key]));

/** A row that is context beside a target's: its subject's time and memory, and what it measured. */
const contextRow = (scenario, subject, samples, measured, load) => ({
  scenario,
  subject,
  stats: col(samples, 'ms'),
  rss: col(samples, 'rssMb'),
  measured,
  target: '',
  verdict: '',
  load,
});

/** Turns scenario results into rows: { scenario, subject, median, spread, rss, measured, target, verdict, load }. */
export function toRows(results) {
  const rows = [];
  for (const f of results.fanOut ?? []) {
    const a = col(f.samples.agg, 'ms');
    const c = f.samples.curl ? col(f.samples.curl, 'ms') : undefined;
    const failed = Math.max(...f.samples.agg.map((s) => f.n - s.ok));
    const ratio = c ? a.median / c.median : undefined;
    const overhead = a.median - f.delayMs;
    const search = col(f.samples.agg, 'searchMs');
    const refused = f.samples.agg.find((s) => s.refused)?.refused;
    let target = '';
    let ok;
    if (f.n === 200) {
      target = 'agg/curl ≤ 1.0×, overhead ≤ 150 ms';
      ok = overhead <= 150 && (ratio === undefined || ratio <= 1);
    } else if (f.n === 1000) {
      target = 'overhead ≤ 400 ms, no source fails';
      ok = overhead <= 400 && failed === 0;
    }
    // A refused run finishes fast and meets nothing.
    if (refused && ok !== undefined) ok = false;
    const scenario = `fan-out N=${f.n} × ${f.delayMs} ms`;
    rows.push({
      scenario,
      subject: 'agg',
      stats: a,
      rss: col(f.samples.agg, 'rssMb'),
      // A refused run's time and counts describe the refusal, not a search.
      measured: refused
        ? `agg refused the run: ${refused}`
        : [
            ratio === undefined ? undefined : `agg/curl ${ratio.toFixed(2)}×`,
            `overhead ${ms(overhead)}`,
            `search ${ms(search?.median)}`,
            `${failed} failed`,
          ]
            .filter(Boolean)
            .join(', '),
      target,
      verdict: target ? verdict(ok) : '',
      load: f.load,
    });
    const first = f.samples[FIRST_RUN];
    if (first) {
      // Context, not the target: the run after a sources file changed, when agg parses its YAML again.
      const fs = col(first, 'ms');
      const measured = [
        c ? `agg/curl ${(fs.median / c.median).toFixed(2)}×` : undefined,
        `overhead ${ms(fs.median - f.delayMs)}`,
        `search ${ms(col(first, 'searchMs')?.median)}`,
        `${Math.max(...first.map((s) => f.n - s.ok))} failed`,
      ];
      rows.push(contextRow(scenario, FIRST_RUN, first, measured.filter(Boolean).join(', '), f.load));
    }
    const table = f.samples[TABLE_OUTPUT];
    if (table) {
      // Context: the same search printed for a person, every offer a row, against JSON for a script.
      const more = col(table, 'ms').median - a.median;
      const rowCount = Math.max(...table.map((t) => t.offers));
      rows.push(contextRow(scenario, TABLE_OUTPUT, table, `${rowCount} rows: ${ms(more)} more than JSON`, f.load));
    }
    if (c) {
      const cFailed = Math.max(...f.samples.curl.map((s) => f.n - s.ok));
      const measured = `overhead ${ms(c.median - f.delayMs)}, ${cFailed} failed`;
      rows.push(contextRow(scenario, `curl -Z --parallel-max ${f.n}`, f.samples.curl, measured, f.load));
    }
  }
  const biggest = (results.fanOut ?? []).at(-1);
  if (biggest) {
    const rss = col(biggest.samples.agg, 'rssMb');
    const refused = biggest.samples.agg.some((s) => s.refused);
    const ok = biggest.n === 1000 && rss && !refused ? rss.max <= 200 : refused ? false : undefined;
    rows.push({
      scenario: `memory N=${biggest.n} × 20 offers`,
      subject: 'agg peak RSS',
      stats: undefined,
      rss,
      measured: refused
        ? 'agg refused the run: no search was measured'
        : rss
          ? `median ${rss.median.toFixed(0)} MB, max ${rss.max.toFixed(0)} MB`
          : 'no /usr/bin/time',
      target: 'peak RSS ≤ 200 MB',
      verdict: verdict(ok),
      load: biggest.load,
    });
  }
  const t = results.takeFirst;
  if (t) {
    const a = col(t.samples.agg, 'ms');
    const slowest = Math.max(...t.samples.agg.map((s) => s.ms));
    const waited = slowest >= t.slowMs;
    const won = t.samples.agg.every((s) => s.ok === 1);
    rows.push({
      scenario: `take-first N=${t.n}: 1 at ${t.fastMs} ms, ${t.n - 1} at ${t.slowMs} ms`,
      subject: 'agg --strategy first',
      stats: a,
      rss: col(t.samples.agg, 'rssMb'),
      measured: `${ms(a.median - t.fastMs)} over the fastest; search ${ms(col(t.samples.agg, 'searchMs')?.median)}; ${
        waited ? 'WAITED for slow sources' : `exits before the slow ones (max ${ms(slowest)})`
      }${won ? '' : '; the fast source did not win every run'}`,
      target: `≤ ${t.fastMs + 150} ms (fastest + 150 ms)`,
      verdict: verdict(a.median - t.fastMs <= 150 && !waited),
      load: t.load,
    });
    for (const [name, samples] of Object.entries(t.samples)) {
      if (name === 'agg') continue;
      const s = col(samples, 'ms');
      rows.push({
        scenario: rows.at(-1).scenario,
        subject: `${name}`,
        stats: s,
        rss: col(samples, 'rssMb'),
        measured: `${ms(s.median - t.fastMs)} over the fastest`,
        target: '',
        verdict: '',
        load: t.load,
      });
    }
  }
  const cs = results.coldStart;
  if (cs) {
    const base = col(cs.samples['node -e 0'], 'ms');
    for (const [name, samples] of Object.entries(cs.samples)) {
      const s = col(samples, 'ms');
      const ratio = s.median / base.median;
      const isVersion = name === 'agg --version';
      rows.push({
        scenario: 'cold start',
        subject: name,
        stats: s,
        rss: col(samples, 'rssMb'),
        measured: name === 'node -e 0' ? 'baseline' : `${ratio.toFixed(2)}× node -e 0`,
        target: isVersion ? '≤ 1.5× node -e 0' : '',
        verdict: isVersion ? verdict(ratio <= 1.5) : '',
        load: cs.load,
      });
    }
  }
  for (const m of results.mapping ?? []) {
    const a = col(m.samples.agg, 'perSec');
    const h = col(m.samples.hand, 'perSec');
    const ratio = a.median / h.median;
    const scenario = `mapping: ${m.label}`;
    const perSec = (s) => ({ ...s, unit: 'offers/s' });
    rows.push({
      scenario,
      subject: 'agg (compileMapping/applyMapping)',
      stats: perSec(a),
      measured: `${(ratio * 100).toFixed(0)}% of hand`,
      target: m.label.startsWith('eBay') ? '≥ 50% of hand' : '',
      verdict: m.label.startsWith('eBay') ? verdict(ratio >= 0.5) : '',
      load: m.load,
    });
    rows.push({
      scenario,
      subject: 'hand-written JS',
      stats: perSec(h),
      measured: 'baseline',
      target: '',
      verdict: '',
      load: m.load,
    });
  }
  return rows;
}

function fmtStats(s) {
  if (!s) return ['–', '–'];
  if (s.unit === 'offers/s') {
    const k = (x) => `${(x / 1000).toFixed(0)}k`;
    return [`${k(s.median)} offers/s`, `${k(s.min)}–${k(s.max)}`];
  }
  return [ms(s.median), spread(s)];
}

const HEADER = ['scenario', 'subject', 'median', 'min–max', 'peak RSS', 'measured', 'target', 'result', 'load 1m'];

const cells = (r) => [
  r.scenario,
  r.subject,
  ...fmtStats(r.stats),
  mb(r.rss),
  r.measured,
  r.target,
  r.verdict,
  loadText(r.load),
];

/** A plain-text table for the terminal. */
export function textTable(rows) {
  const data = [HEADER, ...rows.map(cells)];
  const widths = HEADER.map((_, i) => Math.max(...data.map((row) => String(row[i]).length)));
  return data
    .map((row) =>
      row
        .map((c, i) => String(c).padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The markdown table. */
export function markdownTable(rows) {
  const line = (cs) => `| ${cs.map((c) => String(c).replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(HEADER), line(HEADER.map(() => '---')), ...rows.map((r) => line(cells(r)))].join('\n');
}

/** Everything after this line in docs/BENCHMARKS.md is hand-written, and kept when the bench rewrites the file. */
export const NOTES_MARKER = '<!-- Notes below this line are kept when `npm run bench` rewrites the file. -->';

/** Writes the report, keeping the hand-written notes of an existing file. */
export function writeReport(file, { machine, settings, rows }) {
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const at = previous.indexOf(NOTES_MARKER);
  const notes = at >= 0 ? previous.slice(at + NOTES_MARKER.length) : '\n\n## Notes\n\n(none yet)\n';
  const text = `# Benchmarks

Generated by \`npm run bench\` (bench/run.js); see bench/README.md for what each scenario does.

- **Machine:** ${machine.cpu}, ${machine.cores} cores, ${machine.os}
- **Node:** ${machine.node}
- **Date:** ${machine.date}
- **Load average at start (1, 5, 15 min):** ${machine.loadavg.map((x) => x.toFixed(2)).join(', ')}
- **Runs:** ${settings}

Each scenario runs agg and its peer alternately after one untimed warm-up each; figures are the median and
the min–max over the runs. *load 1m* is the 1-minute load average before→after the scenario: other work on
the machine slows agg and its peer alike, which is why only ratios within one run are compared. Every vendor
is its own origin (its own port on 127.0.0.1), and curl fetches exactly the URLs agg does.

${markdownTable(rows)}

${NOTES_MARKER}${notes}`;
  writeFileSync(file, text);
}
