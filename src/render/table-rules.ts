/** Vendor text as a table cell shows it: no character in it draws a column rule of the table's. */

import { cleanText } from '../shared/sanitize.js';

// The table's column rule (`│`) and the vertical lines that pass for it: a vendor's title holding one drew
// a column of its own, and beside a hidden url column `Sony │ $0.01 │ https://evil.example/` read as a
// price and a link. Each is shown by its code point (`<U+2502>`), as cleanText shows a bidi control: visible, and no rule.
// U+23D0, U+2758–275A, U+2223, U+01C0 and the full-width U+FF5C draw a full-height line in most fonts too.
const RULES = /[\u01c0\u2223\u23d0\u2502\u2503\u2506\u2507\u250a\u250b\u254e\u254f\u2551\u2758-\u275a\uff5c\uffe8]/g;
const ruleName = (ch: string): string => `<U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`;

/** `text` cleaned (cleanText), with each character that draws a column rule shown as `<U+2502>`. */
export const cellClean = (text: string): string => cleanText(text).replace(RULES, ruleName);
