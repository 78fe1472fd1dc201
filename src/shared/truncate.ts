/** Cutting text to a length for a message: after redaction, and never inside a character. */

/** Error text past this is cut, after redaction, so that a cut never splits a secret. */
const MAX_ERROR_LENGTH = 300;

/**
 * Cuts text to `max` characters (an error line, by default); call it after redaction, so that a cut never leaves half a secret.
 * Nor half an emoji: a lone high surrogate prints as U+FFFD.
 */
export const truncate = (text: string, max = MAX_ERROR_LENGTH): string => {
  if (text.length <= max) return text;
  const end = max - 1;
  const code = text.charCodeAt(end - 1);
  return `${text.slice(0, code >= 0xd800 && code <= 0xdbff ? end - 1 : end)}…`;
};

/** `text` cut to `max` characters as truncate() cuts it, saying how many more there were. */
export const cutSaying = (text: string, max: number): string => {
  if (text.length <= max) return text;
  const kept = truncate(text, max).slice(0, -1);
  return `${kept}… (${(text.length - kept.length).toLocaleString('en-US')} more characters)`;
};
