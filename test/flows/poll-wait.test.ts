/**
 * How long agg waits between polls: `interval`, or longer when the vendor's answer says so with
 * Retry-After, as a search still running answers (202 Accepted, RFC 9110 §10.2.3).
 */
import type http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { source, writeConfig } from '../helpers/config.js';
import { json, startServer, type TestServer } from '../helpers/server.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/**
 * A search that is done at poll `done`, answering 202 with `Retry-After: <retryAfter>` until then (or what
 * `retryAfter` gives for the polls so far, none when undefined); each request's arrival time is kept in `at`.
 */
async function slowSearch(retryAfter: string | ((polls: number) => string | undefined), done: number, plain = false) {
  const at: number[] = [];
  let polls = 0;
  const server = await startServer((req: http.IncomingMessage, res: http.ServerResponse) => {
    at.push(Date.now());
    if (req.url !== '/create') polls++;
    const complete = polls >= done;
    const items = [{ title: `after ${polls} polls`, price: 10 + polls, currency: 'USD' }];
    const asked = typeof retryAfter === 'string' ? retryAfter : retryAfter(polls);
    const headers = complete || asked === undefined ? {} : { 'retry-after': asked };
    return json(
      res,
      { id: 's1', status: complete ? 'done' : 'running', items },
      { status: complete ? 200 : 202, headers },
    );
  });
  servers.push(server);
  const file = writeConfig([
    source(
      'slow',
      `${server.url}/create`,
      `
    poll:
      request: { url: "${server.url}/poll/{{ $response.id }}" }
      until: status = "done"
      interval: 20ms
      maxAttempts: 20
    flowTimeout: 3s`,
    ),
    // A source of one request reading the same answer: its row has no Retry-After of a 2xx to show.
    ...(plain ? [source('plain', `${server.url}/create`)] : []),
  ]);
  return { at, file, polls: () => polls };
}

describe('the wait between polls', () => {
  it("waits as long as a poll answer's Retry-After asks, when that is longer than the interval", async () => {
    const vendor = await slowSearch('1', 2);
    const doc = JSON.parse((await runCli(['search', 'x', '-c', vendor.file, '--json'])).stdout);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', attempts: 3, offers: 1 });
    expect(doc.sources[0]).not.toHaveProperty('retryAfterMs');
    expect(doc.offers[0].title).toBe('after 2 polls');
    // Every 20 ms, the vendor that asked for a second between polls was asked fifty times in it.
    const gaps = vendor.at.slice(1).map((t, i) => t - (vendor.at[i] as number));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(900);
  });

  it("reads each answer's own Retry-After: a poll's sets the wait after it alone, where the others ask none", async () => {
    const vendor = await slowSearch((polls) => (polls === 1 ? '1' : undefined), 3);
    const doc = JSON.parse((await runCli(['search', 'x', '-c', vendor.file, '--json'])).stdout);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', attempts: 4, offers: 1 });
    expect(doc.offers[0].title).toBe('after 3 polls');
    // create → poll 1: the interval; poll 1 → poll 2: the second poll 1 asked for; poll 2 → poll 3: the interval.
    const gaps = vendor.at.slice(1).map((t, i) => t - (vendor.at[i] as number));
    expect(gaps).toHaveLength(3);
    expect(gaps[1]).toBeGreaterThanOrEqual(900);
    // 20 ms intervals: far under a second, unless a Retry-After read once were kept for every poll after it.
    expect(gaps[0]).toBeLessThan(900);
    expect(gaps[2]).toBeLessThan(900);
  });

  it("ends polling at once, incomplete, when the Retry-After would outlast the flow's limit", async () => {
    const vendor = await slowSearch('30', 2, true);
    const started = Date.now();
    const doc = JSON.parse((await runCli(['search', 'x', '-c', vendor.file, '--json'])).stdout);
    // Not a wait that the limit cuts short: said at once, and what the vendor asked for is named.
    expect(Date.now() - started).toBeLessThan(2500);
    expect(vendor.polls()).toBe(0);
    expect(doc.sources[0]).toMatchObject({ status: 'ok', incomplete: true, offers: 1 });
    expect(doc.sources[1]).toEqual({
      name: 'plain',
      status: 'ok',
      httpStatus: 202,
      ms: expect.any(Number),
      attempts: 1,
      offers: 1,
    });
    expect(doc.sources[0].error).toBe(
      'incomplete after 0 polls: the vendor asked to wait 30s before the next poll (Retry-After), past the time left',
    );
  });
});
