/**
 * Reads a response body as text while holding at most `maxBytes` of it: a hostile or broken vendor
 * (a 64 MiB page, a decompression bomb) costs agg a bounded amount of memory, and its connection
 * is closed as soon as the limit is passed.
 */
import type { Dispatcher } from 'undici';

/** Default `maxBytes`: far above any search response, far below what would hurt. */
export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

/** The body passed `maxBytes`, counted after decompression. */
export class BodyTooLargeError extends Error {
  readonly code = 'AGG_BODY_TOO_LARGE';
  constructor(readonly maxBytes: number) {
    super(`response larger than ${maxBytes} bytes`);
  }
}

/** Reads the whole body as UTF-8 text; throws BodyTooLargeError, having destroyed the body, past the limit. */
export async function readLimited(res: Dispatcher.ResponseData<unknown>, maxBytes: number): Promise<string> {
  // A declared length over the limit fails before a byte is read; a compressed body's length says nothing.
  const declared = Number(res.headers['content-length']);
  if (!res.headers['content-encoding'] && Number.isFinite(declared) && declared > maxBytes) {
    res.body.destroy();
    throw new BodyTooLargeError(maxBytes);
  }
  // Decoded chunk by chunk rather than concatenated at the end, so the bytes are never held twice.
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  for await (const chunk of res.body) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      res.body.destroy();
      throw new BodyTooLargeError(maxBytes);
    }
    text += decoder.decode(chunk as Buffer, { stream: true });
  }
  return text + decoder.decode();
}
