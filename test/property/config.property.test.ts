/**
 * Property: whatever bytes the sources file holds, loading it ends in a Config or a ConfigError
 * (exit 2) with a message: never another exception, never a stack trace, never a hang. Most runs
 * are in-process; a few go through the built bin, as a user would meet them.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/index.js';
import { ConfigError, EXIT } from '../../src/errors.js';
import { comparable } from '../config/helpers.js';
import { runBin } from '../helpers/bin.js';
import { FRAGMENTS, TERMINAL_ACTIVE } from '../helpers/hostile.js';

const EXAMPLE = readFileSync(fileURLToPath(new URL('../../sources.example.yaml', import.meta.url)), 'utf8');

const YAML_TOKENS = [
  'sources:',
  '\n',
  '\n  ',
  '\n    ',
  '- ',
  'name: a',
  'request:',
  'url: http://x.test/{{query}}',
  'offers: items',
  'fields: {title: t, price: p}',
  '&a ',
  '*a',
  '<<: *a',
  '!!binary ',
  '!!js/function ',
  '? ',
  ': ',
  '{',
  '}',
  '[',
  ']',
  '"',
  "'",
  '|',
  '>',
  '#',
  '---\n',
  '...\n',
  '${HOME}',
  '${',
  '$${',
  '__proto__: x',
  'constructor: {prototype: 1}',
  '\t',
  '%YAML 1.2\n',
] as const;

/** Raw bytes, YAML-shaped token soup, and the example file with random edits. */
const sourcesText = fc.oneof(
  fc.uint8Array({ maxLength: 1000 }).map((bytes) => Buffer.from(bytes).toString('utf8')),
  fc.array(fc.constantFrom(...YAML_TOKENS, ...FRAGMENTS), { maxLength: 60 }).map((t) => t.join('')),
  fc
    .array(
      fc.tuple(
        fc.nat(EXAMPLE.length),
        fc.nat(40),
        fc.constantFrom(...YAML_TOKENS, ...FRAGMENTS, '', '\u0000', '\ufeff'),
      ),
      { minLength: 1, maxLength: 4 },
    )
    .map((edits) =>
      edits.reduce((text, [at, cut, insert]) => text.slice(0, at) + insert + text.slice(at + cut), EXAMPLE),
    ),
);

/** What a ConfigError must look like: exit 2, something to read, no stack frames. */
function expectUsable(err: unknown): void {
  expect(err).toBeInstanceOf(ConfigError);
  expect((err as ConfigError).exitCode).toBe(EXIT.usage);
  expect((err as ConfigError).message.trim()).not.toBe('');
  expect((err as ConfigError).message).not.toMatch(/^\s+at /m);
}

const agg = (args: string[]) => runBin(args);

describe('the config loader, for any bytes', () => {
  it('loads or throws a located ConfigError, quickly', () => {
    let slowest = 0;
    fc.assert(
      fc.property(sourcesText, (text) => {
        const started = performance.now();
        try {
          loadConfigText(text, 'sources.yaml', {});
        } catch (err) {
          expectUsable(err);
        }
        slowest = Math.max(slowest, performance.now() - started);
      }),
      { numRuns: 400 },
    );
    // Inputs here are under 12 KB; a run that took seconds would be a hang in the making.
    expect(slowest).toBeLessThan(2000);
  });

  it('with the config cache: the same Config or the same error on the first load and from the cache', () => {
    const cache = { dir: path.join(mkdtempSync(path.join(os.tmpdir(), 'agg-prop-cache-')), 'agg'), version: 'p' };
    const env = { HOME: '/home/p' };
    const outcome = (text: string, options = {}): string => {
      try {
        return comparable(loadConfigText(text, 'sources.yaml', env, options));
      } catch (err) {
        return `error: ${(err as Error).message}`;
      }
    };
    let loaded = 0;
    fc.assert(
      fc.property(sourcesText, (text) => {
        const direct = outcome(text);
        if (!direct.startsWith('error:')) loaded++;
        expect(outcome(text, { cache })).toBe(direct);
        expect(outcome(text, { cache })).toBe(direct);
      }),
      { numRuns: 200 },
    );
    // The property means little unless some of the texts load (and are then served from the cache).
    expect(loaded).toBeGreaterThan(0);
  });

  it('refuses alias bombs, deep nesting and huge files with a message', () => {
    let bomb = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 12; i++)
      bomb += `a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]\n`;
    const cases = {
      bomb: [`${bomb}sources: *a11\n`, /resource exhaustion/],
      flow: [`sources: ${'['.repeat(20_000)}${']'.repeat(20_000)}`, /nested too deeply/],
      block: [`sources:\n${Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i + 1)}- `).join('\n')}x`, /./],
      huge: [`sources:\n${'  - name: x\n'.repeat(400_000)}`, /is larger than 4 MiB/],
    } as const;
    for (const [text, message] of Object.values(cases)) {
      const err = (() => {
        try {
          loadConfigText(text, 'sources.yaml', {});
        } catch (e) {
          return e;
        }
      })();
      expectUsable(err);
      expect((err as Error).message).toMatch(message);
    }
  });

  it('through the bin: exit 0 or 2, a message, no stack trace, nothing a terminal would act on', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'agg-fuzz-'));
    await fc.assert(
      fc.asyncProperty(sourcesText, async (text) => {
        const file = path.join(dir, 'sources.yaml');
        writeFileSync(file, text);
        const out = await agg(['sources', '-c', file]);
        expect([0, 2]).toContain(out.code);
        if (out.code === 2) expect(out.stderr).toMatch(/^agg: \S/);
        expect(out.stderr).not.toMatch(/^\s+at /m);
        expect(out.stdout + out.stderr).not.toMatch(TERMINAL_ACTIVE);
      }),
      { numRuns: 6 },
    );
    // A huge file is refused after reading just past the limit, not parsed.
    const huge = path.join(dir, 'huge.yaml');
    writeFileSync(huge, `sources:\n${'  - name: x\n'.repeat(400_000)}`);
    const out = await agg(['sources', '-c', huge]);
    expect(out).toMatchObject({
      code: 2,
      stderr: `agg: ${huge}: is larger than 4 MiB, the most a sources file may be\n`,
    });
  });
});
