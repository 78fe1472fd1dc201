/**
 * Compiles every template and expression of the sources file once, at load time, so a typo in
 * JSONata is a config error with a line number, not a failure at search time. It reads the raw
 * data (strings only), so expression errors are reported even when validation found others.
 */
import type jsonata from 'jsonata';
import { compileMapping, type Mapping } from '../map/index.js';
import { type BodyTemplate, compileBody, compileText, type TextTemplate } from '../scatter/template.js';
import { compileExpression, ExpressionError } from '../shared/expression.js';
import type { PathProblem } from './issues.js';
import type { Path } from './positions.js';

/** A header as sent: its name as written, its text, and its compiled template. */
export type HeaderEntry = readonly [name: string, value: string, template: TextTemplate];

/** The compiled parts of one source; a part is missing when it failed (a problem says why). */
export interface CompiledParts {
  url?: TextTemplate;
  headers: HeaderEntry[];
  body?: BodyTemplate;
  query?: BodyTemplate;
  mapping?: Mapping;
  /** `poll.request` and `poll.until`; `failed` when any of them did not compile. */
  poll?: {
    url?: TextTemplate;
    headers: HeaderEntry[];
    body?: BodyTemplate;
    query?: BodyTemplate;
    until?: jsonata.Expression;
    unchanged?: jsonata.Expression;
  };
  next?: jsonata.Expression;
}

// Empty expressions are the schema's to report; compiling them too would say it twice.
const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

const asRecord = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** `request.body.items[0].id` → `['request', 'body', 'items', 0, 'id']`. */
function fieldPath(field: string): Path {
  return (field.match(/[^.[\]]+|\[\d+\]/g) ?? []).map((s) => (s.startsWith('[') ? Number(s.slice(1, -1)) : s));
}

/** Runs one compile step; an ExpressionError becomes a problem at `base` + its field. */
function attempt<T>(compile: () => T, base: Path, problems: PathProblem[]): T | undefined {
  try {
    return compile();
  } catch (err) {
    const errors: unknown[] = err instanceof AggregateError ? err.errors : [err];
    for (const e of errors) {
      if (!(e instanceof ExpressionError)) throw e;
      problems.push({ path: [...base, ...fieldPath(e.field)], message: e.message });
    }
    return undefined;
  }
}

/** Compiles a header map found at `base` (its `field`s are relative to `base`'s parent). */
export function compileHeaders(headers: unknown, base: Path, field: string, problems: PathProblem[]): HeaderEntry[] {
  const out: HeaderEntry[] = [];
  for (const [name, value] of Object.entries(asRecord(headers))) {
    if (typeof value !== 'string') continue;
    const template = attempt(() => compileText(value, `${field}.${name}`), base, problems);
    if (template) out.push([name, value, template]);
  }
  return out;
}

/** Header names are case-insensitive: a source's header replaces a default of any casing. */
export function mergeHeaders(defaults: readonly HeaderEntry[], own: readonly HeaderEntry[]): HeaderEntry[] {
  // Nothing to merge: no map to build, once per source on every load.
  if (defaults.length + own.length <= 1) return [...defaults, ...own];
  const merged = new Map<string, HeaderEntry>();
  for (const entry of [...defaults, ...own]) {
    const key = entry[0].toLowerCase();
    merged.delete(key); // so the winner takes its own position in the order
    merged.set(key, entry);
  }
  return [...merged.values()];
}

/** Compiles one raw source at `base` (like `['sources', 2]`), pushing a problem per failure. */
export function compileSource(raw: unknown, base: Path, problems: PathProblem[]): CompiledParts {
  const source = asRecord(raw);
  const request = asRecord(source.request);
  const parts: CompiledParts = {
    headers: compileHeaders(request.headers, base, 'request.headers', problems),
  };
  const { url, body } = request;
  if (typeof url === 'string') parts.url = attempt(() => compileText(url, 'request.url'), base, problems);
  if (body !== undefined) parts.body = attempt(() => compileBody(body, 'request.body'), base, problems);
  if (request.query !== undefined)
    parts.query = attempt(() => compileBody(request.query, 'request.query'), base, problems);

  // Poll and next run on every response: compiled here so that a typo is a located config error.
  if (source.poll !== undefined) parts.poll = compilePoll(asRecord(source.poll), base, problems);
  const { next } = source;
  if (isText(next)) parts.next = attempt(() => compileExpression(next, 'next'), base, problems);

  // compileMapping names every bad part itself; a missing `offers` is the schema's to report.
  const { offers } = source;
  const fields = Object.fromEntries(Object.entries(asRecord(source.fields)).filter(([, text]) => isText(text)));
  if (isText(offers))
    parts.mapping = attempt(() => compileMapping(offers, fields as Record<string, string>), base, problems);
  return parts;
}

/** Compiles `poll.request` (URL, headers, body), `poll.until` and `poll.unchanged`. */
function compilePoll(poll: Record<string, unknown>, base: Path, problems: PathProblem[]): CompiledParts['poll'] {
  const request = asRecord(poll.request);
  const out: NonNullable<CompiledParts['poll']> = {
    headers: compileHeaders(request.headers, base, 'poll.request.headers', problems),
  };
  const { url, body } = request;
  const { until, unchanged } = poll;
  if (typeof url === 'string') out.url = attempt(() => compileText(url, 'poll.request.url'), base, problems);
  if (body !== undefined) out.body = attempt(() => compileBody(body, 'poll.request.body'), base, problems);
  if (request.query !== undefined)
    out.query = attempt(() => compileBody(request.query, 'poll.request.query'), base, problems);
  if (isText(until)) out.until = attempt(() => compileExpression(until, 'poll.until'), base, problems);
  if (isText(unchanged)) {
    out.unchanged = attempt(() => compileExpression(unchanged, 'poll.unchanged'), base, problems);
  }
  return out;
}
