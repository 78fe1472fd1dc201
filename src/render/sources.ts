/** `agg sources`: what is configured, as a table or JSON. Hosts from the environment stay redacted. */
import Table from 'cli-table3';
import { formatDuration } from '../config/duration.js';
import { makeRedactor } from '../redact.js';
import { cleanText } from '../sanitize.js';
import type { Config } from '../types.js';
import { safeStringify } from './json.js';

/** One row per source: name, tags, method, host, required params, timeout. */
export function renderSources(config: Config, { json }: { json: boolean }): string {
  const redact = makeRedactor(config.secretNames);
  const rows = config.sources.map((s) => ({
    name: s.name,
    tags: [...s.tags],
    method: s.request.method,
    host: hostOf(redact(s.request.url)),
    requires: [...s.requires],
    timeout: formatDuration(s.timeoutMs),
  }));
  if (json) return `${safeStringify(rows, 2)}\n`;
  const table = new Table({
    head: ['name', 'tags', 'method', 'host', 'requires', 'timeout'],
    style: { head: [], border: [] },
  });
  // Tags, params and hosts are free text in the file, which may come from anywhere: clean them like vendor text.
  for (const r of rows) {
    table.push([r.name, r.tags.join(', '), r.method, r.host, r.requires.join(', '), r.timeout].map(cleanText));
  }
  return `${table.toString()}\n`;
}

/** The host of a URL, or the redacted prefix (`${AGG_DEMO_URL}`) when a secret stands in for it. */
function hostOf(url: string): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]+)/i.exec(url);
  if (m) return m[1] as string;
  return url.split(/[/?#]/)[0] ?? url;
}
