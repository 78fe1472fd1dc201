/**
 * Turns a response's bytes into text. JSON is UTF-8 (RFC 8259 §8.1), and a charset on
 * `application/json` "has no effect on compliant recipients" (§11), so servers that label UTF-8 as
 * iso-8859-1 are common and must not turn `café` into `cafÃ©`. Some older APIs do send Latin-1 and
 * say so, though, and reading that as UTF-8 turns `café` into `caf\uFFFD`. So a body under a legacy
 * label is read as UTF-8 when its bytes are valid UTF-8 (Latin-1 text with accents almost never is),
 * and in the declared charset otherwise.
 */

type TextDecoder = InstanceType<typeof globalThis.TextDecoder>;

/** Decodes a body chunk by chunk; `end()` gives the whole text. */
export interface BodyDecoder {
  push(chunk: Uint8Array): void;
  end(): string;
}

/** The decoder for a response with this Content-Type. */
export function bodyDecoder(contentType: string | string[] | undefined): BodyDecoder {
  const declared = declaredDecoder(contentType);
  // UTF-8 and UTF-16 labels are read as they say: UTF-16 text is valid UTF-8 too (with NULs), so
  // the bytes cannot tell.
  if (declared?.encoding.startsWith('utf-16')) return byteOrdered(declared);
  if (!declared || declared.encoding === 'utf-8') return utf8AtEnd();
  return utf8Unless(declared);
}

/**
 * One decoder for every UTF-8 body: decoding a whole body at once keeps no state between calls.
 * Node decodes UTF-8 that is not streamed on a fast path; `{ stream: true }` takes ICU, with a
 * converter made per response (a third of the decoding time at 1,000 sources, issue #7).
 */
const UTF8 = new TextDecoder();
/**
 * Past this many bytes a body is decoded as it arrives instead: held whole, its bytes and their
 * copy into one buffer would double what a large `maxBytes` lets in.
 */
export const DECODE_AT_END_BYTES = 1024 * 1024;

function utf8AtEnd(): BodyDecoder {
  let chunks: Uint8Array[] = [];
  let held = 0;
  let streamed: BodyDecoder | undefined;
  return {
    push: (chunk) => {
      if (streamed) return streamed.push(chunk);
      chunks.push(chunk);
      held += chunk.length;
      if (held <= DECODE_AT_END_BYTES) return;
      streamed = streaming(new TextDecoder());
      for (const c of chunks) streamed.push(c);
      chunks = [];
    },
    end: () => streamed?.end() ?? UTF8.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)),
  };
}

/**
 * UTF-16 in the byte order its BOM gives, as the Encoding Standard decodes: a bare `utf-16` label means
 * little-endian, but Java's "UTF-16" (and RFC 2781's) writes big-endian behind a BOM.
 */
function byteOrdered(declared: TextDecoder): BodyDecoder {
  let head: Uint8Array = new Uint8Array(0);
  let inner: BodyDecoder | undefined;
  const start = (bytes: Uint8Array): BodyDecoder => {
    const bom =
      bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : '';
    const decoder = streaming(bom ? new TextDecoder(bom) : declared);
    decoder.push(bytes);
    return decoder;
  };
  return {
    push: (chunk) => {
      if (inner) return inner.push(chunk);
      // The BOM is two bytes, which may come in two chunks.
      head = head.length > 0 ? Buffer.concat([head, chunk]) : chunk;
      if (head.length >= 2) inner = start(head);
    },
    end: () => (inner ?? start(head)).end(),
  };
}

/** The charset the Content-Type names, if the Encoding Standard knows it. */
function declaredDecoder(contentType: string | string[] | undefined): TextDecoder | undefined {
  const type = Array.isArray(contentType) ? contentType[0] : contentType;
  const label = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(type ?? '')?.[1];
  if (!label) return undefined;
  try {
    return new TextDecoder(label);
  } catch {
    // An unknown label: read as UTF-8, as JSON should be.
    return undefined;
  }
}

function streaming(decoder: TextDecoder): BodyDecoder {
  let text = '';
  return {
    push: (chunk) => {
      text += decoder.decode(chunk, { stream: true });
    },
    end: () => text + decoder.decode(),
  };
}

/** Holds the bytes (a legacy label is rare) and reads them as UTF-8 if they are, else as `declared`. */
function utf8Unless(declared: TextDecoder): BodyDecoder {
  const chunks: Uint8Array[] = [];
  return {
    push: (chunk) => {
      chunks.push(chunk);
    },
    end: () => {
      const bytes = Buffer.concat(chunks);
      try {
        return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        // Streamed, then flushed: Node 20's one-shot decode of a windows-1252 label (which `iso-8859-1`
        // and `latin1` are too) takes a Latin-1 fast path, and `€`, `’`, `“` (0x80–0x9f) came out as
        // C1 controls, printed `<U+0080>`. The streaming path maps them as the Encoding Standard does.
        return declared.decode(bytes, { stream: true }) + declared.decode();
      }
    },
  };
}
