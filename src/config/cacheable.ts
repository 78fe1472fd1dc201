/**
 * What the config cache may keep of a file being loaded: its tree with the `${VAR}` references still
 * in place, and the expressions the file writes itself, never an environment value.
 */
import type jsonata from 'jsonata';
import type { Document } from 'yaml';
import { writtenPlaceholders } from '../scatter/template.js';
import { compileExpression, recordExpressions } from '../shared/expression.js';
import { compileAll } from './assemble.js';
import { referenceTree } from './env.js';
import { referenceTexts } from './tree.js';

/**
 * With `${VAR}`s, the expressions whose trees the cache may keep are those the file writes itself: an
 * environment value can reach an expression's text, even in pieces (`{{` and `}}` inside a value), and
 * the cache holds none. So: the expressions of the tree as written, where a string with a reference is
 * no string at all, plus the `{{ }}`s written around references (`…?q={{query}}&key=${KEY}`).
 */
export function writtenExpressions(tree: unknown): ReadonlyMap<string, jsonata.Expression> {
  const { expressions } = recordExpressions(() => {
    try {
      compileAll(tree, []);
      for (const expr of referenceTexts(tree).flatMap(writtenPlaceholders)) {
        try {
          compileExpression(expr, 'template');
        } catch {
          // Not an expression after all (a `${VAR}` completed it, say): nothing to keep.
        }
      }
    } catch {
      // The file loaded; what fails here only costs the trees, never the load.
    }
  });
  return expressions;
}

/** A file the cache does not keep (see referencesOrSkip). */
export const SKIP = Symbol('not cacheable');

/**
 * referenceTree, or SKIP when yaml refuses the tree (a merge key on a scalar, an alias bomb) or a key
 * could hold a reference (referenceTree): the file is then not cached, and toJS below reports any
 * refusal as a located ConfigError.
 */
export function referencesOrSkip(doc: Document): ReturnType<typeof referenceTree> | typeof SKIP {
  try {
    return referenceTree(doc);
  } catch {
    return SKIP;
  }
}
