/**
 * The sources file as plain data with its `${VAR}` references kept unresolved: what the config
 * cache stores. It holds no environment value, so a cached file is as secret as the file itself,
 * and filling the references from the current environment gives what parsing the YAML would.
 */
import { interpolateValue } from './interpolate.js';
import type { Path } from './positions.js';

// Only a quoted "\0…" key could spell this; a tree that has one as a key of its own is not stored.
const REFERENCE = '\u0000agg:ref';

/** One `${…}` value: its text, and whether it was unquoted (then a number stays a number). */
interface Reference {
  [REFERENCE]: string;
  plain: boolean;
}

/** A Reference for one `${…}` value as the document writes it. */
export const reference = (text: string, plain: boolean): object => ({ [REFERENCE]: text, plain }) satisfies Reference;

/**
 * Whether `tree` survives JSON as it is: plain objects, arrays, strings, booleans, null and finite
 * numbers, with no key of the reference marker's name except on `references` themselves.
 */
export function storable(tree: unknown, references: ReadonlySet<object> = new Set()): boolean {
  if (tree === null || typeof tree === 'string' || typeof tree === 'boolean') return true;
  if (typeof tree === 'number') return Number.isFinite(tree);
  if (typeof tree !== 'object') return false;
  if (references.has(tree)) return true;
  if (Array.isArray(tree)) return tree.every((v) => storable(v, references));
  const proto = Object.getPrototypeOf(tree);
  if (proto !== Object.prototype && proto !== null) return false;
  return !Object.hasOwn(tree, REFERENCE) && Object.values(tree).every((v) => storable(v, references));
}

const isReference = (v: unknown): v is Reference =>
  typeof v === 'object' && v !== null && typeof (v as Partial<Reference>)[REFERENCE] === 'string';

/** The text of every `${…}` value in `tree`, as the file writes it (references unresolved). */
export function referenceTexts(tree: unknown, out: string[] = []): string[] {
  if (isReference(tree)) out.push(tree[REFERENCE]);
  else if (typeof tree === 'object' && tree !== null) for (const v of Object.values(tree)) referenceTexts(v, out);
  return out;
}

/**
 * Resolves every Reference in `tree` (parsed from the cache, so it is changed in place) from `env`,
 * recording each value taken as a secret. Throws on a reference that cannot be resolved: the caller
 * then reads the YAML, which says where.
 */
export function fillReferences(
  tree: unknown,
  env: Record<string, string | undefined>,
  secret: (value: string, name: string, path: Path) => void,
  fromEnv?: Set<string>,
  path: Path = [],
): void {
  if (typeof tree !== 'object' || tree === null) return;
  const entries: [string | number, unknown][] = Array.isArray(tree) ? [...tree.entries()] : Object.entries(tree);
  for (const [key, value] of entries) {
    if (isReference(value)) {
      let took = false;
      const resolved = interpolateValue(value[REFERENCE], value.plain === true, env, (v, name) => {
        took = true;
        secret(v, name, [...path, key]);
      });
      if (took && typeof resolved === 'string') fromEnv?.add(resolved);
      // defineProperty: a key such as `__proto__` (in a request body) is data.
      Object.defineProperty(tree, key, { value: resolved, enumerable: true, configurable: true, writable: true });
    } else fillReferences(value, env, secret, fromEnv, [...path, key]);
  }
}
