/**
 * `${VAR}` in the JSON Schema for editors. The loader fills references in before it validates, and an
 * unquoted one that comes out a number is a number (interpolate.ts), so `timeout: ${TIMEOUT:-2s}`,
 * `retries: ${RETRIES}` and `currency: ${CURRENCY}` load. An editor checks the file as written, though:
 * to it those were the text `${…}`, not a duration, an integer or a currency code, and it marked a file
 * agg loads as wrong. Every value that the text of a reference would fail also takes a string with one.
 */

type JsonSchema = Record<string, unknown> & {
  type?: string | string[];
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
};

/** A string that holds a `${VAR}` reference (`$${` is a literal `${`, interpolate.ts). */
const REFERENCE: JsonSchema = { type: 'string', pattern: '(^|[^$])\\$\\{[A-Za-z_]' };
// Written in two: '${VAR}' in one piece reads to the linter as a template literal gone wrong.
const SAMPLE = '$' + '{VAR}';

/** Whether `schema`, a value that is no object or list, already takes the text of a reference. */
function takesReference(schema: JsonSchema): boolean {
  if (schema.anyOf) return schema.anyOf.some(takesReference);
  if (schema.type === undefined) return true;
  // `[string, number]` (a default, a choice): its string branch takes any text, a reference's too.
  if (Array.isArray(schema.type)) return schema.type.includes('string') && typeof schema.pattern !== 'string';
  if (schema.type !== 'string' || 'enum' in schema || 'const' in schema) return false;
  return typeof schema.pattern !== 'string' || new RegExp(schema.pattern, 'u').test(SAMPLE);
}

function withReference(schema: JsonSchema): JsonSchema {
  // A boolean is not re-typed (`idempotent: ${X:-true}` is the text "true"), so the loader refuses one.
  if (schema.type === 'boolean' || takesReference(schema)) return schema;
  if (schema.anyOf) return { ...schema, anyOf: [...schema.anyOf, REFERENCE] };
  const { description, ...rest } = schema;
  return { ...(description === undefined ? {} : { description }), anyOf: [rest, REFERENCE] };
}

/**
 * `schema` with every value that a reference may stand for also taking one. `keep` are paths of
 * properties (`sources.name`) that may not take one: a source's name may not hold an environment value.
 */
export function allowReferences(schema: object, keep: ReadonlySet<string>): Record<string, unknown> {
  return walk(schema as JsonSchema, keep, '');
}

function walk(schema: JsonSchema, keep: ReadonlySet<string>, at: string): JsonSchema {
  const isTree = schema.type === 'object' || schema.type === 'array';
  if (!isTree) return keep.has(at) ? schema : withReference(schema);
  const out: JsonSchema = { ...schema };
  if (schema.properties) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([key, value]) => [key, walk(value, keep, at ? `${at}.${key}` : key)]),
    );
  }
  if (typeof schema.additionalProperties === 'object') {
    out.additionalProperties = walk(schema.additionalProperties, keep, `${at}.*`);
  }
  if (schema.items) out.items = walk(schema.items, keep, at);
  return out;
}
