/**
 * Writes `schema/sources.schema.json` from the zod schema, so editors (yaml-language-server)
 * can complete and check sources files. Run: `npx tsx scripts/gen-schema.ts`.
 * A test fails when the committed file differs from what this would write.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sourcesJsonSchemaText } from '../src/config/schema.js';

const out = fileURLToPath(new URL('../schema/sources.schema.json', import.meta.url));
writeFileSync(out, sourcesJsonSchemaText());
console.log(`wrote ${out}`);
