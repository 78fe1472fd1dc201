/** The sources file's JSON Schema, for editors, from the zod schema (schema.ts) that validates it. */
import * as z from 'zod';
import { SourcesFileSchema } from './schema.js';
import { allowReferences } from './schema-references.js';

/**
 * The JSON Schema for editors (yaml-language-server): draft-07, describing the input side, the file as
 * written, where a `${VAR}` may stand for any value but a source's name (checks.ts).
 */
export function sourcesJsonSchema(): Record<string, unknown> {
  return allowReferences(
    z.toJSONSchema(SourcesFileSchema, { target: 'draft-7', io: 'input' }),
    new Set(['sources.name']),
  );
}

/** The schema file's exact text, shared by the generator script and the no-drift test. */
export function sourcesJsonSchemaText(): string {
  return `${JSON.stringify(sourcesJsonSchema(), null, 2)}\n`;
}
