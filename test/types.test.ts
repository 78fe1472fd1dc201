/**
 * The built declarations (dist/index.d.ts) as a library caller's strictest TypeScript sees them:
 * test/types/consumer.ts, with exactOptionalPropertyTypes, where `{ connections: config.connections }`
 * (a number or undefined) must be accepted by an option declared optional. Needs `npm run build`
 * (npm test's pretest does it).
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const project = fileURLToPath(new URL('./types/tsconfig.json', import.meta.url));

describe('the library’s declarations', () => {
  it('type-check a caller’s code under exactOptionalPropertyTypes', async () => {
    const out = await new Promise<{ code: number; text: string }>((resolve) => {
      execFile(process.execPath, [tsc, '-p', project], (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, text: stdout + stderr }),
      );
    });
    expect(out.text).toBe('');
    expect(out.code).toBe(0);
  }, 60_000);
});
