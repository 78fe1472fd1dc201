/**
 * `No offers.` says when vendors failed, not only when they had nothing: under `-q`, which prints no status
 * rows, a cron job's log of a run whose every vendor was down (exit 4) read `No offers.`, as a search that
 * matched nothing (exit 1) does. Real vendors on 127.0.0.1.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { source, writeConfig } from './helpers/config.js';
import { json, startServer, type TestServer } from './helpers/server.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A vendor answering `items`, or `status` with an empty body. */
async function vendor(items: unknown[], status = 200): Promise<string> {
  const s = await startServer((_req, res) => {
    if (status === 200) return json(res, { items });
    res.writeHead(status).end();
  });
  servers.push(s);
  return `${s.url}/s`;
}

const noRetry = '\n    retries: 0';

describe('a run with no offers, under -q', () => {
  it('says every source failed, with exit 4, where it read `No offers.`', async () => {
    const file = writeConfig([
      source('a', await vendor([], 500), noRetry),
      source('b', await vendor([], 503), noRetry),
    ]);
    const out = await runCli(['search', 'x', '-c', file, '-q']);
    expect([out.code, out.stdout]).toEqual([4, 'No offers: all 2 sources failed.\n']);
    const one = writeConfig([source('a', await vendor([], 500), noRetry)]);
    expect((await runCli(['search', 'x', '-c', one, '-q'])).stdout).toBe('No offers: the one source failed.\n');
  });

  it('counts the sources that failed beside those that had nothing, exit 1; with none failed it is `No offers.`', async () => {
    const file = writeConfig([source('a', await vendor([], 500), noRetry), source('b', await vendor([]))]);
    const out = await runCli(['search', 'x', '-c', file, '-q']);
    expect([out.code, out.stdout]).toEqual([1, 'No offers: 1 of 2 sources failed.\n']);
    const none = writeConfig([source('b', await vendor([]))]);
    expect((await runCli(['search', 'x', '-c', none, '-q'])).stdout).toBe('No offers.\n');
  });

  it('says both what --where left out and what failed', async () => {
    const kept = await vendor([{ title: 'a', price: 50, currency: 'USD' }]);
    const file = writeConfig([source('a', kept), source('b', await vendor([], 500), noRetry)]);
    const out = await runCli(['search', 'x', '-c', file, '-q', '--where', 'price < 10']);
    expect([out.code, out.stdout]).toEqual([
      1,
      'No offers: --where left out the one there was, and 1 of 2 sources failed.\n',
    ]);
  });
});
