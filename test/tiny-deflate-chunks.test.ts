/**
 * A raw deflate body (no zlib header: old IIS, some PHP) is held whole and inflated at its end
 * (src/scatter/raw-deflate.ts). Sent one byte per HTTP chunk, it was held as one Buffer per byte, some
 * 150 bytes of memory each: 5 MiB of it took 750 MB. Its small chunks are joined as they come.
 */
import net from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from './helpers/bin.js';
import { source, writeConfig } from './helpers/config.js';

let server: net.Server;
let url = '';
beforeAll(async () => {
  const json = `{"items":[{"title":"t","price":1,"currency":"USD"}],"pad":"${'x'.repeat(1536 * 1024)}"}`;
  // Level 0 stores the bytes as they are: 1.5 MiB of raw deflate, a one-byte chunk each.
  const deflated = zlib.deflateRawSync(json, { level: 0 });
  const parts = [
    'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-encoding: deflate\r\n' +
      'transfer-encoding: chunked\r\nconnection: close\r\n\r\n',
  ];
  for (const byte of deflated) parts.push(`1\r\n${String.fromCharCode(byte)}\r\n`);
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

describe('a raw deflate body in one-byte chunks', () => {
  it('is held within a heap that holds it many times over, not the end of the process (exit 134)', async () => {
    const file = writeConfig([source('tiny', url)], 'currency: USD\ndefaults: { timeout: 30s, retries: 0 }');
    const out = await runBin(['search', 'x', '-c', file, '--json'], { NODE_OPTIONS: '--max-old-space-size=64' });
    expect(out.code, out.stderr.slice(0, 300)).toBe(0);
    expect(JSON.parse(out.stdout).sources).toMatchObject([{ name: 'tiny', status: 'ok', offers: 1 }]);
  }, 60_000);
});
