/**
 * `agg demo`'s heading over each search is the search that ran, flags too: `$ agg search sony headphones`
 * above `No offers.` hid the `--where 'price < 1'` that left the offers out, and pasted against
 * `agg demo --serve`, the line ran another search. Real demo vendors on 127.0.0.1.
 */
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { EXAMPLE_CONFIG } from '../../src/cli/demo.js';
import { type DemoServer, startDemoServer } from '../../src/demo/server.js';
import { runCli } from '../helpers/cli.js';

let served: DemoServer | undefined;
afterEach(async () => {
  await served?.close();
  served = undefined;
});

/** The words of each `$ agg search …` heading, as a POSIX shell splits them. */
const headings = (stderr: string): string[][] =>
  [...stderr.matchAll(/^\$ agg search (.*)$/gm)].map(([, line]) =>
    execFileSync('sh', ['-c', `printf '%s\\n' ${line}`], { encoding: 'utf8' })
      .trimEnd()
      .split('\n'),
  );

describe('agg demo’s heading', () => {
  it('repeats the search flags typed, quoted for a shell, and runs the same search against the served vendors', async () => {
    const out = await runCli([
      ...['demo', 'sony', 'headphones', '--where', 'price < 1 or title = "it\'s"'],
      ...['--source', 'ebay', '--source', 'bestbuy', '-s', 'first', '--no-color'],
    ]);
    expect(out.code).toBe(1);
    const [words, ...more] = headings(out.stderr);
    expect(more).toEqual([]);
    expect(words).toEqual([
      ...['sony', 'headphones', '--strategy', 'first', '--source', 'ebay,bestbuy'],
      ...['--where', 'price < 1 or title = "it\'s"', '--no-color'],
    ]);
    // Against `agg demo --serve`'s vendors, the heading's search leaves out the same offers.
    served = await startDemoServer({ failRate: 0 });
    const again = await runCli(['search', ...(words ?? []), '-c', EXAMPLE_CONFIG], {
      env: { AGG_DEMO_URL: served.url },
    });
    expect(again.code).toBe(1);
    expect(again.stdout).toBe(out.stdout);
    expect(out.stdout).toMatch(/^No offers: --where left out all \d+\.\n$/);
  });

  it('puts the flags before `--` when a term starts with `-`, and leaves a --param among the terms', async () => {
    const dashed = await runCli(['demo', '--limit', '1', '--json', '--source', 'bestbuy', '--', 'tv', '-refurb']);
    expect(dashed.stderr).toContain('$ agg search --json --source bestbuy --limit 1 -- tv -refurb\n');
    const param = await runCli(['demo', '--param', 'query=bose', '--json', '--limit', '1', '--source', 'bestbuy']);
    expect(param.stderr).toContain('$ agg search query=bose --json --source bestbuy --limit 1\n');
  });
});
