/**
 * Reads the sources file into a frozen Config: parse YAML, interpolate `${VAR}`, validate, and
 * compile every expression. Every problem found is reported at once, located as
 * `file:line:col: path: message`, with environment values redacted.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument, type YAMLError } from 'yaml';
import { ConfigError, type ConfigProblem } from '../errors.js';
import { makeRedactor } from '../redact.js';
import { DEFAULT_MAX_BYTES } from '../scatter/body.js';
import { templateParams } from '../scatter/template.js';
import type { CompiledSource, Config } from '../types.js';
import { type ConfigCache, readCachedTree, writeCachedTree } from './cache.js';
import { duplicateNames, protoKeys } from './checks.js';
import { type CompiledParts, compileHeaders, compileSource, type HeaderEntry, mergeHeaders } from './compile.js';
import { interpolateDocument, secretRecorder } from './env.js';
import { humanMessage, issueProblems, type PathProblem } from './issues.js';
import { formatPath, locate, type Path } from './positions.js';
import { type SourceEntry, type SourcesFile, SourcesFileSchema } from './schema.js';
import { fillReferences, referenceTree } from './tree.js';

const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_RETRIES = 1;
// Header names that carry credentials whatever their value's origin; compared lowercase.
const CREDENTIAL_HEADER =
  /(?:^|[-_])(?:api[-_]?key|key|token|secret|signature|password|auth)(?:$|[-_])|^authorization$|^cookie$/;

/**
 * A sources file past this is a mistake (a wrong `-c`, a log file). Real ones are a few kilobytes; a
 * thousand generated sources (bench/) are about 350 KB, and this allows ten times that, while parsing
 * tens of megabytes of YAML would take seconds before saying so.
 */
export const MAX_CONFIG_CHARS = 4 * 1024 * 1024;
const DEFAULT_POLL_INTERVAL_MS = 1000;
const DEFAULT_POLL_ATTEMPTS = 10;
const DEFAULT_MAX_PAGES = 5;

/** Why a file could not be read, in words rather than an errno. */
function readError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EISDIR') return 'is a directory, not a file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return `cannot read: ${(err as Error).message}`;
}

/** yaml's own message, except where it speaks to programmers rather than to the file's author. */
const yamlMessage = (e: YAMLError): string =>
  e.code === 'MULTIPLE_DOCS'
    ? 'only one YAML document is allowed; remove the `---`'
    : isStackOverflow(e)
      ? TOO_DEEP
      : e.message;

const TOO_DEEP = 'nested too deeply to read';
const TOO_BIG = `is larger than ${MAX_CONFIG_CHARS / 1024 / 1024} MiB, the most a sources file may be`;

// V8's message for a stack overflow: yaml reports its own as a parse error; the other stages throw it.
const isStackOverflow = (err: unknown): boolean =>
  err instanceof Error && /Maximum call stack size exceeded/.test(err.message);

/** How to load: `cache` keeps parsed files between runs (the CLI's; the library has none unless asked). */
export interface LoadOptions {
  cache?: ConfigCache;
}

/** Reads and loads the sources file at `file` (used as given in messages). */
export function loadConfig(
  file: string,
  env: Record<string, string | undefined>,
  cwd = '.',
  options: LoadOptions = {},
): Config {
  let bytes: Buffer;
  try {
    // Read relative to the caller's working directory, but name the file as the user did.
    bytes = readBounded(path.resolve(cwd, file), MAX_CONFIG_CHARS);
  } catch (err) {
    throw new ConfigError([{ file, path: '', message: readError(err) }]);
  }
  // Counted in bytes here: decoding first would let a cut-off file of multibyte text pass as complete.
  if (bytes.length > MAX_CONFIG_CHARS) throw new ConfigError([{ file, path: '', message: TOO_BIG }]);
  return loadConfigText(bytes.toString('utf8'), file, env, options);
}

/**
 * Reads at most `max` bytes and one more, so that loadConfigText can refuse a file that is too big
 * without agg holding all of it: `-c /dev/zero` would otherwise never end. Pipes (`-c <(…)`) still work.
 */
function readBounded(file: string, max: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(max + 1);
    let length = 0;
    for (let n = 1; n > 0 && length < buffer.length; length += n)
      n = readSync(fd, buffer, length, buffer.length - length, null);
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/**
 * Loads sources-file text; `file` only names it in messages. Throws one ConfigError with every
 * problem, whatever the text: binary, huge, an alias bomb or nested past the stack.
 */
export function loadConfigText(
  text: string,
  file: string,
  env: Record<string, string | undefined>,
  options: LoadOptions = {},
): Config {
  if (text.length > MAX_CONFIG_CHARS) throw new ConfigError([{ file, path: '', message: TOO_BIG }]);
  const { cache } = options;
  try {
    return (cache && loadCached(cache, text, file, env)) || loadText(text, file, env, cache);
  } catch (err) {
    // Nesting the parser accepted can still overflow a later recursive stage (interpolation, validation).
    if (isStackOverflow(err)) throw new ConfigError([{ file, path: '', message: TOO_DEEP }]);
    throw err;
  }
}

/**
 * A file read before, from the cache: its references filled from this environment, then validated
 * and compiled as always. Undefined when it is not cached or has any problem at all: reading the
 * YAML then finds the same problem and says where it is written.
 */
function loadCached(
  cache: ConfigCache,
  text: string,
  file: string,
  env: Record<string, string | undefined>,
): Config | undefined {
  const tree = readCachedTree(cache, text);
  if (tree === undefined) return undefined;
  const { secretNames, secret } = secretRecorder();
  try {
    fillReferences(tree, env, secret);
  } catch {
    return undefined;
  }
  const checked = check(tree, () => undefined);
  return checked.problems.length === 0 && checked.data ? assemble(checked, checked.data, secretNames, file) : undefined;
}

function loadText(
  text: string,
  file: string,
  env: Record<string, string | undefined>,
  cache: ConfigCache | undefined,
): Config {
  const counter = new LineCounter();
  // YAML 1.1 merge keys (`<<: *common`) are how people share request settings between sources.
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, merge: true });
  if (doc.errors.length > 0) {
    // Nothing below is meaningful on a broken tree; yaml's messages are one line without prettyErrors.
    throw new ConfigError(
      doc.errors.map((e) => ({ file, ...counter.linePos(e.pos[0]), path: '', message: yamlMessage(e) })),
    );
  }
  // Taken before interpolation writes environment values into the document: the cache holds none.
  const referenced = cache && referenceTree(doc);
  const { secretNames, problems: envProblems } = interpolateDocument(doc, env);
  const located: ConfigProblem[] = envProblems.map((p) => ({
    file,
    ...counter.linePos(p.node.range?.[0] ?? 0),
    path: formatPath(p.path),
    message: p.message,
  }));
  let raw: unknown;
  try {
    raw = doc.toJS();
  } catch (err) {
    // yaml refuses alias bombs ("billion laughs") here.
    throw new ConfigError([{ file, path: '', message: (err as Error).message }]);
  }
  const checked = check(raw, (path) => locate(doc, counter, path)?.line);

  // A failed `${VAR}` leaves its text in place; whatever else that text trips over is noise.
  const envPaths = new Set(located.map((p) => p.path));
  for (const p of checked.problems.filter((q) => !envPaths.has(formatPath(q.path)))) {
    const at = locate(doc, counter, p.path, p.at);
    located.push({ file, ...at, path: formatPath(p.path), message: p.message });
  }
  if (located.length > 0 || !checked.data) {
    const redact = makeRedactor(secretNames);
    const sorted = located
      .map((p) => ({ ...p, message: redact(p.message) }))
      .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
    throw new ConfigError(sorted);
  }
  const config = assemble(checked, checked.data, secretNames, file);
  if (cache) writeCachedTree(cache, text, referenced ? referenced.tree : raw, referenced?.references);
  return config;
}

/** The raw data validated and its expressions compiled, with every problem found (unlocated). */
interface Checked {
  problems: PathProblem[];
  data: SourcesFile | undefined;
  defaultHeaders: readonly HeaderEntry[];
  parts: (CompiledParts | undefined)[];
}

/** Checks, validates and compiles raw data; `lineOf` names the line of a path, for messages that cite one. */
function check(raw: unknown, lineOf: (path: Path) => number | undefined): Checked {
  let problems: PathProblem[] = [];
  if (raw === null || raw === undefined)
    problems.push({ path: [], message: 'the file is empty; it needs a `sources:` list' });
  // concat, not push(...): a list of a hundred thousand problems would overflow push's arguments.
  else problems = problems.concat(protoKeys(raw, []), duplicateNames(raw, lineOf));

  const parsed = raw == null ? undefined : SourcesFileSchema.safeParse(raw, { error: humanMessage });
  if (parsed && !parsed.success) problems = problems.concat(issueProblems(parsed.error.issues));
  const rawRecord = (raw ?? {}) as { defaults?: { headers?: unknown }; sources?: unknown };
  const defaultHeaders = compileHeaders(rawRecord.defaults?.headers, ['defaults'], 'headers', problems);
  const rawSources = Array.isArray(rawRecord.sources) ? rawRecord.sources : [];
  const parts = rawSources.map((s, i) => compileSource(s, ['sources', i], problems));
  return { problems, data: parsed?.success ? parsed.data : undefined, defaultHeaders, parts };
}

/** The frozen Config from data that passed every check. */
function assemble(checked: Checked, data: SourcesFile, secretNames: Record<string, string>, file: string): Config {
  const headerSecrets = Object.keys(secretNames);
  const sources = data.sources.map((s, i) => build(s, data, checked.defaultHeaders, checked.parts[i], headerSecrets));
  // A client secret written into the file rather than taken from `${VAR}` is still never printed.
  for (const s of sources) {
    const secret = s.oauth2?.clientSecret;
    if (secret !== undefined && !Object.hasOwn(secretNames, secret)) {
      Object.defineProperty(secretNames, secret, { value: 'clientSecret', enumerable: true });
    }
  }
  const secrets = Object.keys(secretNames);
  const connections = data.defaults?.connections;
  return deepFreeze({
    file,
    ...(data.currency ? { currency: data.currency } : {}),
    ...(connections !== undefined ? { connections } : {}),
    rates: { ...data.rates },
    sources,
    secrets,
    secretNames,
  });
}

/** Resolves one validated source against the defaults and attaches its compiled parts. */
function build(
  s: SourceEntry,
  file: SourcesFile,
  defaultHeaders: readonly HeaderEntry[],
  parts: CompiledParts | undefined,
  secrets: readonly string[],
): CompiledSource {
  if (!parts?.url || !parts.mapping) throw new Error(`internal: source ${s.name} was not compiled`);
  const headers = mergeHeaders(defaultHeaders, parts.headers);
  const { body } = s.request;
  const hedge = s.hedge ?? file.defaults?.hedge;
  const poll = s.poll && buildPoll(s.poll, parts.poll, headers);
  const timeoutMs = s.timeout ?? file.defaults?.timeout ?? DEFAULT_TIMEOUT_MS;
  if (s.next !== undefined && !parts.next) throw new Error(`internal: source ${s.name} was not compiled`);
  return {
    name: s.name,
    tags: s.tags ?? [],
    // What the templates read is required too: the plan is then the one place that skips a source.
    requires: [
      ...new Set([
        ...(s.requires ?? []),
        ...templateParams(parts.url, ...headers.map(([, , t]) => t), parts.body),
        ...(poll
          ? templateParams(poll.compiled.url, ...poll.compiled.headers.map(([, t]) => t), poll.compiled.body)
          : []),
      ]),
    ],
    ...(s.currency ? { currency: s.currency } : {}),
    timeoutMs,
    retries: s.retries ?? file.defaults?.retries ?? DEFAULT_RETRIES,
    idempotent: s.idempotent ?? false,
    ...(hedge !== undefined ? { hedge } : {}),
    maxBytes: s.maxBytes ?? file.defaults?.maxBytes ?? DEFAULT_MAX_BYTES,
    // The poll request's own headers go out on its redirects too.
    secretHeaders: secretHeaderNames([...headers, ...(parts.poll?.headers ?? [])], secrets),
    request: {
      method: s.request.method ?? 'GET',
      url: s.request.url,
      headers: Object.fromEntries(headers.map(([name, value]) => [name, value])),
      ...(body !== undefined ? { body } : {}),
    },
    offers: s.offers,
    fields: s.fields,
    ...(s.auth ? { oauth2: { clientAuth: 'body' as const, ...s.auth.oauth2 } } : {}),
    ...(poll ? { poll: poll.config } : {}),
    ...(s.next !== undefined ? { next: s.next, maxPages: s.maxPages ?? DEFAULT_MAX_PAGES } : {}),
    ...(s.flowTimeout !== undefined ? { flowTimeoutMs: s.flowTimeout } : {}),
    compiled: {
      url: parts.url,
      headers: headers.map(([name, , template]) => [name, template] as const),
      ...(parts.body ? { body: parts.body } : {}),
      mapping: parts.mapping,
      ...(poll ? { poll: poll.compiled } : {}),
      ...(parts.next ? { next: parts.next } : {}),
    },
  };
}

/** The poll request: headers merge over the source request's (a poll goes to the same API, with the same key). */
function buildPoll(
  p: NonNullable<SourceEntry['poll']>,
  parts: CompiledParts['poll'],
  sourceHeaders: readonly HeaderEntry[],
): { config: NonNullable<CompiledSource['poll']>; compiled: NonNullable<CompiledSource['compiled']['poll']> } {
  if (!parts?.url || !parts.until) throw new Error('internal: poll was not compiled');
  const headers = mergeHeaders(sourceHeaders, parts.headers);
  const { body } = p.request;
  return {
    config: {
      request: {
        method: p.request.method ?? 'GET',
        url: p.request.url,
        headers: Object.fromEntries(headers.map(([name, value]) => [name, value])),
        ...(body !== undefined ? { body } : {}),
      },
      until: p.until,
      intervalMs: p.interval ?? DEFAULT_POLL_INTERVAL_MS,
      maxAttempts: p.maxAttempts ?? DEFAULT_POLL_ATTEMPTS,
    },
    compiled: {
      url: parts.url,
      headers: headers.map(([name, , template]) => [name, template] as const),
      ...(parts.body ? { body: parts.body } : {}),
      until: parts.until,
    },
  };
}

/**
 * Headers that a redirect to another origin must not carry: any whose value holds an environment
 * secret (`\${VAR}`; the README's rule for what is secret), and any whose name says credential.
 */
function secretHeaderNames(headers: readonly HeaderEntry[], secrets: readonly string[]): string[] {
  const secret = headers.filter(
    ([name, value]) => CREDENTIAL_HEADER.test(name.toLowerCase()) || secrets.some((v) => value.includes(v)),
  );
  return [...new Set(secret.map(([name]) => name.toLowerCase()))];
}

/** Freezes plain data all the way down; compiled JSONata expressions are left as jsonata made them. */
function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  if (typeof (value as { evaluate?: unknown }).evaluate === 'function') return value;
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
  return value;
}
