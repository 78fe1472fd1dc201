/**
 * Ctrl-C is an abort from outside (`search()`'s `signal`): what had arrived is kept and printed.
 * A flow with responses in hand ends `ok` and incomplete with their offers, and a run that Ctrl-C
 * cut short is `partial`, while take-first's cancellations are not.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfigText } from '../src/config/index.js';
import { createDispatcher } from '../src/scatter/dispatcher.js';
import { search } from '../src/search/index.js';
import type { SearchResult } from '../src/types.js';
import { LIVE_PRICES_SOURCE, livePrices, pagedList } from './flows/vendors.js';
import { runCli } from './helpers/cli.js';
import { source, writeConfig } from './helpers/config.js';
import { json, startServer, type TestServer } from './helpers/server.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A poll source that waits 10 s between polls, so Ctrl-C lands in the wait. */
const slowPolls = (url: string) => LIVE_PRICES_SOURCE(url).replace('interval: 20ms', 'interval: 10s');

/** Runs `search()` in-process over `sources`, with `interrupt` as its outside signal. */
async function librarySearch(
  sources: string[],
  interrupt: AbortSignal,
  strategy: 'all' | 'first' = 'all',
  log?: (line: string) => void,
): Promise<SearchResult> {
  const config = loadConfigText(`currency: USD\nsources:${sources.join('')}\n`, 'sources.yaml', {});
  const dispatcher = createDispatcher();
  try {
    return await search(config, {
      text: 'x',
      params: { query: 'x', from: 'JFK' },
      strategy,
      sort: { field: 'price', desc: false },
      dispatcher,
      signal: interrupt,
      ...(log ? { log } : {}),
    });
  } finally {
    await dispatcher.destroy();
  }
}

/** A never-completing poll vendor, and a Ctrl-C that comes once the create has answered and the flow waits for its first poll. */
async function interruptedPolls() {
  const interrupt = new AbortController();
  const vendor = livePrices(Number.POSITIVE_INFINITY);
  const server = await startServer((req, res) => {
    const answered = vendor.handle(req, res);
    void answered?.then(() => setTimeout(() => interrupt.abort(), 150));
    return answered;
  });
  servers.push(server);
  return { interrupt, server, vendor };
}

describe('Ctrl-C keeps what arrived', () => {
  it('a poll flow interrupted after its first response ends ok and incomplete, with its offers', async () => {
    const { interrupt, server, vendor } = await interruptedPolls();
    const started = Date.now();
    const result = await librarySearch([slowPolls(server.url)], interrupt.signal);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(vendor.polls).toBe(0);
    expect(result.sources[0]).toMatchObject({ name: 'sky', status: 'ok', incomplete: true, offers: 2 });
    expect(result.sources[0]?.error).toBe('incomplete after 0 polls: interrupted');
    expect(result.offers.map((o) => o.title)).toEqual(['it-b', 'it-a']);
    expect(result.partial).toBe(true);
  });

  it('a paged flow interrupted during page 2 keeps page 1', async () => {
    const interrupt = new AbortController();
    let base = '';
    const list = pagedList(() => base);
    const server = await startServer((req, res) => {
      if (!req.url?.includes('page=2')) return list(req, res);
      setTimeout(() => interrupt.abort(), 100);
      return new Promise<void>((resolve) => res.on('close', resolve));
    });
    servers.push(server);
    base = server.url;
    const result = await librarySearch(
      [source('list', `${server.url}/list?q=x&page=1`, '\n    next: next')],
      interrupt.signal,
    );
    expect(result.sources[0]).toMatchObject({ status: 'ok', incomplete: true, offers: 2, attempts: 2 });
    // Ctrl-C cut page 2 short: it did not fail.
    expect(result.sources[0]?.error).toBe('incomplete, kept 1 page; interrupted');
    expect(result.offers.map((o) => o.title)).toEqual(['p1-b', 'p1-a']);
  });

  it('a flow interrupted before any response is cancelled, with nothing', async () => {
    const interrupt = new AbortController();
    const server = await startServer(() => {
      setTimeout(() => interrupt.abort(), 100);
      return new Promise<void>(() => {});
    });
    servers.push(server);
    const result = await librarySearch([slowPolls(server.url)], interrupt.signal);
    expect(result.sources[0]).toMatchObject({ status: 'cancelled', offers: 0 });
    expect(result.sources[0]?.error).toBe(`interrupted: POST ${server.url}/create`);
    expect(result.partial).toBe(true);
  });
});

describe('partial after Ctrl-C', () => {
  it('an interrupted plain run is partial: the cancelled sources never answered', async () => {
    const interrupt = new AbortController();
    const fast = await startServer((_req, res) =>
      json(res, { items: [{ title: 'fast', price: 1, currency: 'USD' }] }).then(
        () => void setTimeout(() => interrupt.abort(), 150),
      ),
    );
    const slow = await startServer((_req, res) => json(res, { items: [] }, { ms: 8000 }));
    servers.push(fast, slow);
    const result = await librarySearch(
      [source('fast', `${fast.url}/s`), source('slow', `${slow.url}/s`)],
      interrupt.signal,
    );
    expect(result.sources.map((s) => s.status)).toEqual(['ok', 'cancelled']);
    expect(result.offers.map((o) => o.title)).toEqual(['fast']);
    expect(result.partial).toBe(true);
  });

  it('a Ctrl-C from the log line of an answer keeps that answer: the line said 200, the row said cancelled', async () => {
    // A library caller stopping the run once one source has answered, from inside its log.
    const interrupt = new AbortController();
    const fast = await startServer((_req, res) => json(res, { items: [{ title: 'fast', price: 1, currency: 'USD' }] }));
    const slow = await startServer((_req, res) => json(res, { items: [] }, { ms: 8000 }));
    servers.push(fast, slow);
    const lines: string[] = [];
    const result = await librarySearch(
      [source('fast', `${fast.url}/s`), source('slow', `${slow.url}/s`)],
      interrupt.signal,
      'all',
      (line) => {
        lines.push(line);
        if (line.startsWith('fast:')) interrupt.abort();
      },
    );
    expect(result.sources.map((s) => [s.name, s.status, s.offers])).toEqual([
      ['fast', 'ok', 1],
      ['slow', 'cancelled', 0],
    ]);
    expect(result.offers.map((o) => o.title)).toEqual(['fast']);
    // One line for the answer, not a second one taking it back.
    expect(lines.filter((l) => l.startsWith('fast:'))).toEqual([expect.stringMatching(/→ 200 · /)]);
  });

  it('take-first cancellations are not partial', async () => {
    const fast = await startServer((_req, res) => json(res, { items: [{ title: 'fast', price: 1, currency: 'USD' }] }));
    const slow = await startServer((_req, res) => json(res, { items: [] }, { ms: 8000 }));
    servers.push(fast, slow);
    const result = await librarySearch(
      [source('fast', `${fast.url}/s`), source('slow', `${slow.url}/s`)],
      new AbortController().signal,
      'first',
    );
    expect(result.sources.map((s) => s.status)).toEqual(['ok', 'cancelled']);
    expect(result.partial).toBe(false);
  });

  it('a run that ended before Ctrl-C is not partial', async () => {
    const interrupt = new AbortController();
    const fast = await startServer((_req, res) => json(res, { items: [{ title: 'fast', price: 1, currency: 'USD' }] }));
    servers.push(fast);
    const result = await librarySearch([source('fast', `${fast.url}/s`)], interrupt.signal);
    interrupt.abort();
    expect(result.partial).toBe(false);
  });
});

describe('Ctrl-C under NDJSON', () => {
  it('the source line and summary agree with the offers already streamed', async () => {
    const { interrupt, server } = await interruptedPolls();
    const out = await runCli(['search', 'from=JFK', '-c', writeConfig([slowPolls(server.url)]), '--format', 'ndjson'], {
      interrupt: interrupt.signal,
    });
    expect(out.code).toBe(130);
    const lines = out.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    // Each offer once: the create's, streamed before Ctrl-C, and not repeated with the source line.
    expect(lines.filter((l) => l.type === 'offer').map((l) => l.title)).toEqual(['it-a', 'it-b']);
    expect(lines.find((l) => l.type === 'source')).toMatchObject({
      name: 'sky',
      status: 'ok',
      incomplete: true,
      offers: 2,
      error: 'incomplete after 0 polls: interrupted',
    });
    expect(lines.at(-1)).toMatchObject({ type: 'summary', partial: true });
    expect(out.stderr).toMatch(/interrupted\n$/);
  });
});

describe('the rows a run lists on stderr', () => {
  /** A fast source, one that answers after 8 s, and one skipped for the `date` the search lacks, in that order. */
  async function threeSources() {
    const fast = await startServer((_req, res) => json(res, { items: [{ title: 'a', price: 1, currency: 'USD' }] }));
    const slow = await startServer((_req, res) => json(res, { items: [] }, { ms: 8000 }));
    servers.push(fast, slow);
    const keyless = source('dated', `${fast.url}/k?d={{date}}`);
    return { slow, file: writeConfig([source('fast', `${fast.url}/s`), source('slow', `${slow.url}/s`), keyless]) };
  }

  it('after a Ctrl-C, names the source it cancelled, but not the one skipped as ever', async () => {
    const { slow, file } = await threeSources();
    const interrupt = new AbortController();
    const out = await runCli(['search', 'x', '-c', file, '-f', 'ndjson'], {
      interrupt: interrupt.signal,
      onStdout: (chunk) => {
        if (chunk.includes('"name":"fast"')) interrupt.abort();
      },
    });
    expect(out.code).toBe(130);
    expect(out.stderr).toMatch(new RegExp(`^  slow\\s+cancelled\\s+interrupted: GET ${slow.url}/s\\n`));
    expect(out.stderr).not.toContain('dated');
  });

  it('without one, names no source take-first cancelled: those lost a race, and the answer is whole', async () => {
    const { file } = await threeSources();
    const out = await runCli(['search', 'x', '-c', file, '--strategy', 'first', '-f', 'ndjson']);
    expect(out.code).toBe(0);
    expect(out.stderr).toMatch(/1 cancelled/);
    expect(out.stderr).not.toMatch(/slow|dated/);
  });
});
