import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfigText } from '../../src/config/index.js';
import { sourcesJsonSchema, sourcesJsonSchemaText } from '../../src/config/schema-json.js';
import { schemaProblems } from '../helpers/json-schema.js';
import { GOOD_SOURCE, problems, yaml } from './helpers.js';

type Node = {
  type?: string;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  pattern?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Node[];
  not?: Node;
  properties?: Record<string, Node>;
  additionalProperties?: Node;
  items?: Node;
};

/** The schema of the value at `path` (`sources` steps into its items, `*` into additionalProperties). */
function schemaAt(path: string): Node {
  let node = sourcesJsonSchema() as Node;
  for (const key of path.split('.')) {
    const next = key === '*' ? node.additionalProperties : node.properties?.[key];
    if (next === undefined) throw new Error(`no ${key} in the schema at ${path}`);
    node = next.type === 'array' && next.items ? next.items : next;
  }
  return node;
}

/** What an editor would mark in the file `text`: the schema's problems with it, as the loader parses it. */
const editorProblems = (text: string): string[] =>
  schemaProblems(sourcesJsonSchema() as Record<string, unknown>, parse(text, { merge: true }));

/** Whether the loader takes `text`. */
const loads = (text: string, env: Record<string, string> = {}): boolean => {
  try {
    loadConfigText(text, 'sources.yaml', env);
    return true;
  } catch {
    return false;
  }
};

/** Whether a value schema (no object or list) takes the string `text`, as a JSON Schema validator would. */
const takesText = (node: Node, text: string): boolean =>
  node.anyOf
    ? node.anyOf.some((branch) => takesText(branch, text))
    : node.type === 'string' &&
      (node.pattern === undefined || new RegExp(node.pattern, 'u').test(text)) &&
      (node.enum === undefined || node.enum.includes(text)) &&
      (!('const' in node) || node.const === text) &&
      !(node.not && matchesText(node.not, text));

/** Whether the string `text` is what a `not` describes: its pattern, its const, or any of its branches. */
const matchesText = (node: Node, text: string): boolean =>
  node.anyOf
    ? node.anyOf.some((branch) => matchesText(branch, text))
    : (node.pattern === undefined || new RegExp(node.pattern, 'u').test(text)) &&
      (!('const' in node) || node.const === text);

/** Whether a value schema takes the number `n`, as a JSON Schema validator would (draft-07 bounds). */
const takesNumber = (node: Node, n: number): boolean =>
  node.anyOf
    ? node.anyOf.some((branch) => takesNumber(branch, n))
    : (node.type === 'number' || (node.type === 'integer' && Number.isInteger(n))) &&
      !(node.minimum !== undefined && n < node.minimum) &&
      !(node.exclusiveMinimum !== undefined && n <= node.exclusiveMinimum) &&
      !(node.maximum !== undefined && n > node.maximum);

describe('schema/sources.schema.json', () => {
  it('is what scripts/gen-schema.ts would write now (run it after changing the schema)', () => {
    const committed = readFileSync(new URL('../../schema/sources.schema.json', import.meta.url), 'utf8');
    expect(committed).toBe(sourcesJsonSchemaText());
  });

  it('describes the input side: durations are strings or numbers, methods any case', () => {
    const schema = sourcesJsonSchema() as {
      properties: { sources: { items: { properties: Record<string, { anyOf?: unknown[]; description?: string }> } } };
    };
    const source = schema.properties.sources.items.properties;
    expect(source.timeout?.anyOf?.filter((b) => JSON.stringify(b).includes('ms|s|m'))).toHaveLength(1);
    expect(source.name?.description).toBeTruthy();
    expect(JSON.stringify(source.request)).toContain('"post"');
  });

  it('takes a `${VAR}` wherever the loader does: an editor sees the file as written, before interpolation', () => {
    const written: [string, string][] = [
      ['currency', '${CURRENCY:-USD}'],
      ['rates.*', '${EUR_RATE:-1.1}'],
      ['defaults.connections', '${CONNECTIONS:-4}'],
      ['defaults.timeout', '${TIMEOUT:-5s}'],
      ['sources.timeout', '${TIMEOUT:-2s}'],
      ['sources.retries', '${RETRIES:-2}'],
      ['sources.hedge', '${HEDGE:-auto}'],
      ['sources.maxBytes', '${MAX_BYTES:-1MiB}'],
      ['sources.currency', '${VENDOR_CURRENCY:-EUR}'],
      ['sources.maxPages', '${PAGES:-3}'],
      ['sources.request.method', '${METHOD:-post}'],
      ['sources.poll.interval', '${INTERVAL:-500ms}'],
      ['sources.poll.maxAttempts', '${POLLS:-4}'],
      ['sources.auth.oauth2.clientAuth', '${CLIENT_AUTH:-basic}'],
    ];
    const file = yaml`
      currency: ${written[0]?.[1]}
      rates:
        EUR: ${written[1]?.[1]}
      defaults:
        connections: ${written[2]?.[1]}
        timeout: ${written[3]?.[1]}
      sources:
        - name: a
          timeout: ${written[4]?.[1]}
          retries: ${written[5]?.[1]}
          hedge: ${written[6]?.[1]}
          maxBytes: ${written[7]?.[1]}
          currency: ${written[8]?.[1]}
          maxPages: ${written[9]?.[1]}
          next: next
          request:
            method: ${written[10]?.[1]}
            url: "https://a.example/?q={{query}}"
          offers: items
          fields: { title: name, price: price }
        - name: b
          request: { url: "https://b.example/?q={{query}}" }
          poll:
            request: { url: "https://b.example/poll" }
            until: done
            interval: ${written[11]?.[1]}
            maxAttempts: ${written[12]?.[1]}
          auth:
            oauth2:
              tokenUrl: "https://b.example/token"
              clientId: id
              clientSecret: secret
              clientAuth: ${written[13]?.[1]}
          offers: items
          fields: { title: name, price: price }
    `;
    expect(() => loadConfigText(file, 'sources.yaml', {})).not.toThrow();
    for (const [path, text] of written) expect([path, takesText(schemaAt(path), text)]).toEqual([path, true]);
  });

  it('takes a URL only with an http(s) scheme and a host, as the loader does: not `api.example.com/…`, not `{{base}}/…`', () => {
    const urls: [string, boolean][] = [
      ['https://a.example/?q={{query}}', true],
      ['HTTP://a.example/', true],
      ['https://{{host}}/search', true],
      ['${BASE_URL}/search', true],
      ['api.example.com/search', false],
      ['{{base}}/search', false],
      ['{{ $response.links.poll }}', false],
      ['/search?q={{query}}', false],
      ['https:///search', false],
      ['ftp://a.example/', false],
      // `user:pass@` is never sent: the file is told so where it is loaded, not a row at every search.
      ['https://me:pw@a.example/', false],
      ['https://me@a.example/?q={{query}}', false],
      ['https://{{user}}@a.example/', false],
      ['https://a.example/?to=me@mail.example', true],
      ['https://a.example/@me/offers', true],
    ];
    // tokenUrl takes no `{{ }}` (below), so it is tried with the braces taken out.
    const tokenUrl = (url: string): string => url.replaceAll('{{', '').replaceAll('}}', '');
    for (const [url, loads] of urls) {
      const file = yaml`
        sources:
          - name: a
            request: { url: "${url}" }
            poll: { request: { url: "${url}" }, until: done }
            auth: { oauth2: { tokenUrl: "${tokenUrl(url)}", clientId: i, clientSecret: s } }
            offers: items
            fields: { title: name, price: price }
      `;
      let loaded = true;
      try {
        loadConfigText(file, 'sources.yaml', { BASE_URL: 'https://a.example' });
      } catch {
        loaded = false;
      }
      expect([url, loaded]).toEqual([url, loads]);
      for (const path of ['sources.request.url', 'sources.poll.request.url'])
        expect([path, url, takesText(schemaAt(path), url)]).toEqual([path, url, loads]);
      expect([url, takesText(schemaAt('sources.auth.oauth2.tokenUrl'), tokenUrl(url))]).toEqual([url, loads]);
    }
    // tokenUrl is no template: the loader refuses a `{{ }}` anywhere in it, and so does the schema.
    expect(takesText(schemaAt('sources.auth.oauth2.tokenUrl'), 'https://a.example/token?t={{tenant}}')).toBe(false);
  });

  it('refuses a `${VAR}` where the loader does: a source name, a boolean', () => {
    expect(takesText(schemaAt('sources.name'), '${NAME}')).toBe(false);
    expect(takesText(schemaAt('sources.idempotent'), '${IDEMPOTENT:-true}')).toBe(false);
    // Text a reference already satisfies keeps its one branch: the editor's message stays the field's own.
    expect(schemaAt('sources.offers').anyOf).toBeUndefined();
    expect(schemaAt('sources.request.headers.*').anyOf).toBeUndefined();
  });

  it('bounds a number of ms or bytes as the loader does: no 0, no seconds meant, nothing past the timers or 500 MiB', () => {
    const durations = ['defaults.timeout', 'defaults.hedge', 'sources.timeout', 'sources.hedge', 'sources.flowTimeout'];
    for (const path of [...durations, 'sources.poll.interval']) {
      const node = schemaAt(path);
      // `timeout: 3` is refused as seconds meant (below 50 ms): the editor passed it, agg did not.
      const taken = [0, 1, 49.5, 50, 2 ** 31 - 1].map((n) => takesNumber(node, n));
      expect([path, ...taken]).toEqual([path, false, false, false, true, true]);
      expect([path, takesNumber(node, 2 ** 31)]).toEqual([path, false]);
    }
    for (const path of ['defaults.maxBytes', 'sources.maxBytes']) {
      const node = schemaAt(path);
      const most = 500 * 1024 ** 2;
      expect([path, takesNumber(node, 0), takesNumber(node, most), takesNumber(node, most + 1)]).toEqual([
        path,
        false,
        true,
        false,
      ]);
    }
    expect(
      problems(`defaults: { timeout: ${2 ** 31}, maxBytes: ${500 * 1024 ** 2 + 1} }\nsources:\n${GOOD_SOURCE}`),
    ).toEqual([
      'sources.yaml:1:22: defaults.timeout: 2147483648 is too long; a duration can be at most 24 days (2147483647ms)',
      'sources.yaml:1:44: defaults.maxBytes: must be at most 500 MiB',
    ]);
    expect(problems(`defaults: { timeout: 3, hedge: 0 }\nsources:\n${GOOD_SOURCE}`)).toEqual([
      'sources.yaml:1:22: defaults.timeout: 3 is 3 ms; write 3s for seconds, or 3ms',
      'sources.yaml:1:32: defaults.hedge: must be more than 0; `off` turns hedging off',
    ]);
  });

  it("takes the example files agg loads: sources.example.yaml and the README's", () => {
    const read = (file: string): string => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
    const readmeFile = /```yaml\n(# yaml-language-server[\s\S]*?)```/.exec(read('README.md'))?.[1] ?? '';
    const env = { AGG_DEMO_URL: 'http://127.0.0.1:8787', EBAY_TOKEN: 'token' };
    for (const [file, text] of [
      ['sources.example.yaml', read('sources.example.yaml')],
      ['README.md', readmeFile],
    ] as const) {
      expect([file, loads(text, env)]).toEqual([file, true]);
      expect([file, editorProblems(text)]).toEqual([file, []]);
    }
  });

  it("refuses a source's flow keys where the loader does: maxPages with no next, next beside poll, flowTimeout with no flow", () => {
    const poll = 'poll: { request: { url: "https://a.example/poll" }, until: done }';
    const auth = 'auth: { oauth2: { tokenUrl: "https://a.example/t", clientId: i, clientSecret: s } }';
    const cases: [string[], boolean][] = [
      [['maxPages: 3'], false],
      [['next: next', 'maxPages: 3'], true],
      [['next: next', poll], false],
      [[poll], true],
      [['flowTimeout: 10s'], false],
      [['next: next', 'flowTimeout: 10s'], true],
      [[poll, 'flowTimeout: 10s'], true],
      [[auth, 'flowTimeout: 10s'], true],
    ];
    for (const [keys, valid] of cases) {
      const file = yaml`
        sources:
          - name: a
            request: { url: "https://a.example/" }
            offers: items
            fields: { title: name, price: price }
            ${keys.join('\n            ')}
      `;
      expect([keys, loads(file)]).toEqual([keys, valid]);
      expect([keys, editorProblems(file)]).toEqual([keys, valid ? [] : [expect.any(String)]]);
    }
  });

  it('refuses a header where the loader does: a name the HTTP client sets itself, in any case; a line break or a control character outside `{{ }}`', () => {
    const headers: [string, string, boolean][] = [
      ['Content-Length', '"12"', false],
      ['EXPECT', '100-continue', false],
      ['transfer-encoding', 'chunked', false],
      ['Keep-Alive', '"5"', false],
      ['Upgrade', 'h2c', false],
      ['Content-Type', 'application/json', true],
      ['X-Key', '|\n                  abc', false],
      ['X-Key', '>-\n                  abc', true],
      ['X-Key', '"a\\u0001b"', false],
      ['X-Key', '"a\\u007fb"', false],
      ['X-Key', '"€"', false],
      ['X-Key', '"café"', true],
      ['X-Key', "\"{{ $join([query, 'x'], '\\n') }}\"", true],
      ['X-Key', '"{{ query }}\\n"', false],
      ['X-Key', '"${KEY}"', true],
    ];
    for (const [name, value, valid] of headers) {
      const file = yaml`
        sources:
          - name: a
            request:
              url: "https://a.example/"
              headers:
                ${name}: ${value}
            offers: items
            fields: { title: name, price: price }
      `;
      expect([name, value, loads(file, { KEY: 'k' })]).toEqual([name, value, valid]);
      expect([name, value, editorProblems(file).length === 0]).toEqual([name, value, valid]);
    }
    // A text is read one way only: an editor checking a long value with many `{{ }}` does not hang.
    const started = Date.now();
    expect(takesText(schemaAt('sources.request.headers.*'), `${'{{a}}'.repeat(4000)}\u0001`)).toBe(false);
    expect(takesText(schemaAt('sources.request.headers.*'), `${'{{a'.repeat(4000)}\n`)).toBe(false);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses a duration or size as text where the loader does: `0s` (hedge: `off`), `"3"` (seconds meant), `0MiB`', () => {
    const durations: [string, boolean][] = [
      ['0s', false],
      ['0ms', false],
      ['0.0m', false],
      ['00', false],
      ['3', false],
      ['49.5', false],
      ['50', true],
      ['0050', true],
      ['0.5s', true],
      ['3ms', true],
      ['10m', true],
    ];
    const durationPaths = [
      'defaults.timeout',
      'defaults.hedge',
      'sources.timeout',
      'sources.hedge',
      'sources.flowTimeout',
    ];
    for (const [text, valid] of durations) {
      const file = yaml`
        defaults: { timeout: "${text}", hedge: "${text}" }
        sources:
          - name: a
            request: { url: "https://a.example/" }
            offers: items
            fields: { title: name, price: price }
            poll: { request: { url: "https://a.example/poll" }, until: done, interval: "${text}" }
            timeout: "${text}"
            hedge: "${text}"
            flowTimeout: "${text}"
      `;
      expect([text, loads(file)]).toEqual([text, valid]);
      for (const path of [...durationPaths, 'sources.poll.interval'])
        expect([path, text, takesText(schemaAt(path), text)]).toEqual([path, text, valid]);
    }
    const sizes: [string, boolean][] = [
      ['0', false],
      ['0B', false],
      ['0 MiB', false],
      ['0.0GiB', false],
      ['1', true],
      ['0.5MiB', true],
      ['10 MiB', true],
    ];
    for (const [text, valid] of sizes) {
      expect([text, loads(`defaults: { maxBytes: "${text}" }\nsources:\n${GOOD_SOURCE}`)]).toEqual([text, valid]);
      for (const path of ['defaults.maxBytes', 'sources.maxBytes'])
        expect([path, text, takesText(schemaAt(path), text)]).toEqual([path, text, valid]);
    }
  });

  it('refuses XXX, the mark of offers that gave no currency, where the loader does: to rank in, to have a rate for, or on a source', () => {
    const files: [string, boolean][] = [
      ['currency: XXX', false],
      ['currency: USD\nrates: { XXX: 1.5 }', false],
      ['currency: USD\nrates: { EUR: 1.1 }', true],
    ];
    const onSource = (code: string): string =>
      GOOD_SOURCE.replace('offers: items', `currency: ${code}\n  offers: items`);
    for (const [head, valid] of files) {
      const file = `${head}\nsources:\n${GOOD_SOURCE}`;
      expect([head, loads(file)]).toEqual([head, valid]);
      expect([head, editorProblems(file).length === 0]).toEqual([head, valid]);
    }
    for (const [code, valid] of [
      ['XXX', false],
      ['EUR', true],
    ] as const) {
      const file = `sources:\n${onSource(code)}`;
      expect([code, loads(file)]).toEqual([code, valid]);
      expect([code, editorProblems(file).length === 0]).toEqual([code, valid]);
    }
  });

  it("names the schema where an editor looks: the example's `$schema=` path, from the example's own folder", () => {
    const example = new URL('../../sources.example.yaml', import.meta.url);
    const modeline = /^# yaml-language-server: \$schema=(\S+)$/m.exec(readFileSync(example, 'utf8'))?.[1] ?? '';
    // yaml-language-server reads a relative path from the YAML file's folder, as a URL is resolved.
    expect(readFileSync(new URL(modeline, example), 'utf8')).toBe(sourcesJsonSchemaText());
  });

  it('takes every worked config of docs/vendors.md, as the loader does', () => {
    const page = readFileSync(new URL('../../docs/vendors.md', import.meta.url), 'utf8');
    const blocks = [...page.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] as string);
    expect(blocks.length).toBeGreaterThan(0);
    const file = `sources:\n${blocks.map((b) => b.replace(/^/gm, '  ')).join('\n')}`;
    expect(editorProblems(file)).toEqual([]);
  });

  it('refuses a `{name}` in a URL or a header where the loader does: OpenAPI’s `?q={query}` for `{{query}}`', () => {
    const texts: [string, boolean][] = [
      ['https://a.example/search?q={query}', false],
      ['https://a.example/v1/{id}/offers', false],
      ['https://a.example/search?q={{query}}', true],
      ['https://a.example/{{ path }}{more}', true],
      ['https://a.example/?fields=offers{price}', true],
      ['https://a.example/?q={{ "{x}" }}', true],
      ['https://a.example/?q=$${literal}', true],
      ['https://a.example/?q={{query}}&filter=buyingOptions:{FIXED_PRICE},conditions:{USED}', true],
      ['https://a.example:{port}/?q={{query}}', false],
    ];
    for (const [text, valid] of texts) {
      const file = yaml`
        sources:
          - name: a
            request: { url: '${text}', headers: { X-Query: '${text}' } }
            offers: items
            fields: { title: name, price: price }
      `;
      expect([text, loads(file)]).toEqual([text, valid]);
      expect([text, editorProblems(file)]).toEqual([text, valid ? [] : [expect.any(String), expect.any(String)]]);
    }
  });
});
