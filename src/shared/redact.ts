/**
 * Secrets never reach output: values resolved from the environment (and OAuth2 tokens learnt during a
 * run, in the output of the sources that use them), credential-looking query params and URL user info
 * are all shown as `***`.
 */
import { redactQuery } from './credential-params.js';
import { escapeRegExp, oneRegExp, secretMatchers } from './secret-forms.js';
import { isSecretValue, REDACTED } from './secret-value.js';

/** A function that removes secrets from a line of text. */
export type Redactor = (text: string) => string;

/** For messages and logs: env secrets, then credential-looking query params and user info, as `***`. */
export function makeRedactor(secretNames: Readonly<Record<string, string>>): Redactor {
  const secrets = secretRedactor(secretNames);
  return (text) => redactUserInfo(redactQuery(secrets(text)));
}

/**
 * `https://user:pass@host/` → `https://***@host/`: credentials in a URL's authority (RFC 3986 §3.2.1).
 * A scheme starts where no scheme character is before it: from a `\b`, a vendor's `a.a.a.…` was read
 * as a scheme from every letter on, and 100 KB of it took 6 s (the redactors run on whole messages).
 */
export function redactUserInfo(text: string): string {
  return text.replace(/(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/)[^/?#\s@]+@/gi, `$1${REDACTED}@`);
}

/**
 * For vendor data, which may echo a key back (a deep link that carries `apiKey=`): only env secrets,
 * each looked for as written, trimmed and with its `+` as a space (as a query string reads it),
 * JSON-escaped (messages quote values), cleaned (offers are cleaned before they are redacted), percent-encoded (strictly too, `!'()*` escaped), form-encoded (an
 * OAuth2 token request sends its client secret so), and as a URL's path and query write it; each form
 * also upper- and lower-cased, and the hex of its escapes in either case. Longest first, so that a
 * secret containing another is hidden whole. Other query params stay, so a vendor's own booking link
 * still works.
 */
export function secretRedactor(secretNames: Readonly<Record<string, string>>): Redactor {
  const ordered = secretMatchers(secretNames);
  if (ordered.length === 0) return (text) => text;
  // Most text holds no secret: one pass over it says so, where a pass per form (up to 24 a secret,
  // for every string of every offer) would cost more than mapping the offer did.
  const anyForm = oneRegExp(ordered.map((m) => (typeof m === 'string' ? escapeRegExp(m) : m.source)).join('|'));
  return (text) =>
    anyForm === undefined || anyForm.test(text)
      ? ordered.reduce<string>(
          (out, m) => (typeof m === 'string' ? out.split(m).join(REDACTED) : out.replace(m, REDACTED)),
          text,
        )
      : text;
}

/**
 * Each word of each env secret (a run of letters, digits, `_` and `$`, of MIN_SECRET_LENGTH or more),
 * as `***`: for a message that quoted a secret whole, and may quote a piece of it too. A parser that
 * stops inside `${VAR}` text quotes the token it stopped at (jsonata: `Syntax error: "word2"`).
 */
export function secretWordRedactor(secretNames: Readonly<Record<string, string>>): Redactor {
  const words = new Set(Object.keys(secretNames).flatMap((value) => value.match(/[\p{L}\p{N}_$]+/gu) ?? []));
  const long = [...words].filter(isSecretValue).sort((a, b) => b.length - a.length);
  return (text) => long.reduce((out, word) => out.split(word).join(REDACTED), text);
}

/**
 * Applies `redact` to every string inside a JSON-like value, keys included: a vendor may echo a key as
 * an object's key (`{"<key>": {...}}`). fromEntries defines own data properties, so a `__proto__` key
 * stays data. Two keys that are the same once redacted (`a-<key>` and `a-***`) collide: the later one
 * wins, as it would in JSON.parse, and the earlier value is dropped rather than shown unredacted.
 */
export function redactValue<T>(value: T, redact: Redactor): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, redact)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [redact(k), redactValue(v, redact)])) as T;
  }
  return value;
}

/**
 * An offer with `redact` applied to its values (as redactValue). Its own keys are the sources file's
 * field names, not vendor data, and stay: a secret that happened to spell `price` must not take the
 * price away.
 */
export function redactOffer<T extends object>(offer: T, redact: Redactor): T {
  // `source` is the sources file's name for it, not vendor data: a learnt token `tok` made `toky` read `***y`.
  return Object.fromEntries(
    Object.entries(offer).map(([k, v]) => [k, k === 'source' ? v : redactValue(v, redact)]),
  ) as T;
}

/** A set of secrets that may grow during the run; its redactors always use the current set. */
export interface Secrets {
  /** Like makeRedactor. */
  readonly redact: Redactor;
  /** Like secretRedactor, for vendor data. */
  readonly redactOffers: Redactor;
  /** Registers `value` (from `name`, for the record), shown as `***` from now on. */
  add(value: string, name: string): void;
}

/**
 * The run's secrets: the config's env secrets (value → variable name), hidden everywhere, and scopes
 * for secrets learnt during the run. A learnt secret (an OAuth2 token) is vendor data: hidden wherever
 * it was, it would let a token endpoint blank any text out of every source's offers (a token `https`
 * makes every link `***://…`). So it is hidden only where it can have gone: the output of the sources
 * in its scope (those that share one OAuth2 client, oauth.ts).
 */
interface SecretBook {
  /** The env secrets, like makeRedactor. */
  readonly redact: Redactor;
  /** The env secrets, like secretRedactor. */
  readonly redactOffers: Redactor;
  /** The secrets of scope `key`: the env secrets and those added to it; the same key gives the same set. */
  scope(key: string): Secrets;
}

/** A SecretBook starting from the config's env secrets (value → variable name). */
export function secretBook(initial: Readonly<Record<string, string>>): SecretBook {
  const scopes = new Map<string, Secrets>();
  return {
    redact: makeRedactor(initial),
    redactOffers: secretRedactor(initial),
    scope(key) {
      let scope = scopes.get(key);
      if (!scope) {
        scope = growingSecrets(initial);
        scopes.set(key, scope);
      }
      return scope;
    },
  };
}

/** Secrets starting from `initial`; one set per scope, so that longest-first holds across env and learnt ones. */
function growingSecrets(initial: Readonly<Record<string, string>>): Secrets {
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
