import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BASE_KEYS, CONVERSION_KEYS } from '../../src/render/fields.js';
import { SOURCE_KEYS } from '../../src/render/json.js';
import { ndjsonRecordJsonSchemaText, outputJsonSchemaText, outputSchemas } from '../../src/render/output-schema.js';
import { ALSO_AT, STATUSES } from '../../src/types.js';

const read = (file: string): string => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');

/** The keys any shape of a zod union (or one object) can have, by the value of its discriminator. */
function keysByVariant(schema: unknown, discriminator: string): Map<string, string[]> {
  const { options } = (schema as { def: { options: { shape: Record<string, { def: { values: string[] } }> }[] } }).def;
  return new Map(
    options.map((o) => [String(o.shape[discriminator]?.def.values[0]), Object.keys(o.shape)] as [string, string[]]),
  );
}

describe('the output schemas', () => {
  it('are what `npm run schema` would write now: schema/output.schema.json and schema/ndjson-record.schema.json', () => {
    expect(read('schema/output.schema.json')).toBe(outputJsonSchemaText());
    expect(read('schema/ndjson-record.schema.json')).toBe(ndjsonRecordJsonSchemaText());
  });

  it('know every key a source row is written with, and a row of every status', () => {
    const rows = keysByVariant(outputSchemas().document.shape.sources.element, 'status');
    expect([...rows.keys()].sort()).toEqual([...STATUSES].sort());
    const described = new Set([...rows.values()].flat());
    expect([...described].sort()).toEqual([...SOURCE_KEYS].sort());
    // The NDJSON line is the same row, with its `type` first.
    const lines = keysByVariant(outputSchemas().sourceLine, 'status');
    for (const [status, keys] of rows) expect(lines.get(status)).toEqual(['type', ...keys]);
  });

  it("know the offer model's own keys, and take any other as a mapped field unless told which there are", () => {
    const { offerLine } = outputSchemas();
    // With --distinct's alsoAt, which no mapping may produce.
    expect(Object.keys(outputSchemas().document.shape.offers.element.shape)).toEqual([
      ...BASE_KEYS,
      ...CONVERSION_KEYS,
      ALSO_AT,
    ]);
    const offer = { type: 'offer', source: 'a', title: 'A', price: 1, currency: 'USD', stops: 0 };
    expect(offerLine.safeParse(offer).success).toBe(true);
    expect(outputSchemas(['stops']).offerLine.safeParse(offer).success).toBe(true);
    expect(outputSchemas(['carrier']).offerLine.safeParse(offer).success).toBe(false);
  });

  it('every field of every shape is described, for the reader of the JSON Schema files', () => {
    const undescribed: string[] = [];
    const walk = (node: unknown, at: string): void => {
      if (typeof node !== 'object' || node === null) return;
      const n = node as Record<string, unknown>;
      const props = n.properties as Record<string, Record<string, unknown>> | undefined;
      for (const [key, value] of Object.entries(props ?? {}))
        if (typeof value.description !== 'string' && key !== 'type' && !value.oneOf) undescribed.push(`${at}.${key}`);
      for (const [key, value] of Object.entries(n)) walk(value, `${at}/${key}`);
    };
    walk(JSON.parse(outputJsonSchemaText()), '');
    walk(JSON.parse(ndjsonRecordJsonSchemaText()), '');
    expect(undescribed).toEqual([]);
  });

  it('stay out of the command line: the bundle a search runs has no zod schema of the output', () => {
    const bundle = read('dist/cli.cjs');
    expect(bundle).not.toContain('prints once the search has run, even with no offers');
    expect(bundle).toContain('agg search'); // the file read is the bundle itself
  });
});
