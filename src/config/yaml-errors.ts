/**
 * yaml's parse errors as the file's author reads them: each said once, located, and in words about
 * the file (quotes, `{ }`, a duplicate key's path) rather than about the parser.
 */
import type { Document, LineCounter, YAMLError } from 'yaml';
import type { ConfigProblem } from '../errors.js';
import { formatPath, keyPathAt } from './positions.js';
import { layoutMistakes } from './yaml-layout.js';

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

/** What a file nested past what the parser or a later stage can follow is told. */
export const TOO_DEEP = 'nested too deeply to read';

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
export const isStackOverflow = (err: unknown): boolean =>
  err instanceof Error && /Maximum call stack size exceeded/.test(err.message);

/** yaml's errors of a document that did not parse (`doc.errors`), as located problems in the author's words. */
export function parseProblems(doc: Document, counter: LineCounter, body: string, file: string): ConfigProblem[] {
  const line = (e: YAMLError): number => counter.linePos(e.pos[0]).line;
  const errors = doc.errors.filter((e, i) => !followsOn(e, doc.errors[i - 1], line));
  const layout = layoutMistakes(errors, body);
  return errors.flatMap((e) => {
    const mistake = layout.get(e);
    if (mistake === null) return [];
    if (mistake) return [{ file, ...counter.linePos(mistake.offset), path: '', message: mistake.message }];
    return [{ file, ...counter.linePos(e.pos[0]), path: keyPath(doc, e), message: yamlMessage(e, body) }];
  });
}
