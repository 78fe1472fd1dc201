/**
 * The rules between a source's keys (`next` without `poll`, a body with its method, a poll on the first
 * request's origin, …), checked whenever the source is a mapping, and said in its JSON Schema too.
 */
import { staticOrigin } from '../scatter/origins.js';
import { NO_CURRENCY } from '../types.js';
import { queryTwice } from './query-twice.js';
import { SourceSchema } from './schema-source.js';
import { isObject } from './schema-when.js';

/**
 * The origins of `request.url` and `poll.request.url` when both are written out and differ; undefined when
 * they match, or when a `{{ }}` decides either (the run checks those: poll.ts).
 */
function pollOrigins(source: {
  request?: { url?: unknown };
  poll?: { request?: { url?: unknown } } | undefined;
}): { first: string; poll: string } | undefined {
  const firstUrl = source.request?.url;
  const pollUrl = source.poll?.request?.url;
  if (typeof firstUrl !== 'string' || typeof pollUrl !== 'string') return undefined;
  const first = staticOrigin(firstUrl.trim());
  const poll = staticOrigin(pollUrl.trim());
  return first !== undefined && poll !== undefined && first !== poll ? { first, poll } : undefined;
}

/** A source with the rules between its flow keys; SourceSchema itself stays a plain object (its `shape` is used). */
export const SourceWithRules = SourceSchema.superRefine(
  (source, ctx) => {
    if (source.poll !== undefined && source.next !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['next'], message: 'cannot be combined with `poll`' });
    }
    if (source.maxPages !== undefined && source.next === undefined) {
      ctx.addIssue({ code: 'custom', path: ['maxPages'], message: 'needs `next`' });
    }
    // As the fallback for offers that gave none, XXX left them as unmarked as before, and the run then
    // warned that the source gave no currency and told the reader to set the `currency:` just set.
    if (source.currency === NO_CURRENCY) {
      ctx.addIssue({
        code: 'custom',
        path: ['currency'],
        message: `${NO_CURRENCY} marks offers that gave no currency; write the one this source's prices are in, like USD`,
      });
    }
    // A poll is never sent off the first request's origin, as a `next` page is not (poll.ts, pages.ts): one
    // written on another origin ended every search `incomplete after 0 polls`, a run after the file loaded.
    const away = pollOrigins(source);
    if (away) {
      ctx.addIssue({
        code: 'custom',
        path: ['poll', 'request', 'url'],
        message: `is on another origin than \`request.url\` (${away.first}), so it would not be followed: ${away.poll}; a poll stays on the first request's origin, where the source's credentials go`,
      });
    }
    // `request.query` is added after the URL's own parameters: one in both went out twice (`sort=price&sort=rating`).
    const requests = [
      [['request'], source.request],
      [['poll', 'request'], source.poll?.request],
    ] as const;
    for (const [at, request] of requests) {
      for (const { name, inUrl } of queryTwice(request)) {
        ctx.addIssue({
          code: 'custom',
          path: [...at, 'query', name],
          message: `the url already has \`${inUrl}\`, so both would be sent (\`${name}=…&${name}=…\`); write it in one place`,
        });
      }
    }
    // A body with no method went out on a GET, the default: a source that forgot `method: POST` got the
    // vendor's 404 or 405, which said nothing of the method. A GET with a body, as Elasticsearch reads
    // one, is still written as such.
    for (const [at, request] of requests) {
      if (request?.body === undefined || request.method !== undefined) continue;
      ctx.addIssue({
        code: 'custom',
        path: [...at, 'body'],
        message:
          "would be sent on a GET, the default method: write `method: POST` (or PUT, PATCH) beside it, or `method: GET` for a vendor that reads a GET's body",
      });
    }
    // flow.ts sends the token as `Authorization: Bearer …` over the file's headers: the source's own one
    // was dropped in silence (or, spelled `Authorization`, sent beside the Bearer one as a second value).
    if (source.auth !== undefined) {
      for (const [at, request] of requests) {
        const own = Object.keys(request?.headers ?? {}).find((name) => name.toLowerCase() === 'authorization');
        if (own === undefined) continue;
        ctx.addIssue({
          code: 'custom',
          path: [...at, 'headers', own],
          message:
            'cannot be sent beside `auth.oauth2`, which sends `Authorization: Bearer <token>` itself: drop this header, or drop `auth` if this header is the credential the vendor wants',
        });
      }
    }
    // One request is bounded by `timeout` alone: a `flowTimeout` there was shown by `agg sources` and never applied.
    if (
      typeof source.flowTimeout === 'number' &&
      source.auth === undefined &&
      source.poll === undefined &&
      source.next === undefined
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['flowTimeout'],
        message: 'needs a flow (`auth`, `poll` or `next`); the limit of a single request is `timeout`',
      });
    }
  },
  { when: isObject },
).meta({
  // The rules above, for the JSON Schema too: an editor passed `maxPages` with no `next`, which agg refuses.
  dependencies: {
    maxPages: ['next'],
    next: { not: { required: ['poll'] } },
    flowTimeout: { anyOf: [{ required: ['auth'] }, { required: ['poll'] }, { required: ['next'] }] },
  },
});
