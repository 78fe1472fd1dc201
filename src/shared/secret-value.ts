/** Which values count as secrets to hide, and what a hidden one is shown as. */

/** What every secret is shown as. */
export const REDACTED = '***';

/** Shorter values are not real secrets, and hiding them would garble words, line numbers and counts. */
const MIN_SECRET_LENGTH = 4;

/**
 * `true` and `false` are no credential, and agg's own words: hidden, `idempotent: ${IDEM}` with IDEM=true
 * was refused as "expected *** or false", and a vendor's "true" became `***` in every offer.
 */
export const isSecretValue = (value: string): boolean =>
  value.length >= MIN_SECRET_LENGTH && !/^(?:true|false)$/i.test(value);
