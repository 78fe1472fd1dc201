/**
 * `agg completion`'s own behaviour: the hidden `--list` the scripts call on every Tab (never a word on
 * stderr, never an exit code but 0, never a request), and the script a pure function of the commands.
 */
import { Command, Option } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPLETION_LISTS, completes } from '../src/cli/completes.js';
import { fishScript } from '../src/cli/completion-fish.js';
import { describeProgram } from '../src/cli/completion-spec.js';
import { runBin } from './helpers/bin.js';
import { runCli } from './helpers/cli.js';
import { source, writeConfig } from './helpers/config.js';
import { json, startServer, type TestServer } from './helpers/server.js';

describe('agg completion --list', () => {
  let server: TestServer;
  let hits = 0;
  beforeAll(async () => {
    server = await startServer((_req, res) => {
      hits += 1;
      json(res, { items: [] });
    });
  });
  afterAll(() => server.close());

  it('prints one candidate a line, and sends no request', async () => {
    const file = writeConfig([source('shop', `${server.url}/s?q={{query}}&to={{to}}`, '\n    tags: [a, b]')]);
    expect(await runBin(['completion', '--list', 'sources', '-c', file])).toEqual({
      code: 0,
      stdout: 'shop\n',
      stderr: '',
    });
    expect((await runBin(['completion', '--list', 'tags', '-c', file])).stdout).toBe('a\nb\n');
    expect((await runBin(['completion', '--list', 'params', '-c', file])).stdout).toBe('to=\n');
    expect(hits).toBe(0);
  });

  it('prints the fields --sort ranks by and the codes --currency ranks in, each once, and sends no request', async () => {
    const file = writeConfig([
      source('shop', `${server.url}/s?q={{query}}`, '\n      stops: stops\n    currency: CHF'),
      source('air', `${server.url}/f?q={{query}}`, '\n      rating: score\n      stops: legs\n    currency: EUR'),
    ]);
    const list = async (name: string) => runBin(['completion', '--list', name, '-c', file]);
    // The offer model's own fields (not `rank`, numbered after the sort), then the mapped ones.
    expect(await list('fields')).toEqual({
      code: 0,
      stdout: 'source\ntitle\nprice\ncurrency\nurl\nstops\nrating\n',
      stderr: '',
    });
    // The file's `currency`, its `rates` keys, then the sources' `currency:`.
    expect((await list('currencies')).stdout).toBe('USD\nEUR\nGBP\nCHF\n');
    expect(hits).toBe(0);
  });

  it.each([
    ['broken YAML', writeConfig([], 'sources: [ {'), {}],
    ['a missing file', '/nonexistent/sources.yaml', {}],
    ['an unset ${VAR} and broken YAML', writeConfig([source('shop', 'https://x.example/?k=${KEY}')], 'a: ['), {}],
    ['standard input', '-', {}],
    ['AGG_DEBUG=1 and broken YAML', writeConfig([], 'sources: ['), { AGG_DEBUG: '1' }],
  ])('prints nothing and exits 0 for %s, whichever the list', async (_, file, env) => {
    for (const list of COMPLETION_LISTS) {
      expect(await runBin(['completion', '--list', list, '-c', file], env)).toEqual({
        code: 0,
        stdout: '',
        stderr: '',
      });
    }
  });

  it('offers the candidates of a file whose ${VAR}s are unset, each such value left out, and sends no request', async () => {
    const file = writeConfig(
      [
        source('shop', '${SHOP_URL}/s?q={{query}}&k=${KEY}', '\n    tags: [open, "${TAG}"]'),
        source('air', `${server.url}/f?q={{query}}&k=\${AIR_KEY:?set it}`, '\n    tags: ["${AIR_TAG:-flights}"]'),
      ],
      'currency: USD\nparams:\n  market: { choices: [de, "${MARKET}"] }',
    );
    const list = async (name: string) => (await runBin(['completion', '--list', name, '-c', file])).stdout;
    expect(await list('sources')).toBe('shop\nair\n');
    // A default is taken as when the search runs; an unset value is no candidate.
    expect(await list('tags')).toBe('open\nflights\n');
    expect(await list('params')).toBe('market=\nmarket=de\n');
    // The second Tab loads from the config cache, which tolerates them too.
    expect(await list('sources')).toBe('shop\nair\n');
    expect(hits).toBe(0);
    // The search still refuses the file, naming each variable.
    const search = await runBin(['sources', '-c', file]);
    expect(search.code).toBe(2);
    expect(search.stderr).toContain('environment variable KEY is not set');
    expect(search.stderr).toContain('environment variable AIR_KEY is not set: set it');
  });

  it('prints nothing for a list it does not know (a script from another version)', async () => {
    const file = writeConfig([source('shop', `${server.url}/s`)]);
    expect(await runCli(['completion', '--list', 'nothing', '-c', file])).toMatchObject({
      code: 0,
      stdout: '',
      stderr: '',
    });
  });

  it('leaves out a tag, a required name or a choice that is an environment secret, as `agg sources` hides it', async () => {
    const file = writeConfig(
      [
        source(
          'shop',
          `${server.url}/s?q={{query}}`,
          '\n    tags: [open, "${TAG_KEY}"]\n    requires: [query, "${REQ_KEY}"]',
        ),
      ],
      'params:\n  market: { choices: [de, "${MARKET_KEY}"] }',
    );
    const env = { TAG_KEY: 'tag_secret_1', REQ_KEY: 'req_secret_2', MARKET_KEY: 'sk_live_market3' };
    const out = await Promise.all(
      ['tags', 'params'].map(
        async (list) => (await runCli(['completion', '--list', list, '-c', file], { env })).stdout,
      ),
    );
    expect(out).toEqual(['open\n', 'market=\nmarket=de\n']);
  });

  it('leaves out a mapped field whose name is an environment secret, which the run would print as ***', async () => {
    const file = writeConfig([
      source(
        'shop',
        `${server.url}/s?q={{query}}`,
        '\n      carrier_code: c\n      stops: s\n    tags: ["${FIELD_KEY}"]',
      ),
    ]);
    const env = { FIELD_KEY: 'carrier_code' };
    const { stdout } = await runCli(['completion', '--list', 'fields', '-c', file], { env });
    expect(stdout).toBe('source\ntitle\nprice\ncurrency\nurl\nstops\n');
  });

  it('leaves out a choice with a line break or a control character in it', async () => {
    const file = writeConfig(
      [source('shop', `${server.url}/s?q={{query}}`)],
      'params:\n  cabin: { choices: [economy, "a\\nb", "\\e[2J", "ok too"] }',
    );
    const { stdout } = await runCli(['completion', '--list', 'params', '-c', file]);
    expect(stdout).toBe('cabin=\ncabin=economy\ncabin=ok too\n');
  });
});

describe('agg completion SHELL', () => {
  it('needs a shell it knows', async () => {
    expect(await runCli(['completion'])).toMatchObject({
      code: 2,
      stderr: 'agg: agg completion needs a shell: bash, zsh, fish\n',
    });
    expect((await runCli(['completion', 'tcsh'])).code).toBe(2);
  });

  it('writes the script from commander’s options: a flag added there completes', () => {
    const program = new Command('agg');
    program
      .command('search')
      .description('search')
      .addOption(new Option('-s, --strategy <name>', "how it's reduced").choices(['best', 'all']))
      .addOption(completes(new Option('--source <names>', 'these'), 'sources'))
      .option('--new-flag', 'added later');
    const lines = fishScript(describeProgram(program))
      .split('\n')
      .filter((line) => line.startsWith('complete '));
    expect(lines).toMatchInlineSnapshot(`
      [
        "complete -c 'agg' -f",
        "complete -c 'agg' -n 'not __agg_command' -a search -d 'search'",
        "complete -c 'agg' -n 'not __agg_command' -a help -d 'display help for command'",
        "complete -c 'agg' -n 'not __agg_command' -s h -l help -d 'display help for command'",
        "complete -c 'agg' -n '__agg_using search' -s s -l strategy -x -a 'best all' -d 'how it\\'s reduced'",
        "complete -c 'agg' -n '__agg_using search' -l source -x -a '(__agg_list sources ,)' -d 'these'",
        "complete -c 'agg' -n '__agg_using search' -l new-flag -d 'added later'",
        "complete -c 'agg' -n '__agg_using search' -s h -l help -d 'display help for command'",
        "complete -c 'agg' -n '__agg_using help' -f -a 'search'",
      ]
    `);
  });
});
