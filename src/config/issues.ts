/**
 * zod speaks in types ("expected string, received undefined"); people editing a YAML file need
 * "required". This turns zod issues into short located problems, with "did you mean" for typos.
 */
import type { z } from 'zod';
import { suggest } from '../shared/suggest.js';
import { allowedKeys } from './allowed-keys.js';
import { misplaced } from './misplaced.js';
import type { Path } from './positions.js';
import { equalsKey, gluedKey } from './yaml-layout.js';

/** A problem before it has a file position: where in the data, and whether at the key or value. */
export interface PathProblem {
  path: Path;
  at?: 'key' | 'value';
  message: string;
}

const NOUNS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
};

/** How a YAML value reads to its author: `key:` with nothing after it is null. */
function describe(input: unknown): string {
  if (input === null) return 'nothing';
  if (Array.isArray(input)) return 'a list';
  // YAML's `!!binary` (a Uint8Array) and `!!timestamp` (a Date) are objects too, and no mapping to the author.
  if (input instanceof Uint8Array) return 'binary data (`!!binary`)';
  if (input instanceof Date) return 'a timestamp (`!!timestamp`)';
  if (typeof input === 'object') return 'a mapping';
  if (typeof input === 'boolean') return String(input);
  // YAML's `.nan` and `.inf` are numbers to zod's typeof, and not numbers to anyone else.
  if (typeof input === 'number' && !Number.isFinite(input)) return String(input);
  return NOUNS[typeof input] ?? typeof input;
}

const NUMERIC = /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*$/;

/**
 * A number written in quotes is text to YAML, and so is a quoted `${VAR}` whose value is a number
 * (`retries: "${RETRIES}"`, which the editor schema accepts): only unquoted does agg read it as a number.
 */
const quotedNumber = (iss: z.core.$ZodRawIssue): string => {
  if ((iss.expected !== 'number' && iss.expected !== 'int') || typeof iss.input !== 'string') return '';
  if (NUMERIC.test(iss.input))
    return ` (a number or \`\${VAR}\` in quotes is text: write it without quotes, and a \`\${VAR}\` inside \`{ }\` on a line of its own)`;
  // A decimal comma, as most of Europe writes a rate (`EUR: 1,08`), is text to YAML: "got a string" alone
  // left the author looking for quotes that are not there.
  const comma = DECIMAL_COMMA.exec(iss.input);
  if (!comma) return '';
  // Three digits after it may group thousands (`connections: 1,000`): `write 1.000` alone made that 1.
  // Not after a 0 or four digits, which no grouping has: `JPY: 0,006` was told `0006`, which YAML reads as 6.
  if (comma[2]?.length === 3 && THOUSANDS_LEAD.test(comma[1] ?? ''))
    return ` (a comma is text: write ${comma[1]}.${comma[2]} if it is a decimal comma, ${comma[1]}${comma[2]} if it groups thousands)`;
  return ` (a decimal comma is text: write ${comma[1]}.${comma[2]})`;
};

const DECIMAL_COMMA = /^\s*([-+]?\d+),(\d+)\s*$/;
// The digits before a thousands separator: one to three, the first not 0.
const THOUSANDS_LEAD = /^[-+]?[1-9]\d{0,2}$/;

/**
 * `idempotent: "true"`, or `idempotent: ${IDEM}` with IDEM=true (README: a true/false field takes no
 * `${VAR}`), is text: "expected true or false, got a string" alone, for a value that reads true, baffled.
 */
const quotedBoolean = (iss: z.core.$ZodRawIssue): string => {
  if (iss.expected !== 'boolean' || typeof iss.input !== 'string') return '';
  const word = iss.input.trim().toLowerCase();
  if (word !== 'true' && word !== 'false') return '';
  return ` (a value in quotes or from a \`\${VAR}\` is text: write ${word} without quotes, in the file itself)`;
};

/**
 * The other way round: text written without quotes that YAML reads as a number or true/false, and an
 * unquoted `${VAR}` whose value is a number (`clientId: ${CLIENT_ID}`, an id of digits), which agg re-types.
 */
const unquotedText = (iss: z.core.$ZodRawIssue): string => {
  if (iss.expected !== 'string') return '';
  if (typeof iss.input === 'boolean')
    return ` (write it in quotes, \`"${iss.input}"\`: unquoted, it reads as ${iss.input})`;
  return Number.isFinite(iss.input)
    ? ` (write it in quotes, as \`"2"\` or \`"\${VAR}"\`: unquoted, it reads as a number)`
    : '';
};

/** `defaults:` over only `  retries:1` or `  retries = 1`: the mapping YAML did not see is one string. */
const gluedMapping = (iss: z.core.$ZodRawIssue): string => {
  if ((iss.expected !== 'object' && iss.expected !== 'record') || typeof iss.input !== 'string') return '';
  const glued = gluedKey(iss.input) ?? equalsKey(iss.input);
  return glued ? ` (${glued})` : '';
};

/**
 * `request: "https://…"`: the URL written where the request's mapping goes (as curl takes one). The URL
 * itself is not quoted back: a `${VAR}` key in its query would be, and the line already shows it.
 */
const urlAsMapping = (iss: z.core.$ZodRawIssue): string =>
  iss.expected === 'object' && typeof iss.input === 'string' && /^\s*https?:\/\//i.test(iss.input)
    ? ' (a URL alone: write it under `url:`, as `{ url: "https://…" }`)'
    : '';

/** The per-parse zod error map: messages a person can act on. Schema-level messages win over it. */
export function humanMessage(iss: z.core.$ZodRawIssue): string | undefined {
  switch (iss.code) {
    case 'invalid_type':
      if (iss.input === undefined) return 'required';
      return `expected ${NOUNS[iss.expected] ?? iss.expected}, got ${describe(iss.input)}${quotedNumber(iss)}${quotedBoolean(iss)}${unquotedText(iss)}${gluedMapping(iss)}${urlAsMapping(iss)}`;
    case 'too_small':
      if (iss.origin === 'number') return `must be ${iss.inclusive ? 'at least' : 'more than'} ${iss.minimum}`;
      return Number(iss.minimum) <= 1 ? 'must not be empty' : `needs at least ${iss.minimum} items`;
    case 'too_big':
      return `must be at most ${iss.maximum}`;
    case 'invalid_value':
      return `must be one of ${iss.values.map(String).join(', ')}`;
    case 'invalid_key':
      return `key ${iss.issues[0]?.message ?? 'is not allowed'}`;
    case 'invalid_union':
      return 'is not any of the accepted forms';
    default:
      return undefined;
  }
}

/**
 * For a required key that is missing, a key beside it that looks like a typo of it: under `fields`,
 * any name is allowed, so `titel:` is no unknown key, and only the missing `title` is reported.
 */
function nearMiss(raw: unknown, path: readonly (string | number)[]): string | undefined {
  const key = path.at(-1);
  if (typeof key !== 'string') return undefined;
  let parent: unknown = raw;
  for (const step of path.slice(0, -1))
    parent =
      typeof parent === 'object' && parent !== null ? (parent as Record<string | number, unknown>)[step] : undefined;
  return isMapping(parent) ? suggest(key, Object.keys(parent)) : undefined;
}

const isMapping = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `auth: { bearer: "${T}" }`: auth takes only oauth2, so a static token or key (which needs no flow) is
 * pointed to the request's headers, where one goes. The value is not echoed: it may be the secret.
 */
const staticAuth = (path: readonly (string | number)[]): string | undefined =>
  path.length === 3 && path[0] === 'sources' && path[2] === 'auth'
    ? ` (expected one of oauth2); a static token goes in the headers: \`request: { headers: { Authorization: "Bearer \${TOKEN}" } }\``
    : undefined;

/**
 * `sources:` written as a mapping keyed by name (`shop:` over the source's keys), as docker-compose writes
 * its services: each source is a list item, and its name one of its keys.
 */
function keyedSources(issue: z.core.$ZodIssue, path: readonly (string | number)[], raw: unknown): string {
  if (issue.code !== 'invalid_type' || path.length !== 1 || path[0] !== 'sources' || !isMapping(raw)) return '';
  const sources = raw.sources;
  if (!isMapping(sources)) return '';
  const first = Object.keys(sources)[0];
  const name = first && /^[a-z0-9][a-z0-9_-]*$/.test(first) ? first : 'shop';
  return `: each source is a list item, written \`- name: ${name}\` with its other keys under it`;
}

/**
 * One problem per issue, and one per unknown key so each can point at its own line. `raw`, the data
 * validated, lets a missing key name a typo of it that is there.
 */
export function issueProblems(issues: readonly z.core.$ZodIssue[], raw?: unknown): PathProblem[] {
  const out: PathProblem[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeys(path);
      for (const key of issue.keys) {
        const near = suggest(key, allowed);
        const hint = near
          ? `; did you mean \`${near}\`?`
          : (staticAuth(path) ?? (allowed.length ? ` (expected one of ${allowed.join(', ')})` : ''));
        out.push({ path: [...path, key], at: 'key', message: `unknown key${misplaced(path, key) ?? hint}` });
      }
    } else {
      const typo = issue.code === 'invalid_type' && issue.message === 'required' ? nearMiss(raw, path) : undefined;
      // A file that is only the list of sources: the list goes under `sources:`.
      const bareList = path.length === 0 && issue.code === 'invalid_type' && Array.isArray(raw);
      const message = typo
        ? `${issue.message} (\`${typo}\` is there: a typo?)`
        : bareList
          ? `${issue.message}: the list of sources goes under \`sources:\``
          : `${issue.message}${keyedSources(issue, path, raw)}`;
      out.push({ path, at: issue.code === 'invalid_key' ? 'key' : 'value', message });
    }
  }
  return out;
}
