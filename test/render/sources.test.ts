/** `agg sources` as a table: every column when there is room, and never wider than the terminal. */
import Table from 'cli-table3';
import { describe, expect, it, vi } from 'vitest';
import { loadConfigText } from '../../src/config/load.js';
import { renderSources } from '../../src/render/sources.js';
import { headerCells } from './fixture.js';

const config = loadConfigText(
  `
sources:
  - name: a-vendor-with-a-rather-long-name
    tags: [products, uk]
    requires: [query]
    request: { url: "https://api.some-very-long-vendor-hostname.example/v1/search?q={{query}}" }
    offers: items
    fields: { title: title, price: price }
  - name: fly
    tags: [flights]
    requires: [from, to, date]
    timeout: 8s
    request: { url: "https://fly.example/s" }
    poll: { until: "done", request: { url: "https://fly.example/p" }, maxAttempts: 4 }
    offers: items
    fields: { title: title, price: price }
`,
  'sources.yaml',
  {},
);

const lines = (text: string): string[] => text.trimEnd().split('\n');

describe('renderSources', () => {
  it('shows every column without a width (piped) or with room for it', () => {
    const all = ['name', 'tags', 'method', 'host', 'requires', 'timeout', 'flow', 'p50', 'p95'];
    expect(headerCells(renderSources(config, { json: false }))).toEqual(all);
    expect(headerCells(renderSources(config, { json: false, width: 300 }))).toEqual(all);
  });

  // 155: only `method` is given up, which tells the first of the order from the next.
  it.each([155, 120, 100, 80, 60, 40, 24])(
    'fits a %i-column terminal, giving up the plainest columns first',
    (width) => {
      const text = renderSources(config, { json: false, width });
      for (const line of lines(text)) expect(line.length).toBeLessThanOrEqual(width);
      const kept = headerCells(text);
      expect(kept.slice(0, 1)).toEqual(['name']);
      expect(kept).toContain('host');
      // Whatever is dropped goes in this order: what the file says plainly, before what agg measured.
      const order = ['method', 'timeout', 'flow', 'tags', 'p50', 'p95', 'requires'];
      const dropped = order.filter((c) => !kept.includes(c));
      expect(dropped).toEqual(order.slice(0, dropped.length));
      // And says so under the table, naming them in the table's order, as a search's table does.
      const note = lines(text).at(-1) ?? '';
      const heads = ['tags', 'method', 'requires', 'timeout', 'flow', 'p50', 'p95'].filter((c) => dropped.includes(c));
      // Narrow, it keeps the count and the hint (`7 columns hidden (see --json)`); at 24 columns even that is cut.
      expect(note.startsWith(`${dropped.length} column`)).toBe(true);
      if (note.includes('hidden for width') && !note.includes('…')) expect(note).toContain(heads.join(', '));
    },
  );

  it('cuts name and host with … once only they are left, the host first', () => {
    const text = renderSources(config, { json: false, width: 40 });
    expect(headerCells(text)).toEqual(['name', 'host']);
    expect(text).toContain('…');
    expect(text).toMatch(/│ fly\s+│ fly\.example\s+│/);
  });
});

describe('renderSources: what a row says', () => {
  const listed = loadConfigText(
    `
sources:
  - name: s
    tags: [shop, "\${AGG_T_KEY}"]
    requires: [query, "\${AGG_T_KEY}"]
    hedge: auto
    flowTimeout: 30s
    auth:
      oauth2: { tokenUrl: "https://id.example/token", clientId: a, clientSecret: b, cache: true }
    request: { url: "https://h.example/s?q={{query}}" }
    next: next
    offers: items
    fields: { title: title, price: price }
  - name: a-vendor-with-a-rather-long-name-indeed-yes
    hedge: 250ms
    auth:
      oauth2: { tokenUrl: "https://id.example/token", clientId: a, clientSecret: b }
    request: { url: "https://h.example/s?q={{query}}" }
    offers: items
    fields: { title: title, price: price }
`,
    'sources.yaml',
    { AGG_T_KEY: 'zzsecretzz' },
  );

  // Any string of the file may hold a `\${VAR}`: a tag or a param name is shown as *** too.
  it('hides a secret in tags and requires, in the table and in JSON', () => {
    const table = renderSources(listed, { json: false });
    const json = renderSources(listed, { json: true });
    for (const text of [table, json]) expect(text).not.toContain('zzsecretzz');
    expect(table).toMatch(/│ shop, \*\*\* +│/);
    expect(table).toMatch(/│ query, \*\*\* +│/);
    const rows = JSON.parse(json);
    expect(rows[0]).toMatchObject({ tags: ['shop', '***'], requires: ['query', '***'] });
  });

  it('gives the hedge and the flow: oauth2, cached or not, pages and the flow limit', () => {
    const rows = JSON.parse(renderSources(listed, { json: true }));
    expect(rows[0]).toMatchObject({ hedge: 'auto', flow: ['oauth2 (cached)', 'pages ≤5', 'flow 30s'] });
    expect(rows[1]).toMatchObject({ hedge: '250ms', flow: ['oauth2'] });
    expect(renderSources(listed, { json: false })).toContain('oauth2 (cached), pages ≤5, flow 30s');
  });

  // Name and host left: the host keeps its whole width when it is short, and the name has the rest.
  it('cuts a long name only as far as a short host leaves no room', () => {
    const text = renderSources(listed, { json: false, width: 40 });
    expect(headerCells(text)).toEqual(['name', 'host']);
    expect(text).toContain('│ a-vendor-with-a-rather-… │ h.example │');
    for (const line of lines(text)) expect(line.length).toBeLessThanOrEqual(40);
  });
});

describe('renderSources with many sources', () => {
  // Drawn in blocks of rows (cli-table3's layout is quadratic in rows): the text must be that of one table.
  const many = loadConfigText(
    `sources:\n${Array.from(
      { length: 250 },
      (_, i) =>
        `  - name: s${i}${i === 230 ? '-the-longest-name-of-all' : ''}\n` +
        `    request: { url: "https://h${i}.example/?q={{query}}" }\n    offers: items\n    fields: { title: t, price: p }\n`,
    ).join('')}`,
    'sources.yaml',
    {},
  );

  it.each([undefined, 60, 30])('is one table, every row ruled off, its widths set by all rows (width %s)', (width) => {
    const text = renderSources(many, { json: false, ...(width ? { width } : {}) });
    // The note under a narrowed table, which names what it left out, is no line of the table.
    const all = lines(text).filter((l) => !/^\d+ columns? hidden/.test(l));
    // Top border, header, then a rule before each of the 250 rows, and the bottom border.
    expect(all).toHaveLength(2 + 2 * 250 + 1);
    expect(all.filter((l) => l.startsWith('│ name '))).toHaveLength(1);
    expect(new Set(all.map((l) => l.length)).size).toBe(1);
    if (width) expect(all[0]?.length).toBeLessThanOrEqual(width);
    const names = all.filter((_, i) => i >= 3 && i % 2 === 1).map((l) => l.split('│')[1]?.trim());
    expect(names[0]).toBe('s0');
    expect(names[249]).toBe('s249');
    expect(new Set(all.filter((_, i) => i >= 2 && i % 2 === 0 && i < all.length - 1))).toEqual(new Set([all[2]]));
    if (width === undefined) expect(names[230]).toBe('s230-the-longest-name-of-all');
  });

  it.each([undefined, 60, 30])('draws each block of rows once, sizing the columns by measure (width %s)', (width) => {
    // Drawn once more only to size the columns, 4,000 sources took 3 s to list, Ctrl-C unheard.
    const draws = vi.spyOn(Table.prototype, 'toString');
    try {
      renderSources(many, { json: false, ...(width ? { width } : {}) });
      expect(draws).toHaveBeenCalledTimes(3);
    } finally {
      draws.mockRestore();
    }
  });
});
