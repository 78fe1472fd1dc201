/**
 * A `name=value` param that no source searched reads is a warning: `adults=2` against flight sources
 * that send `adults=1` listed one adult's fares as the answer, without a word.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigText } from '../src/config/index.js';
import { search } from '../src/search/index.js';
import { json, startServer, type TestServer } from './helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer((_req, res) =>
    json(res, { items: [{ title: 'JFK → LHR', price: 500, currency: 'USD' }] }),
  );
});
afterAll(() => server.close());

/** The warnings of a search of one source whose request is `request` (YAML flow text), and `more` keys. */
async function warnings(params: Record<string, string>, request: string, more = ''): Promise<string[]> {
  const yaml = `currency: USD
sources:
  - name: flights
    request: ${request.replaceAll('URL', server.url)}${more.replaceAll('URL', server.url)}
    offers: items
    fields: { title: title, price: price, currency: currency }
`;
  const result = await search(loadConfigText(yaml, 'sources.yaml', {}), { text: 'x', params });
  return result.warnings;
}

const FLIGHTS = '{ url: "URL/s?from={{from}}&adults=1" }';

describe('params no source reads', () => {
  it('warns of each one, with its value', async () => {
    expect(await warnings({ from: 'JFK', adults: '2', return: '2026-12-27' }, FLIGHTS)).toEqual([
      'adults=2 is read by no source searched: the offers do not reflect it',
      'return=2026-12-27 is read by no source searched: the offers do not reflect it',
    ]);
  });

  it('names the param a misspelt one meant, when a source reads it and the query lacks it', async () => {
    // `retrun=`: one-way fares listed for a round trip, under a warning that said only that `retrun` went nowhere.
    const roundTrip = '{ url: "URL/s?from={{from}}&back={{ $lookup($, \\"return\\") }}&adults={{adults}}" }';
    expect(await warnings({ from: 'JFK', adults: '1', retrun: '2026-12-27' }, roundTrip)).toEqual([
      'retrun=2026-12-27 is read by no source searched: the offers do not reflect it; did you mean return=2026-12-27?',
    ]);
    // A name already given is not the one meant; nor is a name far from any the sources read.
    expect(await warnings({ from: 'JFK', adults: '2', adult: '3' }, roundTrip)).toEqual([
      'adult=3 is read by no source searched: the offers do not reflect it',
    ]);
    expect(await warnings({ from: 'JFK', adults: '1', cabin: 'first' }, roundTrip)).toEqual([
      'cabin=first is read by no source searched: the offers do not reflect it',
    ]);
  });

  it("never names as the param meant one whose name is a ${VAR}'s value", async () => {
    const yaml = `currency: USD
sources:
  - name: flights
    request: { url: "${server.url}/s?from={{from}}&k={{ $lookup($, '\${NAME}') }}" }
    offers: items
    fields: { title: title, price: price, currency: currency }
`;
    const config = loadConfigText(yaml, 'sources.yaml', { NAME: 'partner_code' });
    const result = await search(config, { text: 'x', params: { from: 'JFK', partner_cod: '7' } });
    expect(result.warnings).toEqual([
      'partner_cod=7 is read by no source searched: the offers do not reflect it; did you mean ***=7?',
    ]);
  });

  it('says nothing of a param read anywhere: a template, the body, requires, $lookup, $params of next or until', async () => {
    const given = { from: 'JFK', adults: '2' };
    const quiet = [
      ['{ url: "URL/s?from={{from}}&adults={{adults}}" }', ''],
      ['{ method: POST, url: "URL/s?from={{from}}", body: { n: "{{ $number(adults) }}" } }', ''],
      [FLIGHTS, '\n    requires: [adults]'],
      ['{ url: "URL/s?from={{from}}&adults={{ $params.adults }}" }', ''],
      ['{ url: "URL/s?from={{from}}&adults={{ $lookup($, \\"adults\\") ? $lookup($, \\"adults\\") : 1 }}" }', ''],
      [FLIGHTS, '\n    next: \'$params.adults = "2" ? $url : ""\''],
      [FLIGHTS, '\n    poll: { request: { url: "URL/p" }, until: \'$lookup($params, "adults") or true\' }'],
    ];
    for (const [request, more] of quiet) expect(await warnings(given, request as string, more)).toEqual([]);
  });

  it('reads the name an optional read takes, and still warns of the others', async () => {
    const given = { from: 'JFK', adults: '2', return: '2026-12-27' };
    const lookup =
      '{ url: "URL/s?from={{from}}&adults={{ $lookup($, \\"adults\\") ? $lookup($, \\"adults\\") : 1 }}" }';
    const only = ['return=2026-12-27 is read by no source searched: the offers do not reflect it'];
    expect(await warnings(given, lookup)).toEqual(only);
    expect(await warnings(given, FLIGHTS, '\n    next: \'$params.adults = "2" ? $url : ""\'')).toEqual(only);
  });

  it('says nothing when a template may read any param ($ as a whole), nor of the words, nor of an empty param', async () => {
    expect(await warnings({ from: 'JFK', adults: '2' }, '{ url: "URL/s?p={{ $string($) }}&from={{from}}" }')).toEqual(
      [],
    );
    expect(await warnings({ from: 'JFK', query: 'sony', adults: '' }, FLIGHTS)).toEqual([]);
    // `*` and `**` read every param without naming one; `%` goes up from a param to all of them.
    for (const expr of ['$join(*, \\",\\")', '$join(**, \\",\\")', 'from.%.adults', '$string($params)']) {
      expect(await warnings({ from: 'JFK', adults: '2' }, `{ url: "URL/s?p={{ ${expr} }}&from={{from}}" }`)).toEqual(
        [],
      );
    }
  });

  it('tells the params as a whole ($, $$, $.name) from literals, other calls and what next and until read', async () => {
    const given = { from: 'JFK', adults: '2', return: '2026-12-27' };
    const url = (expr: string) => `{ url: "URL/s?p={{ ${expr} }}&from={{from}}" }`;
    // `$$` is the params as a whole, and `$.adults` and `$$.adults` read through them: none names only `adults`.
    for (const expr of ['$string($$)', '$$.adults', '$.adults', '$join($, \\",\\")'])
      expect(await warnings(given, url(expr))).toEqual([]);
    const both = [
      'adults=2 is read by no source searched: the offers do not reflect it',
      'return=2026-12-27 is read by no source searched: the offers do not reflect it',
    ];
    // An empty string and a `null` are literals, not the params; `*` in `next` reads the response.
    for (const expr of ['from & \\"\\"', 'from ? from : null']) expect(await warnings(given, url(expr))).toEqual(both);
    expect(await warnings(given, FLIGHTS, "\n    next: '*.next'")).toEqual(both);
  });

  it('says of a param read only by a source skipped for want of another that it was, and why: that row shows only under --verbose', async () => {
    const yaml = `currency: USD
sources:
  - name: shop
    request: { url: "${server.url}/s?q={{query}}" }
    offers: items
    fields: { title: title, price: price, currency: currency }
  - name: flights
    request: { url: "${server.url}/f?from={{from}}&date={{date}}&adults=1" }
    offers: items
    fields: { title: title, price: price, currency: currency }
`;
    const result = await search(loadConfigText(yaml, 'sources.yaml', {}), {
      text: 'x',
      params: { query: 'x', from: 'JFK', adults: '2' },
    });
    expect(result.sources.map((s) => [s.name, s.status, s.error])).toEqual([
      ['shop', 'ok', undefined],
      ['flights', 'skipped', 'needs date'],
    ]);
    expect(result.warnings).toEqual([
      'from=JFK is read only by flights, which was skipped (needs date): the offers do not reflect it',
      'adults=2 is read by no source searched: the offers do not reflect it',
    ]);
  });

  it('names up to three skipped readers and counts the rest; with no source sent, the skipped rows say it all', async () => {
    const flight = (name: string, needs: string) => `
  - name: ${name}
    request: { url: "${server.url}/f?from={{from}}&adults={{adults}}&${needs}={{${needs}}}" }
    offers: items
    fields: { title: title, price: price, currency: currency }`;
    const shop = `
  - name: shop
    request: { url: "${server.url}/s?q={{query}}&from={{from}}" }
    offers: items
    fields: { title: title, price: price, currency: currency }`;
    const run = async (sources: string, params: Record<string, string>) =>
      (await search(loadConfigText(`currency: USD\nsources:${sources}`, 'sources.yaml', {}), { text: 'x', params }))
        .warnings;
    const four = ['a', 'b', 'c', 'd'].map((n) => flight(n, 'date')).join('');
    expect(
      await run(`${shop}${flight('a', 'date')}${flight('b', 'return')}`, { query: 'x', from: 'JFK', adults: '2' }),
    ).toEqual([
      'adults=2 is read only by a (needs date), b (needs return), which were skipped: the offers do not reflect it',
    ]);
    expect(await run(`${shop}${four}`, { query: 'x', from: 'JFK', adults: '2' })).toEqual([
      'adults=2 is read only by a (needs date), b (needs date), c (needs date) and 1 more, which were skipped: the offers do not reflect it',
    ]);
    // Every source skipped: no search, and the refusal names each and what it needs (exit 2 from the command line).
    await expect(run(four, { from: 'JFK', adults: '2' })).rejects.toThrow(/needs date/);
  });

  it('cuts a long value between characters, never through an emoji', async () => {
    const value = `${'a'.repeat(38)}😀😀`;
    const [warning] = await warnings({ from: 'JFK', adults: value }, FLIGHTS);
    expect(warning).toBe(`adults=${'a'.repeat(38)}… is read by no source searched: the offers do not reflect it`);
  });
});
