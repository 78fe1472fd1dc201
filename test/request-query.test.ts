/**
 * `request.query`: query parameters written as a mapping, added to the URL, each encoded, and left out
 * when their value yields nothing. A URL template could only send an optional one empty (`returnDate=`),
 * which an API that validates its parameters refuses.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problems, yaml } from './config/helpers.js';
import { runCli } from './helpers/cli.js';
import { startServer, type TestServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer((req, res) => {
    if (req.url?.startsWith('/create')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ session: 's/1 2', done: false, items: [] }));
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ done: true, items: [{ title: req.url, price: 1, currency: 'USD' }] }));
  });
});
afterAll(() => server.close());

function configFile(text: string): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'agg-query-')), 'sources.yaml');
  writeFileSync(file, text);
  return file;
}

const FLIGHTS = (url: string) => yaml`
  sources:
    - name: air
      request:
        url: "${url}/search?fixed=1#top"
        query:
          from: "{{ $uppercase(from) }}"
          returnDate: "{{ $lookup($, 'return') }}"
          q: "{{query}}"
          max: 20
          nonStop: false
          tag: [a, "b&c", "{{ from }}"]
          step: ".."
      offers: items
      fields: { title: title, price: price, currency: currency }
`;

async function sentPath(args: string[], text: string): Promise<{ path?: string; stderr: string; code: number }> {
  const out = await runCli(['search', ...args, '-c', configFile(text), '--json']);
  const offer = out.stdout ? JSON.parse(out.stdout).offers[0] : undefined;
  return { path: offer?.title, stderr: out.stderr, code: out.code };
}

describe('request.query', () => {
  it('adds each parameter after the URL’s own and before its fragment, encoded, a list repeated', async () => {
    const sent = await sentPath(['x&admin=1', 'from=jfk'], FLIGHTS(server.url));
    expect(sent.path).toBe(
      '/search?fixed=1&from=JFK&q=x%26admin%3D1&max=20&nonStop=false&tag=a&tag=b%26c&tag=jfk&step=..',
    );
  });

  it('leaves out a parameter whose value yields nothing, and sends it once given', async () => {
    const oneWay = await sentPath(['x', 'from=jfk'], FLIGHTS(server.url));
    expect(oneWay.path).not.toContain('returnDate');
    const back = await sentPath(['x', 'from=jfk', 'return=2026-12-27'], FLIGHTS(server.url));
    expect(back.path).toContain('&returnDate=2026-12-27&');
  });

  it('leaves out a parameter whose param is given empty (`return=$RETURN` with RETURN unset)', async () => {
    const sent = await sentPath(['x', 'from=jfk', 'return='], FLIGHTS(server.url));
    expect(sent.path).toBe('/search?fixed=1&from=JFK&q=x&max=20&nonStop=false&tag=a&tag=b%26c&tag=jfk&step=..');
  });

  it('sends a value the file writes as "" empty, as written', async () => {
    const text = yaml`
      sources:
        - name: q
          request: { url: "${server.url}/s", query: { q: "{{query}}", empty: "" } }
          offers: items
          fields: { title: title, price: price, currency: currency }
    `;
    expect((await sentPath(['x'], text)).path).toBe('/s?q=x&empty=');
  });

  it('makes a param read by name required, as a URL template does', async () => {
    const out = await runCli(['search', 'x', '-c', configFile(FLIGHTS(server.url))]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('needs from');
  });

  it('goes with a poll request too, reading the previous response', async () => {
    const text = yaml`
      sources:
        - name: sky
          request: { method: POST, url: "${server.url}/create", body: { q: "{{query}}" } }
          poll:
            request:
              url: "${server.url}/poll"
              query: { session: "{{ $response.session }}", missing: "{{ $response.nothing }}" }
            until: done
            interval: 10ms
          offers: items
          fields: { title: title, price: price, currency: currency }
    `;
    expect((await sentPath(['x'], text)).path).toBe('/poll?session=s%2F1%202');
  });

  it('refuses a parameter the URL already has, which would go out twice, in the request and the poll', () => {
    const text = yaml`
      sources:
        - name: hotels
          request:
            url: "https://h.example/v1/hotels?sort=price&min%50rice=0&{{ 'x' }}=1#top"
            query: { sort: "{{sort}}", minPrice: 10, x: 2, city: "{{city}}" }
          poll:
            request: { url: "https://h.example/poll?page=1", query: { page: 2 } }
            until: done
          offers: items
          fields: { title: title, price: price }
    `;
    expect(problems(text)).toEqual([
      'sources.yaml:5:22: sources[0].request.query.sort: the url already has `sort=price`, so both would be sent (`sort=…&sort=…`); write it in one place',
      'sources.yaml:5:44: sources[0].request.query.minPrice: the url already has `min%50rice=0`, so both would be sent (`minPrice=…&minPrice=…`); write it in one place',
      'sources.yaml:7:71: sources[0].poll.request.query.page: the url already has `page=1`, so both would be sent (`page=…&page=…`); write it in one place',
    ]);
  });

  it('refuses a value that is a mapping, none, an unquoted template and a bad expression, each at its line', () => {
    const text = yaml`
      sources:
        - name: q
          request:
            url: "https://q.example/s"
            query:
              q: {{query}}
              n: { a: 1 }
              z: "{{ $number( }}"
              w: "{query}"
              stars:
          offers: items
          fields: { title: title, price: price }
    `;
    expect(problems(text)).toEqual([
      'sources.yaml:6:12: sources[0].request.query.q: `{{query}}` without quotes is a YAML mapping, not a template: write `"{{query}}"`',
      'sources.yaml:7:12: sources[0].request.query.n: expected text, a number, true or false, or a list of them (a mapping is no query value)',
      'sources.yaml:8:12: sources[0].request.query.z: invalid JSONata " $number( ": Expected ")" before end of expression (at character 10)',
      'sources.yaml:9:12: sources[0].request.query.w: `{query}` is sent as written, braces and all: a search param is `{{query}}`, an environment variable `${query}`',
      `sources.yaml:10:9: sources[0].request.query.stars: has no value: write one, or "{{ $lookup($, 'stars') }}" to send the param only when it is given`,
    ]);
  });
});

describe('a template that writes undefined', () => {
  it('is a config error: JSONata reads it as a param of that name, which every search then lacked', () => {
    const text = yaml`
      sources:
        - name: h
          request:
            url: "https://h.example/s?q={{query}}"
            query: { stars: "{{ $lookup($, 'stars') ? $lookup($, 'stars') : undefined }}" }
          offers: items
          fields: { title: title, price: price }
    `;
    expect(problems(text)).toEqual([
      'sources.yaml:5:23: sources[0].request.query.stars: `undefined` reads a param named undefined: JSONata has no such value; for nothing, leave out the else (`cond ? value`)',
    ]);
  });
});
