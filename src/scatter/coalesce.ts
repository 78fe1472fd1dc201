/**
 * Joins a body's small chunks before they reach its decoder. undici hands over each HTTP chunk as it
 * is framed, and a vendor may frame a body one byte per chunk (`1\r\n \r\n`, six bytes on the wire):
 * each became a Buffer held in a list, or a one-character piece of a string, some 40 bytes of heap per
 * byte of body, so a 10 MiB body took 400 MB and a 256 MB heap ended the process (exit 134) where an
 * ordinary 10 MiB body needs less than half of it.
 */
import type { BodyDecoder } from './charset.js';

/** Chunks joined at most: a few bytes of bookkeeping per 64 one-byte chunks. */
export const JOINED_CHUNKS = 64;
/** A chunk this large goes through as it is: an ordinary socket read is 16–64 KiB. */
export const LARGE_CHUNK = 16 * 1024;

/** `decoder`, fed runs of up to JOINED_CHUNKS small chunks as one copy; one chunk alone is not copied. */
export function coalesced(decoder: BodyDecoder): BodyDecoder {
  let pending: Uint8Array[] = [];
  const flush = (): void => {
    if (pending.length === 0) return;
    decoder.push(pending.length === 1 ? (pending[0] as Uint8Array) : Buffer.concat(pending));
    pending = [];
  };
  return {
    push: (chunk) => {
      if (chunk.length >= LARGE_CHUNK) {
        flush();
        decoder.push(chunk);
        return;
      }
      pending.push(chunk);
      if (pending.length >= JOINED_CHUNKS) flush();
    },
    end: () => {
      flush();
      return decoder.end();
    },
  };
}
