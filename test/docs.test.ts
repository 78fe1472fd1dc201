/**
 * docs/vendors.md: every worked config on the page loads, validates and compiles, and, with the
 * real hosts swapped for the demo server's, finds offers against the simulated vendors.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigText } from '../src/config/index.js';
import { type DemoServer, startDemoServer } from '../src/demo/server.js';
import { livePrices } from './flows/vendors.js';
import { runCli } from './helpers/cli.js';
import { writeConfig } from './helpers/config.js';
import { startServer } from './helpers/server.js';

/** The README and the reference pages it links to, which the checks below read. */
const DOC_PAGES = [
  'README.md',
  'docs/sources-file.md',
  'docs/search.md',
  'docs/output.md',
  'docs/library.md',
  'docs/performance.md',
  'docs/demo.md',
  'docs/resilience.md',
  'docs/vendors.md',
];

const PAGE = readFileSync(new URL('../docs/vendors.md', import.meta.url), 'utf8');
const blocks = [...PAGE.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => (m[1] as string).trimEnd());
const asSources = (list: string[]): string => list.map((b) => `\n${b.replace(/^/gm, '  ')}`).join('');

const ENV = Object.fromEntries(
  [...PAGE.matchAll(/\$\{([A-Z_]+)\}/g)].map(([, name]) => [name as string, `test-${(name as string).toLowerCase()}`]),
);

/** Each real API's base, and where the demo serves it. */
const HOSTS: readonly [string, string][] = [
  ['https://test.api.amadeus.com', '/amadeus'],
  ['https://api.duffel.com', '/duffel'],
  ['https://tequila-api.kiwi.com', '/kiwi'],
  ['https://partners.api.skyscanner.net/apiservices', '/skyscanner'],
  ['https://api.ebay.com', '/ebay'],
  ['https://api.bestbuy.com', '/bestbuy'],
  ['https://openapi.etsy.com', '/etsy'],
];

let demo: DemoServer;
beforeAll(async () => {
  demo = await startDemoServer({ latency: false, failRate: 0 });
});
afterAll(() => demo.close());

describe('docs/vendors.md', () => {
  it('has a config for each of the seven vendors, and each one loads', () => {
    const config = loadConfigText(`sources:${asSources(blocks)}\n`, 'docs/vendors.md', ENV);
    const flows = Object.fromEntries(
      config.sources.map((s) => [s.name, [s.oauth2 && 'oauth2', s.poll && 'poll', s.next && 'next'].filter(Boolean)]),
    );
    expect(flows).toEqual({
      amadeus: ['oauth2'],
      duffel: [],
      kiwi: [],
      skyscanner: ['poll'],
      ebay: ['oauth2', 'next'],
      bestbuy: ['next'],
      etsy: ['next'],
    });
  });

  it('finds offers with every config against the simulated vendors', async () => {
    const local = blocks.map((b) =>
      HOSTS.reduce((text, [real, prefix]) => text.replaceAll(real, `${demo.url}${prefix}`), b),
    );
    const file = writeConfig([asSources(local)]);
    const products = await runCli(['search', 'sony', 'headphones', '-c', file, '--json', '--tag', 'products'], {
      env: ENV,
    });
    const flights = await runCli(['search', 'from=JFK', 'to=LHR', 'date=2026-12-20', '-c', file, '--json'], {
      env: ENV,
    });
    for (const out of [products, flights]) {
      const doc = JSON.parse(out.stdout);
      for (const s of doc.sources.filter((x: { status: string }) => x.status !== 'skipped')) {
        expect(s, JSON.stringify(s)).toMatchObject({ status: 'ok', offers: expect.any(Number) });
        expect(s.offers, s.name).toBeGreaterThan(0);
        expect(s.dropped, s.name).toBeUndefined();
      }
      expect(doc.partial).toBe(false);
    }
    const names = (out: typeof products) => JSON.parse(out.stdout).sources.map((s: { name: string }) => s.name);
    expect(names(flights)).toEqual(['amadeus', 'duffel', 'kiwi', 'skyscanner', 'ebay', 'bestbuy', 'etsy']);
    // The four flight configs type their fields alike, so a filter or a script reads every vendor the same.
    const shapes = new Set(
      JSON.parse(flights.stdout).offers.map((o: Record<string, unknown>) =>
        JSON.stringify([
          /^[A-Z0-9]{2}(, [A-Z0-9]{2})*$/.test(String(o.carrier)),
          typeof o.stops,
          /^\d{4}-\d\d-\d\d \d\d:\d\d$/.test(String(o.departure)),
          /^\d{4}-\d\d-\d\d \d\d:\d\d$/.test(String(o.arrival)),
          /^PT(\d+H)?(\d+M)?$/.test(String(o.duration)),
        ]),
      ),
    );
    expect([...shapes]).toEqual(['[true,"number",true,true,true]']);
  });

  it('reports a failed Skyscanner search as an error, not as a search that found no flights', async () => {
    const sky = blocks.find((b) => b.startsWith('- name: skyscanner')) ?? '';
    // The demo's Skyscanner never fails: this one does at its first poll, after the create found two
    // itineraries. It serves `/create` and `/poll/…` at its root, hence the recipe's base is replaced whole.
    const search = async (...flags: string[]) => {
      const vendor = livePrices(3, { fail: 1 });
      const server = await startServer(vendor.handle);
      try {
        const local = sky.replaceAll(
          'https://partners.api.skyscanner.net/apiservices/v3/flights/live/search',
          server.url,
        );
        const file = writeConfig([asSources([local])]);
        const argv = ['search', 'from=JFK', 'to=LHR', 'date=2026-12-20', '-c', file, ...flags];
        return { out: await runCli(argv, { env: ENV }), polls: vendor.polls };
      } finally {
        await server.close();
      }
    };
    const json = await search('--json');
    // `until` ended the polling at the failure, and the mapping turned it into the source's error.
    expect(json.polls).toBe(1);
    expect(JSON.parse(json.out.stdout).sources).toEqual([
      {
        name: 'skyscanner',
        status: 'error',
        httpStatus: 200,
        ms: expect.any(Number),
        attempts: 2,
        offers: 0,
        error: 'mapping failed: offers: Skyscanner search failed (RESULT_STATUS_FAILED)',
      },
    ]);
    // 4, every source failed; not 1, a search that found nothing.
    expect(json.out.code).toBe(4);
    const table = await search();
    expect(table.out.stderr).toMatch(
      /^ {2}skyscanner {2}error {6}mapping failed: offers: Skyscanner search failed \(RESULT_STATUS_FAILED\)$/m,
    );
  });
});

describe('sources.example.yaml', () => {
  it('reports a failed Skyscanner search as an error, as the docs/vendors.md recipe does', async () => {
    const vendor = livePrices(3, { fail: 1 });
    // The example's Skyscanner lives under the demo's /skyscanner/v3/flights/live/search.
    const server = await startServer((req, res) => {
      req.url = (req.url ?? '').replace('/skyscanner/v3/flights/live/search', '');
      return vendor.handle(req, res);
    });
    try {
      const example = new URL('../sources.example.yaml', import.meta.url).pathname;
      const argv = [
        'search',
        'from=JFK',
        'to=LHR',
        'date=2026-12-20',
        '-c',
        example,
        '--source',
        'skyscanner',
        '--json',
      ];
      const out = await runCli(argv, { env: { AGG_DEMO_URL: server.url } });
      expect(vendor.polls).toBe(1);
      expect(JSON.parse(out.stdout).sources).toMatchObject([
        {
          name: 'skyscanner',
          status: 'error',
          error: 'mapping failed: offers: Skyscanner search failed (RESULT_STATUS_FAILED)',
        },
      ]);
      expect(out.code).toBe(4);
    } finally {
      await server.close();
    }
  });
});

describe('what the docs say of retrying a POST', () => {
  const pages = [...DOC_PAGES, 'sources.example.yaml'];

  it('no page says a POST is never retried: one whose connection never opened is sent again (retry.ts)', () => {
    // Both docs/vendors.md's Duffel quirks and the example's comment said so, while its row showed 2 attempts.
    const claims = pages.flatMap((page) =>
      readFileSync(new URL(`../${page}`, import.meta.url), 'utf8')
        .split(/[.;:]\s+|\n\s*(?:[-#]\s|\n)/)
        .filter((sentence) => /\bPOST\b/.test(sentence) && /never retr/i.test(sentence))
        .map((sentence) => `${page}: ${sentence.replace(/\s+/g, ' ').trim()}`),
    );
    expect(claims).toEqual([]);
  });

  it('the example’s Duffel POST, refused a connection, is sent again, as its comment says', async () => {
    // Port 1 on loopback, where nothing listens: no request was ever written, so the retry is safe.
    const example = new URL('../sources.example.yaml', import.meta.url).pathname;
    const argv = ['search', 'from=JFK', 'to=LHR', 'date=2026-12-20', '-c', example, '--source', 'duffel', '--json'];
    const out = await runCli(argv, { env: { AGG_DEMO_URL: 'http://127.0.0.1:1' } });
    expect(JSON.parse(out.stdout).sources).toMatchObject([{ name: 'duffel', status: 'error', attempts: 2 }]);
  });
});

describe('README and the reference pages', () => {
  const read = (page: string): string => readFileSync(new URL(`../${page}`, import.meta.url), 'utf8');

  it('the anchor example of docs/sources-file.md loads, and the merged source takes the anchored one’s settings', () => {
    const block = [...read('docs/sources-file.md').matchAll(/```yaml\n([\s\S]*?)```/g)]
      .map((m) => m[1] as string)
      .find((b) => b.includes('&shop'));
    const config = loadConfigText(block ?? '', 'docs/sources-file.md', {});
    expect(config.sources.map((s) => [s.name, s.timeoutMs, s.request.url])).toEqual([
      ['ebay', 2000, 'https://api.example.com/ebay?q={{query}}'],
      ['etsy', 2000, 'https://api.example.com/etsy?q={{query}}'],
    ]);
  });

  it('calls defaultHistoryFile as a caller must: with the environment and the home folder', async () => {
    // `defaultHistoryFile()` as first written threw "Cannot read properties of undefined" when copied.
    const text = read('README.md') + read('docs/library.md');
    const calls = [...text.matchAll(/`(defaultHistoryFile\([^`]*\))`/g)].map((m) => m[1] as string);
    expect(calls.length).toBeGreaterThan(0);
    const { defaultHistoryFile } = await import('../src/index.js');
    for (const call of calls) {
      const run = new Function('defaultHistoryFile', 'process', 'os', `return ${call};`);
      expect(run(defaultHistoryFile, { env: { HOME: '/home/me' } }, { homedir: () => '/home/me' })).toBe(
        '/home/me/.cache/agg/latency.jsonl',
      );
    }
  });
});

describe('code the docs name', () => {
  const pages = [...DOC_PAGES, 'SECURITY.md', 'bench/README.md'];

  it('every `name` in `src/…` or `name` (`src/…`) is in that file', () => {
    const missing: string[] = [];
    let checked = 0;
    for (const page of pages) {
      const text = readFileSync(new URL(`../${page}`, import.meta.url), 'utf8');
      for (const [, name, file] of text.matchAll(/`([A-Za-z_][\w.]*)` (?:\(|in )`((?:src|bench|scripts)\/[^`]+)`/g)) {
        // `SecretBook.scope`: the member is what the file must have.
        const member = (name as string).split('.').pop() as string;
        const source = readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');
        checked++;
        if (!new RegExp(`\\b${member}\\b`).test(source)) missing.push(`${page}: ${name} in ${file}`);
      }
    }
    expect(checked).toBeGreaterThan(15);
    expect(missing).toEqual([]);
  });
});
