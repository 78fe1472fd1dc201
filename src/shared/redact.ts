/**
 * Secrets never reach output: values resolved from the environment (and OAuth2 tokens learnt during a
 * run, in the output of the sources that use them), credential-looking query params and URL user info
 * are all shown as `***`.
 */
import { cleanText } from './sanitize.js';

/**
 * Query keys whose values are credentials in common vendor APIs: these names, and any name that ends in
 * token, secret, signature, password or credential (`X-Amz-Signature`, `X-Amz-Credential`,
 * `sessionToken`, `client_secret`), as presigned URLs and OAuth flows write them; and a key as a name's
 * last word (`subscription-key` of Azure API Management, `access_key`, `app_key`, `x-api-key`, `userKey`),
 * as the header names that say credential are (config/assemble.ts): those were printed whole.
 */
const SECRET_QUERY_KEYS =
  /^(?:api[-_]?key|apikey|key|auth|sig)$|(?:token|secret|signature|password|credentials?)$|[-_]key$|(?:access|app|user|subscription|secret|private|api)key$/i;
/**
 * `Key` as the last word of a camelCase name, matched case-sensitively: `serviceKey` (Korea's public data
 * portal), `authKey`, `licenseKey`, `consumerKey` were printed whole, where the list above has `userKey`;
 * not `monkey` or `turkey`, whose `key` is no word of its own.
 */
const CAMEL_CASE_KEY = /[A-Za-z\d]Key$/;
/** Paging cursors that end in `token` or `key` (`pageToken`, `next_token`, `start_key`): the vendor's place in a list, shown for debugging. */
const CURSOR_KEYS = /(?:page|next|continuation|sync|start)[-_]?(?:token|key)$/i;
/**
 * What a list is sorted or grouped by (`sortKey=price`, `sort_key`, `groupKey`): a field's name, no
 * credential, and what a vendor's 400 is often about; `sortKey=***` hid it from the one reading the error.
 */
const ORDER_KEYS = /(?:sort|group)[-_]?key$/i;

/** Shorter values are not real secrets, and hiding them would garble words, line numbers and counts. */
const MIN_SECRET_LENGTH = 4;

/**
 * `true` and `false` are no credential, and agg's own words: hidden, `idempotent: ${IDEM}` with IDEM=true
 * was refused as "expected *** or false", and a vendor's "true" became `***` in every offer.
 */
export const isSecretValue = (value: string): boolean =>
  value.length >= MIN_SECRET_LENGTH && !/^(?:true|false)$/i.test(value);

/** What every secret is shown as. */
const REDACTED = '***';

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
  const forms = new Map<string, Matcher>();
  // A value with spaces around it (`KEY=" sk-123 "`) goes out without them in a header, where HTTP
  // trims them, and map/offer.ts trims a currency: so it is looked for trimmed too. And with each `+` a space:
  // a `${VAR}` goes into a URL as written, and a vendor reads a base64 key's `+` in its query string as
  // a space, and echoes it so (`invalid key: Zk9 q/Lm…`).
  const values = new Set(Object.keys(secretNames).flatMap((value) => [value, value.trim(), ...asQueryReads(value)]));
  for (const value of values) {
    if (!isSecretValue(value)) continue;
    const written = [value, JSON.stringify(value).slice(1, -1), cleanText(value)];
    const encoded = [percentEncoded(value), strictlyEncoded(value), formEncoded(value), ...urlEncoded(value)];
    // Upper-cased: map/offer.ts upper-cases a currency code, so a secret a vendor echoes as its currency comes
    // out so (and in the warning about its rate). Lower-cased: a URL's origin lower-cases its host, so a
    // secret a vendor puts there comes out so in "next page on another origin".
    for (const form of [...written, ...encoded]) {
      for (const cased of [form, form.toUpperCase(), lowerKeepingEscapes(form)]) {
        // A form may be empty or short where the value is not: a URL path resolves `../..` to nothing,
        // and '' hid the gap between every two characters (`e***x***p***e***c***t***e***d`).
        if (!forms.has(cased) && isSecretValue(cased)) forms.set(cased, anyWhitespace(anyCaseHex(cased)));
      }
    }
  }
  const ordered = [...forms].sort((a, b) => b[0].length - a[0].length).map(([, matcher]) => matcher);
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
 * The pattern, or undefined past V8's size limit: every form of a 50,000-character `${VAR}` in one
 * pattern threw `Regular expression too large`, and the run ended as an internal error (exit 70). A
 * form's own pattern that is too large falls back to the form as written.
 */
function oneRegExp(source: string, flags = ''): RegExp | undefined {
  try {
    const pattern = new RegExp(source, flags);
    // V8 compiles a pattern when it first runs, and only then finds it too large.
    pattern.test('');
    return pattern;
  } catch {
    return undefined;
  }
}

/**
 * `value` with each `+` a space, when that differs and is still a secret without its spaces: `+++a` read
 * as `   a` would hide every ` a` of every message.
 */
function asQueryReads(value: string): string[] {
  const spaced = value.replaceAll('+', ' ');
  return spaced !== value && isSecretValue(spaced.trim()) ? [spaced] : [];
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

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

/** A form to look for: a plain string (fast), or a pattern where only some letters may change case. */
type Matcher = string | RegExp;

/**
 * `form` as a pattern in which the hex digits of each `%XX` escape match either case (RFC 3986 §2.1:
 * `%2f` and `%2F` are the same octet, and .NET writes the lower case); the rest of the secret keeps
 * its case. A plain string, which is faster, when no escape holds a letter.
 */
function anyCaseHex(form: string): Matcher {
  if (!/%(?:[A-F][0-9A-F]|[0-9][A-F])/.test(form)) return form;
  const hex = (d: string): string => (/[A-F]/.test(d) ? `[${d}${d.toLowerCase()}]` : d);
  const pattern = escapeRegExp(form).replace(
    /%([0-9A-F])([0-9A-F])/g,
    (_, a: string, b: string) => `%${hex(a)}${hex(b)}`,
  );
  return oneRegExp(pattern, 'g') ?? form;
}

/**
 * `m` with each run of spaces in it matching any run of whitespace: a message is redacted before it is
 * cleaned, and cleanText makes a tab, a line break or U+2028 one space, so `Bearer<TAB>sk-…` echoed by
 * a vendor would otherwise come out as the secret `Bearer sk-…` once cleaned.
 */
function anyWhitespace(m: Matcher): Matcher {
  const source = typeof m === 'string' ? escapeRegExp(m) : m.source;
  // A form of spaces only (a value of spaces, or one a tab cleans to a space) stays as it is: as any
  // whitespace it would take every space of every text.
  if (!source.includes(' ') || source.trim() === '') return m;
  const pattern = source.replace(/ +/g, WHITESPACE_RUN);
  // A leading run is matched from where the text's run starts only: tried at each of its characters, a
  // long run of whitespace (an indented page a vendor sends) took time quadratic in its length.
  return oneRegExp(source.startsWith(' ') ? `(?<![\\s\\u0085])${pattern}` : pattern, 'g') ?? m;
}

const WHITESPACE_RUN = '[\\s\\u0085]+';

/** `form` lower-cased but for its `%XX` escapes, which anyCaseHex matches in either case from upper. */
const lowerKeepingEscapes = (form: string): string =>
  form.toLowerCase().replace(/%[0-9a-f]{2}/g, (hex) => hex.toUpperCase());

/** encodeURIComponent, or the value itself where it has a lone surrogate and cannot be encoded. */
function percentEncoded(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return value;
  }
}

/** As RFC 3986 encoders write it (Python's `quote(safe='')`, Go's PathEscape): `!'()*` escaped too. */
const strictlyEncoded = (value: string): string =>
  percentEncoded(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * As a URL writes it in its path and in its query (WHATWG URL, as undici sends it and as a `next`
 * link resolved against the request's URL is printed): a `${VAR}` goes into a URL as written, and
 * the URL escapes only some of it (a space, `"`, `é`), keeping what encodeURIComponent escapes (`/`, `+`, `=`).
 */
function urlEncoded(value: string): string[] {
  const url = new URL('http://h/');
  url.pathname = `/${value}`;
  url.search = `?${value}`;
  return [url.pathname.slice(1), url.search.slice(1)];
}

/** As an `application/x-www-form-urlencoded` body writes it: `+` for a space, `%7E` for `~`, … */
const formEncoded = (value: string): string => new URLSearchParams([['', value]]).toString().slice(1);

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

/**
 * Replaces the values of credential-looking query params in any URL inside `text`. A name holds no `?`:
 * with one, a vendor's `???…` or `?a?a…` was read as a name from every `?` on, 100 KB of it in 6 s.
 */
export function redactQuery(text: string): string {
  return text.replace(/([?&])([^=&#?\s]+)=([^&#\s]*)/g, (whole, sep: string, key: string, value: string) => {
    let name = key;
    try {
      name = decodeURIComponent(key);
    } catch {
      // A malformed escape is still a name worth checking as written.
    }
    if (!isSecretKey(name)) return whole;
    return `${sep}${key}=${REDACTED}${closingParens(value)}`;
  });
}

/** A name that says credential, as a query param's or a JSON field's (not a cursor, nor a sort key). */
const isSecretKey = (name: string): boolean =>
  (SECRET_QUERY_KEYS.test(name) || CAMEL_CASE_KEY.test(name)) && !CURSOR_KEYS.test(name) && !ORDER_KEYS.test(name);

/**
 * A JSON text's string values under a name that says credential (`"api_key": "…"`, `"password": "…"`), as
 * `***`: a request body written into the file, shown on a --verbose line, where the same fields sent as a
 * form (`&api_key=…`) were hidden by redactQuery.
 */
export function redactJsonFields(text: string): string {
  return text.replace(/"((?:[^"\\]|\\.){1,200})"(\s*:\s*)"(?:[^"\\]|\\.)*"/g, (whole, key: string, colon: string) =>
    isSecretKey(key) ? `"${key}"${colon}"${REDACTED}"` : whole,
  );
}

/**
 * The `)` a value ends in: a URL quoted in parentheses, `(… ?token=abc)`, keeps its closing one. Counted
 * by hand: `/\)*$/` tries every start, and a vendor's message of 200,000 `)` took 50 s (quadratic).
 */
function closingParens(value: string): string {
  let start = value.length;
  while (start > 0 && value[start - 1] === ')') start--;
  return value.slice(start);
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
