/** Vendor text as a table cell shows it: no character in it draws a column rule of the table's. */

import { cleanText } from '../shared/sanitize.js';

// The table's column rule (`│`) and the vertical lines that pass for it: a vendor's title holding one drew
// a column of its own, and beside a hidden url column `Sony │ $0.01 │ https://evil.example/` read as a
// price and a link. Each is shown as `<U+2502>`, as cleanText shows a bidi control: visible, and no rule.
const RULES = /[\u2502\u2503\u2506\u2507\u250a\u250b\u254e\u254f\u2551\uffe8]/g;
const ruleName = (ch: string): string => `<U+${ch.charCodeAt(0).toString(16).toUpperCase()}>`;

/** `text` cleaned (cleanText), with each character that draws a column rule shown as `<U+2502>`. */
export const cellClean = (text: string): string => cleanText(text).replace(RULES, ruleName);
