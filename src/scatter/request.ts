/**
 * Builds one source's HTTP request from its compiled templates and the query params.
 * Throws MissingParamError when a template needs a param the query lacks.
 */
import type { CompiledRequest, CompiledSource, Params } from '../types.js';
import {
  type Bindings,
  type BodyTemplate,
  MissingParamError,
  renderBody,
  renderText,
  TemplateError,
  type TextTemplate,
} from './template.js';

/** A request ready for undici. */
export interface BuiltRequest {
  readonly method: string;
  readonly url: string;
  /** Lowercase names: exchange.ts adds agg's default headers under the names a file's header replaces. */
  readonly headers: Record<string, string>;
  readonly body?: string;
}

// A lone surrogate (possible through the programmatic API, not argv) would make encodeURIComponent throw.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Percent-encodes one templated URL value, so that `a&admin=1#x` stays one value. In the path (`before`,
 * the URL up to the value, has no `?` or `#`), a value of `.` or `..` is refused: URL parsers resolve
 * such a segment (even as `%2e%2e`, WHATWG URL §4.1), so it could climb the path. In the query it is
 * only text (`cabin=..`).
 */
export function encodeUrlValue(value: string, before = ''): string {
  const encoded = encodeURIComponent(value.replace(LONE_SURROGATE, '\ufffd'));
  if ((encoded === '.' || encoded === '..') && !/[?#]/.test(before))
    throw new Error(`a value in a URL's path may not be "${encoded}": it would change the path`);
  return encoded;
}

// What undici sends in a header value (its headerCharRegex). The file's own text is checked when it is
// loaded (config/schema-http.ts); a `{{ }}` value comes from the query, and undici would refuse it as an
// "invalid request" that names no header.
const NOT_HEADER_TEXT = /[^\t\x20-\x7e\x80-\xff]/;

/** True when undici can send `value` in a header (an OAuth2 token is checked with it, oauth.ts). */
export const isHeaderText = (value: string): boolean => !NOT_HEADER_TEXT.test(value);

function headerValue(value: string, template: TextTemplate): string {
  if (!NOT_HEADER_TEXT.test(value)) return value;
  const field = template.parts.find((p) => typeof p !== 'string')?.field ?? 'headers';
  const what = /[\r\n]/.test(value) ? 'a line break' : 'a control character or one past U+00FF';
  throw new TemplateError(field, `the value has ${what}, which a header cannot carry`);
}

/** Renders the source's request: URL (values percent-encoded), headers and body (JSON, form or text). */
export function buildRequest(source: CompiledSource, params: Params): Promise<BuiltRequest> {
  return renderRequest(source.request.method, source.compiled, params);
}

/** Renders any compiled request (the source's, or its poll request with `$response` bound). */
export async function renderRequest(
  method: string,
  compiled: CompiledRequest,
  params: Params,
  bindings?: Bindings,
): Promise<BuiltRequest> {
  const url = withQuery(
    await renderText(compiled.url, params, encodeUrlValue, bindings),
    await queryText(compiled.query, params, bindings),
  );
  const headers: Record<string, string> = {};
  for (const [name, template] of compiled.headers)
    headers[name.toLowerCase()] = headerValue(await renderText(template, params, undefined, bindings), template);
  if (compiled.body === undefined) return { method, url, headers };
  headers['content-type'] ??= 'application/json';
  const type = mediaType(headers['content-type']);
  if (type === FORM) return { method, url, headers, body: await formBody(compiled.body, params, bindings) };
  // JSON unless the request says otherwise: then a string body is sent as written (XML, text), with
  // each `{{ }}` value escaped for XML under an XML type.
  if (!JSON_TYPE.test(type) && isString(compiled.body)) {
    const encode = XML_TYPE.test(type) ? escapeXml : undefined;
    return { method, url, headers, body: await stringBody(compiled.body, params, encode, bindings) };
  }
  return { method, url, headers, body: JSON.stringify(await renderBody(compiled.body, params, bindings)) };
}

/**
 * `request.query` as `a=1&b=2`, each name and value percent-encoded as a URL's `{{ }}` values are. A value
 * that yields nothing though every param it reads by name is given (`{{ $lookup($, "return") }}` on a
 * one-way search), or only "" (the param given empty), leaves its parameter out: a URL
 * template can only send it empty (`returnDate=`), which an API that validates its parameters refuses. A
 * list repeats the parameter; other values are sent as JSON text, as in a form.
 */
async function queryText(template: BodyTemplate | undefined, params: Params, bindings?: Bindings): Promise<string> {
  if (template?.kind !== 'object') return '';
  const pairs: string[] = [];
  for (const [name, part] of template.entries) {
    let value: unknown;
    try {
      value = await renderBody(part, params, bindings);
    } catch (err) {
      // A param it reads by name that the query lacks still skips the source, as in the URL.
      if (err instanceof MissingParamError && err.names.length === 0) continue;
      throw err;
    }
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === undefined || item === null) continue;
      // A param given empty (`return=`, `return=$RETURN` unset) is not given (plan.ts), and `$lookup` reads
      // it as "": sent, `returnDate=` was refused with a 400. Only the file's own literal "" is sent empty.
      if (item === '' && part.kind !== 'literal') continue;
      // `?` as what comes before: in the query, `..` is text (cabin=..), not a path step.
      pairs.push(`${encodeUrlValue(name, '?')}=${encodeUrlValue(formText(item), '?')}`);
    }
  }
  return pairs.join('&');
}

/** `url` with `query` added to its query string, before any `#fragment`. */
function withQuery(url: string, query: string): string {
  if (query === '') return url;
  const hash = url.indexOf('#');
  const [base, fragment] = hash < 0 ? [url, ''] : [url.slice(0, hash), url.slice(hash)];
  const joiner = !base.includes('?') ? '?' : /[?&]$/.test(base) ? '' : '&';
  return `${base}${joiner}${query}${fragment}`;
}

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/;

/** `application/json` of `Application/JSON; charset=utf-8`. */
const mediaType = (contentType: string): string => (contentType.split(';')[0] ?? '').trim().toLowerCase();

/** True when a request with this Content-Type (none: JSON, the default) sends its body as JSON, a string body as a JSON string. */
export const sendsJson = (contentType: string | undefined): boolean =>
  contentType === undefined || JSON_TYPE.test(mediaType(contentType));
const XML_TYPE = /^[\w.+-]+\/(?:[\w.+-]+\+)?xml$/;

/** A body written as a string: literal text, a text with `{{ }}`s, or one `{{ }}` alone. */
const isString = (t: BodyTemplate): boolean =>
  t.kind === 'text' || t.kind === 'value' || (t.kind === 'literal' && typeof t.value === 'string');

/** A string body with each `{{ }}` value passed through `encode` (a body that is one `{{ }}` too). */
async function stringBody(
  template: BodyTemplate,
  params: Params,
  encode: ((v: string) => string) | undefined,
  bindings?: Bindings,
): Promise<string> {
  if (template.kind === 'text') return renderText(template.template, params, encode, bindings);
  const text = formText(await renderBody(template, params, bindings));
  return template.kind === 'value' && encode ? encode(text) : text;
}

/**
 * A form body (`Content-Type: application/x-www-form-urlencoded`, as token endpoints and older APIs
 * take): a mapping becomes its fields (a list repeats its field, anything else nested is JSON), also
 * when one `{{ }}` gives it; a string is sent as written with each `{{ }}` value form-encoded, so
 * `a&admin=1` stays one value.
 */
async function formBody(template: BodyTemplate, params: Params, bindings?: Bindings): Promise<string> {
  if (template.kind === 'text') return renderText(template.template, params, formValue, bindings);
  const value = await renderBody(template, params, bindings);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    // A body that is one `{{ }}` alone is one value: encoded like any other.
    return template.kind === 'value' ? formValue(formText(value)) : formText(value);
  }
  const form = new URLSearchParams();
  for (const [name, field] of Object.entries(value)) {
    for (const item of Array.isArray(field) ? field : [field]) if (item != null) form.append(name, formText(item));
  }
  return form.toString();
}

const formText = (v: unknown): string => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
const formValue = (v: string): string => new URLSearchParams({ v }).toString().slice(2);
const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const escapeXml = (v: string): string => v.replace(/[&<>"']/g, (c) => XML_ENTITIES[c] ?? c);
