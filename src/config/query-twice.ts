/**
 * A `request.query` name that the request's `url` already has in its own query string. The mapping is
 * added after the URL's own parameters (scatter/request.ts), so `url: …?sort=price` beside
 * `query: { sort: "{{sort}}" }` sent `sort=price&sort=rating`, and a vendor that reads the first value
 * ranked by price whatever the user asked.
 */

/** `url`'s own query parameters: each decoded name, with its `name=value` as written. A `{{ }}` name is left out. */
function urlParams(url: string): Map<string, string> {
  const params = new Map<string, string>();
  const base = url.split('#', 1)[0] ?? '';
  const mark = base.indexOf('?');
  if (mark < 0) return params;
  for (const pair of base.slice(mark + 1).split('&')) {
    const written = pair.split('=', 1)[0] ?? '';
    if (written === '' || written.includes('{{')) continue;
    let name = written;
    try {
      name = decodeURIComponent(written.replaceAll('+', ' '));
    } catch {
      // A malformed escape is the vendor's business; compared as written.
    }
    if (!params.has(name)) params.set(name, pair);
  }
  return params;
}

/** Each `query` name that the `url` also writes, with the URL's own `name=value` to quote. */
export function queryTwice(request: { url?: unknown; query?: unknown } | undefined): { name: string; inUrl: string }[] {
  const { url, query } = request ?? {};
  if (typeof url !== 'string' || query === null || typeof query !== 'object') return [];
  const own = urlParams(url);
  return Object.keys(query).flatMap((name) => {
    const inUrl = own.get(name);
    return inUrl === undefined ? [] : [{ name, inUrl }];
  });
}
