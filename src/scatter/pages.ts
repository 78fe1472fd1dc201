/**
 * Pagination: `next` (JSONata on each page, with `$params`, `$url` of the page and `$page`, its
 * 1-based number) gives the next page's URL, fetched with GET and the source's headers, up to
 * `maxPages`. Offers of all pages are concatenated; a failing later page keeps the earlier ones.
 * A `next` link is vendor data: it must stay on the first request's origin, or the source's
 * credentials would go wherever a response points.
 */
import { abortReason, type Flow, type FlowResult, keepsWhatArrived } from './flow.js';
import type { BuiltRequest } from './request.js';
import { type Fetched, truncate } from './send.js';

/** How much of a `next` that is not a URL the error quotes. */
const MAX_LINK_SHOWN = 80;

/** Follows `next` from the first page `page1` (status ok) of request `first`. */
export async function followPages(flow: Flow, first: BuiltRequest, page1: Fetched): Promise<FlowResult> {
  const { source, params } = flow;
  const next = source.compiled.next;
  if (!next) throw new Error(`internal: ${source.name} has no next`);
  const maxPages = source.maxPages ?? 1;
  const origin = new URL(first.url).origin;
  // A page by its URL without the fragment, which is never sent: `?page=1#top` is page 1 again.
  const pageOf = (u: URL): string => u.href.replace(/#.*$/s, '');
  const seen = new Set([pageOf(new URL(first.url))]);
  const bodies: unknown[] = [page1.body];
  // Next pages are GETs: a body or its content-type would not belong to them.
  const { 'content-type': _, ...headers } = first.headers;
  let last = page1;
  let url = first.url;
  while (bodies.length < maxPages) {
    await flow.progress(last.body);
    const kept = `incomplete, kept ${bodies.length} page${bodies.length === 1 ? '' : 's'}`;
    let link: unknown;
    try {
      // `$url` and `$page` let offset- and page-number APIs (Etsy, Best Buy) build the next URL themselves.
      link = await next.evaluate(last.body, { response: last.body, params, url, page: bodies.length });
    } catch (err) {
      return flow.finish(last, bodies, `${kept}; next failed: ${(err as Error).message}`);
    }
    // A JSONata path over several links yields a sequence: the first one is the next page.
    if (Array.isArray(link)) link = link[0];
    if (link === undefined || link === null || link === '' || link === false) break;
    let target: URL | undefined;
    try {
      if (typeof link === 'string') target = new URL(link, url);
    } catch {
      // Reported below, with the value.
    }
    // `javascript:` or `data:` has no origin to compare (it is "null"): it is no page to fetch.
    if (target && target.protocol !== 'http:' && target.protocol !== 'https:') target = undefined;
    if (!target) {
      // Cut after redaction: a cut first could leave half of a secret the vendor echoed in the link.
      const shown = truncate(flow.redact(JSON.stringify(link) ?? String(link)), MAX_LINK_SHOWN);
      return flow.finish(last, bodies, `${kept}; next is not a URL: ${shown}`);
    }
    if (target.origin !== origin) {
      return flow.finish(last, bodies, `${kept}; next page on another origin not followed: ${target.origin}`);
    }
    // A vendor that links a page to itself would otherwise be paged to maxPages for nothing.
    if (seen.has(pageOf(target))) break;
    seen.add(pageOf(target));
    url = target.href;
    const f = await flow.call({ method: 'GET', url, headers });
    if (f.status === 'cancelled' && !keepsWhatArrived(abortReason(flow.signal))) return flow.fail(f);
    if (f.status !== 'ok') {
      const why = f.error ?? abortReason(flow.signal).reason;
      return flow.finish(last, bodies, `${kept}; page ${bodies.length + 1} failed: ${why}`, f);
    }
    bodies.push(f.body);
    last = f;
  }
  return flow.finish(last, bodies);
}
