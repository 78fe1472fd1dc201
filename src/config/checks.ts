/**
 * Checks on the raw data that the schema cannot make: names unique across sources (with the
 * line of the first), and `__proto__` keys, which validation would otherwise drop in silence.
 */
import { secretRedactor } from '../shared/redact.js';
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
export function protoKeys(value: unknown, path: (string | number)[] = []): PathProblem[] {
  const out: PathProblem[] = [];
  findProtoKeys(value, path, out);
  return out;
}

// One path, pushed and popped on the way down and copied only for a problem: the walk visits every
// node of the file, 1,000 sources' worth on every load (issue #7).
function findProtoKeys(value: unknown, path: (string | number)[], out: PathProblem[]): void {
  if (typeof value !== 'object' || value === null) return;
  if (path.length === 4 && path[2] === 'request' && path[3] === 'body') return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      findProtoKeys(value[i], path, out);
      path.pop();
    }
    return;
  }
  for (const key of Object.keys(value)) {
    path.push(key);
    if (key === '__proto__') out.push({ path: [...path], at: 'key', message: 'is not allowed as a key' });
    findProtoKeys((value as Record<string, unknown>)[key], path, out);
    path.pop();
  }
}

/**
 * A source's name may not hold a `${VAR}` value: every such value is a secret, and a name is no text
 * that can be hidden. It keys the status rows, JSON `sources`, `--source` and the latency history on
 * disk, where it would be written as it is. Only a name that took one (`fromEnv`: the strings that
 * interpolation filled from the environment): a name written as it is (`amadeus-test`) is no secret,
 * whatever short value (`ENV=test`) another field takes.
 */
export function namesHoldingSecrets(
  sources: readonly { readonly name: string }[],
  secrets: Readonly<Record<string, string>>,
  fromEnv: ReadonlySet<string>,
): PathProblem[] {
  const redact = secretRedactor(secrets);
  return sources.flatMap((s, i) =>
    !fromEnv.has(s.name) || redact(s.name) === s.name
      ? []
      : [
          {
            path: ['sources', i, 'name'],
            message:
              'may not hold the value of an environment variable: a name is printed and recorded as it is, and every such value is a secret',
          },
        ],
  );
}
