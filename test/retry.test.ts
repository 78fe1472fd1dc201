/**
 * Retries through undici's retry interceptor with agg's own policy: which failures are retried,
 * how long the wait is (Retry-After in seconds or as a date, jittered back-off), what bounds it,
 * and which methods may be sent twice.
 */
import { readFileSync } from 'node:fs';
import type http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { METHODS } from '../src/config/schema-request.js';
import { formatSize, parseSize } from '../src/config/size.js';
import { isRateLimited, MAX_HINT_MS, parseRetryAfter, retryHint } from '../src/scatter/rate-limit.js';
import { backoffMs, mayHedge, mayRetry, retryPolicy } from '../src/scatter/retry.js';
import { formatWait } from '../src/scatter/wait-text.js';
import { now } from '../src/shared/clock.js';
import { runBin } from './helpers/bin.js';
import { runCli } from './helpers/cli.js';
import { source, writeConfig } from './helpers/config.js';
import { json, startServer, type TestServer } from './helpers/server.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const offers = { items: [{ title: 't', price: 1, currency: 'USD' }] };

/** A vendor that fails with `fail(n)` for the first `failures` requests, then answers with offers. */
async function flaky(failures: number, fail: (res: http.ServerResponse) => Promise<void>): Promise<TestServer> {
  let calls = 0;
  const server = await startServer((_req, res) => (++calls <= failures ? fail(res) : json(res, offers)));
  servers.push(server);
  return server;
}

const rowOf = (stdout: string) => JSON.parse(stdout).sources[0];

/** A source that POSTs `{ q: x }` to `${base}/${name}`, with `extra` YAML lines under its name. */
const postSource = (base: string, name: string, extra = ''): string => `
  - name: ${name}${extra}
    request: { method: POST, url: "${base}/${name}", body: { q: x } }
    offers: items
    fields: { title: title, price: price }`;

describe('retries', () => {
  it('waits for a Retry-After given as an HTTP date, then succeeds', async () => {
    const server = await flaky(1, (res) =>
      json(res, {}, { status: 503, headers: { 'retry-after': new Date(Date.now() + 1500).toUTCString() } }),
    );
    const started = Date.now();
    const out = await runCli(['search', 'x', '-c', writeConfig([source('a', `${server.url}/s`)]), '--json']);
    expect(rowOf(out.stdout)).toMatchObject({ status: 'ok', attempts: 2, offers: 1 });
    // An HTTP date has whole seconds: the wait was honoured, not skipped.
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
  });

  it('--retries overrides the file: 0 sends once, 3 sends four times', async () => {
    const always503 = await startServer((_req, res) => json(res, {}, { status: 503 }));
    servers.push(always503);
    const file = writeConfig([source('a', `${always503.url}/s`, '\n    retries: 2')]);
    const none = await runCli(['search', 'x', '-c', file, '--json', '--retries', '0']);
    expect(rowOf(none.stdout)).toMatchObject({ status: 'error', httpStatus: 503, attempts: 1 });
    const three = await runCli(['search', 'x', '-c', file, '--json', '--retries', '3']);
    expect(rowOf(three.stdout)).toMatchObject({ status: 'error', httpStatus: 503, attempts: 4 });
    expect(always503.requests).toHaveLength(5);
    const bad = await runCli(['search', 'x', '-c', file, '--retries', '9']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--retries: expected a whole number from 0 to 5, got "9"');
  });

  it('retries a POST only when the source is marked idempotent', async () => {
    const server = await startServer((req, res) =>
      req.url === '/late'
        ? json(res, {}, { status: 429, headers: { 'retry-after': '30' } })
        : json(res, { message: 'down for maintenance '.repeat(20) }, { status: 503 }),
    );
    servers.push(server);
    const post = (name: string, extra = '') => postSource(server.url, name, extra);
    const out = await runCli([
      'search',
      'x',
      '-c',
      writeConfig([post('plain'), post('safe', '\n    idempotent: true'), post('late')]),
      '--json',
    ]);
    const rows = JSON.parse(out.stdout).sources;
    expect(rows[0]).toMatchObject({ name: 'plain', attempts: 1 });
    // Its one attempt is no mystery: the row says what would allow the retry that `retries: 1` asked for,
    // before the vendor's words, which the line's cut at 300 characters takes the end of.
    expect(rows[0].error).toMatch(
      `HTTP 503 Service Unavailable: POST ${server.url}/plain (a POST is retried only with idempotent: true) (down for maintenance`,
    );
    expect(rows[0].error).toMatch(/…$/);
    expect(rows[1]).toMatchObject({ name: 'safe', attempts: 2 });
    expect(rows[1].error).toMatch(`HTTP 503 Service Unavailable: POST ${server.url}/safe (down for maintenance`);
    // A Retry-After past the time limit would keep even an idempotent POST from going again: no hint.
    expect(rows[2].error).toBe(`rate limited (HTTP 429 Too Many Requests, retry after 30s): POST ${server.url}/late`);
    expect(server.requests.filter((r) => r.url === '/safe').every((r) => r.body === '{"q":"x"}')).toBe(true);
  });

  it('a POST whose connection the server closed is not sent again, and its row says idempotent: true allows it', async () => {
    // As a keep-alive connection the server closes just as it is reused: no answer, not a byte of one.
    let calls = 0;
    const server = await startServer((req, res) => {
      if (++calls === 1) return void req.socket.destroy();
      return json(res, offers);
    });
    servers.push(server);
    const post = (name: string, extra = '') => postSource(server.url, name, extra);
    const plain = await runCli(['search', 'x', '-c', writeConfig([post('plain')]), '--json']);
    expect(rowOf(plain.stdout)).toMatchObject({ status: 'error', attempts: 1 });
    expect(rowOf(plain.stdout).error).toBe(
      `connection closed by the server: POST ${server.url}/plain (a POST is retried only with idempotent: true)`,
    );
    calls = 0;
    const safe = await runCli(['search', 'x', '-c', writeConfig([post('safe', '\n    idempotent: true')]), '--json']);
    expect(rowOf(safe.stdout)).toMatchObject({ status: 'ok', attempts: 2, offers: 1 });
    // With no retries asked for, there is nothing to allow: the row says only what happened.
    calls = 0;
    const none = await runCli(['search', 'x', '-c', writeConfig([post('none', '\n    retries: 0')]), '--json']);
    expect(rowOf(none.stdout).error).toBe(`connection closed by the server: POST ${server.url}/none`);
  });

  it('a POST whose connection was refused is sent again: nothing reached the vendor', async () => {
    // Port 1 on loopback, where nothing listens (not a port just freed, which another test file could take):
    // every connect is refused, so no request was ever written.
    const file = writeConfig([
      `
  - name: refused
    request: { method: POST, url: "http://127.0.0.1:1/s", body: { q: x } }
    retries: 1
    offers: items
    fields: { title: title, price: price }`,
    ]);
    const out = await runCli(['search', 'x', '-c', file, '--json']);
    expect(rowOf(out.stdout)).toMatchObject({ status: 'error', attempts: 2 });
    expect(rowOf(out.stdout).error).not.toContain('idempotent');
  });

  it('--deadline bounds the waits: a Retry-After past it is not waited for', async () => {
    const server = await startServer((_req, res) =>
      json(res, { message: 'busy' }, { status: 503, headers: { 'retry-after': '3' } }),
    );
    servers.push(server);
    const file = writeConfig([source('a', `${server.url}/s`, '\n    timeout: 1m')]);
    const started = Date.now();
    const out = await runCli(['search', 'x', '-c', file, '--json', '--deadline', '1s']);
    expect(Date.now() - started).toBeLessThan(900);
    expect(rowOf(out.stdout)).toMatchObject({ status: 'error', httpStatus: 503, attempts: 1 });
    expect(rowOf(out.stdout).error).toBe(`HTTP 503 Service Unavailable: GET ${server.url}/s (busy)`);
  });

  it('does not retry a 429 whose Retry-After is too far off to report: the vendor still said not now', async () => {
    // A date decades away, and epoch seconds sent as a delay (56 years): once read as no hint, so a
    // 250 ms back-off sent the request again.
    const far = ['Fri, 26 Nov 2100 10:00:00 GMT', String(Math.floor(Date.now() / 1000))];
    for (const retryAfter of far) {
      const server = await startServer((_req, res) =>
        json(res, { message: 'slow down' }, { status: 429, headers: { 'retry-after': retryAfter } }),
      );
      servers.push(server);
      const out = await runCli(['search', 'x', '-c', writeConfig([source('a', `${server.url}/s`)]), '--json']);
      expect(rowOf(out.stdout)).toMatchObject({ status: 'error', httpStatus: 429, attempts: 1, rateLimited: true });
      expect(rowOf(out.stdout).error).toBe(
        `rate limited (HTTP 429 Too Many Requests): GET ${server.url}/s (slow down)`,
      );
      expect(server.requests).toHaveLength(1);
    }
  });

  it('a Retry-After of now (a date past, or 0) gets the back-off, and the row names no wait', async () => {
    // RFC 9110: a date past means now. The retry went out at 0 ms, with no jitter, and the row said
    // 'retry after 0s'.
    for (const retryAfter of [new Date(Date.now() - 3600_000).toUTCString(), '0']) {
      const sent: number[] = [];
      const server = await startServer((_req, res) => {
        sent.push(now());
        return json(res, { message: 'slow down' }, { status: 429, headers: { 'retry-after': retryAfter } });
      });
      servers.push(server);
      const out = await runCli(['search', 'x', '-c', writeConfig([source('a', `${server.url}/s`)]), '--json']);
      expect(rowOf(out.stdout)).toMatchObject({ status: 'error', attempts: 2, rateLimited: true, retryAfterMs: 0 });
      expect(rowOf(out.stdout).error).toBe(
        `rate limited (HTTP 429 Too Many Requests): GET ${server.url}/s (slow down)`,
      );
      // The first back-off is at least 125 ms.
      expect((sent[1] ?? 0) - (sent[0] ?? 0)).toBeGreaterThanOrEqual(100);
    }
  });

  it('an answer whose body trickles past the time limit is still the answer: rate limited, or its status', async () => {
    // A 429 read to its end before its retry (Retry-After: 1) was 'no response within 1s', with no
    // httpStatus; one not retried (Retry-After: 30) was a timeout, though its headers said it all.
    const server = await startServer((req, res) => {
      const [status, after] = req.url === '/soon' ? [429, '1'] : req.url === '/later' ? [429, '30'] : [503, '1'];
      res.writeHead(status, { 'retry-after': after, 'content-length': 1000 });
      const drip = setInterval(() => res.write('x'), 100);
      res.on('close', () => clearInterval(drip));
    });
    servers.push(server);
    const file = writeConfig(
      ['soon', 'later', 'busy'].map((p) => source(p, `${server.url}/${p}`, '\n    timeout: 1s')),
    );
    const rows = JSON.parse((await runCli(['search', 'x', '-c', file, '--json'])).stdout).sources;
    expect(rows[0]).toMatchObject({ status: 'error', httpStatus: 429, rateLimited: true, retryAfterMs: 1000 });
    expect(rows[0].error).toBe(
      `rate limited (HTTP 429 Too Many Requests, retry after 1s; body not complete within 1s): GET ${server.url}/soon`,
    );
    expect(rows[1]).toMatchObject({ status: 'error', httpStatus: 429, rateLimited: true, retryAfterMs: 30_000 });
    expect(rows[1].error).toBe(
      `rate limited (HTTP 429 Too Many Requests, retry after 30s; body not complete within 1s): GET ${server.url}/later`,
    );
    expect(rows[2]).toMatchObject({ status: 'timeout', httpStatus: 503 });
    expect(rows[2].error).toBe(`HTTP 503, body not complete within 1s: GET ${server.url}/busy`);
  });

  it('a flow whose 429 trickles past its time limit is rate limited too, not a timeout', async () => {
    // A flow's limit is the source's timeout, due just before the request's own: a paged source's
    // trickling 429 read `time limit 1s passed`, a timeout with no `rateLimited`.
    const server = await startServer((_req, res) => {
      res.writeHead(429, { 'retry-after': '30', 'content-length': 1000 });
      const drip = setInterval(() => res.write('x'), 100);
      res.on('close', () => clearInterval(drip));
    });
    servers.push(server);
    const file = writeConfig([source('paged', `${server.url}/later`, '\n    timeout: 1s\n    next: next')]);
    const row = rowOf((await runCli(['search', 'x', '-c', file, '--json'])).stdout);
    expect(row).toMatchObject({ status: 'error', httpStatus: 429, rateLimited: true, retryAfterMs: 30_000 });
    expect(row.error).toBe(
      `rate limited (HTTP 429 Too Many Requests, retry after 30s; body not complete: time limit 1s passed): GET ${server.url}/later`,
    );
  });

  it("a flow whose 429 trickles past the run's deadline is a timeout of the run, not the vendor's rate limit", async () => {
    // Only the flow's own limit stands for the request's: --deadline ends the run, whatever was answered.
    const server = await startServer((_req, res) => {
      res.writeHead(429, { 'retry-after': '30', 'content-length': 1000 });
      const drip = setInterval(() => res.write('x'), 100);
      res.on('close', () => clearInterval(drip));
    });
    servers.push(server);
    const file = writeConfig([source('paged', `${server.url}/later`, '\n    timeout: 20s\n    next: next')]);
    const row = rowOf((await runCli(['search', 'x', '-c', file, '--json', '--deadline', '1s'])).stdout);
    expect(row).toMatchObject({ status: 'timeout' });
    expect(row.rateLimited).toBeUndefined();
    expect(row.error).toBe(`deadline 1s passed: GET ${server.url}/later`);
  });

  it('retries a HEAD on 503 like any idempotent request, and reports the last answer', async () => {
    // A HEAD answer has no body: undici's retry interceptor once ended it before its retry decision.
    const server = await startServer((_req, res) => json(res, {}, { status: 503 }));
    servers.push(server);
    const head = (name: string) => `
  - name: ${name}
    request: { method: HEAD, url: "${server.url}/${name}" }
    offers: items
    fields: { title: title, price: price }`;
    const out = await runCli(['search', 'x', '-c', writeConfig([head('h')]), '--json', '--retries', '2']);
    expect(rowOf(out.stdout)).toMatchObject({ status: 'error', httpStatus: 503, attempts: 3 });
    expect(rowOf(out.stdout).error).toBe(`HTTP 503 Service Unavailable: HEAD ${server.url}/h`);
    expect(server.requests.map((r) => r.method)).toEqual(['HEAD', 'HEAD', 'HEAD']);
  });

  it('a HEAD that succeeds on a retry is ok', async () => {
    let calls = 0;
    const server = await startServer((_req, res) => json(res, offers, { status: ++calls === 1 ? 503 : 200 }));
    servers.push(server);
    const file = writeConfig([
      `
  - name: h
    request: { method: HEAD, url: "${server.url}/h" }
    offers: items
    fields: { title: title, price: price }`,
    ]);
    const out = await runCli(['search', 'x', '-c', file, '--json']);
    expect(rowOf(out.stdout)).toMatchObject({ status: 'ok', httpStatus: 200, attempts: 2, offers: 0 });
  });

  it('waits out a 429 or 503 that closes its connection with no body, as many gateways send it', async () => {
    // No body and `Connection: close`: the server's FIN arrives while the retry waits. undici's client
    // asserted that its parser was not paused then, and the process died with a stack trace.
    const closing = (status: number, headers: http.OutgoingHttpHeaders) =>
      flaky(1, async (res) => {
        res.writeHead(status, { 'content-length': '0', connection: 'close', ...headers });
        res.end();
      });
    const limited = await closing(429, { 'retry-after': '1' });
    const down = await closing(503, {});
    const file = writeConfig([source('limited', `${limited.url}/s`), source('down', `${down.url}/s`)]);
    const started = Date.now();
    const out = await runBin(['search', 'x', '-c', file, '--json']);
    expect(out.stderr).not.toMatch(/AssertionError|\n\s+at /);
    expect(out.code).toBe(0);
    const rows = JSON.parse(out.stdout).sources;
    expect(rows).toMatchObject([
      { name: 'limited', status: 'ok', attempts: 2, offers: 1 },
      { name: 'down', status: 'ok', attempts: 2, offers: 1 },
    ]);
    // The Retry-After was honoured, not replaced by a back-off when the connection closed.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('a mid-body connection loss is not retried: the answer had already begun', async () => {
    const server = await startServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"items": [');
      setTimeout(() => req.socket.destroy(), 20);
    });
    servers.push(server);
    const out = await runCli(['search', 'x', '-c', writeConfig([source('a', `${server.url}/s`)]), '--json']);
    expect(rowOf(out.stdout)).toMatchObject({ status: 'error', httpStatus: 200, attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });
});

/**
 * What the retry policy of a `method` request with one retry decides for `err` after `counter` attempts:
 * whether it retries, and whether it told the hedge that the request must get no duplicate.
 */
function decide(err: object, { method = 'GET', counter = 1 } = {}): { retried: boolean; answered: boolean } {
  const abort = new AbortController();
  let retried = false;
  let answered = false;
  const policy = retryPolicy({
    method,
    retries: 1,
    idempotent: false,
    signal: abort.signal,
    wait: { signal: abort.signal },
    deadlineAt: now() + 60_000,
    responded: () => false,
    onAnswer: () => {
      answered = true;
    },
  });
  policy(err as Error, { state: { counter }, opts: {} } as never, (e) => {
    retried = e === null;
  });
  abort.abort();
  return { retried, answered };
}

describe('retry and rate-limit rules', () => {
  it('says a wait in words, in whole seconds once it is a minute or more', () => {
    expect(formatWait(1500)).toBe('1.5s');
    expect(formatWait(30_000)).toBe('30s');
    expect(formatWait(125_000)).toBe('2m 5s');
    // An HTTP-date an hour ahead, read a moment later: never `59m 60s`.
    expect(formatWait(3_599_700)).toBe('60m');
    expect(formatWait(3_599_400)).toBe('59m 59s');
    // A daily quota's reset, in hours, then days.
    expect(formatWait(3 * 3600_000 + 125_000)).toBe('3h');
    expect(formatWait(50 * 3600_000)).toBe('2d 2h');
    expect(formatWait(72 * 3600_000)).toBe('3d');
    expect(formatWait(365 * 24 * 3600_000)).toBe('365d');
    // A vendor's `Retry-After` of 400 digits, or a date in the year 275759, asked of a poll.
    expect(formatWait(Number.POSITIVE_INFINITY)).toBe('over a year');
    expect(formatWait(8_638_181_909_034_062)).toBe('over a year');
  });

  it('reads Retry-After as seconds or an HTTP date (RFC 9110 §10.2.3)', () => {
    const now = Date.parse('2026-11-26T10:00:00Z');
    expect(parseRetryAfter('30', now)).toBe(30_000);
    expect(parseRetryAfter('Thu, 26 Nov 2026 10:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Thu, 26 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    // Invalid per the RFC, so ignored: a negative delay (Date.parse would read a year), and a hint
    // too far off to mean anything.
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('2026', now)).toBe(2_026_000);
    expect(parseRetryAfter('99999999999999999999', now)).toBeUndefined();
    expect(parseRetryAfter('Fri, 26 Nov 2100 10:00:00 GMT', now)).toBeUndefined();
    expect(parseRetryAfter(String(MAX_HINT_MS / 1000), now)).toBe(MAX_HINT_MS);
    // A monthly quota's reset, 31 days off, is still a hint: the limit is a year.
    expect(parseRetryAfter(String(31 * 86_400), now)).toBe(31 * 86_400_000);
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('reads a Retry-After date that names no zone as GMT, whatever TZ the shell has', () => {
    const now = Date.parse('2026-11-26T10:00:00Z');
    const tz = process.env.TZ;
    try {
      for (const zone of ['UTC', 'America/New_York', 'America/Los_Angeles', 'Asia/Kolkata', 'Pacific/Chatham']) {
        // Node reads a TZ assigned at run time.
        process.env.TZ = zone;
        expect(parseRetryAfter('Thu Nov 26 10:00:05 2026', now), zone).toBe(5000);
        expect(parseRetryAfter('Thu Nov  6 10:00:05 2026', now - 20 * 86_400_000), zone).toBe(5000);
        // An ISO date-time or an IMF-fixdate without its zone: read as local time, 5 h off under New York.
        expect(parseRetryAfter('2026-11-26T10:00:05', now), zone).toBe(5000);
        expect(parseRetryAfter('Thu, 26 Nov 2026 10:00:05', now), zone).toBe(5000);
        expect(parseRetryAfter('Thursday, 26-Nov-26 10:00:05', now), zone).toBe(5000);
        // A zone written is kept.
        expect(parseRetryAfter('2026-11-26T11:00:05+01:00', now), zone).toBe(5000);
        expect(parseRetryAfter('Thu, 26 Nov 2026 05:00:05 EST', now), zone).toBe(5000);
      }
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });

  it('takes the retry hint from Retry-After, else a rate-limit reset header', () => {
    const now = 1_800_000_000_000;
    expect(retryHint({ 'retry-after': '2', 'x-ratelimit-reset': '60' }, now)).toBe(2000);
    expect(retryHint({ 'ratelimit-reset': '60' }, now)).toBe(60_000);
    expect(retryHint({ 'x-ratelimit-reset': String(now / 1000 + 90) }, now)).toBe(90_000);
    expect(retryHint({}, now)).toBeUndefined();
    // A reset that is no delay and no moment is no hint: `retry after -5s` would read as a riddle.
    expect(retryHint({ 'x-ratelimit-reset': '-5' }, now)).toBeUndefined();
    expect(retryHint({ 'ratelimit-reset': 'soon' }, now)).toBeUndefined();
  });

  it('calls a 429, or a 403 that speaks of a quota, rate limited; other 403s are not', () => {
    expect(isRateLimited(429, {}, '')).toBe(true);
    expect(isRateLimited(403, {}, '{"error":"Quota exceeded for this key"}')).toBe(true);
    expect(isRateLimited(403, { 'x-ratelimit-remaining': '0' }, '')).toBe(true);
    expect(isRateLimited(403, { 'x-error': 'rate limit exceeded' }, '')).toBe(true);
    expect(isRateLimited(403, {}, '{"error":"invalid API key"}')).toBe(false);
    expect(isRateLimited(503, {}, 'quota')).toBe(false);
    // Only the start of a body is read for it: a long page's footer link to a "rate limit" policy is no quota.
    expect(isRateLimited(403, {}, `${' '.repeat(4096)}rate limit policy`)).toBe(false);
  });

  it('backs off exponentially with jitter: half fixed, half random, capped at 2 s', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(n, () => 0))).toEqual([125, 250, 500, 1000, 1000]);
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(n, () => 1))).toEqual([250, 500, 1000, 2000, 2000]);
  });

  it('retries only idempotent methods, and hedges only reads, unless the source is marked idempotent', () => {
    expect(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'].every((m) => mayRetry(m, false))).toBe(true);
    expect(mayRetry('POST', false)).toBe(false);
    expect(mayRetry('PATCH', false)).toBe(false);
    expect(mayRetry('POST', true)).toBe(true);
    expect(['GET', 'HEAD'].every((m) => mayHedge(m, false))).toBe(true);
    expect(['PUT', 'DELETE', 'POST'].some((m) => mayHedge(m, false))).toBe(false);
    expect(mayHedge('POST', true)).toBe(true);
  });

  it('the docs name exactly the methods a source may have that are retried without `idempotent`', () => {
    const doc = (file: string) => readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');
    const named = (text: string) =>
      [...text.matchAll(/\b(GET|HEAD|OPTIONS|PUT|DELETE|POST|PATCH|TRACE)\b/g)].map((m) => m[1]);
    const retried = METHODS.filter((m) => mayRetry(m, false));
    const lines = [
      doc('docs/resilience.md').match(/\*\*Which requests:\*\* ([^(]*)/)?.[1],
      doc('docs/vendors.md').match(/Retries \(([^;)]*)/)?.[1],
      doc('README.md').match(/\(([A-Z/]*) are retried/)?.[1],
    ];
    for (const line of lines) expect(new Set(named(line ?? ''))).toEqual(new Set(retried));
  });

  it('retries 429/502/503/504 and every transient connection failure, and nothing else', () => {
    /** Whether the policy retries `err` after `counter` attempts of a GET with one retry. */
    const retries = (err: object, counter = 1): boolean => decide(err, { counter }).retried;
    const status = (statusCode: number) => ({ code: 'UND_ERR_REQ_RETRY', statusCode, headers: {} });
    expect([429, 502, 503, 504, 500, 501, 404].map((s) => retries(status(s)))).toEqual([
      ...[true, true, true, true],
      ...[false, false, false],
    ]);
    const transient = ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENETDOWN', 'ENETUNREACH'];
    transient.push('EHOSTDOWN', 'EHOSTUNREACH', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT');
    for (const code of transient) expect([code, retries({ code })]).toEqual([code, true]);
    // A host that does not resolve, or an answer undici refuses, would fail the same way again.
    for (const code of ['ENOTFOUND', 'UND_ERR_HEADERS_OVERFLOW'])
      expect([code, retries({ code })]).toEqual([code, false]);
    expect(retries({ code: 'UND_ERR_SOCKET', message: 'bad response' })).toBe(false);
    // `retries: 1` is one extra attempt: the second failure stands.
    expect(retries({ code: 'ECONNRESET' }, 2)).toBe(false);
  });

  it('tells the hedge when the server answered, or when a retry wait begins', () => {
    /** Whether the policy signalled the hedge for `err`. */
    const signals = (err: object): boolean => decide(err).answered;
    // Headers arrived, whether or not the status is retried: no duplicate for a server that answered.
    expect(signals({ code: 'UND_ERR_REQ_RETRY', statusCode: 500, headers: {} })).toBe(true);
    expect(signals({ code: 'UND_ERR_REQ_RETRY', statusCode: 429, headers: { 'retry-after': '30' } })).toBe(true);
    // A connection reset has no headers, but its back-off is a retry wait: no hedge during it either.
    expect(signals({ code: 'ECONNRESET' })).toBe(true);
    // A name that does not resolve is neither an answer nor retried.
    expect(signals({ code: 'ENOTFOUND' })).toBe(false);
  });

  it('sends a POST again only when no connection opened: after a reset the vendor may have read it', () => {
    const retried = (code: string): boolean => decide({ code }, { method: 'POST' }).retried;
    expect(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'EAI_AGAIN'].filter(retried)).toHaveLength(3);
    expect(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ETIMEDOUT', 'EHOSTUNREACH'].filter(retried)).toEqual([]);
  });

  it('reads and formats sizes', () => {
    expect(parseSize('10MiB')).toBe(10 * 1024 * 1024);
    expect(parseSize('1.5 KiB')).toBe(1536);
    expect(parseSize('2MB')).toBe(2_000_000);
    expect(parseSize(512)).toBe(512);
    // Every unit means what it says: decimal KB, MB and GB are powers of 1000, binary ones of 1024.
    expect(['7B', '1KB', '1KiB', '1MB', '1GB', '1GiB'].map(parseSize)).toEqual([7, 1000, 1024, 1e6, 1e9, 1024 ** 3]);
    // Units are case-sensitive: `10mb` is refused, not read as 10 MB.
    // Units are case-sensitive (`mb` could be millibits), but the message says which case was meant.
    expect(() => parseSize('10mb')).toThrow('"10mb" is not a size; units are case-sensitive: write 10MiB (or 10MB)');
    expect(() => parseSize('1.5 kib')).toThrow('write 1.5KiB (or 1.5KB)');
    expect(() => parseSize('2Gb')).toThrow('write 2GiB (or 2GB)');
    expect(() => parseSize('ten')).toThrow('"ten" is not a size; use 512KiB, 10MiB, 1MB or a number of bytes');
    expect([10 * 1024 * 1024, 1536, 1024 ** 3, 100].map(formatSize)).toEqual(['10 MiB', '1.5 KiB', '1 GiB', '100 B']);
    // A size just under a unit reads in that unit, not as 1024 of the one below; bytes are shown exactly.
    expect([1_048_535, 1024 ** 3 - 1, 1023, 1_048_524].map(formatSize)).toEqual([
      '1 MiB',
      '1 GiB',
      '1023 B',
      '1023.9 KiB',
    ]);
  });
});
