/**
 * Keys that are a mapping or a list. The usual one is a template left unquoted: YAML reads
 * `q: {{query}}` as a mapping whose only key is the mapping `{query}`, and yaml's toJS turns that key
 * into the text "{ query }". Under `body:` any key is data, so validation passed it, and the source
 * sent `{"q":{"{ query }":null}}` without a word; elsewhere it read "expected a string, got a mapping",
 * which says nothing of quotes. No key of a sources file is meant to be a collection.
 */
import { type Document, isCollection, isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import type { Path } from './positions.js';

/** One such key: the path of the mapping that holds it, where that mapping starts, and what to write. */
interface CollectionKeyProblem {
  path: Path;
  offset: number;
  message: string;
}

/** Every mapping in the document with a key that is a mapping or a list; `text` is the file as parsed. */
export function collectionKeys(doc: Document, text: string): CollectionKeyProblem[] {
  const out: CollectionKeyProblem[] = [];
  // One path, pushed and popped: a copy per node cost a 4,000-source file a tenth of its load time.
  const path: (string | number)[] = [];
  const walk = (node: unknown): void => {
    if (isMap(node)) {
      if (node.items.some((pair) => isPair(pair) && isCollection(pair.key))) out.push(problem(node, [...path], text));
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        path.push(String(pair.key.value));
        walk(pair.value);
        path.pop();
      }
    } else if (isSeq(node)) {
      for (let i = 0; i < node.items.length; i++) {
        path.push(i);
        walk(node.items[i]);
        path.pop();
      }
    }
  };
  walk(doc.contents);
  return out;
}

function problem(node: Node, path: Path, text: string): CollectionKeyProblem {
  const [start = 0, end = start] = node.range ?? [];
  const written = text.slice(start, end).trim();
  const message = /^\{\{[^\n]{0,80}\}\}$/.test(written)
    ? `\`${written}\` without quotes is a YAML mapping, not a template: write \`"${written}"\``
    : 'has a key that is a mapping or a list; keys are text (quote a key that starts with `{` or `[`)';
  return { path, offset: start, message };
}
