/**
 * Writes the JSON Schema files in schema/ from the zod schemas: `sources.schema.json`, so editors
 * (yaml-language-server) can complete and check sources files, and `output.schema.json` and
 * `ndjson-record.schema.json`, what `--json` and `--format ndjson` print, for scripts to check against.
 * Run: `npm run schema`. A test fails when a committed file differs from what this would write.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sourcesJsonSchemaText } from '../src/config/schema-json.js';
import { ndjsonRecordJsonSchemaText, outputJsonSchemaText } from '../src/render/output-schema.js';

const files: [string, string][] = [
  ['sources.schema.json', sourcesJsonSchemaText()],
  ['output.schema.json', outputJsonSchemaText()],
  ['ndjson-record.schema.json', ndjsonRecordJsonSchemaText()],
];
for (const [name, text] of files) {
  const out = fileURLToPath(new URL(`../schema/${name}`, import.meta.url));
  writeFileSync(out, text);
  console.log(`wrote ${out}`);
}
