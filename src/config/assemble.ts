/**
 * From the sources file's data (parsed from YAML, or from the cache) to a frozen Config: compiling
 * every template and expression, and the defaults. Validation is validate.ts, kept apart so that a
 * file whose validated data the cache holds loads without zod (cache.ts). Problems come back
 * unlocated: only the YAML loader knows where a path is written.
 */

import { DEFAULT_MAX_BYTES } from '../scatter/body.js';
import { templateParams } from '../scatter/template.js';
import { isSecretValue } from '../shared/secret-value.js';
import type { CompiledSource, Config } from '../types.js';
import { type CompiledParts, compileHeaders, compileSource, type HeaderEntry, mergeHeaders } from './compile.js';
import type { PathProblem } from './issues.js';
import { checkParam, type ParamDeclaration } from './param-check.js';
import type { SourceEntry, SourcesFile } from './schema.js';

const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_RETRIES = 1;
// Header names that carry credentials whatever their value's origin; compared lowercase. Authorization
// and Authentication as parts too: vendors write `X-Authorization` where the standard header would go.
// A part that ends in key, token, secret, … too, as a query param's name does (shared/credential-params.ts): Bunny's
// `AccessKey`, `X-AuthToken` or `X-ClientSecret` written literally went to a token endpoint and to
// another origin's redirect, which the name `X-Api-Key` never did.
const CREDENTIAL_HEADER =
  /(?:^|[-_])(?:[a-z\d]*(?:key|token|secret|signature|password|credentials?)|auth|authorization|authentication)(?:$|[-_])|^cookie$/;

/** Whether a header of this name carries a credential, whatever its value's origin. */
export const isCredentialHeader = (name: string): boolean => CREDENTIAL_HEADER.test(name.toLowerCase());

const DEFAULT_POLL_INTERVAL_MS = 1000;
const DEFAULT_POLL_ATTEMPTS = 10;
const DEFAULT_MAX_PAGES = 5;

/** The raw data validated and its expressions compiled, with every problem found (unlocated). */
export interface Checked {
  problems: PathProblem[];
  data: SourcesFile | undefined;
  defaultHeaders: readonly HeaderEntry[];
  parts: (CompiledParts | undefined)[];
}

/**
 * validate.ts's check() for data that validated before (the config cache's, for a file without
 * references): the same tree passes the same checks and validates to `data`, so only compiling is left.
 */
export function checkValidated(raw: unknown, data: SourcesFile): Checked {
  const problems: PathProblem[] = [];
  return { problems, data, ...compileAll(raw, problems) };
}

/** Compiles every template and expression in raw data (its strings only), pushing a problem per failure. */
export function compileAll(raw: unknown, problems: PathProblem[]): Pick<Checked, 'defaultHeaders' | 'parts'> {
  const rawRecord = (raw ?? {}) as { defaults?: { headers?: unknown }; sources?: unknown };
  const defaultHeaders = compileHeaders(rawRecord.defaults?.headers, ['defaults'], 'headers', problems);
  const rawSources = Array.isArray(rawRecord.sources) ? rawRecord.sources : [];
  const parts = rawSources.map((s, i) => compileSource(s, ['sources', i], problems));
  return { defaultHeaders, parts };
}

/** The frozen Config from data that passed every check. */
export function assemble(
  checked: Checked,
  data: SourcesFile,
  secretNames: Record<string, string>,
  file: string,
  positions: ParamPositions = {},
): Config {
  const headerSecrets = Object.keys(secretNames);
  const sources = data.sources.map((s, i) => build(s, data, checked.defaultHeaders, checked.parts[i], headerSecrets));
  // A client secret written into the file rather than taken from `${VAR}` is still never printed.
  for (const s of sources) {
    const secret = s.oauth2?.clientSecret;
    if (secret !== undefined && !Object.hasOwn(secretNames, secret)) {
      Object.defineProperty(secretNames, secret, { value: 'clientSecret', enumerable: true });
    }
  }
  const secrets = Object.keys(secretNames);
  const connections = data.defaults?.connections;
  const params = data.params && declarations(data.params, positions);
  return deepFreeze({
    file,
    ...(data.currency ? { currency: data.currency } : {}),
    ...(params ? { params } : {}),
    ...(connections !== undefined ? { connections } : {}),
    rates: { ...data.rates },
    sources,
    secrets,
    secretNames,
  });
}

/** Where each declared param is written (its key), by name: load.ts finds it in the YAML, cache.ts keeps it. */
export type ParamPositions = Readonly<Record<string, { readonly line: number; readonly col: number }>>;

/** The validated `params:` as the search reads them: a type always, the optional keys only when written. */
function declarations(
  params: NonNullable<SourcesFile['params']>,
  positions: ParamPositions,
): Record<string, ParamDeclaration> {
  const out: Record<string, ParamDeclaration> = Object.create(null);
  for (const [name, p] of Object.entries(params)) {
    // `differsFrom: from` is one name; the search reads a list.
    const differsFrom = typeof p.differsFrom === 'string' ? [p.differsFrom] : p.differsFrom;
    const entries = Object.entries({ ...p, type: p.type ?? 'text', differsFrom, ...positions[name] }).filter(
      ([, v]) => v !== undefined,
    );
    const decl = Object.fromEntries(entries) as unknown as ParamDeclaration;
    // A default goes out as a given value would: `Economy` as the choice `economy`, `01` as `1`.
    const checked = decl.default === undefined ? undefined : checkParam(decl.default, decl);
    out[name] = checked && 'value' in checked ? { ...decl, default: checked.value } : decl;
  }
  return out;
}

/** Resolves one validated source against the defaults and attaches its compiled parts. */
function build(
  s: SourceEntry,
  file: SourcesFile,
  defaultHeaders: readonly HeaderEntry[],
  parts: CompiledParts | undefined,
  secrets: readonly string[],
): CompiledSource {
  if (!parts?.url || !parts.mapping) throw new Error(`internal: source ${s.name} was not compiled`);
  const headers = mergeHeaders(defaultHeaders, parts.headers);
  // `hedge: off` on a source undoes `defaults.hedge` for it: no hedge at all.
  const hedge = s.hedge ?? file.defaults?.hedge;
  const poll = s.poll && buildPoll(s.poll, parts.poll, headers);
  const timeoutMs = s.timeout ?? file.defaults?.timeout ?? DEFAULT_TIMEOUT_MS;
  if (s.next !== undefined && !parts.next) throw new Error(`internal: source ${s.name} was not compiled`);
  return {
    name: s.name,
    tags: s.tags ?? [],
    // What the templates read is required too: the plan is then the one place that skips a source.
    requires: [
      ...new Set([
        ...(s.requires ?? []),
        ...templateParams(parts.url, ...headers.map(([, , t]) => t), parts.body, parts.query),
        ...(poll
          ? templateParams(
              poll.compiled.url,
              ...poll.compiled.headers.map(([, t]) => t),
              poll.compiled.body,
              poll.compiled.query,
            )
          : []),
      ]),
    ],
    ...(s.currency ? { currency: s.currency } : {}),
    timeoutMs,
    retries: s.retries ?? file.defaults?.retries ?? DEFAULT_RETRIES,
    idempotent: s.idempotent ?? false,
    ...(hedge !== undefined && hedge !== 'off' ? { hedge } : {}),
    maxBytes: s.maxBytes ?? file.defaults?.maxBytes ?? DEFAULT_MAX_BYTES,
    // The poll request's own headers go out on its redirects too.
    secretHeaders: secretHeaderNames([...headers, ...(parts.poll?.headers ?? [])], secrets),
    request: requestConfig(s.request, headers),
    offers: s.offers,
    fields: s.fields,
    ...(s.auth
      ? { oauth2: { clientAuth: 'body' as const, ...s.auth.oauth2, ...tokenHeaders(defaultHeaders, secrets) } }
      : {}),
    ...(poll ? { poll: poll.config } : {}),
    ...(s.next !== undefined ? { next: s.next, maxPages: s.maxPages ?? DEFAULT_MAX_PAGES } : {}),
    ...(s.flowTimeout !== undefined ? { flowTimeoutMs: s.flowTimeout } : {}),
    compiled: {
      url: parts.url,
      headers: headers.map(([name, , template]) => [name, template] as const),
      ...(parts.body ? { body: parts.body } : {}),
      ...(parts.query ? { query: parts.query } : {}),
      mapping: parts.mapping,
      ...(poll ? { poll: poll.compiled } : {}),
      ...(parts.next ? { next: parts.next } : {}),
    },
  };
}

/** The poll request: headers merge over the source request's (a poll goes to the same API, with the same key). */
function buildPoll(
  p: NonNullable<SourceEntry['poll']>,
  parts: CompiledParts['poll'],
  sourceHeaders: readonly HeaderEntry[],
): { config: NonNullable<CompiledSource['poll']>; compiled: NonNullable<CompiledSource['compiled']['poll']> } {
  if (!parts?.url || !parts.until) throw new Error('internal: poll was not compiled');
  const headers = mergeHeaders(sourceHeaders, parts.headers);
  return {
    config: {
      request: requestConfig(p.request, headers),
      until: p.until,
      ...(p.unchanged !== undefined ? { unchanged: p.unchanged } : {}),
      intervalMs: p.interval ?? DEFAULT_POLL_INTERVAL_MS,
      maxAttempts: p.maxAttempts ?? DEFAULT_POLL_ATTEMPTS,
    },
    compiled: {
      url: parts.url,
      headers: headers.map(([name, , template]) => [name, template] as const),
      ...(parts.body ? { body: parts.body } : {}),
      ...(parts.query ? { query: parts.query } : {}),
      until: parts.until,
      ...(parts.unchanged ? { unchanged: parts.unchanged } : {}),
    },
  };
}

/**
 * Headers that a redirect to another origin must not carry: any whose value holds an environment
 * secret (`\${VAR}`; the README's rule for what is secret), and any whose name says credential. Not a
 * value under 4 characters, `true` or `false`, which the README says is no secret (shared/secret-value.ts): an
 * `X-Api-Version: "\${V}"` of `2` made every header with a 2 in it one, `User-Agent: shop/2.0` too.
 */
function secretHeaderNames(headers: readonly HeaderEntry[], secrets: readonly string[]): string[] {
  const real = secrets.filter(isSecretValue);
  const secret = headers.filter(([name, value]) => isCredentialHeader(name) || real.some((v) => value.includes(v)));
  return [...new Set(secret.map(([name]) => name.toLowerCase()))];
}

/**
 * The `defaults.headers` a token request sends: `defaults` applies to every request, the token's too,
 * or a gateway that refuses a request without the file's User-Agent refused the token alone. Not one
 * that holds a secret (the token endpoint may be another origin, as a redirect's may), nor one that
 * reads a param: nothing renders it, as nothing renders a `{{ }}` in tokenUrl. Nor a Host, which names the
 * API's host (a virtual host behind an address), not the token endpoint's.
 */
function tokenHeaders(
  defaults: readonly HeaderEntry[],
  secrets: readonly string[],
): { headers?: Record<string, string> } {
  const secret = secretHeaderNames(defaults, secrets);
  const sent = defaults.filter(
    ([name, , template]) =>
      !secret.includes(name.toLowerCase()) &&
      name.toLowerCase() !== 'host' &&
      template.parts.every((part) => typeof part === 'string'),
  );
  return sent.length === 0 ? {} : { headers: Object.fromEntries(sent.map(([name, value]) => [name, value])) };
}

/** Freezes plain data all the way down; compiled JSONata expressions are left as jsonata made them. */
function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  if (typeof (value as { evaluate?: unknown }).evaluate === 'function') return value;
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
  return value;
}

/** A request as the source runs it: its method (GET by default), URL, merged headers and body. */
function requestConfig(
  request: { method?: string; url: string; body?: unknown },
  headers: readonly HeaderEntry[],
): CompiledSource['request'] {
  return {
    method: request.method ?? 'GET',
    url: request.url,
    headers: Object.fromEntries(headers.map(([name, value]) => [name, value])),
    ...(request.body !== undefined ? { body: request.body } : {}),
  };
}
