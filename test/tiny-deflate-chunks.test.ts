/**
 * A raw deflate body (no zlib header: old IIS, some PHP) is held whole and inflated at its end
 * (src/scatter/raw-deflate.ts). Sent one byte per HTTP chunk, it was held as one Buffer per byte, some
 * 150 bytes of memory each: 5 MiB of it took 750 MB. Its small chunks are joined as they come.
 */
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from './helpers/bin.js';
import { type ChunkedServer, oneBytePieces, startChunkedServer } from './helpers/chunked.js';
import { source, writeConfig } from './helpers/config.js';

let server: ChunkedServer;
let url = '';
beforeAll(async () => {
  const json = `{"items":[{"title":"t","price":1,"currency":"USD"}],"pad":"${'x'.repeat(1536 * 1024)}"}`;
  // Level 0 stores the bytes as they are: 1.5 MiB of raw deflate, a one-byte chunk each.
  const deflated = zlib.deflateRawSync(json, { level: 0 });
  server = await startChunkedServer(
    oneBytePieces(deflated),
    'content-type: application/json\r\ncontent-encoding: deflate\r\n',
  );
  url = server.url;
});
afterAll(() => server.close());

describe('a raw deflate body in one-byte chunks', () => {
  it('is held within a heap that holds it many times over, not the end of the process (exit 134)', async () => {
    const file = writeConfig([source('tiny', url)], 'currency: USD\ndefaults: { timeout: 30s, retries: 0 }');
    const out = await runBin(['search', 'x', '-c', file, '--json'], { NODE_OPTIONS: '--max-old-space-size=64' });
    expect(out.code, out.stderr.slice(0, 300)).toBe(0);
    expect(JSON.parse(out.stdout).sources).toMatchObject([{ name: 'tiny', status: 'ok', offers: 1 }]);
  }, 60_000);
});
