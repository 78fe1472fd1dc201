/**
 * cli-table3 0.6's measure of a cell, made to agree with the terminal on characters it draws in no
 * column. Its string-width 4 counts one column for every code point but U+0300–U+036F and emoji: Thai
 * vowel and tone marks, Arabic harakat, Hebrew niqqud, Devanagari signs, a zero-width space, a BOM. A
 * terminal draws them on the character before (or not at all), so a vendor's Thai title
 * (`หูฟังไร้สาย`) ended its row four columns short of the border above it, and an Arabic one twelve.
 * Likewise a variation selector: `☕️` (an emoji, and VS16) was three columns to it, two on the screen.
 *
 * Cell.draw and the layout read `strlen` and `pad` from cli-table3's utils module at each call, so they
 * are replaced there, once; `pad` measured with a copy of strlen of its own, so it is rewritten to use this one.
 */
import tableUtils from 'cli-table3/src/utils.js';

// Marks, enclosing marks and format characters (U+200B, U+2060, U+FEFF…), and the Hangul vowels and
// finals a terminal joins to the syllable's first letter (Jamo and Jamo Extended-B); not the soft hyphen
// (drawn as a hyphen), nor what string-width's emoji pattern needs to see a sequence as one emoji (the
// joiner, the emoji variation selector, the keycap, a flag's tags). The text variation selector (`❤︎`)
// is drawn in no column, and string-width counted one.
// The joiner is kept only between two pictographs (after a skin tone or a variation selector too); any
// other (Devanagari's half forms, one pasted between letters) is drawn in no column, and counted one.
const LONE_JOINER =
  '(?<![\\p{Extended_Pictographic}\\u{1f3fb}-\\u{1f3ff}\\ufe0f])\\u200d|\\u200d(?!\\p{Extended_Pictographic})';
// The emoji variation selector (VS16) after a character with no emoji form (`a️`) changes nothing on a
// terminal, and string-width counted it a column.
const LONE_VS16 = '(?<!\\p{Emoji})\\ufe0f';
const ZERO_WIDTH = new RegExp(
  `(?!\\u00ad|\\u200d|\\u20e3|\\ufe0f|[\\u{e0020}-\\u{e007f}])[\\p{Mn}\\p{Me}\\p{Cf}\\u1160-\\u11ff\\ud7b0-\\ud7ff]|${LONE_JOINER}|${LONE_VS16}`,
  'gu',
);
// VS16 after an emoji-capable character makes the pair an emoji, two columns. string-width's pattern
// counts two for one that is text by default (`❤️`), but after one it already counts two (`☕`, `⚡`, `⭐`:
// phone keyboards add the selector anyway) it counted the selector a third: the row ended a column short
// of the border. A selector in a sequence (`🏳️‍🌈`, `1️⃣`) is the pattern's to see, and stays.
const EMOJI_VS16 = /\p{Emoji}\ufe0f(?![\u200d\u20e3])/gu;
// Tag characters are a flag's letters after 🏴 (Scotland's is 🏴 and `gbsct`, then the cancel tag), and
// outside one draw nothing: text hidden in a title, a column each to string-width. Matched forward, in
// one pass: a lookbehind over a run of them was quadratic in its length.
const TAGS = /(\u{1f3f4}[\u{e0020}-\u{e007e}]+\u{e007f})|[\u{e0020}-\u{e007f}]/gu;
const keepFlag = (_tag: string, flag: string | undefined): string => flag ?? '';
const HAS_ZERO_WIDTH = new RegExp(`${ZERO_WIDTH.source}|\\ufe0f|[\\u{e0020}-\\u{e007f}]`, 'u');

const originalPad = tableUtils.pad;
const stringWidthStrlen = tableUtils.strlen;

// Measures, per distinct string. cli-table3 measures a cell about six times while drawing it (its layout,
// the debug line's cut, the cut to its width, the padding) and string-width strips escape codes and runs
// emoji-regex over the whole text each time: a fifth of a piped table of 4,000 offers. Cleared when full,
// so that 200,000 offers do not keep a measure of every cell: a cell's measures come close together.
const MAX_MEASURES = 50_000;
const measures = new Map<string, number>();
const corrected = new Map<string, number>();

function remembered(cache: Map<string, number>, text: string, measure: (text: string) => number): number {
  const known = cache.get(text);
  if (known !== undefined) return known;
  if (cache.size >= MAX_MEASURES) cache.clear();
  const width = measure(text);
  cache.set(text, width);
  return width;
}

/** cli-table3's own measure (string-width's), remembered. */
const originalStrlen = (text: string): number =>
  typeof text === 'string' ? remembered(measures, text, stringWidthStrlen) : stringWidthStrlen(text);

/** The columns a terminal gives `text`: cli-table3's measure of it without the characters it draws in none. */
function correctedStrlen(text: string): number {
  if (!HAS_ZERO_WIDTH.test(text)) return originalStrlen(text);
  // An emoji string-width does not know (Unicode 13 on: `🥲`) it counts one column, and two with VS16.
  const twoColumns = (pair: string) => (originalStrlen(pair) > 2 ? pair.slice(0, -1) : pair);
  return originalStrlen(text.replace(TAGS, keepFlag).replace(ZERO_WIDTH, '').replace(EMOJI_VS16, twoColumns));
}

const strlen = (text: string): number =>
  typeof text === 'string' ? remembered(corrected, text, correctedStrlen) : stringWidthStrlen(text);

/**
 * cli-table3's `pad`, measuring as strlen does: its own measures with its module's copy of strlen, which
 * is neither corrected nor remembered. It adds `width - the measure` of padding.
 */
function pad(text: string, width: number, padding: string, align: string): string {
  const padLength = width - strlen(text);
  // As cli-table3's: a text over the width by more than one is left as it is.
  if (padLength < -1) return text;
  switch (align) {
    case 'right':
      return padding.repeat(Math.max(0, padLength)) + text;
    case 'center': {
      const right = Math.ceil(padLength / 2);
      return padding.repeat(Math.max(0, padLength - right)) + text + padding.repeat(Math.max(0, right));
    }
    default:
      return text + padding.repeat(Math.max(0, padLength));
  }
}

tableUtils.strlen = strlen;
tableUtils.pad = (text, width, padding, align) =>
  typeof text === 'string' ? pad(text, width, padding, align) : originalPad(text, width, padding, align);
