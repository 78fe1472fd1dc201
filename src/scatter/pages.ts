/**
 * Pagination: `next` (JSONata on each page, with `$params`, `$url` of the page and `$page`, its
 * 1-based number) gives the next page's URL, fetched with GET and the source's headers, up to
 * `maxPages`. Offers of all pages are concatenated; a failing later page keeps the earlier ones.
 * A `next` link is vendor data: it must stay on the first request's origin, or the source's
 * credentials would go wherever a response points, and carry none of its own (`user:pass@`).
 */
import { evaluationMessage } from '../shared/expression.js';
import { checkDepth } from '../shared/sanitize.js';
import { truncate } from '../shared/truncate.js';
import { waitedFor } from './abort-outcome.js';
import { abortReason, type Flow, type FlowResult, keepsWhatArrived } from './flow.js';
import type { BuiltRequest } from './request.js';
import type { Fetched } from './send.js';

/** How much of a `next` that is not a URL the error quotes. */
const MAX_LINK_SHOWN = 80;

/** Follows `next` from the first page `page1` (status ok) of request `first`. */
export async function followPages(flow: Flow, first: BuiltRequest, page1: Fetched): Promise<FlowResult> {
  const maxPages = flow.source.maxPages ?? 1;
  const origin = new URL(first.url).origin;
  // A page by its URL without the fragment, which is never sent: `?page=1#top` is page 1 again.
  const pageOf = (u: URL): string => u.href.replace(/#.*$/s, '');
  // Each page fetched, by URL, to its number: a link back to one is named.
  const seen = new Map([[pageOf(new URL(first.url)), 1]]);
  const bodies: unknown[] = [page1.body];
  // Next pages are GETs: a body or its content-type would not belong to them.
  const { 'content-type': _, ...headers } = first.headers;
  let last = page1;
  // A page's URL is the one it came from, as a browser or curl has it: after a redirect (`/search` →
  // `/v2/list/search`), a relative `page2` is `/v2/list/page2`, and `$url` the page's own. Only on the first
  // request's origin: a link resolved against another (`http:` → `https:`, `shop.example` → `www.shop.example`)
  // would be refused as off it, where asking the first origin again is redirected there as page 1 was.
  const movedTo = (f: Fetched): string | undefined =>
    f.redirectedTo !== undefined && new URL(f.redirectedTo).origin === origin ? f.redirectedTo : undefined;
  let url = movedTo(page1) ?? first.url;
  seen.set(pageOf(new URL(url)), 1);
  while (bodies.length < maxPages) {
    await flow.progress(last.body);
    const kept = `incomplete, kept ${bodies.length} page${bodies.length === 1 ? '' : 's'}`;
    const link = await linkAfter(flow, last, url, bodies.length);
    if ('failed' in link) return flow.finish(last, bodies, `${kept}; ${link.failed}`);
    const target = link.target;
    if (!target) break;
    if (target.origin !== origin) {
      return flow.finish(last, bodies, `${kept}; next page on another origin not followed: ${target.origin}`);
    }
    // Its origin is the first request's, but the credentials in it are the vendor's words: sent, they would
    // be used where the source's own are meant; refused by the request, the row said `page 2 failed: … use an
    // Authorization header`, as if the file had written them, and counted an attempt never made.
    if (target.username || target.password) {
      return flow.finish(last, bodies, `${kept}; page ${bodies.length + 1} not followed: its URL carries user:pass@`);
    }
    // A vendor that links a page to itself would otherwise be paged to maxPages for nothing. Said, as the
    // end of paging: `next: $url` (a mapping's mistake) read as a one-page answer with no word.
    const again = seen.get(pageOf(target));
    if (again !== undefined) {
      const which = again === bodies.length ? 'itself' : `page ${again}`;
      return {
        ...flow.finish(last, bodies),
        note: `page ${bodies.length}'s next links to ${which}: paging stopped there`,
      };
    }
    seen.set(pageOf(target), bodies.length + 1);
    url = target.href;
    const f = await flow.call({ method: 'GET', url, headers });
    // A page the flow's limit, the deadline or Ctrl-C cut short did not fail: the vendor was not let answer.
    if (f.status !== 'ok' && flow.signal.aborted) {
      const why = abortReason(flow.signal);
      if (!keepsWhatArrived(why)) return flow.fail(f);
      // A page that waited for a connection the whole time was not the vendor's to answer: `time limit 2s
      // passed` alone read as a slow page 2 that the vendor never saw (another source held the connection).
      const queued = f.unsent ? `, page ${bodies.length + 1} not sent: ${waitedFor(f.unsent.waitedMs)}` : '';
      return flow.finish(last, bodies, `${kept}; ${why.reason}${queued}`, f);
    }
    if (f.status !== 'ok')
      return flow.finish(last, bodies, `${kept}; page ${bodies.length + 1} failed: ${f.error ?? f.status}`, f);
    bodies.push(f.body);
    last = f;
    url = movedTo(f) ?? url;
    seen.set(pageOf(new URL(url)), bodies.length);
  }
  if (bodies.length === maxPages) {
    // The limit is the user's, so the answer is not incomplete; but a search that silently covers
    // only the first pages reads as the vendor's whole catalogue. Evaluated only, never fetched.
    const link = await linkAfter(flow, last, url, bodies.length);
    const target = 'target' in link ? link.target : undefined;
    // Only a page a higher maxPages would fetch: one on another origin or with user:pass@ never is.
    const followable = target && target.origin === origin && !target.username && !target.password;
    if (followable && !seen.has(pageOf(target))) {
      return {
        ...flow.finish(last, bodies),
        note: `stopped at maxPages (${maxPages}); page ${maxPages + 1} is linked`,
      };
    }
  }
  return flow.finish(last, bodies);
}

/**
 * The page `next` links after `last` (page `page`, at `url`): a URL, none (the last page), or why
 * `next` gave no usable one. Only http(s): `javascript:` or `data:` has no origin to compare.
 */
async function linkAfter(
  flow: Flow,
  last: Fetched,
  url: string,
  page: number,
): Promise<{ target: URL | undefined } | { failed: string }> {
  const next = flow.source.compiled.next;
  if (!next) throw new Error(`internal: ${flow.source.name} has no next`);
  let link: unknown;
  try {
    // `$url` and `$page` let offset- and page-number APIs (Etsy, Best Buy) build the next URL themselves.
    link = await next.evaluate(last.body, { response: last.body, params: flow.params, url, page });
  } catch (err) {
    return { failed: `next failed: ${evaluationMessage(err)}` };
  }
  // A JSONata path over several links yields a sequence: the first one is the next page.
  if (Array.isArray(link)) link = link[0];
  if (link === undefined || link === null || link === '' || link === false) return { target: undefined };
  try {
    const target = typeof link === 'string' ? new URL(link, url) : undefined;
    if (target && (target.protocol === 'http:' || target.protocol === 'https:')) return { target };
  } catch {
    // Reported below, with the value.
  }
  try {
    // The value is the vendor's: JSON.stringify of one nested 200,000 deep overflowed the stack, which no
    // catch here took, and the row lost the pages already fetched.
    checkDepth(link);
  } catch (err) {
    return { failed: `next is not a URL: ${(err as Error).message}` };
  }
  // Cut after redaction: a cut first could leave half of a secret the vendor echoed in the link.
  const shown = truncate(flow.redact(JSON.stringify(link) ?? String(link)), MAX_LINK_SHOWN);
  return { failed: `next is not a URL: ${shown}` };
}
