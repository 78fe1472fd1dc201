/**
 * Checks on the raw data that the schema cannot make: names unique across sources (with the
 * line of the first), and `__proto__` keys, which validation would otherwise drop in silence.
 */
import type { PathProblem } from './issues.js';
import type { Path } from './positions.js';

/** Same source name twice would make `--source` and the output ambiguous; `lineOf` finds the first. */
export function duplicateNames(raw: unknown, lineOf: (path: Path) => number | undefined): PathProblem[] {
  const sources = (raw as { sources?: unknown }).sources;
  if (!Array.isArray(sources)) return [];
  const first = new Map<string, number>();
  const out: PathProblem[] = [];
  sources.forEach((s, i) => {
    const name = (s as { name?: unknown } | null)?.name;
    if (typeof name !== 'string') return;
    const j = first.get(name);
    if (j === undefined) first.set(name, i);
    else {
      const line = lineOf(['sources', j, 'name']);
      out.push({ path: ['sources', i, 'name'], message: `duplicate source name "${name}" (first at line ${line})` });
    }
  });
  return out;
}

/** `__proto__` keys are silently dropped by validation; say so, except in a body where they are data. */
export function protoKeys(value: unknown, path: (string | number)[]): PathProblem[] {
  if (typeof value !== 'object' || value === null) return [];
  if (path.length === 4 && path[2] === 'request' && path[3] === 'body') return [];
  const out: PathProblem[] = [];
  for (const [key, v] of Object.entries(value)) {
    const at = [...path, Array.isArray(value) ? Number(key) : key];
    if (key === '__proto__' && !Array.isArray(value))
      out.push({ path: at, at: 'key', message: 'is not allowed as a key' });
    for (const p of protoKeys(v, at)) out.push(p);
  }
  return out;
}
