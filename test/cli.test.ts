/** Flags, config discovery, secrets and `agg sources`, through `run()` with real servers. */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { colorAllowed, useColor, useSpinner } from '../src/cli/io.js';
import { createProgress } from '../src/cli/progress.js';
import { EXIT } from '../src/errors.js';
import { runCli } from './helpers/cli.js';
import { source, writeConfig } from './helpers/config.js';
import { json, startServer, type TestServer } from './helpers/server.js';

const SECRET = 'sk_live_supersecret123';
let server: TestServer;
beforeAll(async () => {
  server = await startServer((req, res) => {
    if (req.url?.startsWith('/leaklong')) {
      return json(res, { message: `${'x'.repeat(150)} key ${SECRET}` }, { status: 401 });
    }
    if (req.url?.startsWith('/leak')) return json(res, { message: `invalid key ${SECRET}` }, { status: 401 });
    if (req.url?.startsWith('/down')) return json(res, {}, { status: 500 });
    if (req.url?.startsWith('/echo')) {
      const link = `https://v.example/book?apiKey=${encodeURIComponent(SECRET)}&token=booking-123`;
      return json(res, { items: [{ title: `your key is ${SECRET}`, price: 1, currency: 'USD', url: link }] });
    }
    if (req.url?.startsWith('/hints')) {
      // 103 Early Hints, as CDNs send them, then the answer (gzipped: the decompressor sees both).
      res.writeEarlyHints({ link: '</app.css>; rel=preload; as=style' });
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(gzipSync(JSON.stringify({ items: [{ title: 'hinted', price: 4, currency: 'USD' }] })));
      return;
    }
    if (req.url?.startsWith('/gzip')) {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(gzipSync(JSON.stringify({ items: [{ title: 'zipped', price: 3, currency: 'USD' }] })));
      return;
    }
    if (req.url?.startsWith('/dropped')) {
      return json(res, { items: [{ title: 'ok', price: 1 }, { title: 'n/a', price: 'call us' }, { title: 'none' }] });
    }
    return json(res, {
      items: [
        { title: 'euro', price: 100, currency: 'EUR' },
        { title: 'dollar', price: 105, currency: 'USD' },
      ],
    });
  });
});
afterAll(() => server.close());

describe('flags', () => {
  it("commander's own errors show the escapes in a refused argument, never send them to the terminal", async () => {
    const osc52 = '\x1b]52;c;ZWNobw==\x07\x9b2J';
    const runs = await Promise.all([
      runCli([`unknown${osc52}`]),
      runCli(['search', 'x', `--${osc52}`]),
      runCli(['search', 'x', '-f', osc52]),
    ]);
    for (const out of runs) {
      expect(out.code).toBe(2);
      expect(out.stderr).toContain('␛]52;c;ZWNobw==␇<U+009B>2J');
      expect(out.stderr).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
    }
    // Line breaks of the message itself stay: `(add --help for usage)` is on a line of its own.
    expect(runs[0]?.stderr).toMatch(/^agg: unknown command '[^\n]*\n\(add --help for usage\)\n$/);
  });

  // As the sources file's problems show them: `unknown source "shop"; configured: shop` named a value
  // that looked configured, its pasted zero-width space unseen.
  it('shows the invisible characters of a refused flag value, as <U+200B>', async () => {
    const file = writeConfig([source('shop', `${server.url}/s`)]);
    const runs = await Promise.all([
      runCli(['search', 'x', '-c', file, '--source', 'shop\u200b']),
      runCli(['search', 'x', '-c', file, '--currency', 'US\u200bD']),
      runCli(['search', 'x', '-c', file, '--strategy', 'best\ufeff']),
    ]);
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2]);
    expect(runs[0]?.stderr).toContain('unknown source "shop<U+200B>"; configured: shop');
    expect(runs[1]?.stderr).toContain('got "US<U+200B>D"');
    expect(runs[2]?.stderr).toContain("argument 'best<U+FEFF>' is invalid");
  });

  it('--currency re-bases the rates: EUR offers stay as they are, USD ones convert', async () => {
    const file = writeConfig([source('shop', `${server.url}/s`)]);
    const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--currency', 'eur', '--json'])).stdout);
    expect(doc.currency).toBe('EUR');
    expect(
      doc.offers.map((o: { title: string; price: number; currency: string }) => [o.title, o.price, o.currency]),
    ).toEqual([
      ['dollar', 95.45, 'EUR'],
      ['euro', 100, 'EUR'],
    ]);
  });

  it('--sort and --desc order by any field', async () => {
    const file = writeConfig([source('shop', `${server.url}/s`)]);
    const doc = JSON.parse((await runCli(['search', 'x', '-c', file, '--sort', 'title', '--desc', '--json'])).stdout);
    expect(doc.offers.map((o: { title: string }) => o.title)).toEqual(['euro', 'dollar']);
    // A field with a space around it is that field, as a currency is.
    const spaced = await runCli(['search', 'x', '-c', file, '--sort', ' title ', '--desc', '--json']);
    expect(JSON.parse(spaced.stdout).offers.map((o: { title: string }) => o.title)).toEqual(['euro', 'dollar']);
    expect(spaced.stderr).not.toContain('warning');
  });

  it('--strict exits 3 when a source fails, though offers were printed', async () => {
    const file = writeConfig([
      source('shop', `${server.url}/s`),
      source('down', `${server.url}/down`, '\n    retries: 0'),
    ]);
    expect((await runCli(['search', 'x', '-c', file, '-q'])).code).toBe(0);
    expect((await runCli(['search', 'x', '-c', file, '-q', '--strict'])).code).toBe(3);
  });

  it('writes CSV with a header row', async () => {
    const file = writeConfig([source('shop', `${server.url}/s`)]);
    const out = await runCli(['search', 'x', '-c', file, '--format', 'csv']);
    expect(out.stdout.split('\r\n')[0]).toBe(
      'rank,source,title,price,currency,url,originalPrice,originalCurrency,unconverted',
    );
  });

  it('keeps the CSV header when a source fails: its fields are columns, a skipped source’s are not', async () => {
    const file = writeConfig([
      source('shop', `${server.url}/s`, '\n      seller: title'),
      source('broken', `${server.url}/down`, '\n      stops: title'),
      `
  - name: flights
    requires: [from]
    request: { url: "${server.url}/s?from={{from}}" }
    offers: items
    fields: { title: title, price: price, carrier: title }`,
    ]);
    const out = await runCli(['search', 'x', '-c', file, '--format', 'csv']);
    expect(out.stdout.split('\r\n')[0]).toBe(
      'rank,source,title,price,currency,url,originalPrice,originalCurrency,unconverted,seller,stops',
    );
  });

  it.each([
    [['search', 'x', '--timeout', 'soon'], /--timeout: "soon" is not a duration/],
    [
      ['search', 'x', '--deadline', '40000m'],
      /--deadline: "40000m" is too long; a duration can be at most 24 days \(2147483647ms\)/,
    ],
    [['search', 'x', '--deadline', '0'], /^agg: --deadline: must be more than 0\n$/],
    // A bare number is ms: `--timeout 5` failed every source as `not sent within 5ms`.
    [['search', 'x', '--timeout', '5'], /^agg: --timeout: 5 is 5 ms; write 5s for seconds, or 5ms\n$/],
    [['search', 'x', '--deadline', ' 1.5'], /^agg: --deadline: 1.5 is 1.5 ms; write 1.5s for seconds, or 1.5ms\n$/],
    [['search', 'x', '--hedge', '2'], /^agg: --hedge: 2 is 2 ms; write 2s for seconds, or 2ms\n$/],
    // A duration refused for its size says why, not "expected a duration like 300ms, or auto".
    [['search', 'x', '--hedge', '0'], /^agg: --hedge: must be more than 0\n$/],
    [['search', 'x', '--hedge', '30000000000'], /^agg: --hedge: "30000000000" is too long; a duration can be/],
    [['search', 'x', '--limit', '0'], /--limit: expected a whole number/],
    [['search', 'x', '--limit', '0x10'], /--limit: expected a whole number ≥ 1, got "0x10"/],
    [['search', 'x', '--limit', '1e3'], /--limit: expected a whole number ≥ 1, got "1e3"/],
    // `--retries "$N"` with N unset was 0 retries for every source, the file's own retries overridden.
    [['search', 'x', '--retries', ''], /^agg: --retries: expected a whole number from 0 to 5, got ""\n$/],
    [['search', 'x', '--retries', '0x2'], /--retries: expected a whole number from 0 to 5, got "0x2"/],
    [['search', 'x', '--retries', '6'], /^agg: --retries: expected a whole number from 0 to 5, got "6"\n$/],
    [['search', 'bar', 'query=foo'], /both words \("bar"\) and query="foo": give the query one way/],
    [['search', 'from=JFK', 'from=EWR'], /^agg: from is given twice \("JFK" and "EWR"\): give it once\n$/],
    // Commander gives the terms and the --param values apart, not which came first: each is named by where it was given.
    [['search', 'from=JFK', '-p', 'from=EWR'], /from is given twice \("JFK" in the search terms, "EWR" by --param\)/],
    [['search', '-p', 'from=JFK', 'from=EWR'], /from is given twice \("EWR" in the search terms, "JFK" by --param\)/],
    [['search', '-p', 'from=JFK', '-p', 'from=EWR'], /^agg: from is given twice \("JFK" and "EWR"\): give it once\n$/],
    [['search', 'x', '--currency', 'dollars'], /--currency: expected a 3-letter code/],
    // Commander keeps an option's last value: the first filter was dropped in silence.
    [
      ['search', 'x', '--where', 'price < 500', '--where', 'stops = 0'],
      /^agg: --where is given twice \("price < 500" and "stops = 0"\): give one, joining them with and\n$/,
    ],
    // Meant as stops, then price: ranked by price alone, the stops dropped in silence.
    [
      ['search', 'x', '--sort', 'stops', '--sort', 'price'],
      /^agg: --sort is given twice \("stops" and "price"\): give one field; ties on it are ranked by price, cheapest first\n$/,
    ],
    // `--sort "$FIELD"` with FIELD unset: the library's `sort: expected { field: … }` named no flag.
    [['search', 'x', '--sort', ''], /^agg: --sort: expected an offer field, like price or stops\n$/],
    [['search', 'x', '--sort', '  '], /^agg: --sort: expected an offer field/],
    [['search', 'x', '--strategy', 'cheapest'], /argument 'cheapest' is invalid/],
    [['search'], /nothing to search for/],
    [['search', 'x', '--param', 'no-equals'], /--param "no-equals": expected name=value/],
    // As a word it went into `query`: the shops were searched for "return-date=2026-12-27".
    [
      ['search', 'from=JFK', 'return-date=2026-12-27'],
      /^agg: "return-date=2026-12-27": a param name has letters, digits and _ only \(return_date=…\); to search for it as words, give query=…\n$/,
    ],
    // Two formats asked for: neither is guessed at.
    [['search', 'x', '--json', '-f', 'csv'], /'--json' cannot be used with option '-f, --format/],
    // A search word that starts with `-` is an unknown option: the message says where such a word goes.
    [
      ['search', 'sony', '-refurbished'],
      /^agg: unknown option '-refurbished' \(a search word that starts with -: put it last, after --, as `-- -refurbished`\)\n/,
    ],
    [['search', 'sony', '--refurb'], /^agg: unknown option '--refurb'\n/],
    // Not for a long option given one dash, which `-- -json` would have searched for, nor where no word
    // is taken (`agg sources -- -xyz` is too many arguments).
    [['search', 'sony', '-json'], /^agg: unknown option '-json' \(did you mean --json\?\)\n/],
    [['sources', '-xyz'], /^agg: unknown option '-xyz'\n/],
    // The search words where the command goes: `unknown command 'sony'` alone did not say to add `search`.
    [['sony', 'headphones'], /^agg: unknown command 'sony' \(to search for it: `agg search sony …`\)\n/],
    [['serach', 'sony'], /^agg: unknown command 'serach'\n\(Did you mean search\?\)\n/],
    // Quoted as the shell needs it: pasted bare, `agg search AT&T …` ran `agg search AT` in the background.
    [['AT&T'], /^agg: unknown command 'AT&T' \(to search for it: `agg search 'AT&T' …`\)\n/],
    // A word with a quote in it got no hint at all.
    [["levi's"], /^agg: unknown command 'levi's' \(to search for it: `agg search 'levi'\\''s' …`\)\n/],
    [['$(id)'], /^agg: unknown command '\$\(id\)' \(to search for it: `agg search '\$\(id\)' …`\)\n/],
    // After `--`, again: `agg search -refurb …` was an unknown option.
    [['--', '-refurb', 'tv'], /^agg: unknown command '-refurb' \(to search for it: `agg search -- -refurb …`\)\n/],
    // Help for no such command printed the whole help, as if asked for, and no word that there is none.
    [
      ['help', 'nothing'],
      /^agg: unknown command 'nothing' \(agg help takes search, sources, demo, completion\)\n\(add --help/,
    ],
    // XXX marks offers that gave no currency: ranked in it, every real price went unconverted.
    [
      ['search', 'sony', '--currency', 'xxx'],
      /^agg: --currency: XXX marks offers that gave no currency; rank in a real one, like USD\n$/,
    ],
  ])('exits 2 on a usage mistake: %j', async (argv, message) => {
    const file = writeConfig([source('shop', `${server.url}/s`)]);
    const out = await runCli([...argv, '-c', file]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(message);
    expect(out.stdout).toBe('');
  });

  it.each([
    [['--source', 'shop', '--source', ''], /^agg: --source was given an empty name beside "shop" \(a stray comma/],
    [['--source', 'shop,'], /^agg: --source was given an empty name beside "shop" /],
    [['--source', 'shop,,mall'], /^agg: --source was given an empty name beside "shop", "mall" /],
    [['--tag', 'shops', '--tag', ' '], /^agg: --tag was given an empty name beside "shops" /],
    [['--tag', 'shops, '], /^agg: --tag was given an empty name beside "shops" /],
  ])('an empty --source or --tag beside another is a usage error, not dropped: %j', async (flags, message) => {
    // `--source shop --source "$MORE"` with MORE unset ran shop alone, and mall, meant too, went unsearched.
    const s = await startServer((_req, res) => json(res, { items: [{ title: 't', price: 1, currency: 'USD' }] }));
    try {
      const file = writeConfig([source('shop', `${s.url}/s`, '\n    tags: [shops]'), source('mall', `${s.url}/m`)]);
      const out = await runCli(['search', 'x', '-c', file, ...flags, '--json']);
      expect(out.code).toBe(2);
      expect(out.stderr).toMatch(message);
      expect(out.stdout).toBe('');
      expect(s.requests).toHaveLength(0);
    } finally {
      await s.close();
    }
  });
});

describe('params', () => {
  it('takes a param given twice with the same value (an alias and the command line agreeing)', async () => {
    const file = writeConfig([source('shop', `${server.url}/s?from={{from}}`)]);
    const out = await runCli(['search', 'from=JFK', '-p', 'from=JFK', '-c', file, '--json']);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout).query).toEqual({ text: 'from=JFK', params: { from: 'JFK' } });
  });

  it('refuses a term that was not UTF-8 (read as U+FFFD) rather than sending U+FFFD to the vendors', async () => {
    const before = server.requests.length;
    const file = writeConfig([source('shop', `${server.url}/s?q={{query}}&city={{city}}`)]);
    const argvs = [['caf\uFFFD'], ['x', 'city=Z\uFFFDrich'], ['x', '-p', 'city=Z\uFFFDrich']];
    // A --where too: `title ~> /caf\uFFFD/` matched no offer, without a word.
    for (const argv of [...argvs, ['x', '--where', 'title ~> /caf\uFFFD/']]) {
      const out = await runCli(['search', ...argv, '-c', file]);
      expect(out.code).toBe(2);
      expect(out.stderr).toMatch(/: bytes that are not UTF-8 were read as \uFFFD \(a terminal or file in Latin-1\?\)/);
    }
    expect(server.requests.length).toBe(before);
  });

  it('names the params given when no source can run: words go into `query`, not a `{{q}}` of the file', async () => {
    const file = writeConfig([source('shop', `${server.url}/s?q={{q}}`)]);
    const out = await runCli(['search', 'widget', '-c', file]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(
      'no selected source can run with these params (shop needs q; given: query; words go into `query`, name=value sets a param)',
    );
  });

  it('takes a blank param as given empty, and sends nothing for it', async () => {
    // `query="   "` went out as `q=%20%20%20`: two shops answered 400, and a third listed everything it had.
    const before = server.requests.length;
    const file = writeConfig([source('shop', `${server.url}/s?q={{query}}`)]);
    for (const argv of [['query=   '], ['-p', 'query=\t ']]) {
      const out = await runCli(['search', ...argv, '-c', file]);
      expect([out.code, out.stderr]).toEqual([
        2,
        'agg: no selected source can run with these params (shop needs query; query= given empty; words go into `query`, name=value sets a param)\n',
      ]);
    }
    expect(server.requests.length).toBe(before);
  });

  it('names the param a misspelt one meant when no source can run', async () => {
    // `form=JFK`: the message listed `needs from` and `given: form` and left the reader to spot the typo.
    const file = writeConfig([source('fares', `${server.url}/echo?from={{from}}&to={{to}}&date={{date}}`)]);
    const out = await runCli(['search', 'form=JFK', 'to=LHR', 'dat=2026-12-20', '-c', file]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(
      '(fares needs from, date; given: form, to, dat (form: did you mean from?; dat: did you mean date?); words go into',
    );
    // A name given is no typo of another, nor is one far from any needed.
    const far = await runCli(['search', 'origin=JFK', 'to=LHR', 'date=2026-12-20', '-c', file]);
    expect(far.stderr).toContain('(fares needs from; given: origin, to, date; words go into');
  });
});

describe('config discovery and errors', () => {
  it('names every place it looked when there is no sources file', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'agg-empty-'));
    const out = await runCli(['search', 'x'], { cwd, env: { XDG_CONFIG_HOME: path.join(cwd, 'xdg') } });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain(path.join(cwd, 'xdg', 'agg', 'sources.yaml'));
    expect(out.stderr).toContain('sources.example.yaml');
  });

  it('finds ./sources.yaml in the working directory', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'agg-cwd-'));
    writeFileSync(path.join(cwd, 'sources.yaml'), `sources:${source('shop', `${server.url}/s`)}\n`);
    const out = await runCli(['search', 'x', '--json'], { cwd });
    expect(out.code).toBe(0);
  });

  it('reports config errors with file, line and column, and exits 2 before any request', async () => {
    const before = server.requests.length;
    const file = writeConfig([source('shop', `${server.url}/s`, '\n    timout: 2s')]);
    const out = await runCli(['search', 'x', '-c', file]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/sources\.yaml:\d+:5: sources\[0\]\.timout: .*did you mean `timeout`/);
    expect(server.requests.length).toBe(before);
  });
});

describe('the config cache', () => {
  it('keeps the parsed file in $XDG_CACHE_HOME/agg, without secrets, and answers the same from it', async () => {
    const XDG_CACHE_HOME = mkdtempSync(path.join(os.tmpdir(), 'agg-xdg-'));
    const file = writeConfig([source('shop', '${BASE}/s?apiKey=${KEY}&q={{query}}')]);
    const env = { XDG_CACHE_HOME, BASE: server.url, KEY: SECRET };
    const first = await runCli(['search', 'sony', '-c', file, '--json'], { env });
    const cached = readdirSync(path.join(XDG_CACHE_HOME, 'agg')).filter((f) => f.startsWith('config-'));
    expect(cached).toHaveLength(1);
    expect(readFileSync(path.join(XDG_CACHE_HOME, 'agg', cached[0] ?? ''), 'utf8')).not.toContain(SECRET);
    const second = await runCli(['search', 'sony', '-c', file, '--json'], { env });
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout).offers).toEqual(JSON.parse(first.stdout).offers);
    // The cache never hides a mistake: without KEY the file is an error at its line, as before.
    const { KEY: _, ...noKey } = env;
    const broken = await runCli(['search', 'sony', '-c', file], { env: noKey });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(
      /sources\.yaml:6:\d+: sources\[0\]\.request\.url: environment variable KEY is not set/,
    );
  });
});

describe('secrets', () => {
  it('never prints env values: not in --verbose, not in error rows, not in JSON', async () => {
    const leaky = `
  - name: leaky
    request:
      url: "\${BASE}/leak?q={{query}}"
      headers: { Authorization: "Bearer \${KEY}" }
    offers: items
    fields: { title: title, price: price }`;
    const file = writeConfig([source('shop', '${BASE}/s?apiKey=${KEY}&q={{query}}'), leaky]);
    const out = await runCli(['search', 'sony', '-c', file, '--verbose', '--json'], {
      env: { BASE: server.url, KEY: SECRET },
    });
    const all = out.stdout + out.stderr;
    expect(all).not.toContain(SECRET);
    expect(out.stderr).toMatch(/shop: GET \*\*\*\/s\?apiKey=\*\*\*&q=sony → 200 · \d+ms · 1 attempt/);
    const row = JSON.parse(out.stdout).sources[1];
    expect(row.error).toBe('HTTP 401 Unauthorized: GET ***/leak?q=sony (invalid key ***)');
    expect(server.requests.at(-1)?.headers.authorization).toBe(`Bearer ${SECRET}`);
  });

  it('redacts a long vendor message before cutting it, so no part of a secret survives', async () => {
    const file = writeConfig([source('long', '${BASE}/leaklong?k=${KEY}')]);
    const out = await runCli(['search', 'x', '-c', file, '--json'], { env: { BASE: server.url, KEY: SECRET } });
    // Cut first and redacted after, this message would end in the secret's first characters.
    expect(out.stdout + out.stderr).not.toContain(SECRET.slice(0, 4));
    expect(JSON.parse(out.stdout).sources[0].error).toMatch(/x key \*\*\*\)$/);
  });

  it('hides env secrets a vendor echoes inside its offers, and keeps its other link params', async () => {
    const file = writeConfig([source('echo', '${BASE}/echo?key=${KEY}', '\n      url: url')]);
    const out = await runCli(['search', 'x', '-c', file, '--json'], { env: { BASE: server.url, KEY: SECRET } });
    expect(out.stdout).not.toContain(SECRET);
    expect(out.stdout).not.toContain(encodeURIComponent(SECRET));
    const [offer] = JSON.parse(out.stdout).offers;
    expect(offer.title).toBe('your key is ***');
    expect(offer.url).toBe('https://v.example/book?apiKey=***&token=booking-123');
  });
});

describe('vendor quirks', () => {
  it('reads an answer that follows a 103 Early Hints', async () => {
    const out = await runCli(['search', 'x', '-c', writeConfig([source('cdn', `${server.url}/hints`)]), '--json']);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout).offers.map((o: { title: string }) => o.title)).toEqual(['hinted']);
  });

  it('reads gzip responses', async () => {
    const out = await runCli(['search', 'x', '-c', writeConfig([source('z', `${server.url}/gzip`)]), '--json']);
    expect(JSON.parse(out.stdout).offers[0]).toMatchObject({ title: 'zipped', price: 3 });
  });

  it('lists the skipped sources and what they need when no offers came, and not when some did', async () => {
    const flights = source('flights', `${server.url}/echo?from={{from}}&date={{date}}`);
    const down = writeConfig([source('fares', `${server.url}/down?from={{from}}`), flights]);
    const none = await runCli(['search', 'from=JFK', '-c', down]);
    expect(none.stderr).toMatch(/flights\s+skipped\s+needs date/);
    expect(none.stderr).toMatch(/fares\s+error/);
    const up = writeConfig([source('fares', `${server.url}/echo?from={{from}}`), flights]);
    const some = await runCli(['search', 'from=JFK', '-c', up]);
    expect(some.stdout).toContain('your key is');
    expect(some.stderr).not.toMatch(/flights\s+skipped/);
  });

  it('says on stderr when a mapping drops items, so a broken price mapping is not silent', async () => {
    const out = await runCli(['search', 'x', '-c', writeConfig([source('d', `${server.url}/dropped`)])]);
    expect(out.code).toBe(0);
    expect(out.stderr).toMatch(
      /d\s+ok\s+dropped 2 items \(fields\.price: "call us" is text, not a number; is the path right\?\)/,
    );
    expect(out.stderr).toContain(
      'warning: d gave no currency: fields.currency found nothing; is the path right (`$response` is the whole answer)? Or set `currency:` on the source\n',
    );
  });

  it('writes NDJSON after ranking when --limit is given, even under all', async () => {
    const file = writeConfig([source('shop', `${server.url}/s`)]);
    const out = await runCli(['search', 'x', '-c', file, '-f', 'ndjson', '--limit', '1']);
    const offers = out.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((l) => l.type === 'offer');
    expect(offers).toEqual([expect.objectContaining({ rank: 1, title: 'dollar' })]);
  });

  it('takes a --limit past what a double counts exactly as no limit, not as no whole number', async () => {
    // `--limit 999999999999999999` (for "all") read "expected a whole number ≥ 1".
    const file = writeConfig([source('shop', `${server.url}/s`)]);
    const all = await runCli(['search', 'x', '-c', file, '--json']);
    const out = await runCli(['search', 'x', '-c', file, '--json', '--limit', '999999999999999999']);
    expect([out.code, out.stderr]).toEqual([0, expect.not.stringContaining('--limit')]);
    expect(JSON.parse(out.stdout).offers).toEqual(JSON.parse(all.stdout).offers);
    expect(JSON.parse(all.stdout).offers.length).toBeGreaterThan(1);
  });

  it('warns when no offer has the --sort field', async () => {
    const out = await runCli([
      'search',
      'x',
      '-c',
      writeConfig([source('shop', `${server.url}/s`)]),
      '--sort',
      'prise',
    ]);
    expect(out.stderr).toContain('warning: no offer has a field `prise` to sort by; ranked by price');
  });

  it('says how to reverse an order written `--sort -field`, and names the field a typo meant', async () => {
    // `-cost`, as APIs write a descending sort, was ranked by price under a warning about a field `-cost` alone.
    const file = writeConfig([source('shop', `${server.url}/s`, '\n      cost: price')]);
    const minus = await runCli(['search', 'x', '-c', file, '--sort', '-cost']);
    expect(minus.stderr).toContain(
      'warning: no offer has a field `-cost` to sort by; ranked by price; a `-` does not reverse the order: sort by `cost` with --desc (`--sort cost --desc`)',
    );
    const plus = await runCli(['search', 'x', '-c', file, '--sort', '+cost']);
    expect(plus.stderr).toContain('`+cost` to sort by; ranked by price; sort by `cost`, ascending unless --desc');
    const typo = await runCli(['search', 'x', '-c', file, '--sort', 'csot']);
    expect(typo.stderr).toContain('`csot` to sort by; ranked by price; did you mean `cost`?');
    // A sign before a field no offer has either is no order to reverse; nothing near is named.
    const none = await runCli(['search', 'x', '-c', file, '--sort', '-zzzzzz']);
    expect(none.stderr).toContain('warning: no offer has a field `-zzzzzz` to sort by; ranked by price\n');
  });

  it('still warns under --quiet, which silences only the status rows and the summary: a warning changes what the ranking means', async () => {
    const file = writeConfig([source('shop', `${server.url}/s`)]);
    const out = await runCli(['search', 'x', '-c', file, '--sort', 'prise', '-q']);
    expect(out.code).toBe(0);
    expect(out.stderr).toBe(
      'warning: no offer has a field `prise` to sort by; ranked by price; did you mean `price`?\n',
    );
  });
});

describe('agg sources', () => {
  it('lists name, tags, method, host, requires and timeout, hiding hosts that come from the environment', async () => {
    const file = writeConfig([
      source('shop', `${server.url}/s`, '\n    tags: [products]\n    requires: [query]\n    timeout: 1500ms'),
      source('hidden', '${SHOP_URL}/s'),
    ]);
    const out = await runCli(['sources', '-c', file, '--json'], { env: { SHOP_URL: 'https://shop.internal.example' } });
    expect(JSON.parse(out.stdout)).toEqual([
      {
        name: 'shop',
        tags: ['products'],
        method: 'GET',
        host: server.url.slice(7),
        requires: ['query'],
        timeout: '1.5s',
        p50: null,
        p95: null,
      },
      {
        name: 'hidden',
        tags: [],
        method: 'GET',
        host: '***',
        requires: [],
        timeout: '5s',
        p50: null,
        p95: null,
      },
    ]);
    const table = await runCli(['sources', '-c', file], { env: { SHOP_URL: 'https://shop.internal.example' } });
    expect(table.stdout).toMatch(/│ shop\s+│ products │ GET\s+│ 127\.0\.0\.1:\d+\s+│ query\s+│ 1\.5s\s+│/);
    expect(table.stdout).not.toContain('shop.internal');
  });

  it('hides an environment value in a tag or a required param, as everywhere else', async () => {
    const file = writeConfig([source('shop', `${server.url}/s`, '\n    tags: ["t-${TAG}"]\n    requires: ["${TAG}"]')]);
    for (const json of [['--json'], []]) {
      const out = await runCli(['sources', '-c', file, ...json], { env: { TAG: 'Secret123' } });
      expect(out.code).toBe(0);
      expect(out.stdout).not.toContain('Secret123');
      expect(out.stdout).toContain('t-***');
    }
  });

  it('exits 2 on an invalid file', async () => {
    const out = await runCli(['sources', '-c', writeConfig([source('bad', 'ftp://x.example/')])]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/sources\[0\]\.request\.url/);
  });

  it('agg demo -c "" is the usage error search -c "" is, not the bundled example', async () => {
    const out = await runCli(['demo', '-c', '', '--json', '-q']);
    expect(out.code).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toContain('-c/--config needs a file name, and was given an empty one');
  });

  it('agg demo --help says where its sources file comes from: not $AGG_CONFIG, as search’s does', async () => {
    const demo = (await runCli(['demo', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(demo).toContain('-c, --config <file> sources file (default: the bundled sources.example.yaml');
    expect((await runCli(['search', '--help'])).stdout.replace(/\s+/g, ' ')).toContain('(default: $AGG_CONFIG');
  });

  it('search --help says what the README says: exit 2 for every source skipped, TERM=dumb, $XDG_CONFIG_HOME', async () => {
    const help = (await runCli(['search', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(help).toContain('2 usage or config error, or every source skipped');
    expect(help).toContain('also NO_COLOR, FORCE_COLOR=0, TERM=dumb, or stdout not a terminal');
    expect(help).toContain('$XDG_CONFIG_HOME/agg/sources.yaml, else ~/.config/agg/sources.yaml');
  });

  it('search --help lists every exit code of the README’s table, and so every one in EXIT', async () => {
    // 70, 74 and 129 were missing: a script that got 74 (a full disk) found no word of it in the help.
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const table = readme.slice(readme.indexOf('## Exit codes'), readme.indexOf('## The demo'));
    const codes = [...table.matchAll(/^\| (\d+) +\|/gm)].map(([, code]) => Number(code));
    expect(codes).toEqual(expect.arrayContaining([...Object.values(EXIT), 129]));
    const help = (await runCli(['search', '--help'])).stdout;
    const listed = help.slice(help.indexOf('Exit codes:'));
    expect(codes.filter((code) => !new RegExp(`^ {2}${code} +\\S`, 'm').test(listed))).toEqual([]);
  });

  // commander wraps the options to the terminal (80 columns in a pipe); the examples and exit codes are
  // written out: at 95 columns they broke mid-word on an 80-column terminal (`every s` / `ource skipped`).
  it('search --help fits an 80-column terminal', async () => {
    const lines = (await runCli(['search', '--help'])).stdout.trimEnd().split('\n');
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
  });

  it('accepts --no-color, as search does, for scripts and aliases that pass it everywhere', async () => {
    const out = await runCli(['sources', '--no-color', '-c', writeConfig([source('shop', `${server.url}/s`)])]);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/│ shop\s+│/);
  });
});

describe('a terminal that reports no width', () => {
  // `script`, some `docker exec -t`: stdout is a terminal of 0 columns. The table took its natural width.
  it('fits the table to COLUMNS, as ls does, and to its natural width without it', async () => {
    const long = 'a title long enough to be cut in a narrow terminal, and then some more words';
    const s = await startServer((_req, res) => json(res, { items: [{ title: long, price: 1, currency: 'USD' }] }));
    try {
      const file = writeConfig([source('shop', `${s.url}/s`)]);
      const widest = (text: string) => Math.max(...text.split('\n').map((line) => line.length));
      const fitted = await runCli(['search', 'x', '-c', file, '--no-color'], {
        terminalColumns: 0,
        env: { COLUMNS: '60' },
      });
      expect(fitted.code).toBe(0);
      expect(widest(fitted.stdout)).toBeLessThanOrEqual(60);
      const natural = await runCli(['search', 'x', '-c', file, '--no-color'], { terminalColumns: 0 });
      expect(natural.stdout).toContain(long);
      for (const columns of ['', 'abc', '-5', '0']) {
        const out = await runCli(['search', 'x', '-c', file, '--no-color'], {
          terminalColumns: 0,
          env: { COLUMNS: columns },
        });
        expect(out.stdout).toContain(long);
      }
      // A terminal's own width wins over COLUMNS.
      const own = await runCli(['search', 'x', '-c', file, '--no-color'], {
        terminalColumns: 50,
        env: { COLUMNS: '200' },
      });
      expect(widest(own.stdout)).toBeLessThanOrEqual(50);
    } finally {
      await s.close();
    }
  });
});

describe('columns hidden for the width', () => {
  // A narrow terminal dropped `departs` without a word; the note goes with the table, as the `*` one does.
  it('names them on stdout under the table, not on stderr with the status rows', async () => {
    const items = [0, 1].map((i) => ({
      title: `JFK → LHR · LH 67${i}`,
      price: 600 + i,
      currency: 'USD',
      departs: `2026-12-20T2${i}:05:00-05:00`,
    }));
    const s = await startServer((_req, res) => json(res, { items }));
    try {
      const file = writeConfig([source('air', `${s.url}/s`, '\n      departs: departs')]);
      const narrow = await runCli(['search', 'x', '-c', file, '--no-color'], { terminalColumns: 50 });
      expect(narrow.code).toBe(0);
      expect(narrow.stdout).toMatch(/┘\n1 column hidden for width: departs \(see --json\)\n$/);
      expect(narrow.stderr).not.toContain('hidden');
      const wide = await runCli(['search', 'x', '-c', file, '--no-color'], { terminalColumns: 120 });
      expect(wide.stdout).toContain('│ 2026-12-20T20:05:00-05:00 │');
      expect(wide.stdout).not.toContain('hidden');
    } finally {
      await s.close();
    }
  });
});

describe('terminal decisions', () => {
  const io = (over: object) =>
    ({ stdout: { isTTY: true, write: () => true }, stderr: { isTTY: true }, env: {}, ...over }) as never;

  it('colours only a terminal stdout, and never under NO_COLOR or --no-color', () => {
    expect(useColor(true, io({}))).toBe(true);
    expect(useColor(false, io({}))).toBe(false);
    expect(useColor(true, io({ env: { NO_COLOR: '1' } }))).toBe(false);
    expect(useColor(true, io({ stdout: { isTTY: false } }))).toBe(false);
    expect(useColor(true, io({ env: { TERM: 'dumb' } }))).toBe(false);
    // The spinner's colour (on stderr) follows the same refusals, whatever stdout is.
    expect(colorAllowed(true, io({ stdout: { isTTY: false } }))).toBe(true);
    expect(colorAllowed(true, io({ env: { NO_COLOR: '1' } }))).toBe(false);
    expect(colorAllowed(true, io({ env: { TERM: 'dumb' } }))).toBe(false);
    // FORCE_COLOR=0 took the spinner's colour (chalk, in ora) but left the table's header bold cyan.
    for (const off of ['0', 'false']) expect(useColor(true, io({ env: { FORCE_COLOR: off } }))).toBe(false);
    expect(useColor(true, io({ env: { FORCE_COLOR: '1' } }))).toBe(true);
  });

  it('spins only on a terminal stderr with a width, not under CI or --quiet', () => {
    expect(useSpinner(false, io({ stderr: { isTTY: true, columns: 80 } }))).toBe(true);
    expect(useSpinner(false, io({ stderr: { isTTY: true, columns: 0 } }))).toBe(false);
    expect(useSpinner(true, io({ stderr: { isTTY: true, columns: 80 } }))).toBe(false);
    expect(useSpinner(false, io({ stderr: { isTTY: true, columns: 80 }, env: { CI: 'true' } }))).toBe(false);
    expect(useSpinner(false, io({ stderr: { isTTY: true, columns: 80 }, env: { CI: '1' } }))).toBe(false);
    // `CI=false` (or 0), exported in a developer's shell, says this is no CI.
    expect(useSpinner(false, io({ stderr: { isTTY: true, columns: 80 }, env: { CI: 'false' } }))).toBe(true);
    expect(useSpinner(false, io({ stderr: { isTTY: true, columns: 80 }, env: { CI: '0' } }))).toBe(true);
    expect(useSpinner(false, io({ stderr: { isTTY: false } }))).toBe(false);
    // A dumb terminal cannot redraw a line.
    expect(useSpinner(false, io({ stderr: { isTTY: true, columns: 80 }, env: { TERM: 'dumb' } }))).toBe(false);
  });

  it('does not spin while NDJSON streams into a pipe, whose reader prints on the spinner’s line', () => {
    const piped = io({
      stdout: { isTTY: false, write: () => true },
      stdoutPipe: true,
      stderr: { isTTY: true, columns: 80 },
    });
    // `agg … -f ndjson | jq` printed `⠙ 0/3 sources{"source":"bestbuy",…}` on the terminal.
    expect(useSpinner(false, piped, true)).toBe(false);
    // The output written at the end (JSON, a table, NDJSON under `best`) comes after the spinner stopped.
    expect(useSpinner(false, piped, false)).toBe(true);
    // A file (`> out.ndjson`) has no reader printing to the terminal.
    expect(
      useSpinner(
        false,
        io({ stdout: { isTTY: false, write: () => true }, stderr: { isTTY: true, columns: 80 } }),
        true,
      ),
    ).toBe(true);
  });

  it('draws the spinner without colour when colour is refused', async () => {
    const spun = async (color: boolean) => {
      // A terminal as ora drives it: it moves the cursor through the tty methods.
      const tty = { isTTY: true, columns: 80, cursorTo: () => true, clearLine: () => true, moveCursor: () => true };
      const stderr = Object.assign(new PassThrough(), tty);
      let out = '';
      stderr.on('data', (chunk: Buffer) => {
        out += chunk.toString();
      });
      const progress = await createProgress(true, stderr, { cheapestIsBest: true, color });
      progress.start(2);
      await new Promise((r) => setTimeout(r, 250));
      progress.stop();
      return out;
    };
    const SGR_COLOUR = /\x1b\[3\dm/;
    // ora's colours decide once, when first loaded, whether this process may colour at all.
    // Set back as it was, not deleted: a developer's FORCE_COLOR is theirs for the rest of the file.
    const forceColor = process.env.FORCE_COLOR;
    process.env.FORCE_COLOR = '1';
    try {
      expect(await spun(true)).toMatch(SGR_COLOUR);
    } finally {
      if (forceColor === undefined) delete process.env.FORCE_COLOR;
      else process.env.FORCE_COLOR = forceColor;
    }
    const plain = await spun(false);
    expect(plain).toContain('0/2 sources');
    expect(plain).not.toMatch(SGR_COLOUR);
  });
});
