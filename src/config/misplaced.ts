/**
 * A key written at the wrong level: one agg knows, but in another mapping (`timeout:` at the top
 * of the file, `offers:` indented under `request:`, `until:` beside `poll:`). "Unknown key" and the
 * list of this level's keys left the author to guess that the key is right and its place is wrong.
 */
import { DefaultsSchema, SourcesFileSchema } from './schema.js';
import { AuthSchema, OAuth2Schema } from './schema-auth.js';
import { RequestSchema } from './schema-request.js';
import { PollSchema, SourceSchema } from './schema-source.js';

type Level = 'top' | 'defaults' | 'source' | 'request' | 'pollRequest' | 'poll' | 'auth' | 'oauth2';

const keysOf = (schema: { shape: object }): ReadonlySet<string> => new Set(Object.keys(schema.shape));

/** The level whose mapping is at `path`, or undefined for one with free keys (`fields`, `headers`, a body). */
function levelAt(path: readonly (string | number)[]): Level | undefined {
  const [a, b, c, d, e] = path;
  if (a === undefined) return 'top';
  if (a === 'defaults') return b === undefined ? 'defaults' : undefined;
  if (a !== 'sources' || typeof b !== 'number') return undefined;
  if (c === undefined) return 'source';
  if (c === 'request' && d === undefined) return 'request';
  if (c === 'poll') return d === undefined ? 'poll' : d === 'request' && e === undefined ? 'pollRequest' : undefined;
  if (c === 'auth') return d === undefined ? 'auth' : d === 'oauth2' && e === undefined ? 'oauth2' : undefined;
  return undefined;
}

/** For each level, where else a key may go, first match first: the keys there, and how to say so. */
const ELSEWHERE: Record<Level, readonly [ReadonlySet<string>, (key: string) => string][]> = {
  top: [
    [keysOf(DefaultsSchema), (k) => `it goes under \`defaults:\` (\`defaults: { ${k}: … }\`), for every source`],
    [keysOf(SourceSchema), () => 'it goes on a source, in the list under `sources:` (`- name: …`)'],
  ],
  defaults: [
    [keysOf(SourcesFileSchema), () => 'it goes at the top level, beside `defaults:`'],
    [keysOf(SourceSchema), () => 'it goes on each source that needs it, under `sources:`'],
  ],
  source: [
    [keysOf(RequestSchema), (k) => `it goes under \`request:\` (\`request: { ${k}: … }\`)`],
    [keysOf(AuthSchema), (k) => `it goes under \`auth:\` (\`auth: { ${k}: … }\`)`],
    [keysOf(OAuth2Schema), (k) => `it goes under \`auth:\` (\`auth: { oauth2: { ${k}: … } }\`)`],
    [keysOf(PollSchema), (k) => `it goes under \`poll:\` (\`poll: { ${k}: … }\`)`],
    [keysOf(DefaultsSchema), (k) => `it goes under \`defaults:\` (\`defaults: { ${k}: … }\`)`],
    [keysOf(SourcesFileSchema), () => 'it goes at the top level, beside `sources:`'],
  ],
  request: [[keysOf(SourceSchema), () => 'it goes on the source, beside `request:` (indented as `request:` is)']],
  pollRequest: [
    [keysOf(PollSchema), () => 'it goes under `poll:`, beside `request:`'],
    [keysOf(SourceSchema), () => 'it goes on the source, beside `poll:`'],
  ],
  poll: [
    [keysOf(RequestSchema), (k) => `it goes under \`poll.request:\` (\`request: { ${k}: … }\`)`],
    [keysOf(SourceSchema), () => 'it goes on the source, beside `poll:`'],
  ],
  auth: [[keysOf(OAuth2Schema), (k) => `it goes under \`oauth2:\` (\`auth: { oauth2: { ${k}: … } }\`)`]],
  oauth2: [],
};

/**
 * Settings of a run that only the command line takes (`strategy: best` at the top, `deadline: 10s` in
 * `defaults:`): the file describes vendors, and "unknown key" with the level's keys said nothing of the flag.
 */
const FLAG_ONLY: ReadonlySet<string> = new Set(['strategy', 'format', 'limit', 'where', 'sort', 'desc', 'deadline']);

/** `; it goes under …` for an unknown `key` of the mapping at `path` that belongs elsewhere, else undefined. */
export function misplaced(path: readonly (string | number)[], key: string): string | undefined {
  const level = levelAt(path);
  if (level === undefined) return undefined;
  if (FLAG_ONLY.has(key) && (level === 'top' || level === 'defaults' || level === 'source'))
    return `; it is a flag of \`agg search\`, not a setting of the file (\`--${key}${key === 'desc' ? '' : ' …'}\`)`;
  const found = ELSEWHERE[level].find(([keys]) => keys.has(key));
  return found ? `; ${found[1](key)}` : undefined;
}
