import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sourcesJsonSchema, sourcesJsonSchemaText } from '../../src/config/schema.js';

describe('schema/sources.schema.json', () => {
  it('is what scripts/gen-schema.ts would write now (run it after changing the schema)', () => {
    const committed = readFileSync(new URL('../../schema/sources.schema.json', import.meta.url), 'utf8');
    expect(committed).toBe(sourcesJsonSchemaText());
  });

  it('describes the input side: durations are strings or numbers, methods any case', () => {
    const schema = sourcesJsonSchema() as {
      properties: { sources: { items: { properties: Record<string, { anyOf?: unknown[]; description?: string }> } } };
    };
    const source = schema.properties.sources.items.properties;
    expect(source.timeout?.anyOf).toHaveLength(2);
    expect(source.name?.description).toBeTruthy();
    expect(JSON.stringify(source.request)).toContain('"post"');
  });
});
