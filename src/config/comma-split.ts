/**
 * A comma inside `{ }` ends a value. `fields: { d: $substring(t, 0, 3) }` is the field `d` with the
 * expression `$substring(t`, and the keys `0` and `3)`: four errors that named fields nobody wrote and
 * said nothing of quotes. A plain value of a `{ }` mapping that opens more `(` or `[` than it closes and
 * is cut by a comma is said once, with the quotes to write; what its pieces trip over is noise.
 */
import { type Document, isMap, isPair, isScalar, isSeq, Scalar } from 'yaml';
import type { Path } from './positions.js';

/** One value a comma cut: its path, where it starts, and what to write. */
interface CommaSplitProblem {
  path: Path;
  offset: number;
  message: string;
}

/**
 * The values a comma cut in `doc`'s `{ }` mappings, and the paths of the keys made of their pieces;
 * `text` is the file as parsed.
 */
export function commaSplitValues(doc: Document, text: string): { problems: CommaSplitProblem[]; noise: Path[] } {
  const problems: CommaSplitProblem[] = [];
  const noise: Path[] = [];
  const walk = (node: unknown, path: Path): void => {
    if (isSeq(node)) {
      for (const [i, item] of node.items.entries()) walk(item, [...path, i]);
    }
    if (!isMap(node)) return;
    let cutUntil = -1;
    for (const pair of node.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      const at = [...path, String(pair.key.value)];
      const start = pair.key.range?.[0] ?? 0;
      if (start < cutUntil) {
        noise.push(at);
        continue;
      }
      const whole = node.flow ? commaCut(pair.value, text) : undefined;
      if (whole === undefined) {
        walk(pair.value, at);
        continue;
      }
      cutUntil = whole.end;
      const quoted = whole.text.includes("'") ? JSON.stringify(whole.text) : `'${whole.text}'`;
      problems.push({
        path: at,
        offset: whole.start,
        message: `a comma inside \`{ }\` ends a value, and cut this one: write it in quotes, \`${String(pair.key.value)}: ${quoted}\``,
      });
    }
  };
  walk(doc.contents, []);
  return { problems, noise };
}

/**
 * The value as written, to where its brackets close, when it is a plain scalar left open and cut by a
 * comma: `$substring(t, 0, 3)` of `$substring(t`.
 */
function commaCut(value: unknown, text: string): { start: number; end: number; text: string } | undefined {
  if (!isScalar(value) || value.type !== Scalar.PLAIN || !value.range) return undefined;
  const [start, end] = value.range;
  if (depthAfter(text.slice(start, end)) <= 0 || !/^\s*,/.test(text.slice(end))) return undefined;
  let depth = 0;
  let i = start;
  for (; i < text.length && text[i] !== '\n'; i++) {
    const ch = text[i];
    if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    else if (depth <= 0 && (ch === ',' || ch === '}')) break;
  }
  return { start, end: i, text: text.slice(start, i).trim() };
}

/** How many `(` and `[` are left open at the end of `text`. */
function depthAfter(text: string): number {
  let depth = 0;
  for (const ch of text) {
    if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
  }
  return depth;
}
