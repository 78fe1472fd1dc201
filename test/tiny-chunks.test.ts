/**
 * A body framed one byte per HTTP chunk (`1\r\n \r\n`) costs agg what its bytes cost, not 40 bytes of heap
 * per byte: its chunks are joined before they are decoded (src/scatter/coalesce.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from './helpers/bin.js';
import { type ChunkedServer, startChunkedServer } from './helpers/chunked.js';
import { source, writeConfig } from './helpers/config.js';

/** 3 MiB of padding, one byte per chunk: 18 MB on the wire. */
const PADDING = 3 * 1024 * 1024;

let server: ChunkedServer;
let url = '';
beforeAll(async () => {
  const body = ['{"items":[{"title":"t","price":1,"currency":"USD"}]', ...' '.repeat(PADDING), '}'];
  server = await startChunkedServer(body, 'content-type: application/json\r\n');
  url = server.url;
});
afterAll(() => server.close());

describe('a body in one-byte chunks', () => {
  it('is read within a heap that holds it several times over, not the end of the process (exit 134)', async () => {
    const file = writeConfig([source('tiny', url)], 'currency: USD\ndefaults: { timeout: 30s, retries: 0 }');
    // Before, its 3 MiB took about 120 MB of heap as one-byte Buffers and string pieces.
    const out = await runBin(['search', 'x', '-c', file, '--json'], { NODE_OPTIONS: '--max-old-space-size=64' });
    expect(out.code, out.stderr.slice(0, 300)).toBe(0);
    expect(JSON.parse(out.stdout).sources).toMatchObject([{ name: 'tiny', status: 'ok', offers: 1 }]);
  }, 60_000);
});
