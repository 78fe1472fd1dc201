/** Writes a sources file for a test into a temp dir, so the CLI and the loader read a real file. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A source pointing at a test server: `path` is appended to the server's URL. */
export function source(name: string, url: string, extra = ''): string {
  return `
  - name: ${name}
    request:
      url: "${url}"
    offers: items
    fields:
      title: title
      price: price
      currency: currency${extra}`;
}

/** Writes `sources.yaml` with the given head and sources, and returns its path. */
export function writeConfig(sources: string[], head = 'currency: USD\nrates: { EUR: 1.10, GBP: 1.30 }'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agg-test-'));
  const file = path.join(dir, 'sources.yaml');
  writeFileSync(file, `${head}\nsources:${sources.join('')}\n`);
  return file;
}
