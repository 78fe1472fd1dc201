/**
 * Property: a query term is a value, never syntax. Whatever the user types (or a script passes),
 * the URL keeps its origin, path, parameter names and lack of fragment, and the JSON body keeps
 * its shape; a value that cannot be sent safely (`..` in a path) is refused, never sent.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeUrlValue } from '../../src/scatter/request.js';
import { compileBody, compileText, renderBody, renderText } from '../../src/scatter/template.js';
import { hostileString } from '../helpers/hostile.js';

const ORIGIN = 'https://api.example.test';
const wellFormed = (s: string): string =>
  s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

/** Renders `template` as buildRequest does; `undefined` when the value was refused. */
async function renderUrl(template: string, params: Record<string, string>): Promise<URL | undefined> {
  try {
    return new URL(await renderText(compileText(template, 'request.url'), params, encodeUrlValue));
  } catch (err) {
    expect((err as Error).message).toMatch(/^request\.url: a value in a URL's path may not be "\.\.?"/);
    expect(Object.values(params).some((v) => v === '.' || v === '..')).toBe(true);
    return undefined;
  }
}

const query = fc.oneof(hostileString, fc.constantFrom('.', '..', '%2e%2e', '../admin', 'a/../../b', '?x=1#y'));

describe('templates, for any query text', () => {
  it('keep a query-string URL’s origin, path and parameter names, with no fragment', async () => {
    await fc.assert(
      fc.asyncProperty(query, query, async (q, to) => {
        const url = await renderUrl(`${ORIGIN}/v1/search?q={{query}}&to={{to}}&limit=5`, { query: q, to });
        if (!url) return;
        expect(url.origin).toBe(ORIGIN);
        expect(url.pathname).toBe('/v1/search');
        expect([...url.searchParams.keys()]).toEqual(['q', 'to', 'limit']);
        expect(url.searchParams.get('q')).toBe(wellFormed(q));
        expect(url.searchParams.get('to')).toBe(wellFormed(to));
        expect(url.hash).toBe('');
      }),
      { numRuns: 500 },
    );
  });

  it('keep a path-segment URL’s segments: a value cannot climb, add or split them', async () => {
    await fc.assert(
      fc.asyncProperty(query, async (q) => {
        const url = await renderUrl(`${ORIGIN}/v1/items/{{query}}/offers?page=1`, { query: q });
        if (!url) return;
        const segments = url.pathname.split('/');
        expect(segments).toHaveLength(5);
        expect([segments[1], segments[2], segments[4]]).toEqual(['v1', 'items', 'offers']);
        expect(decodeURIComponent(segments[3] ?? '')).toBe(wellFormed(q));
        expect([...url.searchParams.keys()]).toEqual(['page']);
        expect(url.hash).toBe('');
      }),
      { numRuns: 500 },
    );
  });

  it('keep a JSON body’s keys, nesting and types; values land where the template put them', async () => {
    const template = compileBody(
      JSON.parse(
        '{"q":"{{query}}","note":"to {{to}}!","list":["{{query}}",2,true],"nested":{"deeper":{"v":"{{ query }}"}},"__proto__":{"x":"{{to}}"}}',
      ),
      'request.body',
    );
    await fc.assert(
      fc.asyncProperty(query, query, async (q, to) => {
        // JSON.stringify writes a lone surrogate as `\ud800`, so even that value arrives as it was.
        const sent = JSON.parse(JSON.stringify(await renderBody(template, { query: q, to })));
        expect(Object.keys(sent)).toEqual(['q', 'note', 'list', 'nested', '__proto__']);
        expect(Object.getPrototypeOf(sent)).toBe(Object.prototype);
        expect(sent.q).toBe(q);
        expect(sent.note).toBe(`to ${to}!`);
        expect(sent.list).toEqual([q, 2, true]);
        expect(sent.nested).toEqual({ deeper: { v: q } });
        expect(Object.getOwnPropertyDescriptor(sent, '__proto__')?.value).toEqual({ x: to });
      }),
      { numRuns: 500 },
    );
  });
});
