import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { source, writeConfig } from './helpers/config.js';
import { startServer, type TestServer } from './helpers/server.js';

// The vendor's own price beside the one converted into the ranking currency (docs/output.md, Table).
let server: TestServer;
let file: string;

const items = {
  uk: [{ title: 'Sony WH-CH720N Certified Refurbished', price: 110.98, currency: 'GBP', condition: 'Refurbished' }],
  us: [{ title: 'Sony WH-CH720N Wireless', price: 146.99, currency: 'USD', condition: 'New' }],
  world: [
    { title: 'Sony WF-1000XM5 earbuds', price: 20000, currency: 'JPY', condition: 'New' },
    { title: 'Sony MDR-7506 studio', price: 40.125, currency: 'KWD', condition: 'Used' },
    { title: 'Sony token sale', price: 12.5, currency: 'XYZ', condition: 'New' },
    // No rate for it: not converted, starred, and blank under `original`.
    { title: 'Sony mystery box', price: 9, currency: 'ZAR', condition: 'New' },
  ],
};

beforeAll(async () => {
  server = await startServer((req, res) => {
    const name = (req.url ?? '').slice(1) as keyof typeof items;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ items: items[name] ?? [] }));
  });
  const withCondition = '\n      condition: condition';
  file = writeConfig(
    ['uk', 'us', 'world'].map((name) => source(name, `${server.url}/${name}`, withCondition)),
    'currency: USD\nrates: { GBP: 1.27, JPY: 0.0067, KWD: 3.25, XYZ: 0.5 }',
  );
});
afterAll(() => server.close());

const search = (args: string[], opts: Parameters<typeof runCli>[1] = {}) =>
  runCli(['search', 'sony', '-c', file, '-q', ...args], { ...opts, env: { NO_COLOR: '1', ...opts.env } });
const header = (text: string) => text.split('\n').find((line) => line.includes('│ #')) ?? '';
const rowOf = (text: string, title: string) => text.split('\n').find((line) => line.includes(title)) ?? '';

describe('the original column', () => {
  it('shows what the vendor charges, in its own currency, right after the converted price', async () => {
    const out = await search(['--source', 'uk,us']);
    expect(out.code).toBe(0);
    expect(header(out.stdout)).toMatch(/│ +price │ original │ title +│ source +│ condition +│$/);
    expect(rowOf(out.stdout, 'Refurbished')).toMatch(
      /│ \$140\.94 │ +£110\.98 │ Sony WH-CH720N Certified Refurbished │/,
    );
    // Piped (NO_COLOR, no terminal) and in a terminal alike.
    const terminal = await search(['--source', 'uk,us'], { terminalColumns: 120 });
    expect(rowOf(terminal.stdout, 'Refurbished')).toContain('│  £110.98 │');
  });

  it('leaves the cell blank for an offer that was not converted', async () => {
    const out = await search([]);
    // Already in the ranking currency.
    expect(rowOf(out.stdout, 'Wireless')).toMatch(/\$146\.99 {3}│ +│ Sony WH-CH720N Wireless/);
    // No rate for its currency: its price stays its own, starred, and says it once.
    expect(rowOf(out.stdout, 'mystery')).toMatch(/│ ZAR\s9\.00 \* │ +│ Sony mystery box/);
  });

  it('writes each currency to its own minor units, as the price column does', async () => {
    // Intl writes a code and its amount apart with a no-break space (U+00A0), which `\s` matches.
    const out = await search([]);
    expect(rowOf(out.stdout, 'earbuds')).toMatch(/│ +¥20,000 │ Sony/);
    expect(rowOf(out.stdout, 'studio')).toMatch(/│ KWD\s40\.125 │ Sony/);
    // A code Intl does not know is written as the price column writes it: Intl's `XYZ 12.50`.
    expect(rowOf(out.stdout, 'token')).toMatch(/│ +XYZ\s12\.50 │ Sony/);
  });

  it('is not there when no offer was converted', async () => {
    const out = await search(['--source', 'us']);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('Sony WH-CH720N Wireless');
    expect(header(out.stdout)).not.toContain('original');
    const narrow = await search(['--source', 'us'], { terminalColumns: 40 });
    expect(narrow.stdout).not.toContain('original');
  });

  it('is the first column to go in a narrow terminal, and is named under the table', async () => {
    // Wide enough for every column but the original price: the extra stays, and the title keeps its room.
    const out = await search(['--source', 'uk,us'], { terminalColumns: 72 });
    expect(header(out.stdout)).toMatch(/│ +price │ title +│ source +│ condition +│$/);
    expect(out.stdout).toContain('\n1 column hidden for width: original (see --json)\n');
    for (const line of out.stdout.trimEnd().split('\n')) expect([...line].length).toBeLessThanOrEqual(72);
    // JSON keeps it whatever the width.
    const json = JSON.parse((await search(['--source', 'uk,us', '--json'], { terminalColumns: 72 })).stdout);
    expect(json.offers[0]).toMatchObject({ originalPrice: 110.98, originalCurrency: 'GBP' });
  });
});
