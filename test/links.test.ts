/** Titles as terminal hyperlinks: which runs get them (a terminal that shows them, colour allowed), through run(). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Io } from '../src/cli/io.js';
import { terminalShowsLinks, useLinks } from '../src/cli/links.js';
import { runCli } from './helpers/cli.js';
import { source, writeConfig } from './helpers/config.js';
import { json, startServer, type TestServer } from './helpers/server.js';

const LINK = /\x1b\]8;;([^\x1b]*)\x1b\\/g;
const targets = (text: string): string[] => [...text.matchAll(LINK)].map(([, t]) => t ?? '').filter(Boolean);

// A terminal that shows links, as WezTerm sets its variables.
const WEZTERM = { TERM: 'xterm-256color', TERM_PROGRAM: 'WezTerm', TERM_PROGRAM_VERSION: '20240203-110809-5046fc22' };

let server: TestServer;
let file: string;
beforeAll(async () => {
  server = await startServer((_req, res) =>
    json(res, {
      items: [
        {
          title: 'Sony WH-1000XM5 Wireless Noise Cancelling Headphones',
          price: 10,
          currency: 'USD',
          url: 'https://www.ebay.com/itm/112429282722',
        },
        {
          title: 'Hostile link',
          price: 20,
          currency: 'USD',
          url: 'https://shop.example/\x1b]8;;https://evil.example/\x07',
        },
        { title: 'Script link', price: 30, currency: 'USD', url: 'javascript:alert(1)' },
        { title: 'C1 link', price: 40, currency: 'USD', url: 'https://shop.example/a\x9cb\nc' },
        { title: 'Relative link', price: 50, currency: 'USD', url: '/p/5' },
      ],
    }),
  );
  file = writeConfig([source('shop', `${server.url}/s`, '\n      url: url')]);
});
afterAll(() => server.close());

const search = (args: string[], opts: Parameters<typeof runCli>[1]) =>
  runCli(['search', 'x', '-c', file, ...args], opts);

describe('titles as terminal hyperlinks', () => {
  it('links each title in a terminal that shows links, and only to a safe http(s) url', async () => {
    const out = await search([], { terminalColumns: 80, env: WEZTERM });
    expect(out.code).toBe(0);
    // The hostile, script, C1 and relative links are none: their titles are plain text.
    expect(targets(out.stdout)).toEqual(['https://www.ebay.com/itm/112429282722']);
    expect(out.stdout).toContain('1 column hidden for width: url (see --json)');
    // The same table as without links, less the links.
    const plain = await search([], { terminalColumns: 80, env: { ...WEZTERM, AGG_HYPERLINKS: '0' } });
    expect(targets(plain.stdout)).toEqual([]);
    expect(out.stdout.replace(LINK, '')).toBe(plain.stdout);
  });

  it.each([
    ['--no-color', ['--no-color'], {}],
    ['NO_COLOR', [], { NO_COLOR: '1' }],
    ['FORCE_COLOR=0', [], { FORCE_COLOR: '0' }],
    ['TERM=dumb', [], { TERM: 'dumb' }],
    ['AGG_HYPERLINKS=0', [], { AGG_HYPERLINKS: '0' }],
  ])('writes none under %s', async (_what, args, env) => {
    const out = await search(args, { terminalColumns: 120, env: { ...WEZTERM, ...env } });
    expect(out.code).toBe(0);
    expect(out.stdout).not.toContain('\x1b]');
  });

  it('writes none to a pipe or a file, even when AGG_HYPERLINKS=1 asks', async () => {
    const out = await search([], { env: { ...WEZTERM, AGG_HYPERLINKS: '1' } });
    expect(out.stdout).toContain('Sony WH-1000XM5');
    expect(out.stdout).not.toContain('\x1b');
  });

  it.each([['--json'], ['-f', 'csv'], ['-f', 'ndjson']])('writes none in %s, in a terminal', async (...format) => {
    const out = await search(format, { terminalColumns: 120, env: { ...WEZTERM, AGG_HYPERLINKS: '1' } });
    expect(out.code).toBe(0);
    expect(out.stdout).not.toContain('\x1b]');
  });

  it('writes none in `agg sources`, in a terminal', async () => {
    const out = await runCli(['sources', '-c', file], {
      terminalColumns: 120,
      env: { ...WEZTERM, AGG_HYPERLINKS: '1' },
    });
    expect(out.code).toBe(0);
    expect(out.stdout).not.toContain('\x1b]');
  });

  it('writes none in a terminal it does not know, unless AGG_HYPERLINKS=1', async () => {
    const unknown = { TERM: 'xterm-256color' };
    expect(targets((await search([], { terminalColumns: 120, env: unknown })).stdout)).toEqual([]);
    const asked = await search([], { terminalColumns: 120, env: { ...unknown, AGG_HYPERLINKS: '1' } });
    expect(targets(asked.stdout)).toEqual(['https://www.ebay.com/itm/112429282722']);
  });

  it('writes none in a CI log, whose terminal is not the one the variables name', async () => {
    const out = await search([], { terminalColumns: 120, env: { ...WEZTERM, CI: 'true' } });
    expect(out.stdout).not.toContain('\x1b]');
  });
});

describe('useLinks', () => {
  const io = (env: Record<string, string>, isTTY = true): Io =>
    ({ stdout: { write: () => true, isTTY, columns: 80 }, env }) as unknown as Io;

  it('needs a terminal with colour allowed, whatever AGG_HYPERLINKS says', () => {
    expect(useLinks(true, io(WEZTERM))).toBe(true);
    expect(useLinks(false, io(WEZTERM))).toBe(false);
    expect(useLinks(true, io(WEZTERM, false))).toBe(false);
    expect(useLinks(true, io({ ...WEZTERM, AGG_HYPERLINKS: '1' }, false))).toBe(false);
    expect(useLinks(true, io({ TERM: 'dumb', AGG_HYPERLINKS: '1' }))).toBe(false);
    expect(useLinks(true, io({ NO_COLOR: '1', AGG_HYPERLINKS: '1' }))).toBe(false);
  });

  it('takes AGG_HYPERLINKS=1 or true, 0 or false, and else asks the terminal', () => {
    expect(useLinks(true, io({ AGG_HYPERLINKS: 'true' }))).toBe(true);
    expect(useLinks(true, io({ ...WEZTERM, AGG_HYPERLINKS: 'false' }))).toBe(false);
    expect(useLinks(true, io({ ...WEZTERM, AGG_HYPERLINKS: 'maybe' }))).toBe(true);
    expect(useLinks(true, io({ AGG_HYPERLINKS: 'maybe' }))).toBe(false);
  });
});

describe('terminalShowsLinks', () => {
  it.each([
    [{ TERM_PROGRAM: 'iTerm.app', TERM_PROGRAM_VERSION: '3.4.19' }, true],
    [{ TERM_PROGRAM: 'iTerm.app', TERM_PROGRAM_VERSION: '3.0.15' }, false],
    [{ TERM_PROGRAM: 'WezTerm', TERM_PROGRAM_VERSION: '20200620-160318-e00b076a' }, true],
    [{ TERM_PROGRAM: 'WezTerm', TERM_PROGRAM_VERSION: '20200517-122836-92c201c6' }, false],
    [{ TERM_PROGRAM: 'WezTerm', TERM_PROGRAM_VERSION: '0-unstable-2024-05-01' }, true],
    [{ TERM_PROGRAM: 'WezTerm', TERM_PROGRAM_VERSION: '0-unstable-2019-05-01' }, false],
    [{ TERM_PROGRAM: 'vscode', TERM_PROGRAM_VERSION: '1.85.1' }, true],
    [{ TERM_PROGRAM: 'vscode', TERM_PROGRAM_VERSION: '1.71.0' }, false],
    [{ TERM_PROGRAM: 'vscode', TERM_PROGRAM_VERSION: '0.42.3', CURSOR_TRACE_ID: 'abc' }, true],
    [{ TERM_PROGRAM: 'ghostty' }, true],
    [{ TERM_PROGRAM: 'Apple_Terminal', TERM_PROGRAM_VERSION: '453' }, false],
    [{ TERM_PROGRAM: 'tmux', TERM_PROGRAM_VERSION: '3.4' }, false],
    [{ WT_SESSION: 'a4b0…' }, true],
    [{ VTE_VERSION: '7600' }, true],
    [{ VTE_VERSION: '5000' }, false],
    [{ VTE_VERSION: '4803' }, false],
    [{ KITTY_WINDOW_ID: '1' }, true],
    [{ TERM: 'xterm-kitty' }, true],
    [{ TERM: 'alacritty' }, true],
    [{ TERM: 'xterm-256color' }, false],
    [{}, false],
  ])('%o: %s', (env, shows) => {
    expect(terminalShowsLinks(env)).toBe(shows);
  });
});
