/**
 * A body whose small chunks come between large ones reads in the order it was sent: small chunks are
 * joined as they come (coalesce.ts, chunk-queue.ts), and a large one goes through as it is, but only
 * after the small ones held before it. Plain, gzip and raw deflate, each through its own path.
 */
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from './helpers/bin.js';
import { type ChunkedServer, startChunkedServer } from './helpers/chunked.js';
import { source, writeConfig } from './helpers/config.js';

/** 16 KiB and more goes through unjoined (coalesce.ts's LARGE_CHUNK). */
const LARGE = 20 * 1024;

/** `bytes` as runs of 100 one-byte chunks, each run followed by one LARGE chunk. */
function mixedPieces(bytes: Buffer): string[] {
  const text = bytes.toString('latin1');
  const pieces: string[] = [];
  for (let at = 0; at < text.length; ) {
    for (let i = 0; i < 100 && at < text.length; i++) pieces.push(text[at++] as string);
    pieces.push(text.slice(at, at + LARGE));
    at += LARGE;
  }
  return pieces.filter((p) => p !== '');
}

// Each item's title is its index, so a chunk out of place shows as broken JSON or a wrong title.
const json = JSON.stringify({
  items: Array.from({ length: 1000 }, (_, i) => ({
    title: `item ${i}`,
    price: i + 1,
    currency: 'USD',
    pad: 'x'.repeat(300),
  })),
});
const bodies = {
  plain: ['', Buffer.from(json)],
  gzip: ['content-encoding: gzip\r\n', zlib.gzipSync(json, { level: 0 })],
  deflate: ['content-encoding: deflate\r\n', zlib.deflateRawSync(json, { level: 0 })],
} as const;

const servers: Record<string, ChunkedServer> = {};
beforeAll(async () => {
  for (const [name, [header, bytes]] of Object.entries(bodies)) {
    servers[name] = await startChunkedServer(mixedPieces(bytes), `content-type: application/json\r\n${header}`);
  }
});
afterAll(() => Promise.all(Object.values(servers).map((s) => s.close())));

describe('a body of small chunks between large ones', () => {
  it('is read in the order it was sent, plain, gzip and raw deflate', async () => {
    const names = Object.keys(bodies);
    const file = writeConfig(
      names.map((name) => source(name, servers[name]?.url ?? '')),
      'currency: USD\ndefaults: { timeout: 30s, retries: 0 }',
    );
    const out = await runBin(['search', 'x', '-c', file, '--json', '--strategy', 'all']);
    expect(out.code, out.stderr.slice(0, 300)).toBe(0);
    const result = JSON.parse(out.stdout);
    expect(result.sources.map((r: { name: string; status: string; offers: number; error?: string }) => r)).toEqual(
      names.map((name) => expect.objectContaining({ name, status: 'ok', offers: 1000 })),
    );
    for (const name of names) {
      const titles = result.offers
        .filter((o: { source: string }) => o.source === name)
        .map((o: { title: string }) => o.title);
      expect(new Set(titles)).toEqual(new Set(Array.from({ length: 1000 }, (_, i) => `item ${i}`)));
    }
  }, 60_000);
});
