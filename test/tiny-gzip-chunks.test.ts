/**
 * A gzip body sent one byte per HTTP chunk: undici reads faster than decompression takes the bytes,
 * so keep-reading.ts holds hundreds of thousands of chunks for it. Handing them on took an array's
 * shift() each, which moves every chunk behind it: this 1 MiB one was a `timeout` at its 20 s limit,
 * and the run ended after 35 s. A queue hands each on at once (src/scatter/chunk-queue.ts): about 2 s.
 */
import net from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from './helpers/bin.js';
import { source, writeConfig } from './helpers/config.js';

let server: net.Server;
let url = '';
beforeAll(async () => {
  const json = `{"items":[{"title":"t","price":1,"currency":"USD"}],"pad":"${'x'.repeat(1024 * 1024)}"}`;
  // Level 0 stores the bytes as they are: 1 MiB of gzip, a million one-byte chunks, 6 MB on the wire.
  const gzip = zlib.gzipSync(json, { level: 0 });
  const parts = [
    'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-encoding: gzip\r\n' +
      'transfer-encoding: chunked\r\nconnection: close\r\n\r\n',
  ];
  for (const byte of gzip) parts.push(`1\r\n${String.fromCharCode(byte)}\r\n`);
  parts.push('0\r\n\r\n');
  const wire = Buffer.from(parts.join(''), 'latin1');
  server = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', () => socket.end(wire));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('a gzip body in one-byte chunks', () => {
  it('is read well within its time limit', async () => {
    const file = writeConfig([source('tiny', url)], 'currency: USD\ndefaults: { timeout: 20s, retries: 0 }');
    const out = await runBin(['search', 'x', '-c', file, '--json']);
    expect(JSON.parse(out.stdout).sources).toMatchObject([{ name: 'tiny', status: 'ok', offers: 1 }]);
  }, 60_000);
});
