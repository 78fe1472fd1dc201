/**
 * `${VAR}` references in one string: the rules both loaders share, the YAML one (env.ts, which knows
 * where each value is written) and the cached one (tree.ts). Every value taken from the environment
 * is recorded: those are secrets, never printed.
 */
import type { Path } from './positions.js';
import { isRunSetting } from './run-settings.js';

// `$${` is an escaped `${`; otherwise `${…}` runs to the first `}`; a lone `${` is unterminated.
const REFERENCE = /\$\$\{|\$\{([^}]*)\}|\$\{/g;
const BODY = /^([A-Za-z_][A-Za-z0-9_]*)(?::([-?])(.*))?$/s;
const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

// The environments toleratingUnset made. A mark on the object, not a flag through every loader's
// signature: the YAML path and the cache's both pass `env` down to reference() as it is.
const TOLERANT = new WeakSet<object>();

/**
 * A copy of `env` in which a `${VAR}` that is not set (and has no `:-default`) reads as a stand-in,
 * recorded as a secret like any value from the environment, where the loader would refuse the file.
 * For `agg completion --list`, which prints no secret's value anyway and must not go blank while a
 * key is set only when a job runs. Never for a search: its request would carry the stand-in.
 */
export function toleratingUnset(env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  const copy = { ...env };
  TOLERANT.add(copy);
  return copy;
}

/**
 * What an unset `${name}` reads as in toleratingUnset's environment: a URL, so that a file's
 * `url: \${SHOP_URL}/search` still validates, with no `,` or space, so that a `tags:` entry does.
 */
const standIn = (name: string): string => `https://agg-unset-${name}.invalid`;

/**
 * Interpolates one string; `secret` is called for each value taken from the environment. Throws one
 * error naming every reference that fails, not only the first: a user fixes them all in one go.
 */
export function interpolate(
  text: string,
  env: Record<string, string | undefined>,
  secret: (value: string, name: string) => void,
  templated = true,
): string {
  const problems: string[] = [];
  const result = text.replace(REFERENCE, (whole, body: string | undefined) => {
    const resolved = reference(whole, body, env, secret, templated);
    if (typeof resolved === 'string') return resolved;
    problems.push(resolved.problem);
    return '';
  });
  if (problems.length > 0) throw new Error(problems.join('; '));
  return result;
}

/** One `${…}`: its value, or what is wrong with it. */
function reference(
  whole: string,
  body: string | undefined,
  env: Record<string, string | undefined>,
  secret: (value: string, name: string) => void,
  templated: boolean,
): string | { problem: string } {
  if (whole === '$${') return '${';
  if (body === undefined) return { problem: 'unterminated `${`; write `$${` for a literal `${`' };
  const m = BODY.exec(body);
  if (!m) {
    return { problem: `\`\${${body}}\` is not a variable reference; write \`$\${\` for a literal \`\${\`` };
  }
  const [, name = '', op, arg = ''] = m;
  const value = env[name];
  if (value !== undefined && value !== '') {
    secret(value, name);
    return value;
  }
  if (op === '-') return arg;
  // Whatever would be refused below: unset, or empty where `:?` asks for a value.
  if (TOLERANT.has(env) && (value === undefined || op === '?')) {
    const stood = standIn(name);
    secret(stood, name);
    return stood;
  }
  if (op === '?') return { problem: `environment variable ${name} is not set${arg ? `: ${arg}` : ''}` };
  if (value === '') return '';
  return {
    problem: `environment variable ${name} is not set (write \${${name}:-default} to give a default${templated ? paramHint(name) : ''})`,
  };
}

/**
 * `${query}` for `{{query}}`: a lower-case name is a search param's more often than an environment
 * variable's, and "write ${query:-default}" alone sent the user to set the one they did not mean. Only
 * where a `{{ }}` is filled in (template-paths.ts): in an OAuth2 tokenUrl, which refuses one, the hint
 * sent the user round in a circle.
 */
const paramHint = (name: string): string =>
  /[a-z]/.test(name) && name === name.toLowerCase() ? `; a search param is {{${name}}}` : '';

/**
 * What interpolation learns: each value taken from the environment is a secret (value → variable name).
 * `runSecrets` leaves out the values taken only into run settings (run-settings.ts), which no vendor
 * sees: they are still hidden in the file's own errors, since an invalid one may be a misplaced key.
 */
export function secretRecorder(): {
  secretNames: Record<string, string>;
  secret: (value: string, name: string, path?: Path) => void;
  runSecrets: () => Record<string, string>;
} {
  const secretNames: Record<string, string> = {};
  const elsewhere = new Set<string>();
  const secret = (value: string, name: string, path?: Path): void => {
    // defineProperty, so that a value like `__proto__` is recorded as data.
    Object.defineProperty(secretNames, value, { value: name, enumerable: true, configurable: true, writable: true });
    if (path === undefined || !isRunSetting(path)) elsewhere.add(value);
  };
  const runSecrets = (): Record<string, string> => {
    const kept: Record<string, string> = {};
    for (const [value, name] of Object.entries(secretNames)) {
      if (elsewhere.has(value))
        Object.defineProperty(kept, value, { value: name, enumerable: true, configurable: true, writable: true });
    }
    return kept;
  };
  return { secretNames, secret, runSecrets };
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
  templated = true,
): string | number {
  const value = interpolate(text, env, secret, templated);
  return plain && NUMBER.test(value) ? Number(value) : value;
}
