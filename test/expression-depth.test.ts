/**
 * An expression nested deeper than jsonata evaluates (`((((price))))` 1,000 deep) is refused when it is
 * compiled, as too deeply nested: evaluated, it stopped at jsonata's depth guardrail with words for a
 * function that calls itself, `a recursion without end?`, and past about 2,000 brackets jsonata's
 * parser overflowed, quoting the whole text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { writeConfig } from './helpers/config.js';
import { json, startServer, type TestServer } from './helpers/server.js';

const nested = (depth: number, inner = 'price'): string => `${'('.repeat(depth)}${inner}${')'.repeat(depth)}`;
const TOO_DEEP =
  'too deeply nested: more than 1000 levels, the most an expression may have (write it with fewer nested brackets, or fewer operators in one chain: `carrier in ["LH", "BA"]` for a long `or`)';

let server: TestServer;
beforeAll(async () => {
  server = await startServer((_req, res) => json(res, { items: [{ title: 'fine', price: 10, currency: 'USD' }] }));
});
afterAll(() => server.close());

const shop = (price = 'price'): string => `
  - name: shop
    request: { url: "${server.url}/s?q={{query}}" }
    offers: items
    fields: { title: title, price: "${price}", currency: currency }`;

describe('an expression nested too deeply', () => {
  it.each([1000, 5000])('is a --where usage error at %i levels, said as such, and nothing is sent', async (depth) => {
    const before = server.requests.length;
    const out = await runCli(['search', 'x', '-c', writeConfig([shop()]), '--where', nested(depth)]);
    expect(out).toMatchObject({ code: 2, stdout: '', stderr: `agg: --where: ${TOO_DEEP}\n` });
    expect(server.requests.length).toBe(before);
  });

  it('is said of a long chain of operators too, which has no bracket to remove', async () => {
    const chain = `price < 0${' or title = "x"'.repeat(1_000)}`;
    const out = await runCli(['search', 'x', '-c', writeConfig([shop()]), '--where', chain]);
    expect(out).toMatchObject({ code: 2, stderr: `agg: --where: ${TOO_DEEP}\n` });
    expect(out.stderr).toContain('fewer operators in one chain');
  });

  it('is no error at 900 levels, well within the limit', async () => {
    const out = await runCli(['search', 'x', '-c', writeConfig([shop()]), '--where', nested(900), '--json']);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout).offers).toHaveLength(1);
  });

  it.each([1000, 5000])('is a sources file error at the field at %i levels', async (depth) => {
    const file = writeConfig([shop(nested(depth))]);
    const out = await runCli(['sources', '-c', file]);
    expect(out.code).toBe(2);
    expect(out.stderr).toBe(`agg: ${file}:7:36: sources[0].fields.price: ${TOO_DEEP}\n`);
  });

  it('in a template too', async () => {
    const file = writeConfig([shop().replace('{{query}}', `{{ ${nested(1000, 'query')} }}`)]);
    const out = await runCli(['sources', '-c', file]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(
      new RegExp(`sources\\[0\\]\\.request\\.url: ${TOO_DEEP.replace(/[()[\]]/g, '\\$&')}\\n$`),
    );
  });
});
