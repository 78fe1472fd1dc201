/**
 * Builds one source's HTTP request from its compiled templates and the query params.
 * Throws MissingParamError when a template needs a param the query lacks.
 */
import type { CompiledRequest, CompiledSource, Params } from '../types.js';
import { type Bindings, renderBody, renderText } from './template.js';

/** A request ready for undici. */
export interface BuiltRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

// A lone surrogate (possible through the programmatic API, not argv) would make encodeURIComponent throw.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Percent-encodes one templated URL value, so that `a&admin=1#x` stays one value. A value of `.` or
 * `..` is refused: URL parsers resolve such a segment (even as `%2e%2e`, WHATWG URL §4.1), so it
 * could climb the path.
 */
export function encodeUrlValue(value: string): string {
  const encoded = encodeURIComponent(value.replace(LONE_SURROGATE, '\ufffd'));
  if (encoded === '.' || encoded === '..')
    throw new Error(`a URL value may not be "${encoded}": it would change the path`);
  return encoded;
}

/** Renders the source's request: URL (values percent-encoded), headers and JSON body. */
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
  const url = await renderText(compiled.url, params, encodeUrlValue, bindings);
  const headers: Record<string, string> = {};
  for (const [name, template] of compiled.headers)
    headers[name.toLowerCase()] = await renderText(template, params, undefined, bindings);
  if (compiled.body === undefined) return { method, url, headers };
  const body = JSON.stringify(await renderBody(compiled.body, params, bindings));
  headers['content-type'] ??= 'application/json';
  return { method, url, headers, body };
}
