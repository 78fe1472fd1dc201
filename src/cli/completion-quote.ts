/** Quoting for the completion scripts: help text goes into them as data, never as shell to run. */

/** `text` as one POSIX shell word (bash, zsh): in single quotes, each `'` written as `'\''`. */
export const shQuote = (text: string): string => `'${text.replaceAll("'", `'\\''`)}'`;

/** `text` as one fish word: in fish's single quotes, `\` and `'` are escaped with `\`. */
export const fishQuote = (text: string): string => `'${text.replace(/[\\']/g, '\\$&')}'`;

/** One line of help for a menu: the first line, with controls as spaces (a description is agg's own text). */
export const oneLine = (text: string): string => text.replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ').trim();
