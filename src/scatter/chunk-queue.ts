/**
 * The chunks keep-reading.ts holds for a paused handler, first in first out (and raw-deflate.ts for a
 * body it inflates at its end). A queue rather than an array's shift(), which moves every chunk after
 * the first: a gzip body sent one byte per HTTP chunk held a million chunks, each handed on by a
 * shift, and a source with a 20 s limit ended after 31 s with every other source's timers waiting
 * behind it. Small chunks are joined as they come (coalesce.ts), so that a million one-byte chunks do
 * not cost a million Buffers either.
 */
import { JOINED_CHUNKS, LARGE_CHUNK } from './coalesce.js';

export class ChunkQueue {
  #chunks: (Buffer | undefined)[] = [];
  #head = 0;
  #joining: Buffer[] = [];
  /** Bytes held. */
  bytes = 0;

  get empty(): boolean {
    return this.#head === this.#chunks.length && this.#joining.length === 0;
  }

  push(chunk: Buffer): void {
    this.bytes += chunk.length;
    if (chunk.length >= LARGE_CHUNK) {
      this.#join();
      this.#chunks.push(chunk);
      return;
    }
    this.#joining.push(chunk);
    if (this.#joining.length >= JOINED_CHUNKS) this.#join();
  }

  /** The oldest chunk (small ones joined), or undefined when none is held. */
  shift(): Buffer | undefined {
    if (this.#head === this.#chunks.length) this.#join();
    const chunk = this.#chunks[this.#head];
    if (chunk === undefined) return undefined;
    this.#chunks[this.#head++] = undefined;
    if (this.#head === this.#chunks.length) {
      this.#chunks = [];
      this.#head = 0;
    }
    this.bytes -= chunk.length;
    return chunk;
  }

  /** Everything held, as one Buffer; the queue is then empty. */
  takeAll(): Buffer {
    this.#join();
    const all = Buffer.concat(this.#chunks.slice(this.#head) as Buffer[]);
    this.clear();
    return all;
  }

  clear(): void {
    this.#chunks = [];
    this.#head = 0;
    this.#joining = [];
    this.bytes = 0;
  }

  #join(): void {
    if (this.#joining.length === 0) return;
    this.#chunks.push(this.#joining.length === 1 ? (this.#joining[0] as Buffer) : Buffer.concat(this.#joining));
    this.#joining = [];
  }
}
