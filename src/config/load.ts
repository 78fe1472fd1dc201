/**
 * Reads the sources file into a frozen Config: parse YAML, interpolate `${VAR}`, validate, and
 * compile every expression. Every problem found is reported at once, located as
 * `file:line:col: path: message`, with environment values redacted.
 */

import { type Document, LineCounter, parseDocument } from 'yaml';
import { ConfigError, type ConfigProblem, UsageError } from '../errors.js';
import { recordExpressions } from '../shared/expression.js';
import { makeRedactor, secretWordRedactor } from '../shared/redact.js';
import type { Config } from '../types.js';
import { aliasProblems } from './alias-problems.js';
import { assemble, type ParamPositions } from './assemble.js';
import { type ConfigCache, fastTrees, writeCachedTree } from './cache.js';
import { referencesOrSkip, SKIP, writtenExpressions } from './cacheable.js';
import { loadCachedText } from './cached.js';
import { namesHoldingSecrets } from './checks.js';
import { collectionKeys } from './collection-keys.js';
import { commaSplitValues } from './comma-split.js';
import { interpolateDocument } from './env.js';
import { literalCredentials } from './literal-credentials.js';
import { formatPath, locate } from './positions.js';
import { MAX_CONFIG_CHARS, readSourcesFile, TOO_BIG } from './read.js';
import type { SourcesFile } from './schema.js';
import { singleBracesInFile } from './single-braces.js';
import { check } from './validate.js';
import { isStackOverflow, parseProblems, TOO_DEEP } from './yaml-errors.js';
import { unknownTags } from './yaml-tags.js';

/** How to load: `cache` keeps parsed files between runs (the CLI's; the library has none unless asked). */
export interface LoadOptions {
  cache?: ConfigCache | undefined;
}

/** Reads and loads the sources file at `file` (used as given in messages). */
export function loadConfig(
  file: string,
  env: Record<string, string | undefined>,
  cwd = '.',
  options: LoadOptions = {},
): Config {
  return loadConfigText(readSourcesFile(file, cwd), file, env, options);
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
  // `loadConfigText(text, process.env)`, the name left out, was told `env: expected the environment …`:
  // the mistake is in the argument before it.
  if (typeof file !== 'string')
    throw new UsageError(
      `file: expected the name messages give the text, like 'sources.yaml' (loadConfigText(text, file, env)), got ${file === null ? 'null' : typeof file}`,
    );
  // From JavaScript, `loadConfig('sources.yaml')` left it out: every `${VAR}` then read as the file's own
  // problem, at its line: `Cannot read properties of undefined (reading 'AGG_DEMO_URL')`.
  if (typeof env !== 'object' || env === null)
    throw new UsageError(
      `env: expected the environment \${VAR}s are read from, like process.env, got ${env === null ? 'null' : typeof env}`,
    );
  const { cache } = options;
  return (cache && loadCachedText(cache, text, file, env, check)) || parseConfigText(text, file, env, cache);
}

/**
 * loadConfigText without the cache's answer: the YAML is parsed, and the result kept in `cache`
 * when given. For a caller that has asked the cache already (the command line, cached.ts).
 */
export function parseConfigText(
  text: string,
  file: string,
  env: Record<string, string | undefined>,
  cache?: ConfigCache,
): Config {
  if (text.length > MAX_CONFIG_CHARS) throw new ConfigError([{ file, path: '', message: TOO_BIG }]);
  try {
    return loadText(text, file, env, cache);
  } catch (err) {
    // Nesting the parser accepted can still overflow a later recursive stage (interpolation, validation).
    if (isStackOverflow(err)) throw new ConfigError([{ file, path: '', message: TOO_DEEP }]);
    throw err;
  }
}

function loadText(
  text: string,
  file: string,
  env: Record<string, string | undefined>,
  cache: ConfigCache | undefined,
): Config {
  const counter = new LineCounter();
  // YAML 1.1 merge keys (`<<: *common`) are how people share request settings between sources. (Cached
  // trees were read with these options: changing them means changing FORMAT in cache.ts.)
  // logLevel 'error': yaml would otherwise print its warnings (a key that is a list, say) through
  // process.emitWarning, as Node's own `(node:…) Warning:` lines; the checks below report such keys.
  // A byte order mark (Windows editors write one) is no column of line 1 to an editor; yaml counts it.
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const doc = parseDocument(body, { lineCounter: counter, prettyErrors: false, merge: true, logLevel: 'error' });
  if (doc.errors.length > 0) {
    // Nothing below is meaningful on a broken tree; yaml's messages are one line without prettyErrors.
    throw new ConfigError(parseProblems(doc, counter, body, file));
  }
  const tags = unknownTags(doc, body);
  if (tags.length > 0)
    throw new ConfigError(tags.map((t) => ({ file, ...counter.linePos(t.offset), path: '', message: t.message })));
  // Taken before interpolation writes environment values into the document: the cache holds none.
  const referenced = cache && referencesOrSkip(doc);
  const { secretNames, runSecrets, fromEnv, problems: envProblems } = interpolateDocument(doc, env);
  const located: ConfigProblem[] = envProblems.map((p) => ({
    file,
    ...counter.linePos(p.node.range?.[0] ?? 0),
    path: formatPath(p.path),
    message: p.message,
  }));
  for (const p of collectionKeys(doc, body)) {
    located.push({ file, ...counter.linePos(p.offset), path: formatPath(p.path), message: p.message });
  }
  let raw: unknown;
  try {
    raw = doc.toJS();
  } catch (err) {
    // yaml refuses alias bombs ("billion laughs") here, and an alias or merge key it cannot resolve,
    // which it reports without a place: those are found again, where they are written.
    const found = aliasProblems(doc).map((p) => ({
      file,
      ...counter.linePos(p.offset),
      path: p.path,
      message: p.message,
    }));
    throw new ConfigError(found.length > 0 ? found : [{ file, path: '', message: (err as Error).message }]);
  }
  const { result: checked, expressions } = recordExpressions(() =>
    check(raw, (path) => locate(doc, counter, path)?.line),
  );

  // Looked for only in a file with problems: an expression a comma cut inside `{ }`, said once.
  const split = checked.problems.length > 0 ? commaSplitValues(doc, body) : { problems: [], noise: [] };
  for (const p of split.problems) {
    located.push({ file, ...counter.linePos(p.offset), path: formatPath(p.path), message: p.message });
  }
  // A failed `${VAR}` leaves its text in place, an unquoted `{{ }}` is a mapping, and a cut value's pieces
  // are keys: whatever else such a value trips over is noise.
  const envPaths = new Set([...located.map((p) => p.path), ...split.noise.map(formatPath)]);
  for (const p of checked.problems.filter((q) => !envPaths.has(formatPath(q.path)))) {
    const at = locate(doc, counter, p.path, p.at);
    located.push({ file, ...at, path: formatPath(p.path), message: p.message });
  }
  // After the environment's values are in, which it leaves out: they are no templates (single-braces.ts).
  for (const p of singleBracesInFile(raw, secretNames).filter((q) => !envPaths.has(formatPath(q.path)))) {
    located.push({ file, ...locate(doc, counter, p.path), path: formatPath(p.path), message: p.message });
  }
  for (const p of checked.data ? namesHoldingSecrets(checked.data.sources, secretNames, fromEnv) : []) {
    located.push({ file, ...locate(doc, counter, p.path), path: formatPath(p.path), message: p.message });
  }
  if (located.length > 0 || !checked.data) {
    // A credential written into the file itself is hidden too: the message goes to a terminal or a CI log.
    const hiddenValues = { ...literalCredentials(raw), ...secretNames };
    const redact = makeRedactor(hiddenValues);
    const words = secretWordRedactor(hiddenValues);
    // A message that quoted a secret whole (an expression holding a `${VAR}` value) may quote a word of it too.
    const hidden = (message: string): string => {
      const out = redact(message);
      return out === message ? out : words(out);
    };
    const sorted = located
      .map((p) => ({ ...p, message: hidden(p.message) }))
      .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0));
    throw new ConfigError(sorted);
  }
  const positions = paramPositions(doc, counter, checked.data.params);
  const config = assemble(checked, checked.data, runSecrets, file, positions);
  if (cache && referenced !== SKIP) {
    const written = referenced ? writtenExpressions(referenced.tree) : expressions;
    const tree = referenced ? referenced.tree : raw;
    writeCachedTree(cache, text, tree, referenced?.references, fastTrees(written), checked.data, positions);
  }
  return config;
}

/** Where each declared param's key is written: a value that fails it names the place (params.ts). */
function paramPositions(doc: Document, counter: LineCounter, params: SourcesFile['params']): ParamPositions {
  const out: Record<string, { line: number; col: number }> = {};
  for (const name of Object.keys(params ?? {})) {
    const at = locate(doc, counter, ['params', name], 'key');
    if (at) out[name] = at;
  }
  return out;
}
