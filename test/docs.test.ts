/** docs/vendors.md: every worked config on the page loads, validates and compiles. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../src/config/index.js';

const PAGE = readFileSync(new URL('../docs/vendors.md', import.meta.url), 'utf8');
const blocks = [...PAGE.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] as string);

describe('docs/vendors.md', () => {
  it('has a config for each of the seven vendors, and each one loads', () => {
    const text = `sources:\n${blocks.map((b) => b.trimEnd().replace(/^/gm, '  ')).join('\n')}\n`;
    const env = new Proxy({} as Record<string, string>, { get: (_t, name) => `test-${String(name).toLowerCase()}` });
    const config = loadConfigText(text, 'docs/vendors.md', env);
    expect(config.sources.map((s) => s.name)).toEqual([
      'amadeus',
      'duffel',
      'kiwi',
      'skyscanner',
      'ebay',
      'bestbuy',
      'etsy',
    ]);
    const flows = Object.fromEntries(
      config.sources.map((s) => [
        s.name,
        [s.oauth2 ? 'oauth2' : '', s.poll ? 'poll' : '', s.next ? 'next' : ''].join(''),
      ]),
    );
    expect(flows).toEqual({
      amadeus: 'oauth2',
      duffel: '',
      kiwi: '',
      skyscanner: 'poll',
      ebay: 'oauth2next',
      bestbuy: 'next',
      etsy: 'next',
    });
  });
});
