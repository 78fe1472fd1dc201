import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/index.js';
import { ConfigError } from '../../src/errors.js';
import { GOOD_SOURCE, problems, yaml } from './helpers.js';

describe('loadConfigText: problems are located as file:line:col: path: message', () => {
  it('reports YAML syntax errors with yaml positions', () => {
    expect(problems('sources:\n  - name: a\n    request: {url: x\n')).toMatchInlineSnapshot(`
      [
        "sources.yaml:4:1: Flow map in block collection must be sufficiently indented and end with a }",
      ]
    `);
    expect(problems('sources:\n  - name: a\n  - name: b\n name: c\n')).toMatchInlineSnapshot(`
      [
        "sources.yaml:4:2: \`name:\` is not lined up with the keys above it: the keys of one mapping start at the same column",
      ]
    `);
    expect(problems('a: 1\na: 2\n')).toMatchInlineSnapshot(`
      [
        "sources.yaml:2:1: a: is given twice; a key may appear once in its mapping",
      ]
    `);
    // A duplicate key is named by its path, like every other problem.
    const twice =
      'sources:\n  - name: a\n    offers: items\n    offers: x\n    fields: { title: t, price: p, title: q }\n';
    expect(problems(twice)).toEqual([
      'sources.yaml:4:5: sources[0].offers: is given twice; a key may appear once in its mapping',
      'sources.yaml:5:35: sources[0].fields.title: is given twice; a key may appear once in its mapping',
    ]);
  });

  it('says to quote a ${VAR} in a flow collection, in one line rather than one per token after it', () => {
    // yaml loses its place at the `{` of `${KEY}` and flagged every later token: 17 lines for this file.
    const text = yaml`
      sources:
        - name: a
          request: { url: "https://a.example/", headers: { apikey: \${KEY} } }
          tags: [a, \${TAG}]
          offers: items
          fields: { title: name, price: p }
    `;
    expect(problems(text, { KEY: 'abcdefgh' })).toEqual([
      'sources.yaml:3:63: a `${VAR}` inside `{ }` or `[ ]` must be quoted: write `"${VAR}"` (a number\'s, which quotes make text, goes on a line of its own: `retries: ${RETRIES}`)',
    ]);
    expect(problems('sources:\n  - name: a\n    tags: [a, ${TAG}]\n')).toEqual([
      'sources.yaml:3:16: a `${VAR}` inside `{ }` or `[ ]` must be quoted: write `"${VAR}"` (a number\'s, which quotes make text, goes on a line of its own: `retries: ${RETRIES}`)',
    ]);
  });

  it('still names each later mistake of its own after an unexpected token', () => {
    // Only what follows on from an unexpected token is noise: the second stray word, three sources on,
    // went unsaid, to be found only once the first was fixed.
    const text = yaml`
      sources:
        - name: a
          offers: "items" x
          fields: { title: name, price: p }
        - name: b
          offers: "items" y
          fields: { title: name, price: p }
    `;
    expect(problems(text)).toEqual([
      'sources.yaml:3:21: Unexpected scalar at node end',
      'sources.yaml:6:21: Unexpected scalar at node end',
    ]);
    expect(problems('a: 1\n}\nb: 2\nc: 3\n')).toHaveLength(1);
  });

  it('says an unclosed brace once, not once for each one open at that place', () => {
    expect(problems('sources:\n  - name: a\n    request: { url: x, headers: { X: y\n')).toEqual([
      'sources.yaml:4:1: Flow map in block collection must be sufficiently indented and end with a }',
    ]);
    expect(problems(`rates: ${'['.repeat(60)}\n`)).toEqual([
      'sources.yaml:2:1: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  it('names thousands of duplicate keys from one walk of the file, not one walk per key', () => {
    // A generator that writes a key twice writes it twice in every source: 4,000 keys took 18 s to name.
    const source = (i: number) => `  - name: s${i}\n    offers: items\n    offers: x\n`;
    const text = `sources:\n${Array.from({ length: 4000 }, (_, i) => source(i)).join('')}`;
    const started = performance.now();
    const found = problems(text);
    expect(found.slice(0, 2)).toEqual([
      'sources.yaml:4:5: sources[0].offers: is given twice; a key may appear once in its mapping',
      'sources.yaml:7:5: sources[1].offers: is given twice; a key may appear once in its mapping',
    ]);
    expect(found.at(-1)).toBe('… and 3950 more problems');
    expect(performance.now() - started).toBeLessThan(8_000);
  }, 60_000);

  it('counts columns as an editor does, after a byte order mark and with CRLF line ends', () => {
    // Notepad and many Windows editors start a UTF-8 file with a BOM; no editor shows it as a column.
    expect(problems('\uFEFFsources: 7\n')).toEqual(['sources.yaml:1:10: sources: expected a list, got a number']);
    expect(problems('\uFEFFcurrency: EUR\r\nsources: 7\r\n')).toEqual([
      'sources.yaml:2:10: sources: expected a list, got a number',
    ]);
    expect(problems('\uFEFF{ sources: 7, a: 1 }\n')).toEqual([
      'sources.yaml:1:12: sources: expected a list, got a number',
      'sources.yaml:1:15: a: unknown key (expected one of currency, rates, defaults, params, sources)',
    ]);
  });

  it('locates an alias with no anchor before it, and a merge key on no mapping', () => {
    // yaml's own refusal names neither the alias nor where it is: a typo in `*defaults` is common.
    const text = yaml`
      sources:
        - &shop
          name: a
          request: { url: "https://a.example/?q={{query}}" }
          offers: items
          fields: &f { title: t, price: p }
        - <<: *shpo
          name: b
        - <<: [*shop, *late]
          name: c
          fields: *fields
        - <<: *f
          name: &late d
    `;
    expect(problems(text)).toEqual([
      'sources.yaml:7:9: sources[1]["<<"]: unknown alias `*shpo`: no `&shpo` anchor comes before it',
      'sources.yaml:9:17: sources[2]["<<"]: unknown alias `*late`: no `&late` anchor comes before it',
      'sources.yaml:11:13: sources[2].fields: unknown alias `*fields`: no `&fields` anchor comes before it',
    ]);
    expect(problems('sources:\n  - &n a\n  - <<: *n\n    name: b\n')).toEqual([
      'sources.yaml:3:9: sources[1]["<<"]: `<<` merges a mapping or a list of mappings, as in `<<: *common`',
    ]);
  });

  it('locates an unknown alias among many in linear time', () => {
    // Resolving each alias by walking the whole document made 20,000 aliases take about half a minute.
    const text = `sources:\n  - &a { name: a }\n${'  - *a\n'.repeat(20_000)}  - *missing\n`;
    const started = performance.now();
    expect(problems(text)).toEqual([
      'sources.yaml:20003:5: sources[20001]: unknown alias `*missing`: no `&missing` anchor comes before it',
    ]);
    expect(performance.now() - started).toBeLessThan(10_000);
  }, 60_000);

  it('locates an unknown alias inside a mapping written under a merge key', () => {
    expect(problems('sources:\n  - name: a\n    <<: { offers: *nope }\n')).toEqual([
      'sources.yaml:3:19: sources[0]["<<"].offers: unknown alias `*nope`: no `&nope` anchor comes before it',
    ]);
    expect(problems('sources:\n  - &a { name: a }\n  - <<: [*a, { fields: { title: *t } }]\n')).toEqual([
      'sources.yaml:3:33: sources[1]["<<"].fields.title: unknown alias `*t`: no `&t` anchor comes before it',
    ]);
  });

  it('takes a merge key on an alias of a list of mappings, as yaml does, when locating another alias', () => {
    // `<<: *both` merges each mapping of the list `both` names: only the typo is a problem.
    const text =
      'sources:\n  - &a { name: a }\n  - &b { offers: items }\n  - &both [*a, *b]\n  - <<: *both\n    fields: *typo\n';
    expect(problems(text)).toEqual([
      'sources.yaml:6:13: sources[3].fields: unknown alias `*typo`: no `&typo` anchor comes before it',
    ]);
    // A list with something else in it is refused by yaml: located at the alias that merges it.
    expect(problems('sources:\n  - &a { name: a }\n  - &l [*a, 1]\n  - <<: *l\n')).toEqual([
      'sources.yaml:4:9: sources[2]["<<"]: `<<` merges a mapping or a list of mappings, as in `<<: *common`',
    ]);
  });

  it('locates problems among thousands of aliases in linear time, not one walk of the file per alias', () => {
    // 2,000 sources sharing anchors 50 at a time (yaml allows 100 aliases of one anchor): one mistyped
    // alias, and a bad template under an anchor that 49 sources alias. Each alias resolved by a walk of the
    // whole document took 28 s here; the whole load now takes well under a second.
    const sources = Array.from({ length: 2000 }, (_, i) => {
      const k = Math.floor(i / 50);
      if (i % 50 !== 0)
        return `  - { name: s${i}, request: *${i === 1999 ? 'rtypo' : `r${k}`}, offers: items, fields: *f${k} }`;
      const url = k === 1 ? 'https://a.example/?q={{query}' : 'https://a.example/?q={{query}}';
      return `  - name: s${i}\n    request: &r${k} { url: "${url}" }\n    offers: items\n    fields: &f${k} { title: t, price: p }`;
    });
    const text = `sources:\n${sources.join('\n')}\n`;
    const started = performance.now();
    expect(problems(text)).toEqual([
      'sources.yaml:2121:29: sources[1999].request: unknown alias `*rtypo`: no `&rtypo` anchor comes before it',
    ]);
    const fixed = text.replace('*rtypo', '*r39');
    const found = problems(fixed);
    // The anchor is reported for each of the 50 sources that use it, all located where it is written.
    expect(found.slice(0, 2)).toEqual([
      'sources.yaml:56:25: sources[50].request.url: unclosed {{ in "https://a.example/?q={{query}"',
      'sources.yaml:56:25: sources[51].request.url: unclosed {{ in "https://a.example/?q={{query}"',
    ]);
    expect(found).toHaveLength(50);
    expect(found.at(-1)).toBe(
      'sources.yaml:56:25: sources[99].request.url: unclosed {{ in "https://a.example/?q={{query}"',
    );
    expect(performance.now() - started).toBeLessThan(10_000);
  }, 60_000);

  it('reports an empty file or a non-mapping', () => {
    expect(problems('')).toMatchInlineSnapshot(`
      [
        "sources.yaml: the file is empty; it needs a \`sources:\` list",
      ]
    `);
    expect(problems('- a\n')).toMatchInlineSnapshot(`
      [
        "sources.yaml:1:1: expected a mapping, got a list: the list of sources goes under \`sources:\`",
      ]
    `);
  });

  it('requires sources, a name, request, offers, fields.title and fields.price', () => {
    expect(problems('currency: USD\n')).toMatchInlineSnapshot(`
      [
        "sources.yaml:1:1: sources: required",
      ]
    `);
    expect(problems('sources: []\n')).toMatchInlineSnapshot(`
      [
        "sources.yaml:1:10: sources: needs at least one source",
      ]
    `);
    const text = yaml`
      sources:
        - request: { url: "https://a.example/" }
          fields: { seller: s }
        - name: b
    `;
    expect(problems(text)).toMatchInlineSnapshot(`
      [
        "sources.yaml:2:5: sources[0].name: required",
        "sources.yaml:2:5: sources[0].offers: required",
        "sources.yaml:3:13: sources[0].fields.title: required",
        "sources.yaml:3:13: sources[0].fields.price: required",
        "sources.yaml:4:5: sources[1].request: required",
        "sources.yaml:4:5: sources[1].offers: required",
        "sources.yaml:4:5: sources[1].fields: required",
      ]
    `);
  });

  it('rejects a duplicate source name, pointing back at the first', () => {
    const text = `sources:\n${GOOD_SOURCE}${GOOD_SOURCE}`;
    expect(problems(text)).toMatchInlineSnapshot(`
      [
        "sources.yaml:6:9: sources[1].name: duplicate source name "good" (first at line 2)",
      ]
    `);
  });

  it('explains bad durations, retries and methods', () => {
    const text = yaml`
      defaults:
        timeout: 2 sec
        retries: 1.5
      sources:
        - name: a
          timeout: -1
          retries: 9
          request: { url: "https://a.example/", method: FETCH }
          offers: items
          fields: { title: t, price: p }
        - name: b
          timeout: 0
          request: { url: "https://b.example/" }
          offers: items
          fields: { title: t, price: p }
    `;
    expect(problems(text)).toMatchInlineSnapshot(`
      [
        "sources.yaml:2:12: defaults.timeout: "2 sec" is not a duration; use 250ms, 2s, 1.5s, 1m or a number of ms",
        "sources.yaml:3:12: defaults.retries: must be a whole number",
        "sources.yaml:6:14: sources[0].timeout: -1 is not a duration; use 250ms, 2s, 1.5s, 1m or a number of ms",
        "sources.yaml:7:14: sources[0].retries: must be at most 5",
        "sources.yaml:8:51: sources[0].request.method: must be one of GET, POST, PUT, PATCH, DELETE, HEAD",
        "sources.yaml:12:14: sources[1].timeout: must be more than 0",
      ]
    `);
  });

  it('tells a hedge of 0, written to mean no hedging, that `off` is the way', () => {
    const text = yaml`
      defaults: { hedge: 300ms }
      sources:
        - name: a
          hedge: 0
          request: { url: "https://a.example/" }
          offers: items
          fields: { title: t, price: p }
        - name: b
          hedge: 0ms
          request: { url: "https://b.example/" }
          offers: items
          fields: { title: t, price: p }
    `;
    expect(problems(text)).toEqual([
      'sources.yaml:4:12: sources[0].hedge: must be more than 0; `off` turns hedging off',
      'sources.yaml:9:12: sources[1].hedge: must be more than 0; `off` turns hedging off',
    ]);
  });

  it('refuses a small bare number for a duration, which is milliseconds where seconds were meant', () => {
    // `timeout: 3` was 3 ms: every source failed as `not sent within 3ms`, as `--timeout 3` is refused for.
    const text = yaml`
      defaults:
        timeout: 3
        hedge: "2"
      sources:
        - name: a
          timeout: 1.5
          request: { url: "https://a.example/" }
          poll: { request: { url: "https://a.example/poll" }, until: done, interval: 1 }
          offers: items
          fields: { title: t, price: p }
    `;
    expect(problems(text)).toEqual([
      'sources.yaml:2:12: defaults.timeout: 3 is 3 ms; write 3s for seconds, or 3ms',
      'sources.yaml:3:10: defaults.hedge: 2 is 2 ms; write 2s for seconds, or 2ms',
      'sources.yaml:6:14: sources[0].timeout: 1.5 is 1.5 ms; write 1.5s for seconds, or 1.5ms',
      'sources.yaml:8:80: sources[0].poll.interval: 1 is 1 ms; write 1s for seconds, or 1ms',
    ]);
    // With a unit, or from 50 ms on, a number is taken as written.
    const fine = text.replace('timeout: 3', 'timeout: 3ms').replace('"2"', '50').replace('1.5', '1.5s');
    expect(loadConfigText(fine.replace('interval: 1', 'interval: 1s'), 'sources.yaml', {}).sources[0]).toMatchObject({
      timeoutMs: 1500,
    });
  });

  it('accepts only http(s) URLs, with placeholders standing for a value', () => {
    const source = (url: string) => yaml`
      sources:
        - name: a
          request: { url: "${url}" }
          offers: items
          fields: { title: t, price: p }
    `;
    expect(problems(source('ftp://files.example/list'))).toMatchInlineSnapshot(`
      [
        "sources.yaml:3:21: sources[0].request.url: must be an http(s) URL",
      ]
    `);
    expect(problems(source('file:///etc/passwd'))).toMatchInlineSnapshot(`
      [
        "sources.yaml:3:21: sources[0].request.url: must be an http(s) URL",
      ]
    `);
    // A `{{ }}` value is percent-encoded: `https://{{base}}/search` would go out as `https://https%3A%2F%2F…`.
    for (const templated of ['{{base}}/search', '{{ $response.links.poll }}']) {
      expect(problems(source(templated))).toEqual([
        'sources.yaml:3:21: sources[0].request.url: must be an http(s) URL, and a `{{ }}` cannot give its scheme: its value is percent-encoded (`https://` goes out as `https%3A%2F%2F`); write `https://` and the host, and a `{{ }}` for a part of the path or query',
      ]);
    }
    // Neither has a host to write out: "before the host" pointed at none, and mailto: has a scheme.
    expect(problems(source('/search?q={{query}}'))).toEqual([
      'sources.yaml:3:21: sources[0].request.url: must be an http(s) URL, whole: its scheme and host too, as `https://api.example.com/…`',
    ]);
    expect(problems(source('mailto:x'))).toEqual(['sources.yaml:3:21: sources[0].request.url: must be an http(s) URL']);
    // A URL as a browser's address bar takes it: "must be an http(s) URL" alone, for a URL that opens fine.
    for (const [bare, host] of [
      ['api.example.com/search?q={{query}}', 'api.example.com'],
      ['localhost:8787/search', 'localhost:8787'],
      ['//api.example.com', 'api.example.com'],
    ]) {
      expect(problems(source(bare ?? ''))).toEqual([
        `sources.yaml:3:21: sources[0].request.url: must be an http(s) URL, and has no scheme: write \`https://\` (or \`http://\`) before the host, as \`https://${host}/…\``,
      ]);
    }
    // The URL parser would read each as https://search/: a host nobody wrote (an empty ${HOST}, say).
    for (const hostless of ['https:///search', 'https:search', 'http:\\\\search', ' https:/search']) {
      expect(problems(source(hostless))).toEqual(['sources.yaml:3:21: sources[0].request.url: must be an http(s) URL']);
    }
    expect(problems(source('https://${HOST}/s?q={{query}}'), { HOST: '' })).toEqual([
      'sources.yaml:3:21: sources[0].request.url: must be an http(s) URL',
    ]);
    expect(() => loadConfigText(source('https://{{host}}/s?q={{query}}'), 'x', {})).not.toThrow();
    expect(() => loadConfigText(source('HTTPS://Shop.Example:8443/s?q={{query}}'), 'x', {})).not.toThrow();
  });

  it('refuses a `{name}` in single braces, which would be sent as written, where `{{name}}` was meant', () => {
    // `?q={query}` went out braces and all: the vendor searched for "{query}", and nothing said why.
    const text = yaml`
      sources:
        - name: a
          request:
            method: POST
            url: "https://a.example/items/{id}?q={{query}}"
            headers: { Authorization: "Bearer {TOKEN}", X-Built: "{{ {'a': query}.a }}" }
            body: { q: "{query}", tags: ["{{tag}}", "new {tag}"], escaped: "$\${query}", gql: "{ viewer {login} }" }
          offers: items
          fields: { title: t, price: p }
    `;
    expect(problems(text)).toEqual([
      'sources.yaml:5:12: sources[0].request.url: `{id}` is sent as written, braces and all: a search param is `{{id}}`, an environment variable `${id}`',
      'sources.yaml:6:33: sources[0].request.headers.Authorization: `{TOKEN}` is sent as written, braces and all: a search param is `{{TOKEN}}`, an environment variable `${TOKEN}`',
      'sources.yaml:7:18: sources[0].request.body.q: `{query}` is sent as written, braces and all: a search param is `{{query}}`, an environment variable `${query}`',
      'sources.yaml:7:47: sources[0].request.body.tags[1]: `{tag}` is sent as written, braces and all: a search param is `{{tag}}`, an environment variable `${tag}`',
    ]);
  });

  it("takes a `{name}` right after a word, the vendor's own: a Graph API field expansion, a GraphQL selection", () => {
    // `fields=id,offers{price}` (the Graph API) and a GraphQL query sent by GET were refused as `{price}`
    // and `{title}` meant for `{{ }}`, and the file could not be used at all.
    const text = yaml`
      sources:
        - name: a
          request:
            url: "https://graph.example/search?q={{query}}&fields=id,offers{price}"
            headers: { X-Fields: "offers{price}" }
          poll:
            request: { url: "https://graph.example/gql?query={search{title} total}" }
            until: done
          offers: items
          fields: { title: t, price: p }
    `;
    expect(() => loadConfigText(text, 'sources.yaml', {})).not.toThrow();
    // A `{name}` of its own beside them is still the mistake.
    expect(problems(text.replace('{price}"', '{price}&id={id}"'))).toEqual([
      'sources.yaml:4:12: sources[0].request.url: `{id}` is sent as written, braces and all: a search param is `{{id}}`, an environment variable `${id}`',
    ]);
  });

  it("takes a set of values after a `field:`, eBay's filter syntax, as the vendor's own", () => {
    // `filter=buyingOptions:{FIXED_PRICE}`, as eBay's docs write it, was refused as `{FIXED_PRICE}` meant for
    // `{{ }}`: the filter that leaves auctions' current bids out of a price ranking could not be written.
    const text = yaml`
      sources:
        - name: a
          request:
            url: "https://api.ebay.com/buy/browse/v1/item_summary/search?q={{query}}&filter=buyingOptions:{FIXED_PRICE},conditions:{USED}"
            query: { filter2: "buyingOptions:{AUCTION}" }
          offers: items
          fields: { title: t, price: p }
    `;
    expect(() => loadConfigText(text, 'sources.yaml', {})).not.toThrow();
    // A port, or a `{name}` of its own beside them, is still the mistake.
    expect(problems(text.replace('api.ebay.com/', 'api.ebay.com:{port}/'))).toContain(
      'sources.yaml:4:12: sources[0].request.url: `{port}` is sent as written, braces and all: a search param is `{{port}}`, an environment variable `${port}`',
    );
    expect(problems(text.replace('{USED}"', '{USED}&id={id}"'))).toEqual([
      'sources.yaml:4:12: sources[0].request.url: `{id}` is sent as written, braces and all: a search param is `{{id}}`, an environment variable `${id}`',
    ]);
  });

  it('takes a `{name}` in a value from the environment as it is, and never quotes it', () => {
    // A password `pa{ss}` in ${PASS} was refused as "`{ss}` is sent as written", printing part of the secret.
    const env = { PASS: 'pa{ss}word', TOKEN: 's3cr{et}', BODY: 'x{yz}', ID: 'item42', LANG: 'en' };
    const text = yaml`
      defaults:
        headers: { X-Key: "\${TOKEN}" }
      sources:
        - name: a
          request:
            method: POST
            url: "https://a.example/items?q={{query}}&pw=\${PASS}"
            headers: { Authorization: "Bearer \${TOKEN}" }
            body: { q: "{{query}}", secret: "\${BODY}" }
          poll:
            request: { url: "https://a.example/poll/{\${ID}}?pw=\${PASS}" }
            until: done
          offers: items
          fields: { title: t, price: p }
    `;
    expect(() => loadConfigText(text, 'sources.yaml', env)).not.toThrow();
    // What the file writes around such a value is still its own.
    const written = text.replace('Bearer ${TOKEN}', 'Bearer ${TOKEN} {currency}');
    expect(problems(written, env)).toEqual([
      'sources.yaml:8:33: sources[0].request.headers.Authorization: `{currency}` is sent as written, braces and all: a search param is `{{currency}}`, an environment variable `${currency}`',
    ]);
  });

  it('suggests the intended key for a typo, else lists the allowed keys', () => {
    const text = yaml`
      currancy: USD
      sources:
        - name: a
          timout: 2s
          request: { url: "https://a.example/", header: {} }
          offers: items
          fields: { title: t, price: p }
          colour: red
    `;
    expect(problems(text)).toMatchInlineSnapshot(`
      [
        "sources.yaml:1:1: currancy: unknown key; did you mean \`currency\`?",
        "sources.yaml:4:5: sources[0].timout: unknown key; did you mean \`timeout\`?",
        "sources.yaml:5:43: sources[0].request.header: unknown key; did you mean \`headers\`?",
        "sources.yaml:8:5: sources[0].colour: unknown key (expected one of name, tags, requires, currency, timeout, retries, idempotent, hedge, maxBytes, request, auth, poll, next, maxPages, flowTimeout, offers, fields)",
      ]
    `);
  });

  it('suggests the other number of a key, however many edits its ending is', () => {
    // `retry` is three edits from `retries`: only the allowed keys were listed.
    expect(
      problems(yaml`
      defaults: { retry: 1 }
      sources:
        - name: a
          request: { url: "https://a.example/" }
          offers: items
          fields: { title: t, price: p }
    `),
    ).toEqual(['sources.yaml:1:13: defaults.retry: unknown key; did you mean `retries`?']);
  });

  it('names a typo beside a missing required field (any name is a field, so the typo is no unknown key)', () => {
    const text = yaml`
      sources:
        - name: a
          request: { url: "https://a.example/" }
          offers: items
          fields: { titel: t, prise: p, tittle_case: x }
        - name: b
          request: { url: "https://b.example/" }
          offers: items
          fields: { name: t, cost: p }
    `;
    expect(problems(text)).toEqual([
      'sources.yaml:5:13: sources[0].fields.title: required (`titel` is there: a typo?)',
      'sources.yaml:5:13: sources[0].fields.price: required (`prise` is there: a typo?)',
      'sources.yaml:9:13: sources[1].fields.title: required',
      'sources.yaml:9:13: sources[1].fields.price: required',
    ]);
    // A swap of two neighbours is one edit: `timeuot` is as near `timeout` as `timout` is.
    expect(
      problems(yaml`
      sources:
        - name: a
          timeuot: 2s
          request: { url: "https://a.example/" }
          offers: items
          fields: { title: t, price: p }
    `),
    ).toEqual(['sources.yaml:3:5: sources[0].timeuot: unknown key; did you mean `timeout`?']);
  });

  it('shows an invisible character in a key or value (a pasted zero-width or no-break space, a BOM from `cat`)', () => {
    const text = [
      'currency: USD',
      '\ufeffsources:',
      '  - name: a',
      '    request: { url: "https://a.example/" }',
      '    offers\u200b: items',
      '    fields: { title: t, "price\u00a0": p }',
    ].join('\n');
    expect(problems(text)).toEqual([
      'sources.yaml:1:1: sources: required (`<U+FEFF>sources` is there: a typo?)',
      'sources.yaml:2:1: ["<U+FEFF>sources"]: unknown key; did you mean `sources`?',
    ]);
    expect(problems(text.replace('\ufeff', ''))).toEqual([
      'sources.yaml:3:5: sources[0].offers: required (`offers<U+200B>` is there: a typo?)',
      'sources.yaml:5:5: sources[0]["offers<U+200B>"]: unknown key; did you mean `offers`?',
      'sources.yaml:6:13: sources[0].fields.price: required (`price<U+00A0>` is there: a typo?)',
      'sources.yaml:6:35: sources[0].fields["price<U+00A0>"]: must be letters, digits and _, not starting with a digit',
    ]);
    // And in a value a message quotes.
    expect(
      problems(
        text
          .replace('\ufeff', '')
          .replace('offers\u200b', 'timeout: "5s\u00a0"\n    offers')
          .replace('price\u00a0', 'price'),
      ),
    ).toEqual([
      'sources.yaml:5:14: sources[0].timeout: "5s<U+00A0>" is not a duration; use 250ms, 2s, 1.5s, 1m or a number of ms',
    ]);
  });

  it('names the source and field of bad JSONata, in offers, fields and templates', () => {
    const text = yaml`
      defaults:
        headers: { X-Trace: "{{ ) }}" }
      sources:
        - name: ebay
          request:
            url: "https://a.example/?q={{ query( }}"
            headers: { X-Key: "{{ [ }}" }
            body: { items: [{ q: "{{ } }}" }] }
            method: POST
          offers: "items["
          fields:
            title: title
            price: $number(price.value
    `;
    expect(problems(text)).toMatchInlineSnapshot(`
      [
        "sources.yaml:2:23: defaults.headers.X-Trace: invalid JSONata " ) ": The symbol ")" cannot be used as a unary operator (at character 2)",
        "sources.yaml:6:12: sources[0].request.url: invalid JSONata " query( ": Expected ")" before end of expression (at character 8)",
        "sources.yaml:7:25: sources[0].request.headers.X-Key: invalid JSONata " [ ": Expected "]" before end of expression (at character 3)",
        "sources.yaml:8:28: sources[0].request.body.items[0].q: invalid JSONata " } ": The symbol "}" cannot be used as a unary operator (at character 2)",
        "sources.yaml:10:13: sources[0].offers: invalid JSONata "items[": Expected "]" before end of expression (at character 6)",
        "sources.yaml:13:14: sources[0].fields.price: invalid JSONata "$number(price.value": Expected ")" before end of expression (at character 19)",
      ]
    `);
  });

  it('reports every bad template of a body, not only the first', () => {
    const text = yaml`
      sources:
        - name: a
          request:
            url: "https://a.example/"
            method: POST
            body: { list: ["x", "{{ ]] }}"], q: "{{ q( }}", ok: "{{ q }}" }
          poll: { request: { method: POST, url: "https://a.example/p", body: ["{{ ( }}", { k: "{{ ) }}" }] }, until: done }
          offers: items
          fields: { title: t, price: p }
    `;
    expect(problems(text).map((p) => p.replace(/: invalid JSONata.*/, ''))).toEqual([
      'sources.yaml:6:27: sources[0].request.body.list[1]',
      'sources.yaml:6:43: sources[0].request.body.q',
      'sources.yaml:7:73: sources[0].poll.request.body[0]',
      'sources.yaml:7:89: sources[0].poll.request.body[1].k',
    ]);
  });

  it('says to quote a `{{ }}` template that YAML read as a mapping, in a body and elsewhere', () => {
    // Unquoted, `q: {{query}}` is a mapping keyed by the mapping {query}: a body sent {"q":{"{ query }":null}}.
    const text = yaml`
      sources:
        - name: a
          request:
            url: "https://a.example/"
            method: POST
            headers:
              X-Q: {{query}}
            body:
              q: {{ query }}
              odd: { ? [a, b] : 1 }
          offers: items
          fields: { title: t, price: p }
    `;
    expect(problems(text)).toEqual([
      'sources.yaml:7:14: sources[0].request.headers.X-Q: `{{query}}` without quotes is a YAML mapping, not a template: write `"{{query}}"`',
      'sources.yaml:9:12: sources[0].request.body.q: `{{ query }}` without quotes is a YAML mapping, not a template: write `"{{ query }}"`',
      'sources.yaml:10:14: sources[0].request.body.odd: has a key that is a mapping or a list; keys are text (quote a key that starts with `{` or `[`)',
    ]);
  });

  it('says to quote a value with `{{ }}`, `{` or `[` in it inside `{ }`, where yaml said "Unexpected flow-map-start"', () => {
    const url = (request: string) =>
      `sources:\n  - name: a\n    request: ${request}\n    offers: items\n    fields: { title: t, price: p }\n`;
    expect(problems(url('{ url: https://a.example/?q={{query}}&n=1 }'))).toEqual([
      'sources.yaml:3:42: a value with `{{…}}` inside `{ }` or `[ ]` must be quoted, as in `url: "https://…?q={{query}}"`',
    ]);
    const join = `sources:\n${GOOD_SOURCE.replace('price: price }', 'price: price, tags: $join([a, b], "-") }')}`;
    expect(problems(join)[0]).toBe(
      `sources.yaml:5:52: a value with \`{\` or \`[\` in it inside \`{ }\` or \`[ ]\` must be quoted: write \`d: '$join([a, b], "-")'\``,
    );
    // Quoted, or in a block mapping, such values are fine.
    expect(() =>
      loadConfigText(url('{ url: "https://a.example/?q={{query}}&n=1" }'), 'sources.yaml', {}),
    ).not.toThrow();
    expect(() =>
      loadConfigText(url('\n      url: https://a.example/?q={{query}}&n=1'), 'sources.yaml', {}),
    ).not.toThrow();
  });

  it('hides a credential written into the file in what it says: a credential header, an OAuth2 client secret', () => {
    // Quoted whole (`unclosed {{ in "sk_live_… {{ query"`), it went to the terminal, a CI log, a bug report.
    const text = yaml`
      sources:
        - name: a
          request:
            url: "https://a.example/?q={{query}}"
            headers: { X-Api-Key: "sk_live_4242 {{ query", Authorization: "Basic dXNlcjpwYXNz {{", X-Trace: "trace-7 {{" }
          auth:
            oauth2: { tokenUrl: "https://a.example/token", clientId: id, clientSecret: "cs_9f8e7d {{" }
          offers: items
          fields: { title: t, price: p }
        # The same key under another name, and values that are no text (each its own error, not a crash).
        - name: b
          request:
            url: "https://b.example/?q={{query}}"
            headers: { apikey: "sk_live_4242 {{ query", X-Auth-Token: 20261129, X-Api-Secret: { nested: true } }
          offers: items
          fields: { title: t, price: p }
    `;
    const said = problems(text).join('\n');
    for (const secret of ['sk_live_4242', 'dXNlcjpwYXNz', 'cs_9f8e7d']) expect(said).not.toContain(secret);
    expect(said).toContain('sources[0].request.headers.X-Api-Key: unclosed {{ in "***"');
    // A header whose name says nothing of a credential is quoted as written.
    expect(said).toContain('sources[0].request.headers.X-Trace: unclosed {{ in "trace-7 {{"');
  });

  it('hides a credential written into a `request.query` parameter, as in a header', () => {
    const text = yaml`
      sources:
        - name: a
          request:
            url: "https://a.example/s"
            query: { q: "{{query}}", api_key: "sk_live_4242 {{ query", token: ["tk_9f8e7d {{"], page: "p1 {{" }
          offers: items
          fields: { title: t, price: p }
    `;
    const said = problems(text).join('\n');
    for (const secret of ['sk_live_4242', 'tk_9f8e7d']) expect(said).not.toContain(secret);
    expect(said).toContain('sources[0].request.query.api_key: unclosed {{ in "***"');
    expect(said).toContain('sources[0].request.query.page: unclosed {{ in "p1 {{"');
  });

  it('says once that a comma cut an expression inside `{ }`, not what each piece trips over', () => {
    // `{ d: $substring(t, 0, 3) }` is `d: $substring(t` and the keys `0` and `3)`: four errors, none of quotes.
    const cut = (fields: string) =>
      `sources:\n  - name: a\n    request: { url: "https://a.example/?q={{query}}" }\n    offers: items\n    fields: ${fields}\n`;
    expect(problems(cut('{ title: t, price: $number(p), short: $substring(t, 0, 3), seller: s }'))).toEqual([
      "sources.yaml:5:51: sources[0].fields.short: a comma inside `{ }` ends a value, and cut this one: write it in quotes, `short: '$substring(t, 0, 3)'`",
    ]);
    // A quote inside is kept whole by double quotes; a quoted value, or one with its brackets closed, is fine.
    expect(problems(cut(`{ title: t, price: p, s: $substringBefore('a-b', t) }`))[0]).toContain(
      `write it in quotes, \`s: "$substringBefore('a-b', t)"\``,
    );
    expect(() =>
      loadConfigText(cut("{ title: t, price: p, short: '$substring(t, 0, 3)' }"), 'sources.yaml', {}),
    ).not.toThrow();
    expect(problems(cut('{ title: $substring(t, 0), price: p }'))).toEqual([
      "sources.yaml:5:22: sources[0].fields.title: a comma inside `{ }` ends a value, and cut this one: write it in quotes, `title: '$substring(t, 0)'`",
    ]);
  });

  it('refuses a `requires` entry that no search can give, which skipped its source every time', () => {
    const text = yaml`
      sources:
        - name: a
          requires: [query, return-date, ""]
          request: { url: "https://a.example/?q={{query}}" }
          offers: items
          fields: { title: name, price: p }
    `;
    expect(problems(text)).toEqual([
      'sources.yaml:3:23: sources[0].requires[1]: "return-date" is no param name, which has letters, digits and _ only (return_date): the source would be skipped on every search',
      'sources.yaml:3:36: sources[0].requires[2]: "" is no param name, which has letters, digits and _ only: the source would be skipped on every search',
    ]);
    expect(
      loadConfigText(text.replace(', return-date, ""', ', return_date'), 'sources.yaml', {}).sources[0]?.requires,
    ).toEqual(['query', 'return_date']);
  });

  it('refuses a tag that --tag cannot select: empty, with a comma, or with a space at an end', () => {
    // `--tag "us,eu"` asks for `us` and `eu`: a source tagged "us,eu" was never selected, and the error
    // listed its tag as in use.
    const text = yaml`
      sources:
        - name: a
          tags: [flights, "us,eu", "", " uk"]
          request: { url: "https://a.example/?q={{query}}" }
          offers: items
          fields: { title: name, price: p }
    `;
    const why =
      'cannot be given to --tag, which splits on `,`: a tag is not empty, has no `,`, and no space at either end';
    expect(problems(text)).toEqual([
      `sources.yaml:3:21: sources[0].tags[1]: ${why}`,
      `sources.yaml:3:30: sources[0].tags[2]: ${why}`,
      `sources.yaml:3:34: sources[0].tags[3]: ${why}`,
    ]);
    const fixed = text.replace('"us,eu", "", " uk"', 'us, eu, long haul');
    expect(loadConfigText(fixed, 'sources.yaml', {}).sources[0]?.tags).toEqual(['flights', 'us', 'eu', 'long haul']);
  });

  it('requires a currency when rates are given, and checks rate keys and values', () => {
    const text = `rates: { eur: 1.1, GBP: 0 }\nsources:\n${GOOD_SOURCE}`;
    expect(problems(text)).toMatchInlineSnapshot(`
      [
        "sources.yaml:1:8: rates: needs a top-level \`currency\` to convert into",
        "sources.yaml:1:10: rates.eur: key "eur" is not a 3-letter currency code in capitals, like USD",
        "sources.yaml:1:25: rates.GBP: must be more than 0",
      ]
    `);
    // A rate of the ranking currency to itself other than 1 was ignored without a word.
    expect(problems(`currency: USD\nrates: { EUR: 1.1, USD: 0.9 }\nsources:\n${GOOD_SOURCE}`)).toEqual([
      'sources.yaml:2:25: rates.USD: is the rate of `currency` (USD) to itself, which is 1; leave it out, or check which currency the rates are in',
    ]);
    expect(problems(`currency: XXX\nsources:\n${GOOD_SOURCE}`)).toEqual([
      'sources.yaml:1:11: currency: XXX marks offers that gave no currency; rank in a real one, like USD',
    ]);
    // On a source it left its offers unmarked, and the run then told the reader to set the `currency:` just set.
    expect(problems(`sources:\n${GOOD_SOURCE.replace('offers: items', 'currency: XXX\n  offers: items')}`)).toEqual([
      "sources.yaml:4:13: sources[0].currency: XXX marks offers that gave no currency; write the one this source's prices are in, like USD",
    ]);
    // XXX marks offers that gave no currency: a rate for it converted them at a guess, without the warning.
    expect(problems(`currency: USD\nrates: { EUR: 1.1, XXX: 2 }\nsources:\n${GOOD_SOURCE}`)).toEqual([
      'sources.yaml:2:25: rates.XXX: XXX marks offers that gave no currency, which no rate can convert: set `currency:` on their source',
    ]);
    // `rates:` with nothing under it (a list deleted, a comment left) is null: the XXX check threw on it.
    expect(problems(`currency: USD\nrates: # none yet\nsources:\n${GOOD_SOURCE}`)).toEqual([
      'sources.yaml:2:1: rates: expected a mapping, got nothing',
    ]);
    const same = loadConfigText(
      `currency: USD\nrates: { EUR: 1.1, USD: 1 }\nsources:\n${GOOD_SOURCE}`,
      'sources.yaml',
      {},
    );
    expect(same.rates).toEqual({ EUR: 1.1, USD: 1 });
    // A rate that is no rate at all says so, and only so.
    for (const bad of ['"x"', '-2', '.nan']) {
      expect(problems(`currency: USD\nrates: { USD: ${bad} }\nsources:\n${GOOD_SOURCE}`)).toHaveLength(1);
    }
    expect(problems(`currency: usd\nsources:\n${GOOD_SOURCE}`)).toMatchInlineSnapshot(`
      [
        "sources.yaml:1:11: currency: "usd" is not a 3-letter currency code in capitals, like USD",
      ]
    `);
    // The value is quoted, so that what looked right shows what is wrong with it; a long one, its start.
    expect(problems(`currency: "USD\u200b"\nsources:\n${GOOD_SOURCE}`)).toEqual([
      'sources.yaml:1:11: currency: "USD<U+200B>" is not a 3-letter currency code in capitals, like USD',
    ]);
    expect(problems(`currency: "${'U'.repeat(5000)}"\nsources:\n${GOOD_SOURCE}`)).toEqual([
      `sources.yaml:1:11: currency: "${'U'.repeat(16)}…" is not a 3-letter currency code in capitals, like USD`,
    ]);
  });

  it('locates a duration or a size too large to use, rather than failing inside validation', () => {
    const text = yaml`
      defaults: { timeout: 3000000000 }
      sources:
        - name: a
          request: { url: "https://a.example/" }
          timeout: 40000m
          hedge: 1e21
          flowTimeout: 2147483648
          maxBytes: ${'9'.repeat(320)}GiB
          offers: items
          fields: { title: t, price: p }
    `;
    expect(problems(text).map((p) => p.slice(0, 120))).toEqual([
      'sources.yaml:1:22: defaults.timeout: 3000000000 is too long; a duration can be at most 24 days (2147483647ms)',
      'sources.yaml:5:14: sources[0].timeout: "40000m" is too long; a duration can be at most 24 days (2147483647ms)',
      'sources.yaml:6:12: sources[0].hedge: 1e+21 is too long; a duration can be at most 24 days (2147483647ms)',
      'sources.yaml:7:18: sources[0].flowTimeout: 2147483648 is too long; a duration can be at most 24 days (2147483647ms)',
      // This source has no flow, so that too is said.
      'sources.yaml:7:18: sources[0].flowTimeout: needs a flow (`auth`, `poll` or `next`); the limit of a single request is `timeout`'.slice(
        0,
        120,
      ),
      `sources.yaml:8:15: sources[0].maxBytes: "${'9'.repeat(120)}`.slice(0, 120),
    ]);
    expect(problems(text)[5]).toMatch(/GiB" is not a size; use 512KiB/);
  });

  it('names a !!binary or !!timestamp value as what it is, not as a mapping', () => {
    expect(problems('sources:\n  - name: !!binary aGVsbG8=\n')).toContainEqual(
      expect.stringMatching(
        /^sources\.yaml:2:\d+: sources\[0\]\.name: expected a string, got binary data \(`!!binary`\)$/,
      ),
    );
    expect(problems('sources:\n  - name: !!timestamp 2026-01-01\n')).toContainEqual(
      expect.stringMatching(
        /^sources\.yaml:2:\d+: sources\[0\]\.name: expected a string, got a timestamp \(`!!timestamp`\)$/,
      ),
    );
  });

  it('says which case a size unit is written in', () => {
    expect(problems(`sources:\n${GOOD_SOURCE}  maxBytes: 64mb\n`)).toEqual([
      'sources.yaml:6:13: sources[0].maxBytes: "64mb" is not a size; units are case-sensitive: write 64MiB (or 64MB)',
    ]);
  });

  it('says NaN or Infinity where YAML’s .nan or .inf stands for a number', () => {
    expect(problems(`currency: USD\nrates: { JPY: .nan, EUR: .inf }\nsources:\n${GOOD_SOURCE}`)).toEqual([
      'sources.yaml:2:15: rates.JPY: expected a number, got NaN',
      'sources.yaml:2:26: rates.EUR: expected a number, got Infinity',
    ]);
  });

  it('says a rate written with a decimal comma is text, and how to write it', () => {
    expect(problems(`currency: USD\nrates:\n  EUR: 1,08\nsources:\n${GOOD_SOURCE}`)).toEqual([
      'sources.yaml:3:8: rates.EUR: expected a number, got a string (a decimal comma is text: write 1.08)',
    ]);
  });

  it('says a comma before three digits may group thousands, not only be a decimal comma', () => {
    // `write 1.000` alone, for a thousand connections, made the limit 1.
    expect(problems(`currency: USD\ndefaults:\n  connections: 1,000\nsources:\n${GOOD_SOURCE}`)).toEqual([
      'sources.yaml:3:16: defaults.connections: expected a number, got a string (a comma is text: write 1.000 if it is a decimal comma, 1000 if it groups thousands)',
    ]);
    // No grouping starts with 0: `write 0006` for a yen rate would make it 6, a thousand times too dear.
    expect(problems(`currency: EUR\nrates:\n  JPY: 0,006\nsources:\n${GOOD_SOURCE}`)).toEqual([
      'sources.yaml:3:8: rates.JPY: expected a number, got a string (a decimal comma is text: write 0.006)',
    ]);
  });

  it('rejects reserved and malformed field names', () => {
    const text = yaml`
      sources:
        - name: a
          request: { url: "https://a.example/" }
          offers: items
          fields:
            title: t
            price: p
            rank: r
            type: t
            constructor: c
            __proto__: x
            2nd: y
            ok_name: z
            alsoAt: w
    `;
    // alsoAt is --distinct's list of where else an offer was: a mapped one would be overwritten by it.
    expect(problems(text)).toMatchInlineSnapshot(`
      [
        "sources.yaml:8:13: sources[0].fields.rank: is reserved for the offer model",
        "sources.yaml:9:13: sources[0].fields.type: is reserved for the offer model",
        "sources.yaml:10:20: sources[0].fields.constructor: is not allowed as a field name",
        "sources.yaml:11:7: sources[0].fields.__proto__: is not allowed as a key",
        "sources.yaml:12:12: sources[0].fields["2nd"]: must be letters, digits and _, not starting with a digit",
        "sources.yaml:14:15: sources[0].fields.alsoAt: is reserved for the offer model",
      ]
    `);
  });

  it('refuses a currency code as fields.currency, which JSONata reads as a key of each item', () => {
    // `currency: USD` there found no key USD in any item: every offer had no currency (XXX), without a word.
    const text = yaml`
      sources:
        - name: a
          request: { url: "https://a.example/" }
          offers: items
          fields: { title: t, price: p, currency: USD }
        - name: b
          currency: EUR
          request: { url: "https://b.example/" }
          offers: items
          fields: { title: t, price: p, currency: "'EUR'" }
    `;
    expect(problems(text)).toEqual([
      `sources.yaml:5:45: sources[0].fields.currency: reads a key named USD in each item, not the currency: for offers in USD, write \`currency: USD\` on the source, beside \`fields\` (or "'USD'" here)`,
    ]);
    // A path to the vendor's currency, and a quoted literal, are taken as written; so is a key in capitals
    // that is no currency (`CCY`, as FX feeds name it), which was refused as a code to write on the source.
    for (const path of ['price.currency', 'CCY', 'CUR'])
      expect(
        loadConfigText(text.replace('currency: USD', `currency: ${path}`), 'sources.yaml', {}).sources,
      ).toHaveLength(2);
  });
  it('rejects malformed names and header names', () => {
    const text = yaml`
      defaults:
        headers: { "Bad Header": x }
      sources:
        - name: My Shop
          request: { url: "https://a.example/" }
          offers: " "
          fields: { title: t, price: p }
    `;
    expect(problems(text)).toMatchInlineSnapshot(`
      [
        "sources.yaml:2:14: defaults.headers["Bad Header"]: key is not a valid header name",
        "sources.yaml:4:11: sources[0].name: must be lowercase letters, digits, _ and -, starting with a letter or digit",
        "sources.yaml:6:13: sources[0].offers: must not be empty",
      ]
    `);
  });

  it('rejects header text undici cannot send, which would fail every search as an "invalid request"', () => {
    const text = [
      'defaults:',
      '  headers:',
      '    Authorization: >',
      '      Bearer abcdef',
      'sources:',
      '  - name: a',
      '    request:',
      '      url: "https://a.example/?q={{query}}"',
      '      headers: { X-Unit: "€", X-Ok: "café\t{{query}}", X-Env: "${LINE}" }',
      '    offers: items',
      '    fields: { title: t, price: p }',
      '',
    ].join('\n');
    const lineBreak =
      'has a line break, which a header cannot carry (a `|` or `>` block ends in one: write `>-`, or a quoted string; so does a `${VAR}` value read from a file with Windows line ends)';
    // LINE as a .env file with CRLF line ends gives it: the file has no YAML block to blame.
    expect(problems(text, { LINE: 'secret-token\r' })).toEqual([
      `sources.yaml:3:20: defaults.headers.Authorization: ${lineBreak}`,
      'sources.yaml:9:26: sources[0].request.headers.X-Unit: has a control character or one past U+00FF, which a header cannot carry',
      `sources.yaml:9:62: sources[0].request.headers.X-Env: ${lineBreak}`,
    ]);
  });

  it("says where a first source's misplaced keys go: a bare list under `sources:`, `url` under `request:`", () => {
    expect(problems('- name: a\n  request: { url: "https://x.test/" }\n')).toEqual([
      'sources.yaml:1:1: expected a mapping, got a list: the list of sources goes under `sources:`',
    ]);
    const flat =
      'sources:\n  - name: a\n    url: "https://x.test/?q={{query}}"\n    offers: items\n    fields: { title: t, price: p }\n';
    expect(problems(flat)).toEqual([
      'sources.yaml:2:5: sources[0].request: required',
      'sources.yaml:3:5: sources[0].url: unknown key; it goes under `request:` (`request: { url: … }`)',
    ]);
  });

  it('says each source is a list item when `sources:` is a mapping keyed by name, as docker-compose writes services', () => {
    const keyed = 'sources:\n  ebay:\n    request: { url: "https://x.test/?q={{query}}" }\n    offers: items\n';
    expect(problems(keyed)).toEqual([
      'sources.yaml:2:3: sources: expected a list, got a mapping: each source is a list item, written `- name: ebay` with its other keys under it',
    ]);
  });

  it("says where a key known at another level goes, rather than only listing this level's keys", () => {
    // `timeout:` at the top, `offers:` indented under `request:`, `until:` beside `poll:`: right key, wrong place.
    const text = yaml`
      timeout: 5s
      defaults: { currency: USD }
      sources:
        - name: a
          oauth2: { tokenUrl: "https://a.example/t", clientId: i, clientSecret: s }
          request:
            url: "https://a.example/?q={{query}}"
            offers: items
          until: done
          fields: { title: name, price: p }
    `;
    expect(problems(text)).toEqual([
      'sources.yaml:1:1: timeout: unknown key; it goes under `defaults:` (`defaults: { timeout: … }`), for every source',
      'sources.yaml:2:13: defaults.currency: unknown key; it goes at the top level, beside `defaults:`',
      'sources.yaml:4:5: sources[0].offers: required',
      'sources.yaml:5:5: sources[0].oauth2: unknown key; it goes under `auth:` (`auth: { oauth2: … }`)',
      'sources.yaml:8:7: sources[0].request.offers: unknown key; it goes on the source, beside `request:` (indented as `request:` is)',
      'sources.yaml:9:5: sources[0].until: unknown key; it goes under `poll:` (`poll: { until: … }`)',
    ]);
  });

  it("says a run's setting that only the command line takes is a flag of `agg search`", () => {
    const text = yaml`
      strategy: best
      defaults: { deadline: 10s }
      sources:
        - name: a
          request: { url: "https://a.example/?q={{query}}" }
          offers: items
          fields: { title: name, price: p }
          desc: true
    `;
    expect(problems(text)).toEqual([
      'sources.yaml:1:1: strategy: unknown key; it is a flag of `agg search`, not a setting of the file (`--strategy …`)',
      'sources.yaml:2:13: defaults.deadline: unknown key; it is a flag of `agg search`, not a setting of the file (`--deadline …`)',
      'sources.yaml:8:5: sources[0].desc: unknown key; it is a flag of `agg search`, not a setting of the file (`--desc`)',
    ]);
  });

  it('collects every problem into one ConfigError, sorted by position', () => {
    const text = yaml`
      rates: { EUR: 1.1 }
      defaults: { retries: 1.5 }
      sources:
        - name: A
          request: { url: "ftp://a" }
          offers: items
          fields: { title: t }
    `;
    let error: unknown;
    try {
      loadConfigText(text, 'sources.yaml', {});
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const found = (error as ConfigError).problems;
    expect(found.map((p) => p.path)).toEqual([
      'rates',
      'defaults.retries',
      'sources[0].name',
      'sources[0].request.url',
      'sources[0].fields.price',
    ]);
    expect(found[0]).toEqual({
      file: 'sources.yaml',
      line: 1,
      col: 8,
      path: 'rates',
      message: 'needs a top-level `currency` to convert into',
    });
  });

  it('hides every word of a secret in an expression error, where jsonata quotes the token it stopped at', () => {
    const text = yaml`
      sources:
        - name: a
          request: { url: "https://a.example/?q={{query}}" }
          offers: items
          fields: { title: "\${T}", price: price }
    `;
    for (const T of ['sekrit1 sekrit2', 'open(sekrit99 here', 'alpha-beta gamma.delta']) {
      const lines = problems(text, { T }).join('\n');
      expect(lines).toMatch(/fields\.title: invalid JSONata "\*\*\*": .*"\*\*\*"/);
      for (const word of T.match(/[a-z0-9]{4,}/g) ?? []) expect(lines).not.toContain(word);
    }
    // A message that quoted no secret is left as it is, even where it shares a word with one.
    const other = text.replace('"${T}"', '"title here)"').replace('{ url:', '{ headers: { X-Key: "${T}" }, url:');
    expect(problems(other, { T: 'here we go' }).join('\n')).toContain('Syntax error: "here"');
  });

  it('refuses a body of JSON written as a string under a JSON type: it would go out as one JSON string', () => {
    // A `|` block pasted from a vendor's docs was sent as "{\"query\": \"tv\"}", and the vendor's 400 named nothing.
    const text = yaml`
      defaults:
        headers: { Accept: application/json }
      sources:
        - name: a
          request:
            method: POST
            url: "https://a.example/search"
            body: |
              {"query": "{{query}}", "limit": 10}
          poll:
            request: { method: POST, url: "https://a.example/poll", body: '[1, 2]' }
            until: done
          offers: items
          fields: { title: name, price: price }
    `;
    expect(problems(text).map((line) => line.replace(/: is a string.*/, ''))).toEqual([
      'sources.yaml:8:13: sources[0].request.body',
      'sources.yaml:11:69: sources[0].poll.request.body',
    ]);
    expect(problems(text)[0]).toContain('JSON is YAML, so write it without the `|` or the quotes');
    // The same JSON unquoted is the object it spells; a string under a text type, or one `{{ }}` alone
    // (which keeps its JSON type), or plain text is as meant.
    const fine = (body: string, headers = '') => yaml`
      sources:
        - name: a
          request: { method: POST, url: "https://a.example/", ${headers} body: ${body} }
          offers: items
          fields: { title: name, price: price }
    `;
    // One `{{ }}` with the line break a `|` block ends in is text: "{\"q\":\"tv\"}\n" went out.
    const block = yaml`
      sources:
        - name: a
          request:
            method: POST
            url: "https://a.example/search"
            body: |
              {{ {"query": query, "limit": 10} }}
          offers: items
          fields: { title: name, price: price }
    `;
    expect(problems(block)).toEqual([
      'sources.yaml:6:13: sources[0].request.body: is one `{{ }}` with a line break or spaces around it, which makes it text, sent as one JSON string, not the value it gives: write `|-` for `|`, which drops the last line break, or leave out the spaces',
    ]);
    expect(() => loadConfigText(block.replace('body: |', 'body: |-'), 'sources.yaml', {})).not.toThrow();
    for (const ok of [
      fine('{"query": "{{query}}", "limit": 10}'),
      fine(`' {{query}} '`, 'headers: { content-type: text/plain },'),
      fine(`'{{ a }} and {{ b }} '`),
      fine(`'{"q": "{{query}}"}'`, 'headers: { content-type: text/plain },'),
      fine(`"{{ {'q': query} }}"`),
      fine('"{{query}}"'),
      fine('"hello"'),
    ]) {
      expect(() => loadConfigText(ok, 'sources.yaml', {})).not.toThrow();
    }
  });

  it("refuses a header the HTTP client sets itself: every request failed as 'invalid request', naming none", () => {
    const text = yaml`
      defaults:
        headers: { Keep-Alive: timeout=5, Connection: keep-alive }
      sources:
        - name: a
          request:
            method: POST
            url: "https://a.example/"
            headers: { Expect: 100-continue, transfer-encoding: chunked, Upgrade: h2c, Host: a.example }
            body: { q: "{{query}}" }
          offers: items
          fields: { title: name, price: price }
    `;
    const why =
      'key is one the HTTP client sets itself and refuses from a request, which would fail every time; leave it out';
    expect(problems(text)).toEqual([
      `sources.yaml:2:14: defaults.headers.Keep-Alive: ${why}`,
      `sources.yaml:8:18: sources[0].request.headers.Expect: ${why}`,
      `sources.yaml:8:40: sources[0].request.headers.transfer-encoding: ${why}`,
      `sources.yaml:8:68: sources[0].request.headers.Upgrade: ${why}`,
    ]);
  });

  it("refuses a Content-Length header, wherever it is written: a POST failed when sent, as 'body length mismatch'", () => {
    const text = yaml`
      defaults:
        headers: { content-length: "0" }
      sources:
        - name: a
          request:
            method: POST
            url: "https://a.example/"
            headers: { Content-Length: "20" }
            body: { q: "{{query}}" }
          poll:
            request: { url: "https://a.example/poll", headers: { CONTENT-LENGTH: "0" } }
            until: done
          offers: items
          fields: { title: name, price: price }
    `;
    const why = "key is the body's length, which the HTTP client sets itself from the body it sends; leave it out";
    expect(problems(text)).toEqual([
      `sources.yaml:2:14: defaults.headers.content-length: ${why}`,
      `sources.yaml:8:18: sources[0].request.headers.Content-Length: ${why}`,
      `sources.yaml:11:60: sources[0].poll.request.headers.CONTENT-LENGTH: ${why}`,
    ]);
  });

  it('refuses a {{ }} in tokenUrl, which nothing renders: it went out as written, braces and all', () => {
    const text = yaml`
      sources:
        - name: a
          auth: { oauth2: { tokenUrl: "https://login.example/{{tenant}}/token", clientId: id, clientSecret: secret } }
          request: { url: "https://a.example/?q={{query}}" }
          offers: items
          fields: { title: name, price: price }
    `;
    expect(problems(text)).toEqual([
      'sources.yaml:3:33: sources[0].auth.oauth2.tokenUrl: is no template: the token is fetched once for every search, so a `{{ }}` here would be sent as written; use ${VAR} for a value from the environment',
    ]);
    const fromEnv = text.replace('{{tenant}}', '${TENANT}');
    expect(() => loadConfigText(fromEnv, 'sources.yaml', { TENANT: 'contoso' })).not.toThrow();
  });

  it('offers {{name}} for an unset lower-case ${name} only where a {{ }} is filled in', () => {
    // In a tokenUrl the hint said `a search param is {{tenant}}`, and {{tenant}} there is refused: a circle.
    const text = yaml`
      currency: \${currency}
      sources:
        - name: a
          auth: { oauth2: { tokenUrl: "https://login.example/\${tenant}/token", clientId: id, clientSecret: secret } }
          request: { url: "https://a.example/?q=\${query}" }
          offers: items
          fields: { title: name, price: price }
    `;
    const unset = (name: string) =>
      `environment variable ${name} is not set (write \${${name}:-default} to give a default`;
    expect(problems(text)).toEqual([
      `sources.yaml:1:11: currency: ${unset('currency')})`,
      `sources.yaml:4:33: sources[0].auth.oauth2.tokenUrl: ${unset('tenant')})`,
      `sources.yaml:5:21: sources[0].request.url: ${unset('query')}; a search param is {{query}})`,
    ]);
  });
});

describe('a URL written where a mapping goes', () => {
  it('says to write it under `url:`, for the request and the poll request', () => {
    const text = yaml`
      sources:
        - name: shop
          request: "https://shop.example/s?q={{query}}"
          poll: { request: "https://shop.example/p", until: done }
          offers: items
          fields: { title: name, price: price }
    `;
    expect(problems(text)).toEqual([
      'sources.yaml:3:14: sources[0].request: expected a mapping, got a string (a URL alone: write it under `url:`, as `{ url: "https://…" }`)',
      'sources.yaml:4:22: sources[0].poll.request: expected a mapping, got a string (a URL alone: write it under `url:`, as `{ url: "https://…" }`)',
    ]);
  });
});
