/**
 * From a data path (`['sources', 2, 'request', 'url']`) back to where it is written in the file,
 * so that every problem can be reported as `file:line:col` and an editor can jump to it.
 */
import {
  type Alias,
  type Document,
  isAlias,
  isCollection,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type LineCounter,
  type Node,
  visit,
} from 'yaml';

/** A path into the parsed document: map keys and sequence indexes. */
export type Path = readonly (string | number)[];

/** 1-based, like compilers and editors. */
interface Position {
  line: number;
  col: number;
}

// Keys like `User-Agent` read fine unquoted; anything odder is quoted so the path stays unambiguous.
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Formats a path the way JavaScript would index it: `sources[2].request.url`. */
export function formatPath(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (PLAIN_KEY.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

// Each document's aliases with the node each names. yaml's `alias.resolve(doc)` walks the whole document
// for every alias: locating a problem under each of 1,000 sources that share `request: *req` (or finding
// one mistyped alias among them) took 4 to 7 s, and 1 to 2 minutes at 4,000 sources.
const targets = new WeakMap<Document, Map<Alias, Node | undefined>>();

/**
 * The node an alias names, as yaml resolves it (the last node with that anchor before the alias, in
 * document order), from one walk of the document made once for all its aliases; undefined if none.
 * The document's structure must not change once asked (interpolation only changes scalar values).
 */
export function resolveAlias(doc: Document, alias: Alias): Node | undefined {
  let known = targets.get(doc);
  if (!known) {
    const map = new Map<Alias, Node | undefined>();
    const anchors = new Map<string, Node>();
    visit(doc, {
      Node: (_key, node) => {
        if (isAlias(node)) map.set(node, anchors.get(node.source));
        else if ((isScalar(node) || isCollection(node)) && node.anchor) anchors.set(node.anchor, node);
      },
    });
    targets.set(doc, map);
    known = map;
  }
  return known.has(alias) ? known.get(alias) : alias.resolve(doc);
}

/** The node a path leads to, and how far it got: a missing key stops at its parent. */
function walk(doc: Document, path: Path, at: 'key' | 'value'): Node | undefined {
  let node: unknown = doc.contents;
  let found = node as Node | undefined;
  for (const [i, seg] of path.entries()) {
    if (isAlias(node)) node = resolveAlias(doc, node);
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      // `key:` with no value has no value node; the key is the best place to point at.
      if (at === 'key' && i === path.length - 1) return pair.key as Node;
      const value = pair.value as Node | null;
      node = value?.range && value.range[0] < value.range[1] ? value : pair.key;
    } else if (isSeq(node) && typeof seg === 'number' && seg < node.items.length) {
      node = node.items[seg];
    } else break;
    found = node as Node;
  }
  return found;
}

/**
 * Where a path is written: the value by default, or its key (for unknown keys).
 * Undefined only for an empty document.
 */
export function locate(
  doc: Document,
  counter: LineCounter,
  path: Path,
  at: 'key' | 'value' = 'value',
): Position | undefined {
  const node = walk(doc, path, at);
  if (!node?.range) return undefined;
  return counter.linePos(node.range[0]);
}

// Each document's map keys by offset, from one walk: a file that writes a key twice in each of 4,000
// sources has 4,000 duplicate keys to name, and a walk of the file for each took 18 s.
const keyPaths = new WeakMap<Document, Map<number, Path>>();

/**
 * The path of the map key written at `offset`, for a problem yaml reports by position alone (a
 * duplicate key): `sources[0].offers`. Undefined when no key starts there.
 */
export function keyPathAt(doc: Document, offset: number): Path | undefined {
  let known = keyPaths.get(doc);
  if (!known) {
    const found = new Map<number, Path>();
    const search = (node: unknown, path: Path): void => {
      if (isMap(node)) {
        for (const pair of node.items) {
          const key = pair.key as Node | null;
          const here = [...path, isScalar(key) ? String(key.value) : '?'];
          const at = key?.range?.[0];
          // The first key in document order that starts there, as a search from the top would find.
          if (at !== undefined && !found.has(at)) found.set(at, here);
          search(pair.value, here);
        }
      } else if (isSeq(node)) {
        for (const [i, item] of node.items.entries()) search(item, [...path, i]);
      }
    };
    search(doc.contents, []);
    keyPaths.set(doc, found);
    known = found;
  }
  return known.get(offset);
}
