/**
 * `${VAR}` interpolation in the sources file, so tokens live in the environment, not in the file.
 * It runs on the YAML document's scalar nodes (errors keep their positions) before validation,
 * and it remembers every value it took from the environment: those are secrets, never printed.
 */
import { type Document, isMap, isPair, isScalar, isSeq, type Scalar, visit } from 'yaml';
import { interpolateValue, secretRecorder } from './interpolate.js';
import type { Path } from './positions.js';
import { takesTemplates } from './template-paths.js';
import { reference } from './tree.js';

/** One failed reference, with the node it is in so the caller can locate it. */
interface EnvProblem {
  path: Path;
  node: Scalar;
  message: string;
}

/** What interpolation found: secret values (value → variable name), the strings that took one, and problems. */
interface EnvResult {
  secretNames: Record<string, string>;
  /** The secrets a run hides: secretNames less the values taken only into run settings. */
  runSecrets: Record<string, string>;
  fromEnv: Set<string>;
  problems: EnvProblem[];
}

/**
 * Calls `visit` for every string value that holds `${` (keys are left alone), where the document
 * writes it: a value reached through an alias or a merge key is visited once, at its anchor.
 * `anchored` says the value is in an anchored node (itself, or a map or list around it): it may be
 * aliased or merged anywhere else, so its path is not the only place it goes.
 */
function eachReference(doc: Document, visit: (node: Scalar<string>, path: Path, anchored: boolean) => void): void {
  const walk = (node: unknown, path: Path, inAnchor: boolean): void => {
    const anchored = inAnchor || ((isMap(node) || isSeq(node) || isScalar(node)) && node.anchor !== undefined);
    if (isMap(node)) {
      for (const pair of node.items) {
        if (isPair(pair) && isScalar(pair.key)) walk(pair.value, [...path, String(pair.key.value)], anchored);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        walk(item, [...path, i], anchored);
      });
    } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('${')) {
      visit(node as Scalar<string>, path, anchored);
    }
  };
  walk(doc.contents, [], false);
}

/** Interpolates every string value in the document in place (keys are left alone). */
export function interpolateDocument(doc: Document, env: Record<string, string | undefined>): EnvResult {
  const { secretNames, secret, runSecrets } = secretRecorder();
  const problems: EnvProblem[] = [];
  const fromEnv = new Set<string>();
  eachReference(doc, (node, path, anchored) => {
    try {
      let took = false;
      // An anchored value, or one in an anchored map (`<<: *rates` in a body), may be aliased
      // anywhere, a header included: a secret wherever it is, and perhaps a template.
      const templated = anchored || takesTemplates(path);
      const value = interpolateValue(
        node.value,
        node.type === 'PLAIN',
        env,
        (v, name) => {
          took = true;
          secret(v, name, anchored ? undefined : path);
        },
        templated,
      );
      (node as Scalar).value = value;
      if (took && typeof value === 'string') fromEnv.add(value);
    } catch (err) {
      problems.push({ path, node, message: (err as Error).message });
    }
  });
  return { secretNames, runSecrets: runSecrets(), fromEnv, problems };
}

/**
 * The document's data with every `${…}` value as a Reference, or undefined when it has none (its
 * data is then the tree). Call it before interpolation; the document is left as it was. Throws for
 * a file with references and a key that is no plain scalar (`*k: 1`, an alias of a `${VAR}` value,
 * is the value as a key): toJS would write a Reference there as a string, no longer filled in.
 */
export function referenceTree(doc: Document): { tree: unknown; references: ReadonlySet<object> } | undefined {
  const found: [Scalar, string][] = [];
  eachReference(doc, (node) => {
    found.push([node, node.value]);
  });
  if (found.length === 0) return undefined;
  visit(doc, {
    Pair(_, pair) {
      if (pair.key !== null && !isScalar(pair.key)) throw new Error('a key that is an alias or a collection');
    },
  });
  const references = new Set<object>();
  for (const [node, text] of found) {
    // yaml hands a scalar's object value through toJS as it is, at its anchor and at every alias.
    const ref = reference(text, node.type === 'PLAIN');
    references.add(ref);
    node.value = ref;
  }
  try {
    return { tree: doc.toJS(), references };
  } finally {
    for (const [node, text] of found) node.value = text;
  }
}
