/**
 * zod speaks in types ("expected string, received undefined"); people editing a YAML file need
 * "required". This turns zod issues into short located problems, with "did you mean" for typos.
 */
import type { z } from 'zod';
import type { Path } from './positions.js';
import { allowedKeys } from './schema.js';

/** A problem before it has a file position: where in the data, and whether at the key or value. */
export interface PathProblem {
  path: Path;
  at?: 'key' | 'value';
  message: string;
}

const NOUNS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
};

/** How a YAML value reads to its author: `key:` with nothing after it is null. */
function describe(input: unknown): string {
  if (input === null) return 'nothing';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  if (typeof input === 'boolean') return String(input);
  // YAML's `.nan` and `.inf` are numbers to zod's typeof, and not numbers to anyone else.
  if (typeof input === 'number' && !Number.isFinite(input)) return String(input);
  return NOUNS[typeof input] ?? typeof input;
}

/** The per-parse zod error map: messages a person can act on. Schema-level messages win over it. */
export function humanMessage(iss: z.core.$ZodRawIssue): string | undefined {
  switch (iss.code) {
    case 'invalid_type':
      if (iss.input === undefined) return 'required';
      return `expected ${NOUNS[iss.expected] ?? iss.expected}, got ${describe(iss.input)}`;
    case 'too_small':
      if (iss.origin === 'number') return `must be ${iss.inclusive ? 'at least' : 'more than'} ${iss.minimum}`;
      return Number(iss.minimum) <= 1 ? 'must not be empty' : `needs at least ${iss.minimum} items`;
    case 'too_big':
      return `must be at most ${iss.maximum}`;
    case 'invalid_value':
      return `must be one of ${iss.values.map(String).join(', ')}`;
    case 'invalid_key':
      return `key ${iss.issues[0]?.message ?? 'is not allowed'}`;
    case 'invalid_union':
      return 'is not any of the accepted forms';
    default:
      return undefined;
  }
}

/** Edit distance, for suggestions; keys are short, so the plain quadratic table is fine. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/** The closest candidate within a couple of edits (fewer for short words), if any. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const limit = Math.min(2, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

/** One problem per issue, and one per unknown key so each can point at its own line. */
export function issueProblems(issues: readonly z.core.$ZodIssue[]): PathProblem[] {
  const out: PathProblem[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeys(path);
      for (const key of issue.keys) {
        const near = suggest(key, allowed);
        const hint = near
          ? `; did you mean \`${near}\`?`
          : allowed.length
            ? ` (expected one of ${allowed.join(', ')})`
            : '';
        out.push({ path: [...path, key], at: 'key', message: `unknown key${hint}` });
      }
    } else {
      out.push({ path, at: issue.code === 'invalid_key' ? 'key' : 'value', message: issue.message });
    }
  }
  return out;
}
