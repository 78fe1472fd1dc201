/**
 * A gzip body sent one byte per HTTP chunk: undici reads faster than decompression takes the bytes,
 * so keep-reading.ts holds hundreds of thousands of chunks for it. Handing them on took an array's
 * shift() each, which moves every chunk behind it: this 1 MiB one was a `timeout` at its 20 s limit,
 * and the run ended after 35 s. A queue hands each on at once (src/scatter/chunk-queue.ts): about 2 s.
 */
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from './helpers/bin.js';
import { type ChunkedServer, oneBytePieces, startChunkedServer } from './helpers/chunked.js';
import { source, writeConfig } from './helpers/config.js';

let server: ChunkedServer;
let url = '';
beforeAll(async () => {
  const json = `{"items":[{"title":"t","price":1,"currency":"USD"}],"pad":"${'x'.repeat(1024 * 1024)}"}`;
  // Level 0 stores the bytes as they are: 1 MiB of gzip, a million one-byte chunks, 6 MB on the wire.
  const gzip = zlib.gzipSync(json, { level: 0 });
  server = await startChunkedServer(
    oneBytePieces(gzip),
    'content-type: application/json\r\ncontent-encoding: gzip\r\n',
  );
  url = server.url;
});
afterAll(() => server.close());

describe('a gzip body in one-byte chunks', () => {
  it('is read well within its time limit', async () => {
    const file = writeConfig([source('tiny', url)], 'currency: USD\ndefaults: { timeout: 20s, retries: 0 }');
    const out = await runBin(['search', 'x', '-c', file, '--json']);
    expect(JSON.parse(out.stdout).sources).toMatchObject([{ name: 'tiny', status: 'ok', offers: 1 }]);
  }, 60_000);
});
