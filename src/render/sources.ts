/** `agg sources`: what is configured, as a table or JSON. Hosts from the environment stay redacted. */
import Table from 'cli-table3';
import { formatDuration } from '../config/duration.js';
import type { LatencyHistory } from '../history.js';
import { makeRedactor } from '../redact.js';
import { cleanText } from '../sanitize.js';
import type { Config } from '../types.js';
import { safeStringify } from './json.js';

/** One row per source: name, tags, method, host, required params, timeout, its flow if any, recorded p50 and p95. */
export function renderSources(config: Config, { json, history }: { json: boolean; history?: LatencyHistory }): string {
  const redact = makeRedactor(config.secretNames);
  const rows = config.sources.map((s) => {
    const flow = flowOf(s);
    return {
      name: s.name,
      tags: [...s.tags],
      method: s.request.method,
      host: hostOf(redact(s.request.url)),
      requires: [...s.requires],
      timeout: formatDuration(s.timeoutMs),
      ...(s.hedge !== undefined ? { hedge: s.hedge === 'auto' ? 'auto' : formatDuration(s.hedge) } : {}),
      // Only the shape of the flow: credentials and token URLs stay out of this listing.
      ...(flow.length > 0 ? { flow } : {}),
      p50: percentile(history, s.name, 50),
      p95: percentile(history, s.name, 95),
    };
  });
  if (json) return `${safeStringify(rows, 2)}\n`;
  const table = new Table({
    head: ['name', 'tags', 'method', 'host', 'requires', 'timeout', 'flow', 'p50', 'p95'],
    style: { head: [], border: [] },
  });
  // Tags, params and hosts are free text in the file, which may come from anywhere: clean them like vendor text.
  for (const r of rows) {
    const cells = [
      r.name,
      r.tags.join(', '),
      r.method,
      r.host,
      r.requires.join(', '),
      r.timeout,
      (r.flow ?? []).join(', '),
    ];
    table.push([...cells.map(cleanText), r.p50 ?? '', r.p95 ?? '']);
  }
  return `${table.toString()}\n`;
}

/** A recorded percentile as a duration, or null while too few latencies are recorded. */
function percentile(history: LatencyHistory | undefined, name: string, p: number): string | null {
  const ms = history?.percentile(name, p);
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
