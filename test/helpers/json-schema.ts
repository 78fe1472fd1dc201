/**
 * A small draft-07 validator, for the keywords the files in schema/ use, so a test can check a whole
 * file as an editor (yaml-language-server) would: no validator is a dependency. A keyword it does not know
 * throws, so a schema that grows one cannot pass here by being ignored.
 */

type Schema = boolean | { [keyword: string]: unknown };

/** The keywords read below, as they appear in a schema. */
type Keywords = {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  multipleOf?: number;
  anyOf?: Schema[];
  oneOf?: Schema[];
  not?: Schema;
  items?: Schema;
  minItems?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: Schema;
  propertyNames?: Schema;
  dependencies?: Record<string, Schema | string[]>;
};

const KNOWN = new Set([
  '$schema',
  'title',
  'description',
  'examples',
  'type',
  'const',
  'enum',
  'pattern',
  'minLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'multipleOf',
  'anyOf',
  'oneOf',
  'not',
  'items',
  'minItems',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'dependencies',
]);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const hasType = (v: unknown, type: unknown): boolean => {
  // `type: [string, number]`, as zod writes a union of the two: any of them.
  if (Array.isArray(type)) return type.some((t) => hasType(v, t));
  if (type === 'integer') return Number.isInteger(v);
  if (type === 'number') return typeof v === 'number';
  if (type === 'array') return Array.isArray(v);
  if (type === 'object') return isObject(v);
  if (type === 'null') return v === null;
  return typeof v === type;
};

/** What `schema` finds wrong with `value`, one line each (`/sources/0/maxPages: …`); empty when it takes it. */
export function schemaProblems(schema: Schema, value: unknown, at = ''): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${at || '/'}: no value is allowed here`];
  const unknown = Object.keys(schema).filter((k) => !KNOWN.has(k));
  if (unknown.length > 0) throw new Error(`json-schema.ts does not know ${unknown.join(', ')} (at ${at || '/'})`);
  const out: string[] = [];
  const fail = (message: string): void => {
    out.push(`${at || '/'}: ${message}`);
  };
  const s = schema as Keywords;
  if (s.type !== undefined && !hasType(value, s.type)) return [`${at || '/'}: is not of type ${s.type}`];
  if ('const' in s && JSON.stringify(s.const) !== JSON.stringify(value)) fail(`is not ${JSON.stringify(s.const)}`);
  if (s.enum && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) fail('is not in the enum');
  if (typeof value === 'string') {
    if (s.pattern !== undefined && !new RegExp(s.pattern, 'u').test(value)) fail(`does not match ${s.pattern}`);
    if (s.minLength !== undefined && [...value].length < s.minLength) fail(`is shorter than ${s.minLength}`);
  }
  if (typeof value === 'number') {
    if (s.minimum !== undefined && value < s.minimum) fail(`is less than ${s.minimum}`);
    if (s.maximum !== undefined && value > s.maximum) fail(`is more than ${s.maximum}`);
    if (s.exclusiveMinimum !== undefined && value <= s.exclusiveMinimum) fail(`is not more than ${s.exclusiveMinimum}`);
    if (s.multipleOf !== undefined && !Number.isInteger(value / s.multipleOf))
      fail(`is no multiple of ${s.multipleOf}`);
  }
  if (s.anyOf && !s.anyOf.some((branch) => schemaProblems(branch, value, at).length === 0))
    fail('matches none of anyOf');
  if (s.oneOf && s.oneOf.filter((branch) => schemaProblems(branch, value, at).length === 0).length !== 1)
    fail('matches not exactly one of oneOf');
  if (s.not !== undefined && schemaProblems(s.not, value, at).length === 0) fail('matches what `not` refuses');
  if (Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems) fail(`has fewer than ${s.minItems} items`);
    if (s.items !== undefined)
      for (const [i, item] of value.entries()) out.push(...schemaProblems(s.items, item, `${at}/${i}`));
  }
  if (isObject(value)) {
    for (const key of s.required ?? []) if (!Object.hasOwn(value, key)) fail(`needs ${key}`);
    for (const [key, item] of Object.entries(value)) {
      if (s.propertyNames !== undefined) out.push(...schemaProblems(s.propertyNames, key, `${at}/${key} (name)`));
      const own = s.properties && Object.hasOwn(s.properties, key) ? s.properties[key] : undefined;
      if (own !== undefined) out.push(...schemaProblems(own, item, `${at}/${key}`));
      else if (s.additionalProperties !== undefined)
        out.push(...schemaProblems(s.additionalProperties, item, `${at}/${key}`));
    }
    for (const [key, rule] of Object.entries(s.dependencies ?? {})) {
      if (!Object.hasOwn(value, key)) continue;
      if (Array.isArray(rule)) {
        for (const needed of rule) if (!Object.hasOwn(value, needed)) fail(`${key} needs ${needed}`);
      } else {
        out.push(...schemaProblems(rule, value, at).map((p) => `${p} (as ${key} is there)`));
      }
    }
  }
  return out;
}
