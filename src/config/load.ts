/**
 * Reads the sources file into a frozen Config: parse YAML, interpolate `${VAR}`, validate, and
 * compile every expression. Every problem found is reported at once, located as
 * `file:line:col: path: message`, with environment values redacted.
 */

import type jsonata from 'jsonata';
import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type YAMLError,
} from 'yaml';
import { ConfigError, type ConfigProblem, UsageError } from '../errors.js';
import { writtenPlaceholders } from '../scatter/template.js';
import { compileExpression, recordExpressions } from '../shared/expression.js';
import { makeRedactor, secretWordRedactor } from '../shared/redact.js';
import type { Config } from '../types.js';
import { assemble, compileAll, type ParamPositions } from './assemble.js';
import { type ConfigCache, fastTrees, writeCachedTree } from './cache.js';
import { loadCachedText } from './cached.js';
import { namesHoldingSecrets } from './checks.js';
import { collectionKeys } from './collection-keys.js';
import { commaSplitValues } from './comma-split.js';
import { interpolateDocument, referenceTree } from './env.js';
import { literalCredentials } from './literal-credentials.js';
import { formatPath, keyPathAt, locate, resolveAlias } from './positions.js';
import { MAX_CONFIG_CHARS, readSourcesFile, TOO_BIG } from './read.js';
import type { SourcesFile } from './schema.js';
import { singleBracesInFile } from './single-braces.js';
import { referenceTexts } from './tree.js';
import { check } from './validate.js';
import { layoutMistakes } from './yaml-layout.js';
import { unknownTags } from './yaml-tags.js';

/** yaml's own message, except where it speaks to programmers rather than to the file's author. */
const yamlMessage = (e: YAMLError, text: string): string =>
  // `{ apikey: ${KEY} }`: in a flow collection the `{` of an unquoted `${` opens a mapping. A number's
  // `${VAR}` cannot be quoted either (issues.ts says to drop the quotes): it has to leave the `{ }`.
  text.startsWith('${', e.pos[0] - 1)
    ? `a \`\${VAR}\` inside \`{ }\` or \`[ ]\` must be quoted: write \`"\${VAR}"\` (a number's, which quotes make text, goes on a line of its own: \`retries: \${RETRIES}\`)`
    : OPENED_IN_VALUE.test(e.message)
      ? openedInValue(text.startsWith('{{', e.pos[0]))
      : e.code === 'MULTIPLE_DOCS'
        ? 'only one YAML document is allowed; remove the `---`'
        : e.code === 'DUPLICATE_KEY'
          ? 'is given twice; a key may appear once in its mapping'
          : isStackOverflow(e)
            ? TOO_DEEP
            : e.message;

const TOO_DEEP = 'nested too deeply to read';

/**
 * yaml's words for a `{` or `[` inside an unquoted value inside `{ }` or `[ ]` (`request: { url: https://…?q={{query}} }`,
 * `fields: { d: $join([a, b]) }`), which said nothing of quotes. In a block mapping such a value needs none.
 */
const OPENED_IN_VALUE = /^Unexpected flow-(?:map|seq)-start at node end/;
const openedInValue = (template: boolean): string =>
  template
    ? 'a value with `{{…}}` inside `{ }` or `[ ]` must be quoted, as in `url: "https://…?q={{query}}"`'
    : 'a value with `{` or `[` in it inside `{ }` or `[ ]` must be quoted: write `d: \'$join([a, b], "-")\'`';

/**
 * An unexpected token that only follows on from the one before it. Past an unexpected token yaml
 * may lose its place: it flags the rest of its line, and once it has left the document, every token of
 * the rest of the file (`in YAML stream`), a line for each word after one unquoted `${KEY}` in a flow
 * mapping. An unexpected token on a later line of the document is a mistake of its own, and is kept.
 */
const followsOn = (e: YAMLError, before: YAMLError | undefined, line: (e: YAMLError) => number): boolean =>
  repeats(e, before) ||
  (e.code === 'UNEXPECTED_TOKEN' &&
    before?.code === 'UNEXPECTED_TOKEN' &&
    (e.message.includes(' token in YAML stream') || line(e) === line(before)));

/**
 * The same error at the same place: yaml reports an unclosed `{` or `[` once for each one open, so
 * `headers: { X: y` inside `request: {` was two identical lines, and a deep unclosed list fifty.
 */
const repeats = (e: YAMLError, before: YAMLError | undefined): boolean =>
  before !== undefined && e.code === before.code && e.pos[0] === before.pos[0] && e.message === before.message;

/** The path of a duplicate key, which yaml reports by position alone; '' for any other error. */
const keyPath = (doc: Document, e: YAMLError): string => {
  if (e.code !== 'DUPLICATE_KEY') return '';
  try {
    return formatPath(keyPathAt(doc, e.pos[0]) ?? []);
  } catch {
    return '';
  }
};

// V8's message for a stack overflow: yaml reports its own as a parse error; the other stages throw it.
const isStackOverflow = (err: unknown): boolean =>
  err instanceof Error && /Maximum call stack size exceeded/.test(err.message);

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
    const line = (e: YAMLError): number => counter.linePos(e.pos[0]).line;
    const errors = doc.errors.filter((e, i) => !followsOn(e, doc.errors[i - 1], line));
    const layout = layoutMistakes(errors, body);
    throw new ConfigError(
      errors.flatMap((e) => {
        const mistake = layout.get(e);
        if (mistake === null) return [];
        if (mistake) return [{ file, ...counter.linePos(mistake.offset), path: '', message: mistake.message }];
        return [{ file, ...counter.linePos(e.pos[0]), path: keyPath(doc, e), message: yamlMessage(e, body) }];
      }),
    );
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

/**
 * With `${VAR}`s, the expressions whose trees the cache may keep are those the file writes itself: an
 * environment value can reach an expression's text, even in pieces (`{{` and `}}` inside a value), and
 * the cache holds none. So: the expressions of the tree as written, where a string with a reference is
 * no string at all, plus the `{{ }}`s written around references (`…?q={{query}}&key=${KEY}`).
 */
function writtenExpressions(tree: unknown): ReadonlyMap<string, jsonata.Expression> {
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

/** A merge key (`<<`), as yaml parses it with `merge: true` (a symbol) or as written. */
const isMergeKey = (key: unknown): boolean =>
  isScalar(key) &&
  (key.value === '<<' || (typeof key.value === 'symbol' && key.value.description === '<<')) &&
  (!key.type || key.type === 'PLAIN');

/**
 * The aliases that name no anchor before them (`*defualts`, or an anchor written further down) and
 * the merge keys on something that is no mapping (`<<: *name` of a scalar): yaml's toJS refuses
 * these with a message that says neither which nor where. Each is located at the alias or value.
 */
function aliasProblems(doc: Document): { offset: number; path: string; message: string }[] {
  const out: { offset: number; path: string; message: string }[] = [];
  const resolve = (node: unknown): unknown => (isAlias(node) ? resolveAlias(doc, node) : node);
  const unknown = (node: unknown, path: (string | number)[]): boolean => {
    if (!isAlias(node) || resolveAlias(doc, node)) return false;
    const message = `unknown alias \`*${node.source}\`: no \`&${node.source}\` anchor comes before it`;
    out.push({ offset: node.range?.[0] ?? 0, path: formatPath(path), message });
    return true;
  };
  const walk = (node: unknown, path: (string | number)[]): void => {
    if (unknown(node, path)) return;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        if (isMergeKey(pair.key)) {
          const here = [...path, '<<'];
          const value = pair.value;
          // yaml merges an alias of a list as that list (`<<: *both`, with `both: &both [*a, *b]`): its
          // items are written, and their aliases checked, at the anchor.
          const listed = isAlias(value) ? resolve(value) : undefined;
          const items = isSeq(value) ? value.items : isSeq(listed) ? listed.items : [value];
          for (const item of items) {
            if (isSeq(listed) ? isAlias(item) && !resolveAlias(doc, item) : unknown(item, here)) continue;
            if (isMap(resolve(item))) {
              // A mapping written here (`<<: { request: *x }`) is walked like any other; an alias's, at its anchor.
              if (isMap(item) && !isSeq(listed)) walk(item, here);
              continue;
            }
            const at =
              ((isSeq(listed) ? value : item) as { range?: number[] } | null)?.range?.[0] ??
              (pair.key as { range?: number[] } | null)?.range?.[0] ??
              0;
            out.push({
              offset: at,
              path: formatPath(here),
              message: '`<<` merges a mapping or a list of mappings, as in `<<: *common`',
            });
          }
        } else {
          unknown(pair.key, path);
          walk(pair.value, [...path, isScalar(pair.key) ? String(pair.key.value) : '?']);
        }
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        walk(item, [...path, i]);
      });
    }
  };
  try {
    walk(doc.contents, []);
  } catch {
    // An alias bomb's resolution, or a tree past the stack: the caller says what yaml said.
    return [];
  }
  return out;
}

const SKIP = Symbol('not cacheable');

/**
 * referenceTree, or SKIP when yaml refuses the tree (a merge key on a scalar, an alias bomb) or a key
 * could hold a reference (referenceTree): the file is then not cached, and toJS below reports any
 * refusal as a located ConfigError.
 */
function referencesOrSkip(doc: Document): ReturnType<typeof referenceTree> | typeof SKIP {
  try {
    return referenceTree(doc);
  } catch {
    return SKIP;
  }
}
