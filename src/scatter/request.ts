/**
 * Builds one source's HTTP request from its compiled templates and the query params.
 * Throws MissingParamError when a template needs a param the query lacks.
 */
import type { CompiledSource, Params } from '../types.js';
import { renderBody, renderText } from './template.js';

/** A request ready for undici. */
export interface BuiltRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** Lowercase names of headers never sent to another origin on a redirect. */
  readonly secretHeaders?: readonly string[];
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

/** Renders URL (values percent-encoded), headers and JSON body. */
export async function buildRequest(source: CompiledSource, params: Params): Promise<BuiltRequest> {
  const { compiled } = source;
  const url = await renderText(compiled.url, params, encodeUrlValue);
  const headers: Record<string, string> = {};
  for (const [name, template] of compiled.headers) headers[name.toLowerCase()] = await renderText(template, params);
  const { secretHeaders } = source;
  if (compiled.body === undefined) return { method: source.request.method, url, headers, secretHeaders };
  const body = JSON.stringify(await renderBody(compiled.body, params));
  headers['content-type'] ??= 'application/json';
  return { method: source.request.method, url, headers, body, secretHeaders };
}
