/**
 * `${VAR}` interpolation in the sources file, so tokens live in the environment, not in the file.
 * It runs on the YAML document's scalar nodes (errors keep their positions) before validation,
 * and it remembers every value it took from the environment: those are secrets, never printed.
 */
import { type Document, isMap, isPair, isScalar, isSeq, type Scalar } from 'yaml';
import type { Path } from './positions.js';

/** One failed reference, with the node it is in so the caller can locate it. */
export interface EnvProblem {
  path: Path;
  node: Scalar;
  message: string;
}

/** What interpolation found: secret values (value → variable name) and problems. */
export interface EnvResult {
  secretNames: Record<string, string>;
  problems: EnvProblem[];
}

// `$${` is an escaped `${`; otherwise `${…}` runs to the first `}`; a lone `${` is unterminated.
const REFERENCE = /\$\$\{|\$\{([^}]*)\}|\$\{/g;
const BODY = /^([A-Za-z_][A-Za-z0-9_]*)(?::([-?])(.*))?$/s;
const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/** Interpolates one string; `secret` is called for each value taken from the environment. */
export function interpolate(
  text: string,
  env: Record<string, string | undefined>,
  secret: (value: string, name: string) => void,
): string {
  return text.replace(REFERENCE, (whole, body: string | undefined) => {
    if (whole === '$${') return '${';
    if (body === undefined) throw new Error('unterminated `${`; write `$${` for a literal `${`');
    const m = BODY.exec(body);
    if (!m) throw new Error(`\`\${${body}}\` is not a variable reference; write \`$\${\` for a literal \`\${\``);
    const [, name = '', op, arg = ''] = m;
    const value = env[name];
    if (value !== undefined && value !== '') {
      secret(value, name);
      return value;
    }
    if (op === '-') return arg;
    if (op === '?') throw new Error(`environment variable ${name} is not set${arg ? `: ${arg}` : ''}`);
    if (value === '') return '';
    throw new Error(`environment variable ${name} is not set (write \${${name}:-default} to give a default)`);
  });
}

/** What interpolation learns: each value taken from the environment is a secret (value → variable name). */
export function secretRecorder(): {
  secretNames: Record<string, string>;
  secret: (value: string, name: string) => void;
} {
  const secretNames: Record<string, string> = {};
  const secret = (value: string, name: string): void => {
    // defineProperty, so that a value like `__proto__` is recorded as data.
    Object.defineProperty(secretNames, value, { value: name, enumerable: true, configurable: true, writable: true });
  };
  return { secretNames, secret };
}

/**
 * The value of one `${…}` string; after interpolation an unquoted (`plain`) scalar is re-typed, so
 * that `retries: ${RETRIES}` is a number.
 */
export function interpolateValue(
  text: string,
  plain: boolean,
  env: Record<string, string | undefined>,
  secret: (value: string, name: string) => void,
): string | number {
  const value = interpolate(text, env, secret);
  return plain && NUMBER.test(value) ? Number(value) : value;
}

/**
 * Calls `visit` for every string value that holds `${` (keys are left alone), where the document
 * writes it: a value reached through an alias or a merge key is visited once, at its anchor.
 */
export function eachReference(doc: Document, visit: (node: Scalar<string>, path: Path) => void): void {
  const walk = (node: unknown, path: Path): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (isPair(pair) && isScalar(pair.key)) walk(pair.value, [...path, String(pair.key.value)]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        walk(item, [...path, i]);
      });
    } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('${')) {
      visit(node as Scalar<string>, path);
    }
  };
  walk(doc.contents, []);
}

/** Interpolates every string value in the document in place (keys are left alone). */
export function interpolateDocument(doc: Document, env: Record<string, string | undefined>): EnvResult {
  const { secretNames, secret } = secretRecorder();
  const problems: EnvProblem[] = [];
  eachReference(doc, (node, path) => {
    try {
      (node as Scalar).value = interpolateValue(node.value, node.type === 'PLAIN', env, secret);
    } catch (err) {
      problems.push({ path, node, message: (err as Error).message });
    }
  });
  return { secretNames, problems };
}
