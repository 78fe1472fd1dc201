/**
 * Secrets never reach output: values resolved from the environment (and OAuth2 tokens learnt during a
 * run), credential-looking query params and URL user info are all shown as `***`.
 */
import { cleanText } from './sanitize.js';

/** Query keys whose values are credentials in common vendor APIs. */
const SECRET_QUERY_KEYS =
  /^(?:api[-_]?key|apikey|key|token|access[-_]?token|auth|signature|sig|secret|password|client[-_]?secret)$/i;

/** Shorter values are not real secrets, and hiding them would garble words, line numbers and counts. */
const MIN_SECRET_LENGTH = 4;

/** What every secret is shown as. */
export const REDACTED = '***';

/** A function that removes secrets from a line of text. */
export type Redactor = (text: string) => string;

/** For messages and logs: env secrets, then credential-looking query params and user info, as `***`. */
export function makeRedactor(secretNames: Readonly<Record<string, string>>): Redactor {
  const secrets = secretRedactor(secretNames);
  return (text) => redactUserInfo(redactQuery(secrets(text)));
}

/** `https://user:pass@host/` → `https://***@host/`: credentials in a URL's authority (RFC 3986 §3.2.1). */
export function redactUserInfo(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/?#\s@]+@/gi, `$1${REDACTED}@`);
}

/**
 * For vendor data, which may echo a key back (a deep link that carries `apiKey=`): only env secrets,
 * each replaced as written, JSON-escaped (messages quote values), percent-encoded (URLs carry them)
 * and form-encoded (an OAuth2 token request sends its client secret so, and an error may quote what
 * it received), longest first so that a secret containing another is hidden whole. Other query params stay, so a
 * vendor's own booking link still works.
 */
export function secretRedactor(secretNames: Readonly<Record<string, string>>): Redactor {
  const forms = new Set<string>();
  for (const value of Object.keys(secretNames)) {
    if (value.length < MIN_SECRET_LENGTH) continue;
    // Offers are cleaned before they are redacted, so a secret with a tab in it is looked for as cleaned too.
    for (const form of [
      value,
      JSON.stringify(value).slice(1, -1),
      percentEncoded(value),
      formEncoded(value),
      cleanText(value),
    ])
      forms.add(form);
  }
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  return (text) => ordered.reduce((out, form) => out.split(form).join(REDACTED), text);
}

/** encodeURIComponent, or the value itself where it has a lone surrogate and cannot be encoded. */
function percentEncoded(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return value;
  }
}

/** As an `application/x-www-form-urlencoded` body writes it: `+` for a space, `%7E` for `~`, … */
const formEncoded = (value: string): string => new URLSearchParams([['', value]]).toString().slice(1);

/** Applies `redact` to every string inside a JSON-like value. */
export function redactValue<T>(value: T, redact: Redactor): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, redact)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, redact)])) as T;
  }
  return value;
}

/** Replaces the values of credential-looking query params in any URL inside `text`. */
export function redactQuery(text: string): string {
  return text.replace(/([?&])([^=&#\s]+)=([^&#\s]*)/g, (whole, sep: string, key: string) => {
    let name = key;
    try {
      name = decodeURIComponent(key);
    } catch {
      // A malformed escape is still a name worth checking as written.
    }
    return SECRET_QUERY_KEYS.test(name) ? `${sep}${key}=${REDACTED}` : whole;
  });
}

/** The run's secrets, growing as it learns some (OAuth2 tokens); its redactors always use the current set. */
export interface SecretBook {
  /** Like makeRedactor. */
  readonly redact: Redactor;
  /** Like secretRedactor, for vendor data. */
  readonly redactOffers: Redactor;
  /** Registers `value` (from `name`, for the record), shown as `***` from now on. */
  add(value: string, name: string): void;
}

/** A SecretBook starting from the config's env secrets (value → variable name). */
export function secretBook(initial: Readonly<Record<string, string>>): SecretBook {
  const names: Record<string, string> = {};
  for (const [value, name] of Object.entries(initial))
    Object.defineProperty(names, value, { value: name, enumerable: true });
  let redact = makeRedactor(names);
  let redactOffers = secretRedactor(names);
  return {
    redact: (text) => redact(text),
    redactOffers: (text) => redactOffers(text),
    add(value, name) {
      if (Object.hasOwn(names, value)) return;
      Object.defineProperty(names, value, { value: name, enumerable: true });
      redact = makeRedactor(names);
      redactOffers = secretRedactor(names);
    },
  };
}
