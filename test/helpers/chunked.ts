/**
 * A vendor that frames its body in the HTTP chunks given: a raw socket, since node:http joins what one
 * write() hands it. For bodies sent one byte per chunk (`1\r\n \r\n`), which agg must not hold as one
 * Buffer per byte.
 */
import net from 'node:net';

export interface ChunkedServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves `pieces` (bytes as latin1 text: one character a byte) as the chunks of one 200 answer, with
 * `headers` (lines, each ending `\r\n`). Text, not a Buffer per piece: a million one-byte Buffers
 * would cost the test more than the body costs agg.
 */
export async function startChunkedServer(pieces: readonly string[], headers: string): Promise<ChunkedServer> {
  const framed = pieces.map((piece) => `${piece.length.toString(16)}\r\n${piece}\r\n`).join('');
  const wire = Buffer.from(
    `HTTP/1.1 200 OK\r\n${headers}transfer-encoding: chunked\r\nconnection: close\r\n\r\n${framed}0\r\n\r\n`,
    'latin1',
  );
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', () => socket.end(wire));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** `bytes`, one chunk per byte. */
export const oneBytePieces = (bytes: Buffer): string[] => Array.from(bytes, (byte) => String.fromCharCode(byte));
