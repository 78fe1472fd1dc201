import { describe, expect, it } from 'vitest';
import { render, renderCsv, renderJson, renderNdjson, renderTable } from '../../src/render/index.js';
import { fixture } from './fixture.js';

describe('render', () => {
  it('dispatches on format', () => {
    const r = fixture();
    const opts = { color: false };
    expect(render(r, 'table', opts)).toBe(renderTable(r, opts));
    expect(render(r, 'json', opts)).toBe(renderJson(r));
    expect(render(r, 'csv', opts)).toBe(renderCsv(r));
    expect(render(r, 'ndjson', opts)).toBe(renderNdjson(r));
  });
});
