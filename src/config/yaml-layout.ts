/**
 * A line out of place, in the words of the person who wrote it. yaml names the grammar rule a misplaced
 * line breaks (`Implicit keys need to be on a single line`, `Sequence item without - indicator`), often at
 * the line before it, and then two or three more rules that follow from it. A first sources file meets
 * these more than any other mistake: a key indented one space too far or too short, `retries:1`.
 */
import type { YAMLError } from 'yaml';
import { isCredentialHeader } from './assemble.js';

/** Where a layout mistake is (an offset into the text) and what to do about it. */
export interface LayoutMistake {
  offset: number;
  message: string;
}

/**
 * yaml's errors once a line is out of place: its reading of the lines after it (which block a key belongs
 * to) is then a guess, and what it says of them is noise until that line is fixed.
 */
const FOLLOW_ON = new Set([
  'BAD_INDENT',
  'MISSING_CHAR',
  'BLOCK_AS_IMPLICIT_KEY',
  'MULTILINE_IMPLICIT_KEY',
  'TAB_AS_INDENT',
]);

const MISALIGNED = /^(?:All mapping items must start at the same column|Sequence item without - indicator)$/;

// `retries:1`: YAML's `:` ends a key only before a space or the line's end. Not `https://…`, a URL
// where a mapping goes (`request: "https://…"`), whose `//` no key's value starts with.
const GLUED_KEY = /^([A-Za-z_$][\w.$-]*):(?!\/\/)(\S+)/;

// `retries = 1`, as an INI, TOML or .env file sets a key: YAML reads the line as one word, a key without a
// colon. No `: ` after it: `title = name: first` is a key YAML reads (`title = name`), for the schema to name.
const EQUALS_KEY = /^([A-Za-z_$][\w.$-]*)[ \t]*=[ \t]*([^\s=].*)$/;
// Where a value ends when a mapping of only such lines is one string, its lines joined by spaces
// (`retries = 1 timeout = 2s`): at the next `key =`, so that the fix named for the first is `retries: 1`.
const NEXT_EQUALS_KEY = /\s[A-Za-z_$][\w.$-]*[ \t]*=/;

// `name: first` after `title: `: a second `: ` on the line.
const SECOND_COLON = /:(?:\s|$)/;

/**
 * For each of yaml's errors, what to say instead: a LayoutMistake, or null for one that only follows on
 * from a mistake already said. An error not in the map is said as yaml says it.
 */
export function layoutMistakes(errors: readonly YAMLError[], text: string): Map<YAMLError, LayoutMistake | null> {
  const out = new Map<YAMLError, LayoutMistake | null>();
  let lost = false;
  for (const e of errors) {
    if (lost && FOLLOW_ON.has(e.code)) {
      out.set(e, null);
      continue;
    }
    const mistake = explain(e, errors, text);
    if (!mistake) continue;
    out.set(e, mistake);
    // A key glued to its value, or a second `: `, is a mistake of one line; yaml reads on past it.
    lost = mistake.lost;
  }
  return out;
}

function explain(
  e: YAMLError,
  errors: readonly YAMLError[],
  text: string,
): (LayoutMistake & { lost: boolean }) | undefined {
  const at = e.pos[0];
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  if (e.code === 'TAB_AS_INDENT')
    return { offset: at, message: 'a tab indents this line; YAML indents with spaces only', lost: true };
  if ((e.code === 'BAD_INDENT' || e.code === 'MISSING_CHAR') && MISALIGNED.test(e.message)) {
    // yaml points at the line's first column; the key is where the eye goes.
    const key = firstKey(text, lineStart);
    if (!key) return { offset: at, message: e.message, lost: true };
    return {
      offset: key.offset,
      message: `\`${key.name}:\` is not lined up with the keys above it: the keys of one mapping start at the same column`,
      lost: true,
    };
  }
  if (e.code !== 'BLOCK_AS_IMPLICIT_KEY' && e.code !== 'MULTILINE_IMPLICIT_KEY' && e.code !== 'MISSING_CHAR')
    return undefined;
  const word = /^\S+/.exec(text.slice(at))?.[0] ?? '';
  const lineEnd = text.indexOf('\n', at);
  // Only where a key goes: in `url: http://x` the `http:` is a value's.
  const atKey = /^\s*(?:-\s+)*$/.test(text.slice(lineStart, at));
  // yaml says `retries = 1` is a key with no value, or (a key after it) that a key spans two lines.
  const written = atKey && (gluedKey(word) ?? equalsKey(text.slice(at, lineEnd < 0 ? undefined : lineEnd)));
  if (written) return { offset: at, message: written, lost: false };
  if (e.code === 'MISSING_CHAR') return undefined;
  // `timeout: 2s` then `   retries: 1` one space further in: yaml reads `2s retries` as one key, and says so
  // at `2s`, the line before the mistake.
  const key = errors.find((k) => k.code === 'MULTILINE_IMPLICIT_KEY' && k.pos[0] === at);
  if (key && lineEnd >= 0 && lineEnd < key.pos[1]) {
    // `-name: shop` is a key named `-name`, and the source's next key reads as indented under it.
    const dash = /^([ \t]*)-(?=[^\s-])/.exec(text.slice(lineStart, lineEnd));
    if (dash?.[1] !== undefined) {
      const item = text.slice(lineStart + dash[1].length + 1, lineEnd).trimEnd();
      return {
        offset: lineStart + dash[1].length,
        message: `a list item needs a space after its \`-\`: write \`- ${short(item)}\``,
        lost: true,
      };
    }
    const next = firstKey(text, lineEnd + 1);
    const above = firstKey(text, lineStart);
    if (next)
      return {
        offset: next.offset,
        message: `\`${short(next.name)}:\` is indented further than ${above ? `\`${short(above.name)}:\`` : 'the key'} above it, which makes it part of that key's value: start both at the same column`,
        lost: true,
      };
  }
  const rest = text.slice(at, lineEnd < 0 ? undefined : lineEnd).trimEnd();
  if (e.code === 'BLOCK_AS_IMPLICIT_KEY' && SECOND_COLON.test(rest))
    return {
      offset: at,
      message: `a value with \`: \` in it must be quoted: write \`"${shown(firstKey(text, lineStart)?.name ?? '', rest)}"\``,
      lost: false,
    };
  return undefined;
}

/**
 * What to say of `retries:1`, a key glued to its value, which YAML reads as one word: the key of a mapping
 * (yaml's errors), or a mapping's whole value (`defaults:` then only `  retries:1`, which validation finds
 * to be a string). undefined for any other text.
 */
export function gluedKey(text: string): string | undefined {
  const glued = GLUED_KEY.exec(text);
  if (!glued?.[1]) return undefined;
  const value = shown(glued[1], glued[2] ?? '');
  return `\`${glued[1]}:${value}\` needs a space after the colon: \`${glued[1]}: ${value}\``;
}

/**
 * What to say of `retries = 1`, a key set with `=` (the line, from its key), or undefined for any other text.
 * Also a mapping's whole value, as gluedKey's is: `defaults:` then only `  retries = 1` is one string.
 */
export function equalsKey(line: string): string | undefined {
  const m = EQUALS_KEY.exec(line.trim());
  if (!m?.[1] || !m[2] || SECOND_COLON.test(m[2])) return undefined;
  const next = m[2].search(NEXT_EQUALS_KEY);
  const value = shown(m[1], next < 0 ? m[2] : m[2].slice(0, next).trimEnd());
  return `\`${m[1]} = ${value}\`: write \`${m[1]}: ${value}\`; YAML sets a key with a colon and a space`;
}

/** The key a line starts with (after its indentation and any `- `), and where it is. */
function firstKey(text: string, lineStart: number): { name: string; offset: number } | undefined {
  const end = text.indexOf('\n', lineStart);
  const line = text.slice(lineStart, end < 0 ? undefined : end);
  const m = /^([ \t]*(?:-[ \t]+)*)([^\s:#'"{[\]},-][^:#]*?):(?:\s|$)/.exec(line);
  return m?.[1] !== undefined && m[2] ? { name: m[2], offset: lineStart + m[1].length } : undefined;
}

/**
 * A value as quoted back in a message: its first 30 characters, or `***` for a credential written into the
 * file (`X-Api-Key:sk_live_…`), which the message would put on a terminal or in a CI log (literal-credentials.ts).
 */
const shown = (key: string, value: string): string =>
  isCredentialHeader(key) || key === 'clientSecret' ? '***' : short(value);

/** Text quoted back in a message, cut to its first 30 characters. */
const short = (value: string): string => (value.length > 30 ? `${value.slice(0, 29)}…` : value);
