/**
 * `agg demo` end to end through the built bin: simulated vendors on 127.0.0.1, the packaged
 * sources.example.yaml, and the real search path. Etsy fails at random by design, so assertions
 * accept it as ok or error.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_CONFIG } from '../../src/cli/demo.js';
import { run } from '../../src/cli.js';
import { BARE_ENV, BIN, runBin } from '../helpers/bin.js';
import { runCli } from '../helpers/cli.js';

/** The example file's param defaults (`params:`), which every search's `query.params` shows. */
// The flight sources' declared defaults: listed in a flight search's query.params, not in a product search's.
const DEFAULTS = { adults: '1', cabin: 'economy' };

const agg = (args: string[]) => runBin(args);

/** Splits a stream of pretty-printed JSON documents: only a document starts with `{` at column 0. */
const documents = (
  text: string,
): { offers: { source: string; rank: number }[]; sources: { name: string; status: string }[] }[] =>
  text
    .split(/\n(?=\{)/)
    .filter((d) => d.trim())
    .map((d) => JSON.parse(d));

describe('agg demo', () => {
  it('does not spin on the terminal while a pipe’s reader may print the first search’s output (`agg demo --json | jq`)', async () => {
    // stderr a terminal as ora drives it; stdout a pipe, whose reader (jq) prints on that terminal too.
    const tty = { isTTY: true, columns: 120, cursorTo: () => true, clearLine: () => true, moveCursor: () => true };
    const stderr = Object.assign(new PassThrough(), tty);
    let terminal = '';
    stderr.on('data', (chunk: Buffer) => {
      terminal += chunk.toString();
    });
    let afterFirstOutput: number | undefined;
    const code = await run(['demo', '--json'], {
      stdout: {
        write: () => {
          afterFirstOutput ??= terminal.length;
          return true;
        },
        isTTY: false,
      },
      stdoutPipe: true,
      stderr: stderr as unknown as NodeJS.WriteStream,
      env: { PATH: process.env.PATH, XDG_CACHE_HOME: mkdtempSync(path.join(os.tmpdir(), 'agg-cache-')) },
      cwd: process.cwd(),
      home: '/nonexistent-home',
      interrupt: new AbortController().signal,
    });
    expect(code).toBe(0);
    // The first search spins (nothing is on its way to the terminal yet); the second does not: its frames
    // landed in front of jq's lines (`⠋ 0/4 sources{`).
    expect(terminal.slice(0, afterFirstOutput)).toContain('0/3 sources');
    expect(terminal.slice(afterFirstOutput)).toContain('$ agg search from=JFK');
    expect(terminal.slice(afterFirstOutput)).not.toMatch(/\d+\/\d+ sources/);
  });

  it('runs a product search and a flight search, each ranked, with clean output when piped', async () => {
    const out = await agg(['demo']);
    expect(out.code).toBe(0);
    expect(out.stderr).toContain('$ agg search sony headphones');
    expect(out.stderr).toContain('$ agg search from=JFK to=LHR date=2026-12-20');
    // Etsy's vintage MDR-3 when Etsy answers (it fails one time in five), else Best Buy's MDR-7506.
    // Then the original price, when a source that converts answered (Etsy's €, eBay UK's £), blank on an offer in dollars.
    expect(out.stdout).toMatch(/│ +1 │ +\$\d+\.\d\d │ (?: *(?:[€£]\d+\.\d\d)? │ )?(Vintage )?Sony/);
    expect(out.stdout).toMatch(/│ +1 │ +\$\d+\.\d\d │ (?: +│ )?JFK → LHR/);
    // Piped: no spinner frames, no colour.
    expect(out.stdout + out.stderr).not.toMatch(/\x1b\[|[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/);
  });

  it('prints one JSON document per search for `agg demo --json | jq .offers[0]`', async () => {
    const out = await agg(['demo', '--json', '-q']);
    const [products, flights] = documents(out.stdout);
    expect(products?.offers[0]).toMatchObject({ rank: 1 });
    expect(new Set(products?.offers.map((o) => o.source))).toContain('ebay');
    expect(flights?.offers[0]).toMatchObject({ rank: 1 });
    const status = Object.fromEntries(flights?.sources.map((s) => [s.name, s.status]) ?? []);
    expect(status).toMatchObject({ amadeus: 'ok', duffel: 'ok', kiwi: 'ok', ebay: 'skipped' });
    expect(['ok', 'error']).toContain(products?.sources.find((s) => s.name === 'etsy')?.status);
  });

  it('skips a demo search none of the selected sources can run, and runs the other', async () => {
    const out = await agg(['demo', '--tag', 'flights', '--json', '--limit', '1']);
    expect(out.code).toBe(0);
    expect(out.stderr).toContain('skipped: no selected source can run with these params (amadeus needs from');
    const [flights, ...more] = documents(out.stdout);
    expect(more).toEqual([]);
    expect(flights?.offers).toHaveLength(1);
    // Given terms that nothing selected can run, it is still the usage error it always was.
    const terms = await agg(['demo', 'sony', '--tag', 'flights']);
    expect(terms.code).toBe(2);
    expect(terms.stderr).toContain('agg: no selected source can run');
  });

  it('lets --param change a built-in search: the flight search from EWR, not a param given twice', async () => {
    const out = await agg(['demo', '--param', 'from=EWR', '--json', '-q']);
    // Only the flight search sets `from`: the shop search, given it too, warned that no shop reads it.
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const [products, flights] = documents(out.stdout) as unknown as { query: { params: Record<string, string> } }[];
    // The example's declared defaults are there too, in both: what the templates were given.
    expect(products?.query.params).toEqual({ query: 'sony headphones' });
    expect(flights?.query.params).toEqual({ from: 'EWR', to: 'LHR', date: '2026-12-20', ...DEFAULTS });
  });

  it('lets --param query=… replace the shop search’s words, and only there', async () => {
    const out = await agg(['demo', '--param', 'query=bose', '--json', '--limit', '1']);
    expect(out.code).toBe(0);
    const [products, flights] = documents(out.stdout) as unknown as { query: { params: Record<string, string> } }[];
    expect(products?.query.params).toEqual({ query: 'bose' });
    expect(flights?.query.params).toEqual({ from: 'JFK', to: 'LHR', date: '2026-12-20', ...DEFAULTS });
    // Each search is announced as it ran.
    expect(out.stderr).toContain('$ agg search query=bose --json --limit 1\n');
    expect(out.stderr).toContain('$ agg search from=JFK to=LHR date=2026-12-20 --json --limit 1\n');
  });

  it('announces each search as a shell would run it: a term with a space is quoted', async () => {
    const out = await agg(['demo', '--param', "query=bose's qc", '--json', '--limit', '1']);
    expect(out.stderr).toContain(`$ agg search 'query=bose'\\''s qc' --json --limit 1\n`);
    // A word that starts with `-` is shown after `--`: `agg search tv -refurb` is an unknown option.
    const dashed = await agg(['demo', '--json', '--', 'tv', '-refurb']);
    expect(dashed.stderr).toContain('$ agg search --json -- tv -refurb\n');
  });

  // Its address comes in as ${AGG_DEMO_URL}, and a value from the environment is hidden: every line the
  // demo logs read `GET ***` and then a path. The vendors' keys in the example file stay hidden.
  it('shows its own vendors’ address under --verbose, and still hides the keys', async () => {
    const out = await agg(['demo', 'sony', '--verbose', '--json', '--source', 'bestbuy']);
    expect(out.stderr).toMatch(
      /bestbuy: GET http:\/\/127\.0\.0\.1:\d+\/bestbuy\/v1\/products\(search=sony\)\?apiKey=\*\*\*&/,
    );
  });

  it('passes search flags through: terms, --strategy best, --where', async () => {
    const out = await agg([
      'demo',
      'from=JFK',
      'to=LHR',
      'date=2026-12-20',
      '-s',
      'best',
      '--where',
      'stops = 0',
      '--json',
    ]);
    const [doc] = documents(out.stdout);
    expect(doc?.offers).toHaveLength(1);
    expect(doc?.offers[0]).toMatchObject({ rank: 1, stops: 0 });
  });

  it('--serve on a port in use is a usage error with a hint', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    const out = await agg(['demo', '--serve', '--port', String(port)]);
    blocker.close();
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(`--port ${port} is in use`);
  });

  it('--port that is not a number is a usage error: an empty one ("$PORT" unset) once listened on any free port', async () => {
    for (const text of ['', ' ', '0x1F90', '1e3']) {
      const out = await runCli(['demo', '--serve', '--port', text]);
      expect([text, out.code, out.stderr.trim()]).toEqual([text, 2, `agg: --port: expected 0–65535, got "${text}"`]);
      expect(out.stdout).toBe('');
    }
  });

  it('--port without --serve, or --serve with terms, is a usage error: neither is ignored in silence', async () => {
    const port = await runCli(['demo', '--port', '9999']);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('--port is the port for --serve; add --serve');
    expect(port.stdout).toBe('');
    const terms = await runCli(['demo', '--serve', 'sony']);
    expect(terms.code).toBe(2);
    expect(terms.stderr).toContain('--serve starts the vendors only; it takes no search terms');
  });

  it('--serve with a search flag is a usage error, not a server that ignores it', async () => {
    // `--serve --json` or `--serve -c mine.yaml` started the vendors as if the flag were not there.
    for (const [flags, name] of [
      [['--json'], '--json'],
      [['-c', 'mine.yaml'], '--config'],
      [['--limit', '3'], '--limit'],
      [['-s', 'all'], '--strategy'],
    ] as const) {
      const out = await runCli(['demo', '--serve', '--port', '0', ...flags]);
      expect([name, out.code, out.stderr.trim()]).toEqual([
        name,
        2,
        `agg: --serve starts the vendors only; ${name} is for a search`,
      ]);
      expect(out.stdout).toBe('');
    }
  });

  it('--serve keeps the vendors up and prints their URL until Ctrl-C', async () => {
    const child: ChildProcess = spawn(process.execPath, [BIN, 'demo', '--serve', '--port', '0'], {
      stdio: 'pipe',
      env: BARE_ENV,
    });
    const url = await new Promise<string>((resolve) => {
      child.stdout?.on('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${url}/bestbuy/v1/products(search=sony)?apiKey=demo&format=json`);
    expect(res.status).toBe(200);
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', resolve);
      child.kill('SIGINT');
    });
    expect(code).toBe(0);
  });

  it('--serve ends on a hang-up even with its output away from a terminal: it would hold its port for good', async () => {
    // A search ignores the hang-up then (`nohup agg … &`, see test/e2e.test.ts); a server never ends by itself.
    const child: ChildProcess = spawn(process.execPath, [BIN, 'demo', '--serve', '--port', '0'], {
      stdio: 'pipe',
      env: BARE_ENV,
    });
    await new Promise<void>((resolve) => child.stdout?.once('data', () => resolve()));
    // One that ignores it is stopped all the same after 5 s: the test leaves no server behind.
    const stop = setTimeout(() => child.kill('SIGKILL'), 5000);
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => {
      child.on('exit', (_code, sig) => resolve(sig));
      child.kill('SIGHUP');
    });
    clearTimeout(stop);
    expect(signal).toBe('SIGHUP');
  });

  it('--serve stops at once when Ctrl-C came while it was starting', async () => {
    const interrupt = new AbortController();
    interrupt.abort();
    const out = await runCli(['demo', '--serve', '--port', '0'], { interrupt: interrupt.signal });
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^http:\/\/127\.0\.0\.1:\d+\n$/);
  });

  it('--serve suggests a search whose -c names the example file from the folder it runs in', async () => {
    // Outside the clone (an installed agg), `-c sources.example.yaml` was "file not found".
    const interrupt = new AbortController();
    interrupt.abort();
    const suggested = async (cwd: string) => {
      const out = await runCli(['demo', '--serve', '--port', '0'], { cwd, interrupt: interrupt.signal });
      return /-c (\S+) sony headphones/.exec(out.stderr)?.[1];
    };
    const elsewhere = mkdtempSync(path.join(os.tmpdir(), 'agg-newcomer-'));
    const file = await suggested(elsewhere);
    expect(file && existsSync(path.resolve(elsewhere, file))).toBe(true);
    expect(file).toBe(EXAMPLE_CONFIG);
    // In the clone, its own name, as the README writes it.
    expect(await suggested(path.dirname(EXAMPLE_CONFIG))).toBe('sources.example.yaml');
  });
});
