/**
 * What a hostile vendor, a careless user or a fuzzer sends: fast-check arbitraries for strings and
 * JSON, and the checks the property tests share. Fragments bias generation toward the inputs that
 * matter (escape sequences, bidi overrides, formula starters, URL delimiters), which uniform random
 * strings would almost never produce.
 */
import fc from 'fast-check';

/** Pieces attackers use: ECMA-48 sequences, C0/C1, bidi, spreadsheet formulas, URL and JSON syntax. */
export const FRAGMENTS = [
  '\x1b[2J',
  '\x1b]0;pwned\x07',
  '\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\',
  '\x1bP+q\x1b\\',
  '\x9b31m',
  '\x9d0;x\x9c',
  '\x07',
  '\x00',
  '\x08',
  '\x7f',
  '\r',
  '\n',
  '\t',
  '\u0085',
  '\u2028',
  '\u202e',
  '\u2066',
  '\u200f',
  '=',
  '+',
  '-',
  '@',
  '=HYPERLINK("http://evil.example","x")',
  '＝',
  '"',
  ',',
  "'",
  '%',
  '%2e',
  '&',
  '#',
  '?',
  '/',
  '\\',
  '.',
  '..',
  ':',
  '{{',
  '}}',
  '${KEY}',
  '__proto__',
  ' ',
  'a',
  'é',
  '😀',
  '\ud800',
] as const;

/** Any string, most often one built from the fragments above. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: fc.constantFrom(...FRAGMENTS), maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  {
    weight: 1,
    arbitrary: fc.string({
      unit: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })),
      maxLength: 20,
    }),
  },
);

/** Object keys, biased toward those that reach prototypes and those a mapping reads. */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'items', 'title', 'price'),
  fc.constantFrom('currency', 'url', 'value', 'hasOwnProperty', '__defineGetter__', '0', 'length'),
  hostileString,
);

/** Number literals as a vendor could write them, including those JSON.parse turns into ±Infinity or -0. */
const numberText = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
  fc.constantFrom('1e999', '-1e999', '-0', '1e-400', '0', '-1', '12.5', '9007199254740993', '-5'),
);

/**
 * JSON *text*, so that `__proto__` keys are as JSON.parse makes them (own properties), nesting and
 * sizes vary, and numbers include what JSON can spell but JavaScript cannot hold.
 */
export const hostileJsonText: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 4, withCrossShrink: true },
    fc.constantFrom('null', 'true', 'false', '""', '[]', '{}'),
    numberText,
    hostileString.map((s) => JSON.stringify(s)),
    fc.array(tie('value'), { maxLength: 6 }).map((items) => `[${items.join(',')}]`),
    fc
      .array(fc.tuple(hostileKey, tie('value')), { maxLength: 6 })
      .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
  ),
})).value;

/** A vendor body that often has the `items` list a mapping looks for, with hostile items in it. */
export const vendorBodyText: fc.Arbitrary<string> = fc.oneof(
  hostileJsonText,
  fc.array(hostileJsonText, { maxLength: 8 }).map((items) => `{"items":[${items.join(',')}]}`),
  fc
    .array(
      fc.record({ title: hostileJsonText, price: fc.oneof(numberText, hostileJsonText), extra: hostileJsonText }),
      { maxLength: 8 },
    )
    .map(
      (items) =>
        `{"items":[${items.map((i) => `{"__proto__":{"polluted":1},"title":${i.title},"price":${i.price},"meta":${i.extra}}`).join(',')}]}`,
    ),
);

/** A terminal acts on these: C0 (but the newline that ends lines), DEL, C1, and bidi controls. */
export const TERMINAL_ACTIVE = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

/** Parses RFC 4180 CSV (CRLF rows, `"` quoting, `""` escapes) strictly: throws on anything else. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let cell = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted cell');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        cell += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r') {
        if (text[i] === '"' || text[i] === '\n') throw new Error(`unquoted ${JSON.stringify(text[i])} at ${i}`);
        cell += text[i++];
      }
    }
    row.push(cell);
    if (text[i] === ',') i++;
    else if (text.startsWith('\r\n', i)) {
      rows.push(row);
      row = [];
      i += 2;
    } else throw new Error(`unexpected ${JSON.stringify(text[i])} at ${i}`);
  }
  if (row.length > 0) throw new Error('last row has no CRLF');
  return rows;
}
