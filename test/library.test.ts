/**
 * The library's entry (`import … from 'agg'`, src/index.ts): the option and result types a caller
 * needs are exported by name. `tsc --noEmit` (CI's typecheck) fails if one goes missing; the test
 * then uses each once at run time.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  AggError,
  type ConfigError,
  type ConfigProblem,
  compileWhere,
  createDispatcher,
  type DispatcherOptions,
  type LoadOptions,
  loadConfigText,
  type Rates,
  rank,
  render,
  renderTable,
  type SortSpec,
  search,
  type TableOptions,
  UsageError,
} from '../src/index.js';
import { source } from './helpers/config.js';
import { json, startServer } from './helpers/server.js';

describe('the library entry', () => {
  it('exports the types of its functions’ options and errors', async () => {
    const sort: SortSpec = { field: 'price', desc: false };
    const ranked = rank([{ source: 'a', title: 't', price: 2, currency: 'USD' }], sort);
    const table: TableOptions = { width: 80, color: false };
    expect(renderTable({ ...emptyResult(), offers: ranked }, table)).toContain('│ 1 │');
    const rates: Rates = { base: 'USD', rates: { EUR: 1.1 } };
    expect(rates.rates.EUR).toBe(1.1);
    const options: DispatcherOptions = { connections: 2 };
    await createDispatcher(options).destroy();
    const load: LoadOptions = {};
    let problems: readonly ConfigProblem[] = [];
    try {
      loadConfigText('sources: []\n', 'sources.yaml', {}, load);
    } catch (err) {
      problems = (err as ConfigError).problems;
    }
    expect(problems[0]).toMatchObject({ file: 'sources.yaml' });
  });
});

describe('a library caller’s stderr', () => {
  it('gets no warning of undici’s from createDispatcher() and a gzipped search, and keeps its own', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(gzipSync(JSON.stringify({ items: [{ title: 't', price: 1, currency: 'USD' }] })));
    });
    try {
      // The built library (npm test's pretest builds it), in a process of its own: Node prints a warning once.
      const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
      const script = `
        import { createDispatcher, loadConfigText, search } from ${JSON.stringify(dist)};
        const config = loadConfigText(${JSON.stringify(`sources:${source('a', `${server.url}/s`)}\n`)}, 's.yaml', {});
        const dispatcher = createDispatcher();
        const result = await search(config, { text: 'x', params: { query: 'x' }, dispatcher });
        await dispatcher.destroy();
        process.stdout.write(result.sources[0].status + ' ' + result.offers.length);
        process.emitWarning('the caller’s own', 'ExperimentalWarning');`;
      const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) =>
        execFile(process.execPath, ['--input-type=module', '-e', script], (err, stdout, stderr) =>
          err ? reject(err) : resolve({ stdout, stderr }),
        ),
      );
      expect(stdout).toBe('ok 1');
      // Other warnings are still printed: only undici's one about its decompress interceptor is left out.
      expect(stderr).toMatch(/^\(node:\d+\) ExperimentalWarning: the caller’s own\n[^\n]*--trace-warnings[^\n]*\n$/);
    } finally {
      await server.close();
    }
  });
});

describe('render()', () => {
  it('takes the table’s options only for the table: a table without them has no colour', () => {
    const result = {
      ...emptyResult(),
      offers: rank([{ source: 'a', title: 't', price: 2, currency: 'USD' }], { field: 'price', desc: false }),
    };
    expect(JSON.parse(render(result, 'json')).offers[0]).toMatchObject({ title: 't' });
    expect(render(result, 'csv')).toContain('1,a,t,2,USD');
    expect(render(result, 'table')).toBe(renderTable(result, { color: false }));
  });
});

describe('a library caller’s `where`', () => {
  it('that does not compile is a UsageError (exit code 2), in the option’s name, not the flag’s', () => {
    let thrown: unknown;
    try {
      compileWhere('price <');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    expect(thrown).toBeInstanceOf(AggError);
    expect(thrown).toMatchObject({ exitCode: 2, code: 'AGG_USAGE' });
    expect((thrown as Error).message).toMatch(/^where: invalid JSONata "price <"/);
  });

  it('that throws on every offer rejects with a UsageError that names `where`, not `--where`', async () => {
    const vendor = await startServer((_req, res) => json(res, { items: [{ title: 't', price: 1, currency: 'USD' }] }));
    try {
      const config = loadConfigText(`sources:${source('a', `${vendor.url}/s`)}\n`, 'sources.yaml', {});
      const run = search(config, { text: 'x', params: { query: 'x' }, where: compileWhere('$nosuch(price)') });
      await expect(run).rejects.toThrow(UsageError);
      await expect(run).rejects.toThrow(/^where: Attempted to invoke a non-function$/);
      // The warnings about it name the option too.
      const typo = await search(config, { text: 'x', params: { query: 'x' }, where: compileWhere('stop = 0') });
      expect(typo.warnings).toEqual([
        "where reads `stop`, which no offer has; the offers' fields: source, title, price, currency",
      ]);
    } finally {
      await vendor.close();
    }
  });
});

describe('the sources a library caller selects', () => {
  it('may be read-only lists (`as const`): `tsc --noEmit` refused them when `names` and `tags` were mutable', async () => {
    const vendor = await startServer((_req, res) => json(res, { items: [{ title: 't', price: 1, currency: 'USD' }] }));
    try {
      const yaml = `sources:${source('a', `${vendor.url}/s`, '\n    tags: [shops]')}${source('b', `${vendor.url}/s`)}\n`;
      const config = loadConfigText(yaml, 'sources.yaml', {});
      const names = ['b'] as const;
      const tags: readonly string[] = ['shops'];
      const byName = await search(config, { text: 'x', params: { query: 'x' }, names });
      const byTag = await search(config, { text: 'x', params: { query: 'x' }, tags });
      expect(byName.sources.map((s) => s.name)).toEqual(['b']);
      expect(byTag.sources.map((s) => s.name)).toEqual(['a']);
    } finally {
      await vendor.close();
    }
  });
});

describe('a search no selected source can run', () => {
  it('rejects with a message in which a `${VAR}` of `requires` is hidden, as in the skipped rows', async () => {
    const secret = 'hunter2_requires_secret';
    const yaml = `sources:\n  - name: a\n    requires: ["\${KEY}"]${source('a', 'http://127.0.0.1:9/s').replace(/^\s*- name: a/, '')}\n`;
    const config = loadConfigText(yaml, 'sources.yaml', { KEY: secret });
    const run = search(config, { text: 'x', params: { query: 'x' } });
    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow(/\(a needs \*\*\*; given: query;/);
    await expect(run).rejects.not.toThrow(secret);
  });
});

describe('a JavaScript caller’s options of the wrong shape', () => {
  const config = loadConfigText(`sources:${source('a', 'http://127.0.0.1:9/s')}\n`, 'sources.yaml', {});
  // What TypeScript would refuse, passed anyway (plain JavaScript): each a UsageError naming the option.
  const wrong = (options: Record<string, unknown>) =>
    search(config, { text: 'x', params: { query: 'x' }, ...options } as unknown as Parameters<typeof search>[1]);

  it.each([
    [
      { params: undefined },
      /^params: expected an object of name: value texts, like \{ query: 'sony' \}, got undefined$/,
    ],
    [{ params: ['x'] }, /^params: expected an object .*, got a list$/],
    [{ params: { adults: 2 } }, /^params\.adults: expected a text, got number$/],
    [{ names: 'a' }, /^names: expected a list of texts, like \['ebay'\], got the text "a"$/],
    [{ tags: [1] }, /^tags: expected a list of texts, .*, got a list$/],
    [{ where: 'price < 3' }, /^where: expected compileWhere\('…'\), got the text "price < 3"$/],
    [
      { signal: new AbortController() },
      /^signal: expected an AbortSignal \(an AbortController's \.signal\), got object$/,
    ],
    [{ dispatcher: 'agent' }, /^dispatcher: expected createDispatcher\(\), got the text "agent"$/],
    [{ log: true }, /^log: expected a function, got boolean$/],
    [{ onSource: {} }, /^onSource: expected a function, got object$/],
    // As --currency XXX: it marks offers that gave no currency, so no price can be ranked in it.
    [{ currency: 'xxx' }, /^currency: XXX marks offers that gave no currency; rank in a real one, like USD$/],
    // A name search() does not read ran without it, and without a word: no deadline, no callback.
    [{ deadline: '2s' }, /^deadline: no such option; did you mean deadlineMs\?$/],
    [{ onsource: () => {} }, /^onsource: no such option; did you mean onSource\?$/],
    [{ verbose: true }, /^verbose: no such option$/],
  ])('%o is a UsageError that names it', async (options, message) => {
    const run = wrong(options);
    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow(message);
  });

  it('a destroyed dispatcher is a UsageError naming `dispatcher`, not a failure at each source', async () => {
    // Every source read `The client is destroyed: GET …`, as if the vendors were down.
    const dispatcher = createDispatcher();
    await dispatcher.destroy();
    const run = search(config, { text: 'x', params: { query: 'x' }, dispatcher });
    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow(/^dispatcher: already destroyed or closed; /);
  });

  it('createDispatcher() and loadConfigText() name an option or an argument a JavaScript caller got wrong', () => {
    // `connection: 5` set no limit and said nothing; `loadConfigText(text, process.env)` blamed `env`.
    const misspelled = () => createDispatcher({ connection: 5 } as unknown as Parameters<typeof createDispatcher>[0]);
    expect(misspelled).toThrow(UsageError);
    expect(misspelled).toThrow('connection: no such option of createDispatcher(); did you mean connections?');
    const shifted = () =>
      loadConfigText('sources: []', process.env as unknown as string, undefined as unknown as Record<string, string>);
    expect(shifted).toThrow(UsageError);
    expect(shifted).toThrow(/^file: expected the name messages give the text, .*got object$/);
  });

  it('a config that is not loadConfig’s is a UsageError naming `config`, not a failure at each source', async () => {
    // null failed as `Cannot read properties of null`; a copy through JSON (cached, say) had lost its compiled
    // expressions, and every source read `template failed: expr.ast is not a function`.
    for (const bad of [null, JSON.parse(JSON.stringify(config))]) {
      const run = search(bad, { text: 'x', params: { query: 'x' } });
      await expect(run).rejects.toThrow(UsageError);
      await expect(run).rejects.toThrow(/^config: expected what loadConfig\(\) or loadConfigText\(\) returns, got /);
    }
  });

  it('a sources file loaded without the environment is a UsageError naming `env`, not a problem at each ${VAR}', () => {
    // `loadConfig('sources.yaml')` read as `sources.yaml:3:12: …url: Cannot read properties of undefined`.
    const text = `sources:${source('a', '${BASE}/s')}\n`;
    for (const env of [undefined, null]) {
      const load = () => loadConfigText(text, 'sources.yaml', env as unknown as Record<string, string>);
      expect(load).toThrow(UsageError);
      expect(load).toThrow(`env: expected the environment \${VAR}s are read from, like process.env, got ${env}`);
    }
  });
});

function emptyResult() {
  return {
    query: { text: 'x', params: { query: 'x' } },
    strategy: 'all' as const,
    currency: 'USD',
    offers: [],
    sources: [],
    partial: false,
    elapsedMs: 1,
    warnings: [],
  };
}
