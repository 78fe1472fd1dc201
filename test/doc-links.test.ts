/**
 * Every relative link in README.md and docs/*.md leads somewhere: to a file that exists and, with a
 * #fragment, to a heading of that file, as GitHub makes its anchors. The README's detail moved to docs/,
 * and a link to a heading that moved or was renamed lands at the top of a page, silently.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PAGES = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** The text outside fenced code blocks: a YAML comment in one is no heading, a `](` in one no link. */
const prose = (markdown: string): string => markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');

/** GitHub's anchor for a heading: lowercase, spaces to '-', punctuation dropped (github-slugger). */
const slug = (heading: string): string =>
  heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');

/** Every anchor a page has; a repeated heading gets -1, -2, … as on GitHub. */
const anchors = (markdown: string): Set<string> => {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const [, text] of prose(markdown).matchAll(/^#{1,6} +(.+?) *#* *$/gm)) {
    const base = slug(text as string);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    out.add(count === 0 ? base : `${base}-${count}`);
  }
  return out;
};

/** The targets of the page's inline links, leaving out code spans, where `[a](b)` is no link. */
const links = (markdown: string): string[] =>
  [
    ...prose(markdown)
      .replace(/(`+)[\s\S]*?\1/g, '')
      .matchAll(/\]\(([^)\s]+)(?: "[^"]*")?\)/g),
  ].map(([, target]) => target as string);

describe('links in README.md and docs/*.md', () => {
  it('slugs headings as GitHub does', () => {
    expect(slug('Flows: OAuth2, create-then-poll, pages')).toBe('flows-oauth2-create-then-poll-pages');
    expect(slug('Filtering with --where')).toBe('filtering-with---where');
    expect(slug('`request.query`')).toBe('requestquery');
    expect(slug('Terminal links (OSC 8)')).toBe('terminal-links-osc-8');
  });

  it('every relative link names a file that exists, and a heading in it', () => {
    const broken: string[] = [];
    let checked = 0;
    for (const page of PAGES) {
      for (const target of links(readFileSync(join(ROOT, page), 'utf8'))) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:: not ours to check
        checked++;
        const [path = '', fragment] = target.split('#');
        const file = path === '' ? join(ROOT, page) : join(ROOT, dirname(page), decodeURIComponent(path));
        if (!existsSync(file)) {
          broken.push(`${page}: ${target}: no file ${relative(ROOT, file)}`);
        } else if (fragment !== undefined && !anchors(readFileSync(file, 'utf8')).has(fragment)) {
          broken.push(`${page}: ${target}: no heading #${fragment} in ${relative(ROOT, file)}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(40);
    expect(broken).toEqual([]);
  });
});
