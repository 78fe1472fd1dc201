/**
 * The shapes that flow through the pipeline: config → plan → scatter → map → gather/strategy → render.
 * Closed sets are single `as const` lists so that types, commander choices and help text agree.
 */

import type jsonata from 'jsonata';
import type { ParamDeclaration } from './config/param-check.js';
import type { Mapping } from './map/index.js';
import type { BodyTemplate, TextTemplate } from './scatter/template.js';

export const STRATEGIES = ['best', 'all', 'first'] as const;
export type StrategyName = (typeof STRATEGIES)[number];

export const FORMATS = ['table', 'json', 'ndjson', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

/** ISO 4217's code for "no currency": an offer whose currency nobody gave. */
export const NO_CURRENCY = 'XXX';

export const STATUSES = ['ok', 'error', 'timeout', 'cancelled', 'skipped'] as const;
export type Status = (typeof STATUSES)[number];

/** Failed or timed out: what makes a result `partial` and `--strict` exit 3. Cancelled and skipped are not. */
export const isFailure = (status: Status): boolean => status === 'error' || status === 'timeout';

/** A row that makes the result `partial`: a failure, or an `ok` flow that stopped early (not a failure). */
export const isPartial = (row: Pick<SourceResult, 'status' | 'incomplete'>): boolean =>
  isFailure(row.status) || row.incomplete === true;

/** Query params: `query` from the free words, plus every `name=value` term and `--param`. */
export type Params = Readonly<Record<string, string>>;

/** A source after validation and env interpolation; expressions are still text here. */
export interface SourceConfig {
  readonly name: string;
  readonly tags: readonly string[];
  readonly requires: readonly string[];
  /** Fallback currency when the mapping yields none. */
  readonly currency?: string;
  readonly timeoutMs: number;
  /** Extra attempts for idempotent requests on 429/502/503/504 and connection errors. */
  readonly retries: number;
  /** The request may be sent twice: a POST or PATCH is then retried and hedged like a GET. Default false. */
  readonly idempotent?: boolean;
  /** Delay before a duplicate request when the server has not answered; `auto` is the recorded p95. */
  readonly hedge?: number | 'auto';
  /** Largest response body, in bytes; the loader always sets it (default 10 MiB). */
  readonly maxBytes?: number;
  /** Lowercase names of headers that carry a secret: dropped on a redirect to another origin. */
  readonly secretHeaders?: readonly string[];
  readonly request: {
    readonly method: string;
    readonly url: string;
    readonly headers: Readonly<Record<string, string>>;
    readonly body?: unknown;
  };
  readonly offers: string;
  readonly fields: Readonly<Record<string, string>>;
  /** OAuth2 client credentials: a Bearer token is fetched once per run and sent with every request. */
  readonly oauth2?: OAuth2Config;
  /** Create-then-poll: the first request creates, this one is repeated until `until` holds. */
  readonly poll?: {
    readonly request: SourceConfig['request'];
    readonly until: string;
    /** JSONata: this poll's response says nothing changed; the offers stay the last response's that had some. */
    readonly unchanged?: string;
    readonly intervalMs: number;
    readonly maxAttempts: number;
  };
  /** Pagination: JSONata giving the next page's URL. */
  readonly next?: string;
  /** Pages at most, with `next`. */
  readonly maxPages?: number;
  /** Limit for the whole flow (token, create, polls, pages); the source's `timeoutMs` when unset. */
  readonly flowTimeoutMs?: number;
}

/** OAuth2 client credentials (RFC 6749 §4.4). */
export interface OAuth2Config {
  readonly tokenUrl: string;
  readonly clientId: string;
  /** Never printed: registered as a secret at load time even when written literally. */
  readonly clientSecret: string;
  /** `body`: form fields; `basic`: an HTTP Basic header (RFC 6749 §2.3.1). */
  readonly clientAuth: 'body' | 'basic';
  readonly scope?: string;
  /** Keep the token on disk until it expires (opt-in: a token at rest is a credential). */
  readonly cache?: boolean;
  /**
   * `defaults.headers` the token request carries too (a User-Agent a gateway demands): those with no
   * secret in them (the token endpoint may be another party's) and no `{{ }}` (one token serves every search).
   */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A request's compiled templates: URL, headers (merged with the defaults) and optional JSON body. */
export interface CompiledRequest {
  readonly url: TextTemplate;
  readonly headers: readonly (readonly [string, TextTemplate])[];
  readonly body?: BodyTemplate;
  /** `request.query`: an object template, one entry per parameter. */
  readonly query?: BodyTemplate;
}

/** A source with every template and expression compiled once, at load time. */
export interface CompiledSource extends SourceConfig {
  readonly compiled: CompiledRequest & {
    readonly mapping: Mapping;
    readonly poll?: CompiledRequest & { readonly until: jsonata.Expression; readonly unchanged?: jsonata.Expression };
    readonly next?: jsonata.Expression;
  };
}

/** The whole sources file, validated, interpolated and frozen. */
export interface Config {
  /** Path of the file it came from, for messages. */
  readonly file: string;
  readonly currency?: string;
  /** Units of `currency` per unit of each key. */
  readonly rates: Readonly<Record<string, number>>;
  readonly sources: readonly CompiledSource[];
  /** The file's `params:`, by name, when it declares any (params.ts checks a search's against them). */
  readonly params?: Readonly<Record<string, ParamDeclaration>>;
  /** Most connections at once to one origin (`defaults.connections`), when the file sets it. */
  readonly connections?: number;
  /** Values resolved from the environment, but those only run settings take (a rate, a timeout): never printed. */
  readonly secrets: readonly string[];
  /** Env var name for each secret value (value → name): what redaction hides, and where it came from. */
  readonly secretNames: Readonly<Record<string, string>>;
}

/** One offer in the common model. Extra mapped fields pass through as extra keys. */
export interface Offer {
  rank?: number;
  source: string;
  title: string;
  price: number;
  currency: string;
  url?: string;
  originalPrice?: number;
  originalCurrency?: string;
  /** True when no rate converts `currency` into the ranking currency: ranked after the others. */
  unconverted?: true;
  /** Under `--distinct`: the offers folded into this one, in ranking order ([] when none). */
  alsoAt?: AlsoAt[];
  [extra: string]: unknown;
}

/** An offer `--distinct` folded into one ranked before it: where else that one was offered, and at what price. */
export interface AlsoAt {
  source: string;
  price: number;
  currency: string;
  url?: string;
}

/** The key of `alsoAt`, for code that lists an offer's keys: no source may map it (map/offer.ts). */
export const ALSO_AT = 'alsoAt' satisfies keyof Offer;

/** How one source ended: a row in the output, never an exception. */
export interface SourceResult {
  name: string;
  status: Status;
  httpStatus?: number;
  ms: number;
  attempts: number;
  offers: number;
  /**
   * Status `ok`, but a flow stopped early (poll never complete, a later page failed, time ran out):
   * the offers are what arrived, and `error` says what is missing.
   */
  incomplete?: true;
  /** Items the mapping produced without a finite price, or on which a field's expression threw. */
  dropped?: number;
  /**
   * Why the first item was dropped: the field that threw and its error (`fields.carrier: …`), which
   * wins over any item without a usable price; else what that item's price was (`fields.price: "12.50"
   * is text, not a number; wrap it in $number()`).
   */
  droppedError?: string;
  /**
   * Offers of a paged source left out because an earlier page had the same listing (the same `url`): a
   * vendor's list that shifted between two page requests put it on both.
   */
  duplicates?: number;
  /**
   * Offers of the answer that `--where` left out (false for them, or it threw on them): set only when
   * it left some out. Not those a `--limit` cut, which are offers the source gave.
   */
  filteredOut?: number;
  /**
   * Offers of the source that `--distinct` folded into one ranked before them (the same flight, cheaper
   * elsewhere or at the same vendor): listed in that one's `alsoAt`, not as offers. Set once the run ends.
   */
  folded?: number;
  /**
   * Fields the mapping lists (not price or currency) that no offer has a value for: a path with a typo
   * (`title: lable`), which gave blank titles and no word.
   */
  unfilled?: string[];
  /**
   * Why an `ok` answer brought no items at all, when `offers` found nothing in it (not an empty or
   * `null` list): where it looked and what the answer has there (`no \`data\` in the answer; it has
   * \`results\`, \`meta\``). A wrong path, or a vendor that leaves the list out when it has none.
   */
  note?: string;
  /** One line, secrets redacted, control characters shown as visible symbols. */
  error?: string;
  /** A duplicate request was sent because the first was slow (`hedge`). */
  hedged?: true;
  /** The vendor said to slow down: HTTP 429, or a 403 that mentions a quota. */
  rateLimited?: true;
  /** When the vendor said to try again (Retry-After or a rate-limit reset header), in ms. */
  retryAfterMs?: number;
}

/** The reduced outcome of one search: what every renderer receives. */
export interface SearchResult {
  query: { text: string; params: Params };
  strategy: StrategyName;
  currency?: string;
  offers: Offer[];
  sources: SourceResult[];
  partial: boolean;
  elapsedMs: number;
  warnings: string[];
  /**
   * The fields beyond the offer model's own that the searched sources map, in the sources file's
   * order, whether or not a source answered: CSV's header lists them, so that it is the same from one
   * run to the next (a cron job appending to one file). Not part of the JSON document.
   */
  fields?: string[];
  /**
   * The fields `--distinct` folded offers by, when it was given: every offer then has `alsoAt`, and CSV
   * has its column, even in a run with no offers. Not part of the JSON document.
   */
  distinct?: readonly string[];
}
