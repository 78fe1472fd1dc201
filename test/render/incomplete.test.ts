/** An `ok` source whose flow stopped early: how each renderer shows it. */
import { describe, expect, it } from 'vitest';
import { orderSource } from '../../src/render/json.js';
import { ndjsonSource } from '../../src/render/ndjson.js';
import { renderStatusRows, renderSummary } from '../../src/render/status.js';
import { isPartial, type SourceResult } from '../../src/types.js';
import { fixture } from './fixture.js';

const sky: SourceResult = {
  name: 'sky',
  status: 'ok',
  httpStatus: 200,
  ms: 4010,
  attempts: 9,
  offers: 12,
  incomplete: true,
  error: 'incomplete after 8 polls: time limit 4s passed: POST https://sky.example/poll/abc',
};
const list: SourceResult = { ...sky, name: 'list', error: 'kept 2 pages; page 3 failed: HTTP 500: GET https://x/3' };

describe('incomplete sources', () => {
  it('are listed among the status rows, as ok, saying what is missing', () => {
    expect(
      renderStatusRows([sky, list, { ...sky, name: 'done', incomplete: undefined, error: undefined }]),
    ).toMatchInlineSnapshot(`
      "  sky   ok         incomplete after 8 polls: time limit 4s passed: POST https://sky.example/poll/abc
        list  ok         incomplete: kept 2 pages; page 3 failed: HTTP 500: GET https://x/3
      "
    `);
  });

  it('are counted with ok in the summary', () => {
    const result = { ...fixture(), sources: [sky, { ...sky, name: 'b', incomplete: undefined }] };
    expect(renderSummary(result)).toBe('2 sources · 2 ok (1 incomplete) · 5 offers · 1.84s\n');
  });

  it('carry `incomplete: true` right after the status in JSON and NDJSON', () => {
    expect(Object.keys(JSON.parse(JSON.stringify(orderSource(sky))))).toEqual([
      'name',
      'status',
      'incomplete',
      'httpStatus',
      'ms',
      'attempts',
      'offers',
      'error',
    ]);
    expect(JSON.parse(ndjsonSource(sky))).toMatchObject({ type: 'source', status: 'ok', incomplete: true });
  });

  it('make a result partial without being failures', () => {
    expect(isPartial(sky)).toBe(true);
    expect(isPartial({ status: 'ok' })).toBe(false);
    expect(isPartial({ status: 'cancelled' })).toBe(false);
    expect(isPartial({ status: 'timeout' })).toBe(true);
  });
});
