/** The flow keys of the sources file: validated and compiled at load time, located like every other problem. */
import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/index.js';
import { plan } from '../../src/plan.js';
import { problems, yaml } from '../config/helpers.js';

const FLOWS = yaml`
  sources:
    - name: sky
      request: { method: POST, url: "https://sky.example/create", headers: { x-api-key: k } }
      poll:
        request:
          method: POST
          url: "https://sky.example/poll/{{ $response.sessionToken }}?m={{ market }}"
        until: status = "RESULT_STATUS_COMPLETE"
        interval: 500ms
      flowTimeout: 20s
      offers: items
      fields: { title: name, price: price }
    - name: amadeus
      auth:
        oauth2:
          tokenUrl: "https://auth.example/token"
          clientId: "\${ID}"
          clientSecret: "literal-client-secret"
      request: { url: "https://api.example/offers?from={{from}}" }
      next: links.next
      maxPages: 3
      offers: items
      fields: { title: name, price: price }
`;

describe('flow keys in the sources file', () => {
  it('loads oauth2, poll, next and their defaults', () => {
    const config = loadConfigText(FLOWS, 'sources.yaml', { ID: 'client-id-123' });
    const [sky, amadeus] = config.sources;
    expect(sky?.poll).toMatchObject({ intervalMs: 500, maxAttempts: 10, until: 'status = "RESULT_STATUS_COMPLETE"' });
    // A poll goes to the same API: it carries the source's headers.
    expect(sky?.poll?.request).toMatchObject({ method: 'POST', headers: { 'x-api-key': 'k' } });
    expect(sky?.flowTimeoutMs).toBe(20_000);
    // Left out, a poll waits 1s between attempts, and `next` stops at 5 pages.
    const bare = FLOWS.replace(/\n\s*interval: 500ms/, '').replace(/\n\s*maxPages: 3/, '');
    const defaults = loadConfigText(bare, 'sources.yaml', { ID: 'client-id-123' }).sources;
    expect(defaults[0]?.poll).toMatchObject({ intervalMs: 1000, maxAttempts: 10 });
    expect(defaults[1]).toMatchObject({ next: 'links.next', maxPages: 5 });
    // Params read by poll templates are required too; `$response` is not a param.
    expect(sky?.requires).toEqual(['market']);
    expect(amadeus?.oauth2).toEqual({
      tokenUrl: 'https://auth.example/token',
      clientId: 'client-id-123',
      clientSecret: 'literal-client-secret',
      clientAuth: 'body',
    });
    expect(amadeus).toMatchObject({ next: 'links.next', maxPages: 3 });
    // A secret written into the file is still a secret.
    expect(config.secretNames).toMatchObject({ 'client-id-123': 'ID', 'literal-client-secret': 'clientSecret' });
  });

  it("says a poll template's name that is no param may be the previous response's field", () => {
    // `{{ sessionToken }}` reads a param: the source was skipped as `needs sessionToken`, and no more.
    const text = FLOWS.replace('{{ $response.sessionToken }}', '{{ sessionToken }}');
    const config = loadConfigText(text, 'sources.yaml', { ID: 'x' });
    const { skipped } = plan(config, {}, { from: 'JFK', market: 'UK' });
    expect(skipped.map((s) => s.error)).toEqual([
      'needs sessionToken (poll.request reads sessionToken as a param; a field of the previous response is $response.sessionToken)',
    ]);
    // A name the first request reads too is a param, and only that.
    const both = text.replace('https://sky.example/create', 'https://sky.example/create?s={{ sessionToken }}');
    const again = plan(loadConfigText(both, 'sources.yaml', { ID: 'x' }), {}, { from: 'JFK', market: 'UK' });
    expect(again.skipped.map((s) => s.error)).toEqual(['needs sessionToken']);
  });

  it('says an empty clientId or clientSecret (an empty ${VAR} gives one) must not be empty', () => {
    const text = FLOWS.replace('"literal-client-secret"', '""');
    expect(problems(text, { ID: '' })).toEqual([
      'sources.yaml:17:19: sources[1].auth.oauth2.clientId: must not be empty',
      'sources.yaml:18:23: sources[1].auth.oauth2.clientSecret: must not be empty',
    ]);
  });

  it('reports bad until and next expressions at their line', () => {
    const text = FLOWS.replace('status = "RESULT_STATUS_COMPLETE"', 'status = ').replace('links.next', 'links.(');
    expect(problems(text, { ID: 'x' })).toEqual([
      'sources.yaml:8:14: sources[0].poll.until: invalid JSONata "status =": Unexpected end of expression (at character 8)',
      expect.stringMatching(/^sources\.yaml:20:11: sources\[1\]\.next: invalid JSONata "links\.\(": /),
    ]);
  });

  it('reports a bad poll URL template, interval, maxAttempts and clientAuth', () => {
    const text = FLOWS.replace('{{ $response.sessionToken }}', '{{ $response. }}')
      .replace('interval: 500ms', 'interval: soon\n      maxAttempts: 0')
      .replace(
        'clientSecret: "literal-client-secret"',
        'clientSecret: "literal-client-secret"\n        clientAuth: header',
      );
    expect(problems(text, { ID: 'x' })).toEqual([
      'sources.yaml:7:14: sources[0].poll.request.url: invalid JSONata " $response. ": Unexpected end of expression (at character 12)',
      'sources.yaml:9:17: sources[0].poll.interval: "soon" is not a duration; use 250ms, 2s, 1.5s, 1m or a number of ms',
      'sources.yaml:10:20: sources[0].poll.maxAttempts: must be at least 1',
      'sources.yaml:20:21: sources[1].auth.oauth2.clientAuth: must be one of body, basic',
    ]);
  });

  it('rejects maxPages without next, next with poll, and suggests keys inside oauth2 and poll', () => {
    const text = yaml`
      sources:
        - name: a
          request: { url: "https://a.example/" }
          maxPages: 2
          auth: { oauth2: { tokenUrl: "https://a.example/t", clientId: i, clientSecret: s, scopes: x } }
          offers: items
          fields: { title: name, price: price }
        - name: b
          request: { url: "https://b.example/" }
          poll: { request: { url: "https://b.example/p" }, until: done, intervall: 1s }
          next: next
          offers: items
          fields: { title: name, price: price }
    `;
    expect(problems(text)).toEqual([
      'sources.yaml:4:15: sources[0].maxPages: needs `next`',
      'sources.yaml:5:86: sources[0].auth.oauth2.scopes: unknown key; did you mean `scope`?',
      'sources.yaml:10:67: sources[1].poll.intervall: unknown key; did you mean `interval`?',
      'sources.yaml:11:11: sources[1].next: cannot be combined with `poll`',
    ]);
  });

  it('rejects flowTimeout on a source with no flow, which would never apply it', () => {
    const text = yaml`
      sources:
        - name: a
          request: { url: "https://a.example/" }
          flowTimeout: 300ms
          offers: items
          fields: { title: name, price: price }
    `;
    expect(problems(text)).toEqual([
      'sources.yaml:4:18: sources[0].flowTimeout: needs a flow (`auth`, `poll` or `next`); the limit of a single request is `timeout`',
    ]);
    // With a flow it loads, as FLOWS' sky does.
    const paged = loadConfigText(
      text.replace('flowTimeout: 300ms', 'flowTimeout: 300ms\n    next: next'),
      'sources.yaml',
      {},
    );
    expect(paged.sources[0]?.flowTimeoutMs).toBe(300);
  });

  it('refuses an Authorization header on a source with auth, which its Bearer token would replace', () => {
    // The header was dropped in silence: the vendor saw only `Bearer <token>`.
    const withHeader = (headers: string) =>
      FLOWS.replace(
        'request: { url: "https://api.example/offers?from={{from}}" }',
        `request: { url: "https://api.example/offers?from={{from}}", headers: ${headers} }`,
      );
    const refused = (at: string, name: string) =>
      `sources.yaml:${at}: sources[1].request.headers.${name}: cannot be sent beside \`auth.oauth2\`, which sends \`Authorization: Bearer <token>\` itself: drop this header, or drop \`auth\` if this header is the credential the vendor wants`;
    expect(problems(withHeader('{ Authorization: "Basic abc" }'), { ID: 'x' })).toEqual([
      refused('19:91', 'Authorization'),
    ]);
    expect(problems(withHeader('{ authorization: "Basic abc" }'), { ID: 'x' })).toEqual([
      refused('19:91', 'authorization'),
    ]);
    // Another header loads, as does the same header on a source without auth.
    expect(loadConfigText(withHeader('{ x-api-key: k }'), 'sources.yaml', { ID: 'x' }).sources).toHaveLength(2);
    const sky = FLOWS.replace('headers: { x-api-key: k }', 'headers: { Authorization: "Bearer k" }');
    expect(loadConfigText(sky, 'sources.yaml', { ID: 'x' }).sources).toHaveLength(2);
  });

  it('refuses a poll URL written on another origin than the request, as a `next` page there is not followed', () => {
    // It loaded, and every search ended `incomplete after 0 polls: poll URL on another origin not followed`.
    const onHost = (url: string) => FLOWS.replace('https://sky.example/poll/', url);
    const refused = (poll: string) =>
      `sources.yaml:7:14: sources[0].poll.request.url: is on another origin than \`request.url\` (https://sky.example), so it would not be followed: ${poll}; a poll stays on the first request's origin, where the source's credentials go`;
    expect(problems(onHost('https://results.sky.example/poll/'), { ID: 'x' })).toEqual([
      refused('https://results.sky.example'),
    ]);
    // Another scheme or port is another origin too (RFC 6454), as the run compares them.
    expect(problems(onHost('http://sky.example/poll/'), { ID: 'x' })).toEqual([refused('http://sky.example')]);
    expect(problems(onHost('https://sky.example:8443/poll/'), { ID: 'x' })).toEqual([
      refused('https://sky.example:8443'),
    ]);
    // The same origin written otherwise loads; so does one a `{{ }}` decides, which the run checks.
    for (const same of ['HTTPS://Sky.Example:443/poll/', 'https://{{ $response.host }}/poll/']) {
      expect(loadConfigText(onHost(same), 'sources.yaml', { ID: 'x' }).sources[0]?.poll).toBeDefined();
    }
    // From the environment, as the demo's \${AGG_DEMO_URL} is: compared once the value is in.
    const fromEnv = FLOWS.replace('https://sky.example/create', '${BASE}/create').replace(
      'https://sky.example/poll/',
      '${POLL}/poll/',
    );
    const same = { ID: 'x', BASE: 'http://127.0.0.1:8787', POLL: 'http://127.0.0.1:8787' };
    expect(loadConfigText(fromEnv, 'sources.yaml', same).sources[0]?.poll).toBeDefined();
    expect(problems(fromEnv, { ...same, POLL: 'http://127.0.0.1:9999' })).toEqual([
      expect.stringMatching(/^sources\.yaml:7:14: sources\[0\]\.poll\.request\.url: is on another origin than/),
    ]);
  });

  it('points a static token under auth to the request headers, without echoing it', () => {
    const text = yaml`
      sources:
        - name: a
          auth: { bearer: "\${T}" }
          request: { url: "https://a.example/" }
          offers: items
          fields: { title: name, price: price }
    `;
    const found = problems(text, { T: 'tok-secret-1' });
    expect(found).toEqual([
      'sources.yaml:3:11: sources[0].auth.oauth2: required',
      'sources.yaml:3:13: sources[0].auth.bearer: unknown key (expected one of oauth2); a static token goes in the headers: `request: { headers: { Authorization: "Bearer ${TOKEN}" } }`',
    ]);
    expect(found.join('\n')).not.toContain('tok-secret-1');
  });

  it('names no tags in use when no source has one, and the params given with no value as such', () => {
    const config = loadConfigText(FLOWS, 'sources.yaml', { ID: 'x' });
    expect(() => plan(config, { tags: ['air'] }, { from: 'JFK' })).toThrow(/^no source has tag "air"$/);
    // `from= market=`: both given, neither with a value. 'none given' read as if neither had been typed.
    expect(() => plan(config, {}, { from: '', market: '' })).toThrow(
      /; amadeus needs from; from=, market= given empty; words go into/,
    );
    expect(() => plan(config, {}, { foo: 'US', from: '' })).toThrow(/; given: foo; from= given empty; words/);
  });
});
