/**
 * `agg completion bash|zsh|fish`: each script is run in its shell (zsh and fish only where installed)
 * against the built bin, with a sources file in a temp folder, as a user's Tab would run it.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { STRATEGIES } from '../src/types.js';
import { BARE_ENV, BIN } from './helpers/bin.js';
import { runCli } from './helpers/cli.js';
import { writeConfig } from './helpers/config.js';

const has = (shell: string): boolean => {
  try {
    execFileSync('sh', ['-c', `command -v ${shell}`]);
    return true;
  } catch {
    return false;
  }
};

const dir = mkdtempSync(path.join(os.tmpdir(), 'agg-completion-'));
// `agg` on PATH, as the scripts call it.
writeFileSync(
  path.join(dir, 'agg'),
  `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`,
);
chmodSync(path.join(dir, 'agg'), 0o755);
const env = { ...BARE_ENV, PATH: `${dir}:${BARE_ENV.PATH}`, HOME: dir };

const CONFIG = writeConfig(
  [
    `
  - name: ebay
    tags: [products]
    currency: EUR
    request: { url: "http://127.0.0.1:9/s?q={{query}}" }
    offers: items
    fields: { title: title, price: price }
  - name: kiwi
    tags: [flights]
    requires: [from]
    request: { url: "http://127.0.0.1:9/f?to={{to}}" }
    offers: items
    fields: { title: title, price: price, stops: stops }`,
  ],
  'currency: USD\nrates: { GBP: 1.30 }\nparams:\n  cabin: { choices: [economy, premium economy, business] }\n  date: { type: date }',
);
const BROKEN = writeConfig([], 'sources: [ {');

const script = async (shell: string): Promise<string> => {
  const file = path.join(dir, `agg.${shell}`);
  writeFileSync(file, (await runCli(['completion', shell])).stdout);
  return file;
};

const shell = (cmd: string, args: string[], extra: Record<string, string> = {}) =>
  new Promise<{ stdout: string; stderr: string }>((resolve, reject) =>
    execFile(cmd, args, { env: { ...env, ...extra }, cwd: dir }, (err, stdout, stderr) =>
      err ? reject(err) : resolve({ stdout, stderr }),
    ),
  );

describe('the bash script', () => {
  let file: string;
  beforeAll(async () => {
    file = await script('bash');
  });
  // COMP_WORDS as bash splits the line: at spaces, and around `=` and `:` (COMP_WORDBREAKS).
  const complete = async (words: string[], extra: Record<string, string> = {}) => {
    const harness = `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _agg; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const { stdout, stderr } = await shell('bash', ['-c', harness, '_', file, ...words], extra);
    expect(stderr).toBe('');
    return stdout.split('\n').filter(Boolean);
  };

  it('completes the commands, and each command the flags commander lists in its help', async () => {
    expect(await complete(['agg', ''])).toEqual(['search', 'sources', 'demo', 'completion', 'help']);
    const help = (await runCli(['search', '--help'])).stdout;
    const long = [...new Set(help.match(/--[a-z][a-z-]*/g))];
    expect(await complete(['agg', 'search', '--'])).toEqual(expect.arrayContaining(long));
    expect(await complete(['agg', 'search', '--st'])).toEqual(['--strategy', '--strict']);
  });

  it('completes the choices of --strategy and --hedge, after a space or an =', async () => {
    expect(await complete(['agg', 'search', '--strategy', ''])).toEqual([...STRATEGIES]);
    expect(await complete(['agg', 'search', '--strategy', '=', 'f'])).toEqual(['first']);
    expect(await complete(['agg', 'search', '--hedge', ''])).toEqual(['auto', 'off']);
  });

  it('completes source names, tags and params from the sources file -c names, or $AGG_CONFIG', async () => {
    expect(await complete(['agg', 'search', '-c', CONFIG, '--source', ''])).toEqual(['ebay', 'kiwi']);
    expect(await complete(['agg', 'search', '-c', CONFIG, '--source', 'ebay,k'])).toEqual(['ebay,kiwi']);
    expect(await complete(['agg', 'search', '--tag', ''], { AGG_CONFIG: CONFIG })).toEqual(['products', 'flights']);
    // Declared and required params, never `query` (a search's words are its query); each choice as name=choice.
    expect(await complete(['agg', 'search', '-c', CONFIG, ''])).toEqual([
      'cabin=',
      'cabin=economy',
      'cabin=premium\\ economy',
      'cabin=business',
      'date=',
      'from=',
      'to=',
    ]);
    // Bash replaces only what follows the `=`.
    expect(await complete(['agg', 'search', '-c', CONFIG, 'cabin', '=', 'b'])).toEqual(['business']);
  });

  it('completes --sort from the offer fields and --currency from the currencies the sources file names', async () => {
    expect(await complete(['agg', 'search', '-c', CONFIG, '--sort', ''])).toEqual([
      'source',
      'title',
      'price',
      'currency',
      'url',
      'stops',
    ]);
    expect(await complete(['agg', 'search', '--sort', '=', 'st'], { AGG_CONFIG: CONFIG })).toEqual(['stops']);
    expect(await complete(['agg', 'search', '-c', CONFIG, '--currency', ''])).toEqual(['USD', 'GBP', 'EUR']);
    expect(await complete(['agg', 'search', '-c', CONFIG, '--currency', '=', 'G'])).toEqual(['GBP']);
    // The demo reads its bundled example, not this file: nothing to offer from it.
    expect(await complete(['agg', 'demo', '-c', CONFIG, '--sort', ''])).toEqual([]);
  });

  it('completes --distinct from the same offer fields, each after the fields typed before a comma', async () => {
    expect(await complete(['agg', 'search', '-c', CONFIG, '--distinct', ''])).toEqual([
      'source',
      'title',
      'price',
      'currency',
      'url',
      'stops',
    ]);
    expect(await complete(['agg', 'search', '-c', CONFIG, '--distinct', 'title,st'])).toEqual(['title,stops']);
    expect(await complete(['agg', 'search', '--distinct', '=', 'title,s'], { AGG_CONFIG: CONFIG })).toEqual([
      'title,source',
      'title,stops',
    ]);
  });

  it('offers nothing from a broken sources file, and prints nothing', async () => {
    expect(await complete(['agg', 'search', '-c', BROKEN, '--source', ''])).toEqual([]);
    expect(await complete(['agg', 'search', '-c', BROKEN, '--sort', ''])).toEqual([]);
    expect(await complete(['agg', 'search', '-c', BROKEN, '--currency', ''])).toEqual([]);
    expect(await complete(['agg', 'search', '--source', ''], { AGG_CONFIG: BROKEN, AGG_DEBUG: '1' })).toEqual([]);
  });
});

describe.runIf(has('zsh'))('the zsh script', () => {
  // The completion system's own functions stubbed, to print what the script hands them.
  const stubs = `compdef() { }
compadd() { print -r -- "compadd $*" }
compset() { }
_files() { print -r -- files }
_describe() { print -r -- "describe \${(j: :)\${(P)\${@[-1]}}}" }`;
  const complete = async (...words: string[]) => {
    const file = await script('zsh');
    const harness = `${stubs}\nsource "$1"; shift; words=("$@"); CURRENT=$#; _agg`;
    return (await shell('zsh', ['-f', '-c', harness, '_', file, ...words])).stdout;
  };

  it('completes commands with their help, values, and the sources file', async () => {
    expect(await complete('agg', '')).toMatch(/^describe search:search every relevant source/);
    expect(await complete('agg', 'search', '--strategy', '')).toBe('compadd -- best all first\n');
    expect(await complete('agg', 'search', '-c', CONFIG, '--source', '')).toBe('compadd -- ebay kiwi\n');
    expect(await complete('agg', 'search', '-c', BROKEN, '--source', '')).toBe('compadd --\n');
    expect(await complete('agg', 'search', '-c', CONFIG, '--distinct', 'title,')).toBe(
      'compadd -- source title price currency url stops\n',
    );
  });
});

describe.runIf(has('fish'))('the fish script', () => {
  const complete = async (line: string) => {
    const file = await script('fish');
    const { stdout } = await shell('fish', ['-c', 'source $argv[1]; complete -C $argv[2]', file, line]);
    return stdout.split('\n').filter(Boolean);
  };

  it('completes commands, flag values and the sources file, each with its help', async () => {
    expect(await complete('agg se')).toEqual(['search\tsearch every relevant source and rank the offers']);
    expect(await complete('agg search --strategy=f')).toEqual(['--strategy=first\thow offers are reduced']);
    expect(await complete(`agg search -c ${CONFIG} fr`)).toEqual(['from=']);
    expect(await complete(`agg search -c ${BROKEN} --source `)).toEqual([]);
    expect(await complete(`agg search -c ${CONFIG} --distinct title,st`)).toEqual([
      expect.stringMatching(/^title,stops\tlist offers alike in these fields/),
    ]);
  });
});
