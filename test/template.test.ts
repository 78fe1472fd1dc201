import { describe, expect, it } from 'vitest';
import {
  compileBody,
  compileText,
  MissingParamError,
  renderBody,
  renderText,
  templateParams,
} from '../src/scatter/template.js';

describe('templates', () => {
  it('percent-encodes values in a URL so a query cannot add parameters', async () => {
    const t = compileText('http://x.test/s?q={{query}}&limit=5', 'request.url');
    const url = await renderText(t, { query: 'a&admin=1#x' }, encodeURIComponent);
    expect(url).toBe('http://x.test/s?q=a%26admin%3D1%23x&limit=5');
    expect(new URL(url).searchParams.get('admin')).toBeNull();
  });

  it('evaluates JSONata over the params', async () => {
    const t = compileText('{{ $join($reverse($split(date, "-")), "/") }}', 'request.url');
    expect(await renderText(t, { date: '2026-12-20' })).toBe('20/12/2026');
  });

  it('reads the params as $params too, as until and next do, beside $response in a poll template', async () => {
    const t = compileText('http://x.test/p/{{ $response.id }}?q={{ $params.query }}', 'poll.request.url');
    expect(await renderText(t, { query: 'sony' }, encodeURIComponent, { response: { id: 'abc' } })).toBe(
      'http://x.test/p/abc?q=sony',
    );
    expect(await renderText(compileText('{{ $params.query }}', 'request.url'), { query: 'x' })).toBe('x');
  });

  it('refuses a dashed param name, which JSONata reads as a subtraction, and keeps a spaced one', () => {
    const said =
      '{{return-date}} reads as return minus date: a param name has letters, digits and _ only (return_date); to subtract, put spaces around the -';
    expect(() => compileText('http://x.test/s?back={{return-date}}', 'request.url')).toThrow(said);
    expect(() => compileBody({ back: '{{ return-date }}' }, 'request.body')).toThrow(said);
    expect(() => compileText('{{ max - min }}', 'request.url')).not.toThrow();
  });

  it('keeps the JSON type of a body value that is exactly one expression', async () => {
    const body = compileBody(
      { data: { origin: '{{from}}', max: '{{ 2 }}', note: 'to {{to}}', on: true } },
      'request.body',
    );
    expect(await renderBody(body, { from: 'JFK', to: 'LHR' })).toEqual({
      data: { origin: 'JFK', max: 2, note: 'to LHR', on: true },
    });
  });

  it('names the missing param instead of sending "undefined"', async () => {
    const t = compileText('http://x.test/s?from={{from}}&to={{to}}', 'request.url');
    const err = await renderText(t, { from: 'JFK' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingParamError);
    expect((err as Error).message).toBe('missing param: to');
  });

  it('keeps a __proto__ key in a body as data', async () => {
    const body = compileBody(JSON.parse('{"__proto__": {"polluted": "{{query}}"}}'), 'request.body');
    const out = (await renderBody(body, { query: 'x' })) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('template edge cases', () => {
  it('lists every param a template reads, so the plan skips a source that lacks any', () => {
    const url = compileText("x?f={{ $uppercase(from) & '-' & to }}&max={{ $lookup($, 'max') }}", 'request.url');
    const body = compileBody({ data: [{ d: '{{ date }}' }, 'on {{ ($v := day; $v) }}'] }, 'request.body');
    expect(templateParams(url, body)).toEqual(['from', 'to', 'date', 'day']);
  });

  it('lists a param read as $params.name as one read by name, and $lookup($params, …) as optional', () => {
    const url = compileText("x?f={{ $params.from & '-' & $params.to }}&m={{ $lookup($params, 'max') }}", 'request.url');
    expect(templateParams(url)).toEqual(['from', 'to']);
  });

  it('lets a template read an optional param through $lookup', async () => {
    const t = compileText('x?max={{ $lookup($, "max") ? $lookup($, "max") : 50 }}', 'request.url');
    expect(await renderText(t, {})).toBe('x?max=50');
    expect(await renderText(t, { max: '7' })).toBe('x?max=7');
  });

  it('rejects an unclosed {{ at load time instead of sending it', () => {
    expect(() => compileText('http://x.test/?q={{query}', 'request.url')).toThrow(/unclosed \{\{/);
    expect(() => compileBody({ q: '{{ query' }, 'request.body')).toThrow(/unclosed \{\{/);
    // An empty one is not unclosed: it says what it is.
    for (const empty of ['http://x.test/?q={{}}', 'http://x.test/?q={{ }}&r={{query}}'])
      expect(() => compileText(empty, 'request.url')).toThrow(`empty {{ }} in ${JSON.stringify(empty)}`);
    expect(() => compileBody({ q: '{{ }}' }, 'request.body')).toThrow('empty {{ }} in "{{ }}"');
  });
});
