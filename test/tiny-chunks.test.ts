/**
 * A body framed one byte per HTTP chunk (`1\r\n \r\n`) costs agg what its bytes cost, not 40 bytes of heap
 * per byte: its chunks are joined before they are decoded (src/scatter/coalesce.ts).
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from './helpers/bin.js';
import { source, writeConfig } from './helpers/config.js';

/** 3 MiB of padding, one byte per chunk: 18 MB on the wire. */
const PADDING = 3 * 1024 * 1024;

let server: net.Server;
let url = '';
beforeAll(async () => {
  const body = ['{"items":[{"title":"t","price":1,"currency":"USD"}]', ...' '.repeat(PADDING), '}'];
  const wire = Buffer.from(
    'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n' +
      body.map((piece) => `${Buffer.byteLength(piece).toString(16)}\r\n${piece}\r\n`).join('') +
      '0\r\n\r\n',
  );
  server = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', () => socket.end(wire));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('a body in one-byte chunks', () => {
  it('is read within a heap that holds it several times over, not the end of the process (exit 134)', async () => {
    const file = writeConfig([source('tiny', url)], 'currency: USD\ndefaults: { timeout: 30s, retries: 0 }');
    // Before, its 3 MiB took about 120 MB of heap as one-byte Buffers and string pieces.
    const out = await runBin(['search', 'x', '-c', file, '--json'], { NODE_OPTIONS: '--max-old-space-size=64' });
    expect(out.code, out.stderr.slice(0, 300)).toBe(0);
    expect(JSON.parse(out.stdout).sources).toMatchObject([{ name: 'tiny', status: 'ok', offers: 1 }]);
  }, 60_000);
});
