/** The aliases and merge keys yaml's toJS refuses without saying which or where, found where they are written. */
import { type Document, isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import { formatPath, resolveAlias } from './positions.js';

/** A merge key (`<<`), as yaml parses it with `merge: true` (a symbol) or as written. */
const isMergeKey = (key: unknown): boolean =>
  isScalar(key) &&
  (key.value === '<<' || (typeof key.value === 'symbol' && key.value.description === '<<')) &&
  (!key.type || key.type === 'PLAIN');

/**
 * The aliases that name no anchor before them (`*defualts`, or an anchor written further down) and
 * the merge keys on something that is no mapping (`<<: *name` of a scalar): yaml's toJS refuses
 * these with a message that says neither which nor where. Each is located at the alias or value.
 */
export function aliasProblems(doc: Document): { offset: number; path: string; message: string }[] {
  const out: { offset: number; path: string; message: string }[] = [];
  const resolve = (node: unknown): unknown => (isAlias(node) ? resolveAlias(doc, node) : node);
  const unknown = (node: unknown, path: (string | number)[]): boolean => {
    if (!isAlias(node) || resolveAlias(doc, node)) return false;
    const message = `unknown alias \`*${node.source}\`: no \`&${node.source}\` anchor comes before it`;
    out.push({ offset: node.range?.[0] ?? 0, path: formatPath(path), message });
    return true;
  };
  const walk = (node: unknown, path: (string | number)[]): void => {
    if (unknown(node, path)) return;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        if (isMergeKey(pair.key)) {
          const here = [...path, '<<'];
          const value = pair.value;
          // yaml merges an alias of a list as that list (`<<: *both`, with `both: &both [*a, *b]`): its
          // items are written, and their aliases checked, at the anchor.
          const listed = isAlias(value) ? resolve(value) : undefined;
          const items = isSeq(value) ? value.items : isSeq(listed) ? listed.items : [value];
          for (const item of items) {
            if (isSeq(listed) ? isAlias(item) && !resolveAlias(doc, item) : unknown(item, here)) continue;
            if (isMap(resolve(item))) {
              // A mapping written here (`<<: { request: *x }`) is walked like any other; an alias's, at its anchor.
              if (isMap(item) && !isSeq(listed)) walk(item, here);
              continue;
            }
            const at =
              ((isSeq(listed) ? value : item) as { range?: number[] } | null)?.range?.[0] ??
              (pair.key as { range?: number[] } | null)?.range?.[0] ??
              0;
            out.push({
              offset: at,
              path: formatPath(here),
              message: '`<<` merges a mapping or a list of mappings, as in `<<: *common`',
            });
          }
        } else {
          unknown(pair.key, path);
          walk(pair.value, [...path, isScalar(pair.key) ? String(pair.key.value) : '?']);
        }
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        walk(item, [...path, i]);
      });
    }
  };
  try {
    walk(doc.contents, []);
  } catch {
    // An alias bomb's resolution, or a tree past the stack: the caller says what yaml said.
    return [];
  }
  return out;
}
