/**
 * The config cache: a file read before is loaded from its parsed tree, with `${VAR}` references
 * filled from the environment of this run. It must give exactly what reading the YAML gives, never
 * hold an environment value, and fall back to the YAML on anything it cannot vouch for.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MAX_ENTRIES } from '../../src/config/cache.js';
import { loadCachedText, loadCachedTextLazily } from '../../src/config/cached.js';
import { type ConfigCache, loadConfigText } from '../../src/config/index.js';
import { parseConfigText } from '../../src/config/load.js';
import { check } from '../../src/config/validate.js';
import { ConfigError } from '../../src/errors.js';
import { applyMapping, type Mapping } from '../../src/map/index.js';
import { plantTemp, TWO_HOURS } from '../helpers/temp-file.js';
import { comparable, yaml } from './helpers.js';

const DIST_CONFIG = fileURLToPath(new URL('../../dist/config/index.js', import.meta.url));
const DIST_MAP = fileURLToPath(new URL('../../dist/map/index.js', import.meta.url));
const DIST_CACHED = fileURLToPath(new URL('../../dist/config/cached.js', import.meta.url));

const freshCache = (version = '1.0.0'): ConfigCache => ({
  dir: path.join(mkdtempSync(path.join(os.tmpdir(), 'agg-config-cache-')), 'agg'),
  version,
});
const entries = (cache: ConfigCache): string[] => readdirSync(cache.dir).filter((f) => f.startsWith('config-'));
const entryText = (cache: ConfigCache): string => readFileSync(path.join(cache.dir, entries(cache)[0] ?? ''), 'utf8');

/** References of every kind: plain (re-typed), quoted, defaults, escapes, through an anchor and a merge key. */
const RICH = yaml`
  currency: EUR
  rates: { USD: 0.9 }
  defaults:
    retries: \${RETRIES}
    headers: { User-Agent: "agg/\${AGENT:-dev}" }
  sources:
    - name: first
      tags: [shop]
      idempotent: true
      request: &request
        method: POST
        headers:
          Authorization: "Bearer \${TOKEN}"
          X-Region: "\${REGION}"
        url: "https://api.example/\${REGION}/search?q={{query}}&cost=$\${literal}"
        body:
          q: "{{query}}"
          region: "\${REGION}"
          limit: \${LIMIT}
          quoted: "\${LIMIT}"
      offers: items
      fields: { title: name, price: "$number(price)", region: "'\${REGION}'" }
    - name: second
      request:
        <<: *request
        url: "https://other.example/?q={{query}}"
      offers: items
      fields: { title: t, price: p }
`;
const ENV = { RETRIES: '3', TOKEN: 'tok-secret-123', REGION: 'eu', LIMIT: '20' };

describe('the config cache', () => {
  it('gives what reading the YAML gives, on the first load and from the cache', () => {
    const cache = freshCache();
    const direct = loadConfigText(RICH, 'sources.yaml', ENV);
    const first = loadConfigText(RICH, 'sources.yaml', ENV, { cache });
    expect(entries(cache)).toHaveLength(1);
    const cached = loadConfigText(RICH, 'sources.yaml', ENV, { cache });
    expect(comparable(first)).toBe(comparable(direct));
    expect(comparable(cached)).toBe(comparable(direct));
    // Spot checks of what the references became: a plain number, a quoted string, merged headers.
    expect(cached.sources[0]?.retries).toBe(3);
    expect(cached.sources[0]?.request.body).toEqual({ q: '{{query}}', region: 'eu', limit: 20, quoted: '20' });
    // Through the merge key, the second source has the first's references, filled.
    expect(cached.sources[1]?.request.headers).toMatchObject({
      Authorization: 'Bearer tok-secret-123',
      'X-Region': 'eu',
    });
    expect(cached.sources[1]?.request.body).toEqual(cached.sources[0]?.request.body);
    expect(cached.sources[0]?.request.url).toBe('https://api.example/eu/search?q={{query}}&cost=${literal}');
    expect(cached.secretNames).toEqual(direct.secretNames);
    expect(cached.sources[0]?.secretHeaders).toEqual(direct.sources[0]?.secretHeaders);
  });

  it('is used: an entry changed on disk is what the next load returns', () => {
    const cache = freshCache();
    loadConfigText(RICH, 'sources.yaml', ENV, { cache });
    const file = path.join(cache.dir, entries(cache)[0] ?? '');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"currency":"EUR"', '"currency":"GBP"'));
    expect(loadConfigText(RICH, 'sources.yaml', ENV, { cache }).currency).toBe('GBP');
  });

  it('holds references, never environment values, in a private file', () => {
    const cache = freshCache();
    loadConfigText(RICH, 'sources.yaml', ENV, { cache });
    const text = entryText(cache);
    expect(text).not.toContain('tok-secret-123');
    expect(text).toContain('Bearer ${TOKEN}');
    expect(statSync(cache.dir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(cache.dir, entries(cache)[0] ?? '')).mode & 0o777).toBe(0o600);
  });

  it('fills references from this run’s environment, and records those values as the secrets', () => {
    const cache = freshCache();
    loadConfigText(RICH, 'sources.yaml', ENV, { cache });
    const next = loadConfigText(RICH, 'sources.yaml', { ...ENV, TOKEN: 'other-token', RETRIES: '0' }, { cache });
    expect(next.sources[1]?.request.headers.Authorization).toBe('Bearer other-token');
    expect(next.sources[0]?.retries).toBe(0);
    expect(next.secrets).toContain('other-token');
    expect(next.secrets).not.toContain('tok-secret-123');
  });

  it('falls back to the YAML, which locates the problem, when the environment no longer fits', () => {
    const cache = freshCache();
    loadConfigText(RICH, 'sources.yaml', ENV, { cache });
    const { TOKEN: _, ...noToken } = ENV;
    expect(() => loadConfigText(RICH, 'sources.yaml', noToken, { cache })).toThrow(
      /sources\.yaml:13:\d+: sources\[0\]\.request\.headers\.Authorization: environment variable TOKEN is not set/,
    );
    // A value that parses but does not validate: the YAML path names the field and its line.
    expect(() => loadConfigText(RICH, 'sources.yaml', { ...ENV, RETRIES: 'many' }, { cache })).toThrow(
      /sources\.yaml:4:\d+: defaults\.retries: expected a number/,
    );
  });

  it('ignores an entry that another user could have written: it would choose where secrets go', () => {
    const cache = freshCache();
    loadConfigText(RICH, 'sources.yaml', ENV, { cache });
    const file = path.join(cache.dir, entries(cache)[0] ?? '');
    const planted = readFileSync(file, 'utf8').replace('https://other.example/', 'https://evil.example/');
    for (const [at, mode] of [
      [file, 0o666],
      [cache.dir, 0o777],
    ] as const) {
      writeFileSync(file, planted);
      chmodSync(at, mode);
      expect(loadConfigText(RICH, 'sources.yaml', ENV, { cache }).sources[1]?.request.url).toContain('other.example');
      chmodSync(at, at === file ? 0o600 : 0o700);
    }
    // Each time the YAML was read instead, and its own data replaced the entry nobody could vouch for;
    // planted in a private file, the same entry would be used (the check is who could write it).
    expect(readFileSync(file, 'utf8')).not.toContain('evil.example');
    writeFileSync(file, planted);
    expect(loadConfigText(RICH, 'sources.yaml', ENV, { cache }).sources[1]?.request.url).toContain('evil.example');
  });

  it('treats a corrupt or foreign entry as a miss and rewrites it', () => {
    const cache = freshCache();
    loadConfigText(RICH, 'sources.yaml', ENV, { cache });
    const file = path.join(cache.dir, entries(cache)[0] ?? '');
    for (const junk of ['{"format":', '{"format":99,"tree":{}}', 'null', '{"format":4,"tree":{"sources":7}}']) {
      writeFileSync(file, junk);
      expect(comparable(loadConfigText(RICH, 'sources.yaml', ENV, { cache }))).toBe(
        comparable(loadConfigText(RICH, 'sources.yaml', ENV)),
      );
    }
    expect(JSON.parse(readFileSync(file, 'utf8')).format).toBe(4);
  });

  it('keeps the parse trees of fast-path expressions, never one whose text holds an environment value', async () => {
    const file = yaml`
      sources:
        - name: a
          request: { url: "https://a.example/?q={{query}}" }
          offers: data.items
          fields: { title: "\${TITLE_FIELD}", price: "$number(cost.amount)", url: "link & '?ref=1'" }
    `;
    const env = { TITLE_FIELD: 'headline_from_env' };
    const cache = freshCache();
    loadConfigText(file, 'sources.yaml', env, { cache });
    const entry = JSON.parse(entryText(cache));
    // A real expression (`&`) has no fast path, and the title's text came from the environment.
    expect(Object.keys(entry.trees).sort()).toEqual(['$number(cost.amount)', 'data.items', 'query']);
    expect(entryText(cache)).not.toContain('headline_from_env');
    const body = { data: { items: [{ headline_from_env: 'T', cost: { amount: '12.50' }, link: 'https://x' }] } };
    const map = async (config: ReturnType<typeof loadConfigText>) =>
      (await applyMapping(config.sources[0]?.compiled.mapping as Mapping, body, 'a', 'USD')).offers;
    const offers = await map(loadConfigText(file, 'sources.yaml', env, { cache }));
    expect(offers).toEqual(await map(loadConfigText(file, 'sources.yaml', env)));
    expect(offers[0]).toMatchObject({ title: 'T', price: 12.5, url: 'https://x?ref=1' });
  });

  it('keeps no tree of an expression an environment value reached, even in pieces', () => {
    // `{{` and `}}` inside a value split it into expressions, none of which holds the whole value.
    const file = yaml`
      sources:
        - name: a
          request: { url: "https://a.example/?q={{query}}&key=\${KEY}" }
          offers: items
          fields: { title: t, price: p }
    `;
    const env = { KEY: 'k9}}{{ zzsecretpartzz }}' };
    const cache = freshCache();
    loadConfigText(file, 'sources.yaml', env, { cache });
    expect(entryText(cache)).not.toContain('zzsecretpartzz');
    expect(Object.keys(JSON.parse(entryText(cache)).trees).sort()).toEqual(['items', 'p', 'query', 't']);
    expect(comparable(loadConfigText(file, 'sources.yaml', env, { cache }))).toBe(
      comparable(loadConfigText(file, 'sources.yaml', env)),
    );
  });

  it('keeps the trees of a mapping that sources of two files share', () => {
    const shaped = (name: string) => yaml`
      sources:
        - name: ${name}
          request: { url: "https://${name}.example/?q={{query}}" }
          offers: shared.items
          fields: { title: shared_title, price: "$number(shared_price)" }
    `;
    const cache = freshCache();
    loadConfigText(shaped('one'), 'one.yaml', ENV, { cache });
    loadConfigText(shaped('two'), 'two.yaml', ENV, { cache });
    const treesOf = (f: string) => Object.keys(JSON.parse(readFileSync(path.join(cache.dir, f), 'utf8')).trees).sort();
    const [first, second] = entries(cache);
    expect(treesOf(first ?? '')).toEqual(['$number(shared_price)', 'query', 'shared.items', 'shared_title']);
    expect(treesOf(second ?? '')).toEqual(treesOf(first ?? ''));
  });

  it('loads a file of plain paths from the cache without loading jsonata, and still maps with it', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'agg-config-cache-'));
    const file = path.join(dir, 'sources.yaml');
    writeFileSync(
      file,
      yaml`
        sources:
          - name: a
            request: { url: "https://a.example/?q={{query}}" }
            offers: items
            fields: { title: name, price: "$number(price.value)" }
      `,
    );
    // Each load in a process of its own: within one, jsonata stays loaded once it is.
    const program = `
      import { createRequire } from 'node:module';
      import { loadConfig } from ${JSON.stringify(DIST_CONFIG)};
      import { applyMapping } from ${JSON.stringify(DIST_MAP)};
      const config = loadConfig(${JSON.stringify(file)}, {}, '.', { cache: { dir: ${JSON.stringify(path.join(dir, 'agg'))}, version: '1' } });
      const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((m) => m.includes('jsonata'));
      const before = loaded();
      const body = { items: [{ name: 'plain', price: { value: '9.5' } }, { name: 'odd', price: { value: [3] } }] };
      const { offers } = await applyMapping(config.sources[0].compiled.mapping, body, 'a', 'USD');
      console.log(JSON.stringify({ before, after: loaded(), offers: offers.map((o) => [o.title, o.price]) }));`;
    const run = () =>
      JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', program], { encoding: 'utf8' }));
    // First from the YAML, which compiles with jsonata; then from the cache, which needs it only when
    // a response leaves the fast path (an array where a price should be), and then compiles it.
    const first = run();
    expect(first.before).toBe(true);
    const cached = run();
    expect(cached).toEqual({ before: false, after: true, offers: first.offers });
    expect(cached.offers[0]).toEqual(['plain', 9.5]);
  });

  it('says whether a tree has references, and an entry that wrongly says none falls back to the YAML', () => {
    const plain = yaml`
      sources:
        - name: a
          request: { url: "https://a.example/?q={{query}}" }
          offers: items
          fields: { title: t, price: p }
    `;
    const bare = freshCache();
    loadConfigText(plain, 'sources.yaml', ENV, { cache: bare });
    expect(JSON.parse(entryText(bare)).references).toBe(false);
    expect(comparable(loadConfigText(plain, 'sources.yaml', ENV, { cache: bare }))).toBe(
      comparable(loadConfigText(plain, 'sources.yaml', ENV)),
    );

    const cache = freshCache();
    loadConfigText(RICH, 'sources.yaml', ENV, { cache });
    const file = path.join(cache.dir, entries(cache)[0] ?? '');
    const entry = JSON.parse(readFileSync(file, 'utf8'));
    expect(entry.references).toBe(true);
    // Unfilled, the references fail validation: a miss, never a config holding reference markers.
    writeFileSync(file, JSON.stringify({ ...entry, references: false }));
    expect(loadCachedText(cache, RICH, 'sources.yaml', ENV, check)).toBeUndefined();
    expect(comparable(loadConfigText(RICH, 'sources.yaml', ENV, { cache }))).toBe(
      comparable(loadConfigText(RICH, 'sources.yaml', ENV)),
    );
  });

  it('keys entries by the text and by agg’s version, and keeps at most MAX_ENTRIES', () => {
    const cache = freshCache('1.0.0');
    loadConfigText(RICH, 'sources.yaml', ENV, { cache });
    loadConfigText(RICH, 'sources.yaml', ENV, { cache: { ...cache, version: '1.0.1' } });
    expect(entries(cache)).toHaveLength(2);
    for (let i = 0; i < MAX_ENTRIES + 3; i++) loadConfigText(`${RICH}# edit ${i}\n`, 'sources.yaml', ENV, { cache });
    expect(entries(cache)).toHaveLength(MAX_ENTRIES);
  });

  it("prunes only its own entries: a caller's folder keeps its own config-*.json", () => {
    const cache = freshCache();
    mkdirSync(cache.dir, { mode: 0o700 });
    const own = ['config-prod.json', 'config-0123456789abcdef0123456789abcdef.json.bak', 'config-.json'];
    for (const name of own) writeFileSync(path.join(cache.dir, name), '{}');
    for (let i = 0; i < MAX_ENTRIES + 1; i++) loadConfigText(`${RICH}# edit ${i}\n`, 'sources.yaml', ENV, { cache });
    const left = readdirSync(cache.dir);
    expect(own.filter((name) => !left.includes(name))).toEqual([]);
    expect(left.filter((name) => !own.includes(name))).toHaveLength(MAX_ENTRIES);
  });

  it('removes the temp file of an entry that a killed run left, when it next writes one', () => {
    const cache = freshCache();
    loadConfigText(RICH, 'sources.yaml', ENV, { cache });
    const [entry] = entries(cache);
    const stale = plantTemp(path.join(cache.dir, entry ?? ''), TWO_HOURS);
    const fresh = plantTemp(path.join(cache.dir, entry ?? ''), 0, 'ba9876543210');
    loadConfigText(`${RICH}# edited\n`, 'sources.yaml', ENV, { cache });
    const left = readdirSync(cache.dir);
    expect(left).toContain(path.basename(fresh));
    expect(left).not.toContain(path.basename(stale));
  });

  it('does not store what JSON cannot carry, and still loads it', () => {
    const cache = freshCache();
    // A key that spells the cache's own reference marker, in a request body where any key is data.
    const marker = yaml`
      sources:
        - name: a
          request: { url: "https://a.example/?q={{query}}", method: POST, body: { "\\0agg:ref": "\${REGION}", plain: true } }
          offers: items
          fields: { title: t, price: p }
    `;
    const config = loadConfigText(marker, 'sources.yaml', ENV, { cache });
    expect(config.sources[0]?.request.body).toEqual({ '\u0000agg:ref': 'eu', plain: true });
    expect(readdirSync(path.dirname(cache.dir))).toEqual([]);
    // An infinite number would come back from JSON as null.
    const infinite = marker.replace('plain: true', 'big: .inf');
    expect(loadConfigText(infinite, 'sources.yaml', ENV, { cache }).sources[0]?.request.body).toMatchObject({
      big: Number.POSITIVE_INFINITY,
    });
    expect(readdirSync(path.dirname(cache.dir))).toEqual([]);
  });

  it('does not store a file with references whose keys are aliases: a key may be a `${VAR}` value', () => {
    const cache = freshCache();
    // `*k` as a key is the value of `&k`, from the environment; the tree would keep the alias's name.
    const aliasKey = yaml`
      sources:
        - name: a
          request: { url: "https://a.example/?q={{query}}", method: POST, body: { a: &k "\${REGION}", *k : 1 } }
          offers: items
          fields: { title: t, price: p }
    `;
    for (const region of ['eu', 'us']) {
      const env = { ...ENV, REGION: region };
      expect(loadConfigText(aliasKey, 'sources.yaml', env, { cache }).sources[0]?.request.body).toEqual({
        a: region,
        [region]: 1,
      });
    }
    expect(readdirSync(path.dirname(cache.dir))).toEqual([]);
  });

  it('never stores a file with problems, and an unwritable cache only costs the parse', () => {
    const cache = freshCache();
    expect(() => loadConfigText('sources: 7\n', 'sources.yaml', {}, { cache })).toThrow(ConfigError);
    expect(readdirSync(path.dirname(cache.dir))).toEqual([]);
    // yaml refuses this tree only when it is built; with a reference in the file, that happens first
    // while the cache's copy is taken, and must still come out located, as without the cache.
    // (Found by the property test in test/property/config.property.test.ts.)
    const badMerge = 'home: ${HOME}\nsources:\n  <<: x\n';
    const direct = (): unknown => loadConfigText(badMerge, 'sources.yaml', { HOME: '/h' });
    const located = {
      file: 'sources.yaml',
      line: 3,
      col: 7,
      path: 'sources["<<"]',
      message: '`<<` merges a mapping or a list of mappings, as in `<<: *common`',
    };
    expect(direct).toThrow(new ConfigError([located]));
    expect(() => loadConfigText(badMerge, 'sources.yaml', { HOME: '/h' }, { cache })).toThrow(
      new ConfigError([located]),
    );
    expect(readdirSync(path.dirname(cache.dir))).toEqual([]);
    // The cache folder's place is taken by a file: writes fail, loads do not.
    writeFileSync(cache.dir, 'not a folder');
    chmodSync(cache.dir, 0o400);
    expect(comparable(loadConfigText(RICH, 'sources.yaml', ENV, { cache }))).toBe(
      comparable(loadConfigText(RICH, 'sources.yaml', ENV)),
    );
  });

  it('keeps a file’s validated data for the build that wrote it, and loads from it as from the YAML', async () => {
    const cache = { ...freshCache(), build: 'build-1' };
    const plain = yaml`
      currency: EUR
      rates: { USD: 0.9 }
      defaults: { timeout: 2s, retries: 0, headers: { X-Client: agg } }
      sources:
        - name: a
          request: { url: "https://a.example/?q={{query}}" }
          timeout: 750ms
          hedge: 1s
          offers: items
          fields: { title: name, price: "$number(price)" }
    `;
    const fromYaml = loadConfigText(plain, 'sources.yaml', {});
    loadConfigText(plain, 'sources.yaml', {}, { cache });
    const file = path.join(cache.dir, entries(cache)[0] ?? '');
    const entry = JSON.parse(readFileSync(file, 'utf8'));
    // As validation left it: durations in ms.
    expect(entry).toMatchObject({
      build: 'build-1',
      data: { defaults: { timeout: 2000 }, sources: [{ hedge: 1000 }] },
    });
    expect(comparable((await loadCachedTextLazily(cache, plain, 'sources.yaml', {})) ?? fromYaml)).toBe(
      comparable(fromYaml),
    );
    expect(await loadCachedTextLazily(cache, plain, 'sources.yaml', {})).toBeDefined();

    // The build that wrote the data uses it as it is (a changed entry shows that it did)...
    writeFileSync(file, JSON.stringify({ ...entry, data: { ...entry.data, currency: 'GBP' } }));
    expect((await loadCachedTextLazily(cache, plain, 'sources.yaml', {}))?.currency).toBe('GBP');
    // ...another build validates the tree again, whose validation may differ, and keeps its own data.
    const next = { ...cache, build: 'build-2' };
    expect((await loadCachedTextLazily(next, plain, 'sources.yaml', {}))?.currency).toBe('EUR');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ build: 'build-2', data: { currency: 'EUR' } });
    // Data that is not a mapping is no data.
    writeFileSync(file, JSON.stringify({ ...entry, build: 'build-2', data: 7 }));
    expect((await loadCachedTextLazily(next, plain, 'sources.yaml', {}))?.currency).toBe('EUR');

    // Without a build (the library, unless asked), none is kept.
    const bare = freshCache();
    loadConfigText(plain, 'sources.yaml', {}, { cache: bare });
    expect(JSON.parse(entryText(bare))).not.toHaveProperty('data');
  });

  it('never keeps validated data for a file with references: their values are validated at every load', async () => {
    const cache = { ...freshCache(), build: 'build-1' };
    loadConfigText(RICH, 'sources.yaml', ENV, { cache });
    const file = path.join(cache.dir, entries(cache)[0] ?? '');
    const entry = JSON.parse(readFileSync(file, 'utf8'));
    expect(entry).not.toHaveProperty('data');
    expect(entry).not.toHaveProperty('build');
    // An entry that claims data beside its references is validated all the same.
    writeFileSync(file, JSON.stringify({ ...entry, build: 'build-1', data: { sources: [] } }));
    await expect(loadCachedTextLazily(cache, RICH, 'sources.yaml', { ...ENV, RETRIES: 'many' })).resolves.toBe(
      undefined,
    );
    const loaded = await loadCachedTextLazily(cache, RICH, 'sources.yaml', ENV);
    expect(loaded && comparable(loaded)).toBe(comparable(loadConfigText(RICH, 'sources.yaml', ENV)));
  });

  it('loads from validated data without zod, and loads zod for an entry without data', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'agg-config-cache-'));
    const text = yaml`
      sources:
        - name: a
          request: { url: "https://a.example/?q={{query}}" }
          offers: items
          fields: { title: name, price: price }
    `;
    const log = path.join(dir, 'resolved.log');
    // A resolve hook notes every module the process asks for; each load runs in a process of its own.
    const hook = `import { appendFileSync } from 'node:fs';
      export async function resolve(specifier, context, next) {
        appendFileSync(${JSON.stringify(log)}, specifier + '\\n');
        return next(specifier, context);
      }`;
    const program = (build: string) => `
      import { register } from 'node:module';
      register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)});
      const { loadCachedTextLazily } = await import(${JSON.stringify(DIST_CACHED)});
      const config = await loadCachedTextLazily({ dir: ${JSON.stringify(path.join(dir, 'agg'))}, version: '1', build: '${build}' }, ${JSON.stringify(text)}, 'sources.yaml', {});
      console.log(config.sources[0].name);`;
    const run = (build: string) => {
      writeFileSync(log, '');
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', program(build)], { encoding: 'utf8' });
      return {
        out: out.trim(),
        zod: readFileSync(log, 'utf8')
          .split('\n')
          .some((m) => m === 'zod' || m.endsWith('/validate.js')),
      };
    };
    parseConfigText(text, 'sources.yaml', {}, { dir: path.join(dir, 'agg'), version: '1', build: 'b1' });
    expect(run('b1')).toEqual({ out: 'a', zod: false });
    // Another build has no data it may use: it validates (and then keeps its own).
    expect(run('b2')).toEqual({ out: 'a', zod: true });
    expect(run('b2')).toEqual({ out: 'a', zod: false });
  });

  it('the command line’s way in: the cache answers or says nothing, and only the YAML reports', async () => {
    const cache = freshCache();
    expect(await loadCachedTextLazily(cache, RICH, 'sources.yaml', ENV)).toBeUndefined();
    const parsed = parseConfigText(RICH, 'sources.yaml', ENV, cache);
    const cached = await loadCachedTextLazily(cache, RICH, 'sources.yaml', ENV);
    expect(cached && comparable(cached)).toBe(comparable(parsed));
    const { TOKEN: _, ...noToken } = ENV;
    expect(await loadCachedTextLazily(cache, RICH, 'sources.yaml', noToken)).toBeUndefined();
    expect(() => parseConfigText(RICH, 'sources.yaml', noToken, cache)).toThrow(/TOKEN is not set/);
    // parseConfigText never asks the cache: a planted entry is not what it returns.
    const file = path.join(cache.dir, entries(cache)[0] ?? '');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"currency":"EUR"', '"currency":"GBP"'));
    expect(parseConfigText(RICH, 'sources.yaml', ENV, cache).currency).toBe('EUR');
  });
});
