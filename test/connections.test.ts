/**
 * Many sources on one origin share its `connections`: the rest wait in undici's queue. A source whose
 * time limit passes while it waits was never sent, and its row must say so rather than blame the vendor.
 */
import type http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigText } from '../src/config/index.js';
import { waitedFor } from '../src/scatter/abort-outcome.js';
import { createDispatcher } from '../src/scatter/dispatcher.js';
import { send } from '../src/scatter/send.js';
import { search } from '../src/search/index.js';
import { runCli } from './helpers/cli.js';
import { source, writeConfig } from './helpers/config.js';
import { json, startServer, type TestServer } from './helpers/server.js';

const offers = { items: [{ title: 't', price: 1, currency: 'USD' }] };

let server: TestServer;
beforeAll(async () => {
  server = await startServer((req, res) => {
    const ms = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('ms'));
    return json(res, { items: [{ title: req.url, price: 1, currency: 'USD' }] }, { ms });
  });
});
afterAll(() => server.close());

const literal = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A row's error naming a request queued for a connection, for however long it waited. */
const queuedFor = (before: string, after = '', short?: 'short'): RegExp =>
  new RegExp(
    `^${literal(before)}queued \\d+(?:ms|\\.\\ds) for a connection to its origin${
      short ? '' : literal(' (all of defaults.connections busy, or connecting)')
    }${literal(after)}$`,
  );

/** How long the error says the request was queued, in ms. */
function waitedMs(error: string | undefined): number {
  const match = /queued (\d+)(ms|\.(\d)s)/.exec(error ?? '');
  if (!match) return Number.NaN;
  return match[2] === 'ms' ? Number(match[1]) : Number(match[1]) * 1000 + Number(match[3]) * 100;
}

interface Row {
  name: string;
  status: string;
  attempts: number;
  error?: string;
  hedged?: true;
}

describe('how long a request waited for a connection', () => {
  it('is whole milliseconds below a second and tenths past it, with the busy connections named unless short', () => {
    expect(waitedFor(2)).toBe(
      'queued 2ms for a connection to its origin (all of defaults.connections busy, or connecting)',
    );
    expect(waitedFor(999, true)).toBe('queued 999ms for a connection to its origin');
    expect(waitedFor(1000, true)).toBe('queued 1.0s for a connection to its origin');
    expect(waitedFor(1049, true)).toBe('queued 1.0s for a connection to its origin');
    expect(waitedFor(12_345, true)).toBe('queued 12.3s for a connection to its origin');
  });
});

describe('sources queued behind others on one origin', () => {
  it('a source whose timeout passes before a connection comes free is `not sent`, with no attempt', async () => {
    // Two connections, both held 2 s by slow sources; the fast source (1 s limit) waits behind them.
    const file = writeConfig(
      [
        source('slow1', `${server.url}/slow1?ms=2000`),
        source('slow2', `${server.url}/slow2?ms=2000`),
        source('fast', `${server.url}/fast?ms=0`, '\n    timeout: 1s'),
      ],
      'currency: USD\ndefaults:\n  connections: 2\n  timeout: 5s',
    );
    const out = await runCli(['search', 'x', '-c', file, '--json']);
    const rows = Object.fromEntries((JSON.parse(out.stdout).sources as Row[]).map((r) => [r.name, r]));
    expect(rows.slow1).toMatchObject({ status: 'ok', attempts: 1 });
    expect(rows.fast).toMatchObject({ status: 'timeout', attempts: 0 });
    expect(rows.fast?.error).toBe(
      `not sent within 1s: waiting for a connection to its origin (all of defaults.connections busy, or connecting): GET ${server.url}/fast?ms=0`,
    );
    expect(server.requests.map((r) => r.url)).not.toContain('/fast?ms=0');
    // send() marks it for a flow's row (pages.ts); a row says it in words only.
    expect(rows.fast).not.toHaveProperty('unsent');
  });

  it('past the deadline, a source still waiting for a connection says it was not sent', async () => {
    const file = writeConfig(
      [source('slow1', `${server.url}/slow1?ms=2000`), source('queued', `${server.url}/queued?ms=0`)],
      'currency: USD\ndefaults:\n  connections: 1\n  timeout: 5s',
    );
    const out = await runCli(['search', 'x', '-c', file, '--json', '--deadline', '500ms']);
    const rows = Object.fromEntries((JSON.parse(out.stdout).sources as Row[]).map((r) => [r.name, r]));
    expect(rows.slow1).toMatchObject({
      status: 'timeout',
      error: `deadline 500ms passed: GET ${server.url}/slow1?ms=2000`,
    });
    expect(rows.queued).toMatchObject({ status: 'timeout', attempts: 0 });
    // Queued from the start, it waited as long as the run.
    expect(rows.queued?.error).toMatch(
      queuedFor('deadline 500ms passed, not sent: ', `: GET ${server.url}/queued?ms=0`),
    );
    expect(waitedMs(rows.queued?.error)).toBeGreaterThanOrEqual(450);
  });

  it('so is a flow’s, whose own limit (its timeout) ends it: the row names the wait, not only the limit', async () => {
    // The flow's limit is due just before the request's: a paged source's row read `time limit 1s
    // passed: GET …`, with 0 attempts, where a plain source's named the queue and the setting.
    const file = writeConfig(
      [
        source('slow1', `${server.url}/slow1?ms=2000`),
        source('slow2', `${server.url}/slow2?ms=2000`),
        source('paged', `${server.url}/paged?ms=0`, '\n    timeout: 1s\n    next: next'),
      ],
      'currency: USD\ndefaults:\n  connections: 2\n  timeout: 5s',
    );
    const out = await runCli(['search', 'x', '-c', file, '--json']);
    const row = (JSON.parse(out.stdout).sources as Row[]).find((r) => r.name === 'paged');
    expect(row).toMatchObject({ status: 'timeout', attempts: 0 });
    expect(row?.error).toMatch(queuedFor('time limit 1s passed, not sent: ', `: GET ${server.url}/paged?ms=0`));
  });
});

describe('a hedge on a busy origin', () => {
  it('a duplicate that waited behind the origin’s other requests and never went out is no hedge and no attempt', async () => {
    server.requests.length = 0;
    // Two connections: a and b hold them 800 ms; a's duplicate (due at 100 ms) queues behind c and is
    // aborted, unsent, when a answers.
    const file = writeConfig(
      [
        source('a', `${server.url}/a?ms=800`),
        source('b', `${server.url}/b?ms=800`),
        source('c', `${server.url}/c?ms=0`),
      ],
      'currency: USD\ndefaults:\n  connections: 2\n  hedge: 100ms',
    );
    const out = await runCli(['search', 'x', '-c', file, '--json']);
    const rows = JSON.parse(out.stdout).sources as Row[];
    expect(rows.map((r) => [r.name, r.status, r.attempts, r.hedged ?? false])).toEqual([
      ['a', 'ok', 1, false],
      ['b', 'ok', 1, false],
      ['c', 'ok', 1, false],
    ]);
    expect(server.requests.map((r) => r.url).sort()).toEqual(['/a?ms=800', '/b?ms=800', '/c?ms=0']);
  });
});

describe('the default cap on connections', () => {
  it('sends at most 32 requests at once to one origin when the file sets no `connections`', async () => {
    // 40 sources on one origin, each answered after a second: 32 go out at once, and 8 wait for a free connection.
    let open = 0;
    let most = 0;
    const busy = await startServer((_req, res) => {
      most = Math.max(most, ++open);
      res.on('close', () => open--);
      return json(res, { items: [{ title: 't', price: 1, currency: 'USD' }] }, { ms: 1000 });
    });
    try {
      const names = Array.from({ length: 40 }, (_, i) => `s${i}`);
      const file = writeConfig(
        names.map((n) => source(n, `${busy.url}/${n}`)),
        'currency: USD\ndefaults:\n  timeout: 10s',
      );
      const out = await runCli(['search', 'x', '-c', file, '--json']);
      expect((JSON.parse(out.stdout).sources as Row[]).every((r) => r.status === 'ok')).toBe(true);
      expect(most).toBe(32);
    } finally {
      await busy.close();
    }
  });
});

/**
 * A vendor on one connection that, as `firstPath` is asked for, first sends a request of its own through
 * that connection and holds it until `run` ends: whatever the source sends next waits in the queue behind
 * it, in that order every time, with no timer racing it.
 */
async function behindHeldRequest<R>(
  firstPath: string,
  first: (res: http.ServerResponse) => void,
  run: (vendor: TestServer, dispatcher: ReturnType<typeof createDispatcher>) => Promise<R>,
): Promise<{ vendor: TestServer; row: R }> {
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const dispatcher = createDispatcher({ connections: 1 });
  let holding: Promise<unknown> | undefined;
  const vendor = await startServer(async (req, res) => {
    if (req.url === '/hold') {
      await released;
      return json(res, {});
    }
    if (req.url === firstPath && !holding) {
      holding = dispatcher.request({ origin: vendor.url, path: '/hold', method: 'GET' }).then((r) => r.body.dump());
      return first(res);
    }
    return json(res, offers);
  });
  try {
    return { vendor, row: await run(vendor, dispatcher) };
  } finally {
    release();
    await holding;
    await dispatcher.destroy();
    await vendor.close();
  }
}

describe('a retry or a redirect queued behind another request to its origin', () => {
  // One connection. The vendor answers the source at once (a 503, a 302), but before it does, another
  // request takes the queue's head and is held until the test ends: the retry or hop waits behind it.
  function queuedBehind(first: (res: http.ServerResponse) => void) {
    return behindHeldRequest('/s', first, async (vendor, dispatcher) => {
      const ctx = { dispatcher, signal: new AbortController().signal, redact: (t: string) => t };
      const req = { method: 'GET', url: `${vendor.url}/s`, headers: {} };
      return send('s', req, { timeoutMs: 1000, retries: 1 }, ctx);
    });
  }

  it('a retry after a 503 that waited for a connection says so, not that the 503 was cut short', async () => {
    // Before: `HTTP 503, body not complete within 1s`, 2 attempts, for a 503 read whole in a few ms.
    const { vendor, row } = await queuedBehind((res) => void json(res, { error: 'busy' }, { status: 503 }));
    expect(row).toMatchObject({ status: 'timeout', httpStatus: 503, attempts: 1 });
    expect(row.error).toMatch(queuedFor('retry not sent within 1s, after HTTP 503: ', `: GET ${vendor.url}/s`));
  });

  it('a retry queued late in the time limit says how long it waited, not how long the request took', async () => {
    // The 503 comes after 1.2 s of a 2 s limit, so the retry waits at most the 0.8 s left: `queued 2.0s`
    // counted the first request's time as the retry's wait.
    const { vendor, row } = await behindHeldRequest(
      '/s',
      (res) => void json(res, { error: 'busy' }, { status: 503, ms: 1200 }),
      (vendor, dispatcher) => {
        const ctx = { dispatcher, signal: new AbortController().signal, redact: (t: string) => t };
        const req = { method: 'GET', url: `${vendor.url}/s`, headers: {} };
        return send('s', req, { timeoutMs: 2000, retries: 1 }, ctx);
      },
    );
    expect(row.error).toMatch(queuedFor('retry not sent within 2s, after HTTP 503: ', `: GET ${vendor.url}/s`));
    // Bounded by the time left, however slow the host: the vendor took at least 1.2 s of the 2.
    expect(waitedMs(row.error)).toBeLessThanOrEqual(800);
  });

  // Before: `attempts: 2`, counting the retry that never left.
  it('so does a retry after a 429, still rate limited, with one attempt', async () => {
    const { vendor, row } = await queuedBehind(
      (res) => void json(res, { error: 'slow down' }, { status: 429, headers: { 'retry-after': '0' } }),
    );
    expect(row).toMatchObject({ status: 'error', httpStatus: 429, rateLimited: true, retryAfterMs: 0, attempts: 1 });
    expect(row.error).toMatch(
      queuedFor(
        'rate limited (HTTP 429 Too Many Requests; retry not sent within 1s, ',
        `): GET ${vendor.url}/s`,
        'short',
      ),
    );
    expect(vendor.requests.map((r) => r.url)).toEqual(['/s', '/hold']);
  });

  it('so does a redirect’s hop, named with the hop it was going to', async () => {
    // Before: `HTTP 302, body not complete within 1s: GET …/s`.
    const { vendor, row } = await queuedBehind((res) => {
      res.writeHead(302, { location: '/moved' });
      res.end();
    });
    expect(row).toMatchObject({ status: 'timeout', httpStatus: 302, attempts: 1 });
    expect(row.error).toMatch(
      queuedFor('redirect not sent within 1s, after HTTP 302: ', `: GET ${vendor.url}/s → ${vendor.url}/moved`),
    );
    expect(vendor.requests.map((r) => r.url)).toEqual(['/s', '/hold']);
  });
});

describe('a flow’s next request queued behind another request to its origin', () => {
  // One connection. The flow's first answer comes at once, but before it does another request takes the
  // queue's head and is held until the search is over: the flow's next page or poll waits behind it
  // until the flow's limit (its 1 s timeout) ends it.
  function flowQueuedBehind(firstPath: string, first: unknown, flowYaml: (url: string) => string) {
    return behindHeldRequest(
      firstPath,
      (res) => void json(res, first),
      async (vendor, dispatcher) => {
        const config = loadConfigText(`currency: USD\nsources:${flowYaml(vendor.url)}\n`, 'sources.yaml', {});
        const result = await search(config, { text: 'x', params: { query: 'x' }, dispatcher });
        return result.sources[0];
      },
    );
  }

  it('a page that waited for a connection until the flow’s limit is named as not sent', async () => {
    // Before: `incomplete, kept 1 page; time limit 1s passed`, as if page 2 had been slow to answer.
    const { vendor, row } = await flowQueuedBehind('/p1', { ...offers, next: '/p2' }, (url) =>
      source('paged', `${url}/p1`, '\n    timeout: 1s\n    next: next'),
    );
    expect(row).toMatchObject({ status: 'ok', incomplete: true, attempts: 1, offers: 1 });
    expect(row?.error).toMatch(queuedFor('incomplete, kept 1 page; time limit 1s passed, page 2 not sent: '));
    expect(vendor.requests.map((r) => r.url)).toEqual(['/p1', '/hold']);
  });

  it('a page queued just before the limit says how briefly it waited, not that it waited all along', async () => {
    // Page 1 answers after 800 ms of a 1 s limit, so page 2 is queued for about 200 ms. The row said
    // `waiting for a connection … (all of defaults.connections busy …)` as if it had waited the whole second.
    const { row } = await behindHeldRequest(
      '/p1',
      (res) => void json(res, { ...offers, next: '/p2' }, { ms: 800 }),
      async (vendor, dispatcher) => {
        const yaml = source('paged', `${vendor.url}/p1`, '\n    timeout: 1s\n    next: next');
        const config = loadConfigText(`currency: USD\nsources:${yaml}\n`, 'sources.yaml', {});
        return (await search(config, { text: 'x', params: { query: 'x' }, dispatcher })).sources[0];
      },
    );
    expect(row).toMatchObject({ status: 'ok', incomplete: true, offers: 1 });
    expect(row?.error).toMatch(queuedFor('incomplete, kept 1 page; time limit 1s passed, page 2 not sent: '));
    // The request's own wait, not the limit's: at most the 200 ms left after page 1 (the host may be slow).
    expect(waitedMs(row?.error)).toBeLessThan(1000);
  });

  it('so is a poll', async () => {
    const { row } = await flowQueuedBehind('/create', { ...offers, session: 's1', status: 'pending' }, (url) =>
      source(
        'polled',
        `${url}/create`,
        `\n    timeout: 1s\n    poll:\n      request: { url: "${url}/poll/{{ $response.session }}" }\n      until: status = "done"\n      interval: 10ms`,
      ),
    );
    expect(row).toMatchObject({ status: 'ok', incomplete: true, attempts: 1, offers: 1 });
    expect(row?.error).toMatch(queuedFor('incomplete after 0 polls: time limit 1s passed, poll 1 not sent: '));
  });
});
