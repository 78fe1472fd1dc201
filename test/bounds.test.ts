/**
 * Hard bounds: response size (per source, and after decompression), redirects (count, https → http),
 * connections per origin (requests queue), Ctrl-C (what arrived is still printed), and the config
 * checks for the new settings.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfigText } from '../src/config/index.js';
import { search } from '../src/search/index.js';
import { runBin } from './helpers/bin.js';
import { runCli } from './helpers/cli.js';
import { source, writeConfig } from './helpers/config.js';
import { json, startServer, type TestServer } from './helpers/server.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const offers = (n = 1) => ({
  items: Array.from({ length: n }, (_, i) => ({ title: `t${i}`, price: i + 1, currency: 'USD' })),
});
const rowsOf = (stdout: string) => JSON.parse(stdout).sources;

async function serve(handler: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const s = await startServer(handler);
  servers.push(s);
  return s;
}

describe('response size', () => {
  it('maxBytes per source: a declared length over it fails before the body is read', async () => {
    const server = await serve((_req, res) => json(res, offers(40)));
    const file = writeConfig([
      source('small', `${server.url}/a`, '\n    maxBytes: 1KiB'),
      source('default', `${server.url}/b`),
    ]);
    const rows = rowsOf((await runCli(['search', 'x', '-c', file, '--json'])).stdout);
    expect(rows[0]).toMatchObject({ status: 'error', httpStatus: 200, attempts: 1 });
    expect(rows[0].error).toBe(`response larger than 1 KiB: GET ${server.url}/a`);
    expect(rows[1]).toMatchObject({ status: 'ok', offers: 40 });
  });

  it('counts bytes after decompression: a small gzip that inflates past the limit is cut off', async () => {
    // 20 MiB of spaces gzip to about 20 KiB.
    const bomb = gzipSync(
      Buffer.concat([Buffer.from('{"items":['), Buffer.alloc(20 * 1024 * 1024, 0x20), Buffer.from(']}')]),
    );
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(bomb);
    });
    const file = writeConfig([source('bomb', `${server.url}/s`, '\n    maxBytes: 5MiB')]);
    const row = rowsOf((await runCli(['search', 'x', '-c', file, '--json'])).stdout)[0];
    expect(row).toMatchObject({ status: 'error', httpStatus: 200 });
    expect(row.error).toBe(`response larger than 5 MiB: GET ${server.url}/s`);
  });
});

describe('a retried error page that inflates past the limit', () => {
  it('is cut off at maxBytes too, not inflated whole and dropped before the retry', async () => {
    // 64 MiB of spaces gzip to about 64 KiB: the retry interceptor read the 503 to its end (inflating
    // all of it) and dropped it unseen by body.ts's count, then sent the request again.
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
    const server = await serve((_req, res) => {
      res.writeHead(503, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(bomb);
    });
    const file = writeConfig([source('bomb', `${server.url}/s`, '\n    maxBytes: 1MiB\n    retries: 1')]);
    const row = rowsOf((await runCli(['search', 'x', '-c', file, '--json'])).stdout)[0];
    expect(row).toMatchObject({ status: 'error', attempts: 1 });
    expect(row.error).toBe(`response larger than 1 MiB: GET ${server.url}/s`);
  });
});

describe('stacked encodings', () => {
  it('cap every decoding stage at maxBytes, not only the last', async () => {
    // gunzip ignores what follows a gzip member: the middle stage inflated a small member plus 16 MiB
    // of zeros, and the last passed on only the member's offers, so nothing counted the 16 MiB (a
    // 2 KB body of three layers made agg inflate 1 GiB per attempt, at `maxBytes: 1MiB`).
    const member = gzipSync(JSON.stringify(offers()));
    const body = gzipSync(gzipSync(Buffer.concat([member, Buffer.alloc(16 * 1024 * 1024)])));
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip, gzip, gzip' });
      res.end(body);
    });
    const file = writeConfig([source('stacked', `${server.url}/s`, '\n    maxBytes: 1MiB')]);
    const row = rowsOf((await runCli(['search', 'x', '-c', file, '--json'])).stdout)[0];
    expect(row).toMatchObject({ status: 'error', httpStatus: 200, offers: 0 });
    expect(row.error).toBe(`response larger than 1 MiB: GET ${server.url}/s`);
  });
});

describe('a library caller whose maxBytes is not a whole number', () => {
  it('is read as its whole bytes, not failed as an invalid request', async () => {
    // undici's decompress throws for a maxSize that is not a whole number: every request of a source
    // given `maxBytes: 1e6 / 3` failed as `invalid request`, compressed or not.
    const server = await serve((req, res) => {
      if (req.url === '/plain') return json(res, offers(2));
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(gzipSync(JSON.stringify(offers(3))));
    });
    const config = loadConfigText(
      `currency: USD\nsources:${source('plain', `${server.url}/plain`)}${source('gz', `${server.url}/gz`)}`,
      's.yaml',
      {},
    );
    const result = await search(
      { ...config, sources: config.sources.map((s) => ({ ...s, maxBytes: 1e6 / 3 })) },
      { text: 'x', params: { query: 'x' } },
    );
    expect(result.sources.map((s) => [s.name, s.status, s.offers])).toEqual([
      ['plain', 'ok', 2],
      ['gz', 'ok', 3],
    ]);
  });
});

describe('deflate, with or without its zlib header', () => {
  it('reads raw deflate as curl and browsers do, and caps what it inflates to at maxBytes', async () => {
    // Old IIS and some PHP servers send `Content-Encoding: deflate` without the zlib header: it was
    // 'could not decompress the body (incorrect header check)'.
    const bomb = Buffer.concat([Buffer.from('{"items":['), Buffer.alloc(20 * 1024 * 1024, 0x20), Buffer.from(']}')]);
    const bodies: Record<string, Buffer> = {
      '/raw': deflateRawSync(JSON.stringify(offers(3))),
      '/zlib': deflateSync(JSON.stringify(offers(2))),
      '/bomb': deflateRawSync(bomb),
      '/garbage': Buffer.from('not deflate at all'),
    };
    const server = await serve((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'deflate' });
      res.end(bodies[req.url ?? '']);
    });
    const file = writeConfig(
      Object.keys(bodies).map((p) => source(p.slice(1), `${server.url}${p}`, '\n    maxBytes: 5MiB')),
    );
    const rows = rowsOf((await runCli(['search', 'x', '-c', file, '--json'])).stdout);
    expect(rows[0]).toMatchObject({ name: 'raw', status: 'ok', offers: 3 });
    expect(rows[1]).toMatchObject({ name: 'zlib', status: 'ok', offers: 2 });
    expect(rows[2]).toMatchObject({ name: 'bomb', status: 'error', httpStatus: 200 });
    expect(rows[2].error).toBe(`response larger than 5 MiB: GET ${server.url}/bomb`);
    expect(rows[3]).toMatchObject({ name: 'garbage', status: 'error', httpStatus: 200 });
    expect(rows[3].error).toMatch(/^could not decompress the body \(/);
  });
});

describe('compressed answers that end with their connection', () => {
  it('are read whole: the FIN during decompression backpressure is no crash', async () => {
    // Gzip with `Connection: close`: the last bytes and the FIN come in one read while decompression
    // holds the parser paused, and undici 7 asserted it was not (nodejs/undici#5360): the process
    // died with a stack trace and printed nothing.
    const zipped = (n: number) => gzipSync(JSON.stringify(offers(n)));
    const bodies = [zipped(20_000), zipped(60_000)];
    const server = await serve((req, res) => {
      const body = bodies[Number(req.url?.slice(1, 2))] as Buffer;
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'content-length': body.length,
        connection: 'close',
      });
      res.end(body);
    });
    const file = writeConfig([source('a', `${server.url}/0`), source('b', `${server.url}/1`)]);
    const out = await runBin(['search', 'x', '-c', file, '--json', '--limit', '1']);
    expect(out.stderr).not.toMatch(/AssertionError|\n\s+at /);
    expect(out.code).toBe(0);
    expect(rowsOf(out.stdout)).toMatchObject([
      { name: 'a', status: 'ok', offers: 20_000 },
      { name: 'b', status: 'ok', offers: 60_000 },
    ]);
  });
});

describe('response size: memory', () => {
  it('holds at most about the limit of a 64 MiB body, measured in a separate process', async () => {
    const MIB = 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      let sent = 0;
      const pump = (): void => {
        while (sent < 64 * MIB) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
    const yaml = `sources:${source('huge', `${server.url}/s`)}\n`;
    // The child samples its own memory (JS heap, where the text goes, plus Buffers) every 2 ms while
    // it searches, and prints the peak growth.
    const script = `
      import { createDispatcher, loadConfigText, search } from ${JSON.stringify(dist)};
      const used = () => { const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
      const base = used();
      let peak = 0;
      const sampler = setInterval(() => { peak = Math.max(peak, used() - base); }, 2);
      const dispatcher = createDispatcher();
      const r = await search(loadConfigText(${JSON.stringify(yaml)}, 's.yaml', {}), {
        text: 'x', params: {}, strategy: 'all', sort: { field: 'price', desc: false }, dispatcher,
      });
      clearInterval(sampler);
      await dispatcher.destroy();
      console.log(JSON.stringify({ error: r.sources[0].error, peakMiB: peak / 1048576 }));`;
    const out = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ['--input-type=module', '-e', script], (err, stdout) =>
        err ? reject(err) : resolve(stdout),
      ),
    );
    const { error, peakMiB } = JSON.parse(out);
    expect(error).toBe(`response larger than 10 MiB: GET ${server.url}/s`);
    // About 14 MiB here: the 10 MiB kept, plus undici's and the socket's buffers. Reading the whole
    // body (maxBytes: 100MiB) measures 65-78 MiB.
    expect(peakMiB).toBeLessThan(32);
  });
});

describe('redirects', () => {
  it('follows at most 5', async () => {
    const server = await serve((req, res) => {
      const n = Number(req.url?.split('/')[2] ?? 0);
      res.writeHead(302, { location: `/r/${n + 1}` });
      res.end();
    });
    const row = rowsOf(
      (await runCli(['search', 'x', '-c', writeConfig([source('loop', `${server.url}/r/0`)]), '--json'])).stdout,
    )[0];
    expect(row).toMatchObject({ status: 'error', attempts: 6 });
    expect(row.error).toBe(`too many redirects (over 5): GET ${server.url}/r/0`);
    expect(server.requests).toHaveLength(6);
  });

  it('follows a chain of exactly 5 to its answer, and names a loop as a loop', async () => {
    // /chain/K redirects to /chain/K-1; /chain/0 answers. /self redirects to itself.
    const server = await serve((req, res) => {
      if (req.url === '/self') res.writeHead(302, { location: '/self' });
      else if (req.url === '/nowhere') res.writeHead(302, { location: '' });
      else {
        const n = Number(req.url?.split('/')[2] ?? 0);
        if (n === 0) return json(res, offers());
        res.writeHead(302, { location: `/chain/${n - 1}` });
      }
      res.end();
    });
    const rows = rowsOf(
      (
        await runCli([
          'search',
          'x',
          '-c',
          writeConfig([
            source('five', `${server.url}/chain/5`),
            source('self', `${server.url}/self`),
            source('nowhere', `${server.url}/nowhere`),
          ]),
          '--json',
        ])
      ).stdout,
    );
    expect(rows[0]).toMatchObject({ name: 'five', status: 'ok', attempts: 6 });
    expect(rows[1]).toMatchObject({ name: 'self', status: 'error' });
    expect(rows[1].error).toBe(`redirect loop: GET ${server.url}/self`);
    // A redirect to nowhere is not followed at all: a plain HTTP error, not "too many".
    expect(rows[2]).toMatchObject({ name: 'nowhere', status: 'error', httpStatus: 302, attempts: 1 });
    expect(rows[2].error).toBe(`HTTP 302 Found: GET ${server.url}/nowhere`);
  });

  it('refuses a 307 that would resend a body to another origin, and follows one that stays', async () => {
    const elsewhere = await serve((_req, res) => json(res, offers()));
    const server = await serve((req, res, body) => {
      if (req.url?.startsWith('/away')) res.writeHead(307, { location: `${elsewhere.url}/steal` });
      else if (req.url?.startsWith('/here')) res.writeHead(307, { location: '/landed' });
      else return json(res, { items: [{ title: body, price: 1, currency: 'USD' }] });
      res.end();
    });
    const post = (name: string, path: string) =>
      source(name, `${server.url}${path}`, '').replace(
        `url: "${server.url}${path}"`,
        `url: "${server.url}${path}"\n      method: POST\n      body: { key: "\${API_KEY}" }`,
      );
    const file = writeConfig([post('away', '/away'), post('here', '/here')]);
    const out = await runCli(['search', 'x', '-c', file, '--json'], { env: { API_KEY: 'k-0123456789abcdef' } });
    const [away, here] = rowsOf(out.stdout);
    expect(away).toMatchObject({ status: 'error' });
    // Where it pointed is named, as a followed hop is: the row said only the URL asked for.
    expect(away.error).toBe(
      `redirect to another origin with a request body refused: POST ${server.url}/away → ${elsewhere.url}/steal`,
    );
    // Nothing reached the other origin: the body (and the key in it) never left.
    expect(elsewhere.requests).toHaveLength(0);
    expect(here).toMatchObject({ status: 'ok', offers: 1 });
    expect(JSON.parse(out.stdout).offers[0].title).toBe('{"key":"***"}');
  });

  it('refuses a redirect from https to http, sending nothing over plain http', async () => {
    const tls = fileURLToPath(new URL('./fixtures/tls/', import.meta.url));
    const plain = await serve((_req, res) => json(res, offers()));
    const secure = https.createServer(
      { key: readFileSync(`${tls}key.pem`), cert: readFileSync(`${tls}cert.pem`) },
      (_req, res) => {
        res.writeHead(302, { location: `${plain.url}/s` });
        res.end();
      },
    );
    await new Promise<void>((resolve) => secure.listen(0, '127.0.0.1', resolve));
    const secureUrl = `https://127.0.0.1:${(secure.address() as AddressInfo).port}/s`;
    try {
      const file = writeConfig([source('down', secureUrl, '')]);
      // The bin, so that NODE_EXTRA_CA_CERTS makes agg trust the test certificate as Node starts.
      const bin = fileURLToPath(new URL('../bin/agg.js', import.meta.url));
      const stdout = await new Promise<string>((resolve) => {
        execFile(
          process.execPath,
          [bin, 'search', 'x', '-c', file, '--json', '-q'],
          {
            env: {
              PATH: process.env.PATH ?? '',
              NODE_EXTRA_CA_CERTS: `${tls}cert.pem`,
              XDG_CACHE_HOME: '/nonexistent',
            },
          },
          (_err, out) => resolve(out),
        );
      });
      const row = rowsOf(stdout)[0];
      expect(row).toMatchObject({ status: 'error', attempts: 1 });
      expect(row.error).toBe(`redirect from https to http refused: GET ${secureUrl} → ${plain.url}/s`);
      expect(plain.requests).toHaveLength(0);
    } finally {
      secure.closeAllConnections();
      await new Promise((resolve) => secure.close(resolve));
    }
  });
});

describe('connections', () => {
  /** A server that answers after 500 ms and records the most requests it held at once. */
  async function counting() {
    const stats = { open: 0, peak: 0 };
    const server = await serve(async (_req, res) => {
      stats.open++;
      stats.peak = Math.max(stats.peak, stats.open);
      await json(res, offers(), { ms: 500 });
      stats.open--;
    });
    return { server, stats };
  }

  it('opens at most `connections` per origin; the other requests queue and still succeed', async () => {
    const { server, stats } = await counting();
    const names = Array.from({ length: 8 }, (_, i) => `s${i}`);
    const file = writeConfig(
      names.map((n) => source(n, `${server.url}/${n}`)),
      'currency: USD\ndefaults:\n  connections: 2',
    );
    const out = await runCli(['search', 'x', '-c', file, '--json']);
    expect(rowsOf(out.stdout).every((r: { status: string }) => r.status === 'ok')).toBe(true);
    expect(stats.peak).toBe(2);
  });

  it('defaults to 32 per origin', async () => {
    const { server, stats } = await counting();
    const names = Array.from({ length: 40 }, (_, i) => `s${i}`);
    const out = await runCli([
      'search',
      'x',
      '-c',
      writeConfig(names.map((n) => source(n, `${server.url}/${n}`))),
      '--json',
    ]);
    expect(rowsOf(out.stdout).every((r: { status: string }) => r.status === 'ok')).toBe(true);
    expect(stats.peak).toBe(32);
  });
});

describe('Ctrl-C', () => {
  it('aborts what is in flight, prints what arrived, and exits 130', async () => {
    const interrupt = new AbortController();
    // Ctrl-C comes once the fast source has answered (and the slow one is still out).
    const fast = await serve((_req, res) =>
      json(res, offers(2)).then(() => void setTimeout(() => interrupt.abort(), 300)),
    );
    const slow = await serve((_req, res) => json(res, offers(), { ms: 8000 }));
    const file = writeConfig([source('fast', `${fast.url}/s`), source('slow', `${slow.url}/s`)]);
    const out = await runCli(['search', 'x', '-c', file, '--json'], { interrupt: interrupt.signal });
    expect(out.code).toBe(130);
    const doc = JSON.parse(out.stdout);
    expect(doc.offers).toHaveLength(2);
    expect(doc.sources[1]).toMatchObject({
      name: 'slow',
      status: 'cancelled',
      error: `interrupted: GET ${slow.url}/s`,
    });
    expect(out.stderr).toMatch(/interrupted\n$/);
    await slow.clientAborted;
  });

  it('under --quiet prints nothing but still exits 130', async () => {
    const slow = await serve((_req, res) => json(res, offers(), { ms: 8000 }));
    const interrupt = new AbortController();
    setTimeout(() => interrupt.abort(), 200);
    const out = await runCli(['search', 'x', '-c', writeConfig([source('slow', `${slow.url}/s`)]), '-q'], {
      interrupt: interrupt.signal,
    });
    expect(out.code).toBe(130);
    expect(out.stdout).toBe('');
  });

  it('under --quiet an NDJSON stream still ends with its summary, saying it is partial', async () => {
    const fast = await serve((_req, res) => json(res, offers(2)));
    const slow = await serve((_req, res) => json(res, offers(), { ms: 8000 }));
    const interrupt = new AbortController();
    const file = writeConfig([source('fast', `${fast.url}/s`), source('slow', `${slow.url}/s`)]);
    // Ctrl-C once the fast source has answered and the slow one is still out.
    setTimeout(() => interrupt.abort(), 500);
    const out = await runCli(['search', 'x', '-c', file, '-q', '--format', 'ndjson'], { interrupt: interrupt.signal });
    expect(out.code).toBe(130);
    const lines = out.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.type === 'offer')).toHaveLength(2);
    expect(lines.at(-1)).toMatchObject({ type: 'summary', partial: true });
  });
});

describe('config checks for the new settings', () => {
  it('marks a header secret when its value holds an env secret or its name says credential', () => {
    const text = `defaults:
  headers: { X-Partner: "\${PARTNER}", Accept: application/json }
sources:
  - name: a
    request:
      url: "http://127.0.0.1:1/s"
      headers: { Authorization: "Bearer abc", X-Auth-Token: t, X-Access-Token: t, User-Agent: agg, X-Trace: "id-\${PARTNER}",
                 X-Authorization: k, Authentication: k, X-Client-Credentials: k, X-Authored-By: me,
                 Cookie: c, X-Api-Key: k, X-ApiKey: k, Secret: s, X-Signature: s, X-Password: p, X-Keyboard: us, Set-Cookie: c }
    offers: items
    fields: { title: title, price: price }`;
    const config = loadConfigText(text, 'sources.yaml', { PARTNER: 'partner-42' });
    expect([...(config.sources[0]?.secretHeaders ?? [])].sort()).toEqual([
      'authentication',
      'authorization',
      'cookie',
      'secret',
      'x-access-token',
      'x-api-key',
      'x-apikey',
      'x-auth-token',
      'x-authorization',
      'x-client-credentials',
      'x-partner',
      'x-password',
      'x-signature',
      'x-trace',
    ]);
  });

  it('marks a header secret when a part of its name ends in key, token or secret, as a query param is hidden', () => {
    // Written literally, each went to another origin's redirect and to the token request (Bunny's AccessKey).
    const text = `sources:
  - name: a
    request:
      url: "http://127.0.0.1:1/s"
      headers: { AccessKey: k, X-AuthToken: t, X-ClientSecret: s, X-AppSignature: s, X-UserPassword: p,
                 X-Keyboard: us, X-Tokens-Left: "3", User-Agent: agg }
    offers: items
    fields: { title: title, price: price }`;
    const config = loadConfigText(text, 'sources.yaml', {});
    expect([...(config.sources[0]?.secretHeaders ?? [])].sort()).toEqual([
      'accesskey',
      'x-appsignature',
      'x-authtoken',
      'x-clientsecret',
      'x-userpassword',
    ]);
  });

  it("marks the poll request's own secret headers too, which its redirects must not carry", () => {
    const text = `sources:
  - name: live
    request: { method: POST, url: "http://127.0.0.1:1/create", headers: { Accept: application/json } }
    poll:
      request: { url: "http://127.0.0.1:1/poll/{{ $response.token }}", headers: { X-Sig: "\${SIG}", X-Page: "2" } }
      until: done
    offers: items
    fields: { title: title, price: price }`;
    const config = loadConfigText(text, 'sources.yaml', { SIG: 'sig-value-1234' });
    expect(config.sources[0]?.secretHeaders).toEqual(['x-sig']);
  });

  it('reports a bad maxBytes, hedge, idempotent or connections with its place', async () => {
    const file = writeConfig(
      [
        source('a', 'http://127.0.0.1:1/s', '\n    maxBytes: 10XB\n    hedge: soon\n    idempotent: maybe'),
        source('b', 'http://127.0.0.1:1/s', '\n    maxBytes: 2GiB'),
      ],
      'currency: USD\ndefaults:\n  connections: 0\n  hedge: auto',
    );
    const out = await runCli(['search', 'x', '-c', file]);
    expect(out.code).toBe(2);
    const lines = out.stderr.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/sources\.yaml:3:\d+: defaults\.connections: .*1/),
      expect.stringMatching(
        /sources\.yaml:\d+:\d+: sources\[0\]\.maxBytes: "10XB" is not a size; use 512KiB, 10MiB, 1MB or a number of bytes$/,
      ),
      expect.stringMatching(
        /sources\.yaml:\d+:\d+: sources\[0\]\.hedge: "soon" is not a duration; use auto, off, 250ms, 2s/,
      ),
      expect.stringMatching(/sources\.yaml:\d+:\d+: sources\[0\]\.idempotent: /),
      expect.stringMatching(/sources\.yaml:\d+:\d+: sources\[1\]\.maxBytes: must be at most 500 MiB$/),
    ]);
  });
});
