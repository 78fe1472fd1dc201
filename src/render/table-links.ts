/**
 * Titles as terminal hyperlinks (OSC 8, https://gist.github.com/egmontkob/eb114294efbcd5adb1944c9f3cb5feda):
 * `ESC ] 8 ; ; URL ESC \ text ESC ] 8 ; ; ESC \`. The url column is dropped or cut (`https://www.ebay.com/itm/112…`)
 * in most terminals; a title that opens the offer needs no width of its own.
 *
 * The links go in after cli-table3 has drawn a row, around the title as drawn (cut with `…` or whole), so
 * the layout never sees an escape byte: widths, truncation and padding are those of the table without
 * links, byte for byte once the sequences are taken out. cli-table3's own `href` wraps the text before it
 * measures and cuts it, and its measure knows only colour codes: a link would count its URL as columns.
 */

const OSC8 = '\x1b]8;;';
const ST = '\x1b\\';
// VTE ignores a link whose URI is longer (its limit, which the gist above cites); nor is a vendor's megabyte
// link worth writing out on every row.
const MAX_LINK = 2083;
// C0 controls (ESC, BEL), space, DEL and C1 (0x9c is a one-byte ST, which would end the OSC where the vendor
// wants); and what cleanText writes for them, the sign a vendor sent them: a Control Picture (`␛]8;;`) or
// `<U+009C>`. A link with any of them is not made: the WHATWG parser would drop a newline or a tab without a
// word, and open another page than the url column shows.
const UNSAFE = /[\x00-\x20\x7f-\x9f\u2400-\u2426]|<U\+[0-9A-F]{4}>/;
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;

/**
 * The target an offer's `url` may be linked to: an absolute http(s) URL as the WHATWG parser writes it,
 * every other character percent-encoded, so nothing in it can end the OSC early; or undefined for no link
 * (a relative `/p/2`, another scheme, controls or spaces, longer than MAX_LINK).
 */
export function linkTarget(url: unknown): string | undefined {
  if (typeof url !== 'string' || url === '' || url.length > MAX_LINK || UNSAFE.test(url)) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  // User info reads as the host: `https://www.amazon.com／@evil.example/` opens evil.example, and a
  // terminal's tooltip shows `https://www.amazon.com%EF%BC%8F@evil.example/`. No offer needs one.
  if (parsed.username !== '' || parsed.password !== '') return undefined;
  // The parser percent-encodes what is not ASCII (an IDN host is punycode): checked, not assumed.
  return parsed.href.length <= MAX_LINK && PRINTABLE_ASCII.test(parsed.href) ? parsed.href : undefined;
}

/** `text` as a link to `target`, which linkTarget made safe. */
export const hyperlink = (target: string, text: string): string => `${OSC8}${target}${ST}${text}${OSC8}${ST}`;

// cli-table3's default borders, which drawBlock keeps.
const BORDER = '│';

const skipSpaces = (line: string, at: number): number => {
  let i = at;
  while (line[i] === ' ') i++;
  return i;
};

/**
 * One drawn row (`│ 1 │ $5.00 │ Sony WH-1000… │ …`) with its title cell's text made a link to `target`.
 * `before` are the cells left of the title (# and price, never cut), `title` the title cell as handed to
 * cli-table3: what it drew is a prefix of it, then `…` if cut. A row not so drawn is left as it is.
 */
export function linkTitle(line: string, before: readonly string[], title: string, target: string): string {
  if (!line.startsWith(BORDER)) return line;
  let at = BORDER.length;
  for (const cell of before) {
    at = skipSpaces(line, at);
    if (!line.startsWith(cell, at)) return line;
    at = skipSpaces(line, at + cell.length);
    if (!line.startsWith(BORDER, at)) return line;
    at += BORDER.length;
  }
  // cli-table3's padding: one space.
  if (line[at] !== ' ') return line;
  const start = at + 1;
  let end = start;
  while (end - start < title.length && line[end] === title[end - start]) end++;
  if (end - start < title.length && line[end] === '…') end++;
  if (end === start) return line;
  return `${line.slice(0, start)}${hyperlink(target, line.slice(start, end))}${line.slice(end)}`;
}
