/**
 * One request through the dispatcher, its body read as text while holding at most `maxBytes` of
 * it: a hostile or broken vendor (a 64 MiB page, a decompression bomb) costs agg a bounded amount
 * of memory, and its connection is closed as soon as the limit is passed.
 *
 * It is a handler of undici's own dispatch API rather than `dispatcher.request()`: that API's
 * handler is an old-style one, for which undici turns every response's headers back into Buffers,
 * and its body is a Readable stream read through an async iterator. At 1,000 sources those cost
 * about a tenth of the time spent on the answers (issue #7).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import { type BodyDecoder, bodyDecoder } from './charset.js';
import { coalesced } from './coalesce.js';

/** Default `maxBytes`: far above any search response, far below what would hurt. */
export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

/** The body passed `maxBytes`, counted after decompression. */
export class BodyTooLargeError extends Error {
  readonly code = 'AGG_BODY_TOO_LARGE';
  constructor(readonly maxBytes: number) {
    super(`response larger than ${maxBytes} bytes`);
  }
}

/** A whole answer: status, headers (lowercase names) and the body as text, decoded per its charset (default UTF-8). */
export interface TextResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** How to read it. */
interface ReadOptions {
  readonly maxBytes: number;
  /**
   * Aborts the request at any point: queued, waiting for headers, or mid-body. A reason with
   * `leaveOpen: true` (the process exits next; see RunAbort) settles the read at once but leaves a
   * request already sent on its connection, for the exit to close with all the others; one not yet
   * written is never written, and its connection, once open, is left to the exit too.
   */
  readonly signal: AbortSignal;
  /** Called with the status and headers when the final response's headers arrive (after retries and redirects). */
  readonly onResponse?: (statusCode: number, headers: IncomingHttpHeaders) => void;
  /**
   * Called when the request is written to a connection (again for a retry or a hop): until then it
   * waits in undici's queue for a free connection to its origin (`connections`), or for one to open.
   */
  readonly onSent?: () => void;
}

const leavesOpen = (reason: unknown): boolean => (reason as { leaveOpen?: unknown } | null)?.leaveOpen === true;

/**
 * Sends `options` through `dispatcher` and reads the answer. Rejects with what undici reports, with
 * BodyTooLargeError past the limit (the connection is then closed), or with the signal's reason.
 */
export function requestText(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  { maxBytes, signal, onResponse, onSent }: ReadOptions,
): Promise<TextResponse> {
  return new Promise<TextResponse>((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined;
    let done = false;
    const settle = (finish: () => void): void => {
      if (done) return;
      done = true;
      signal.removeEventListener('abort', onAbort);
      finish();
    };
    // undici's own request API passes the signal's reason to abort() as it is; so does this.
    const abort = (c: Dispatcher.DispatchController, reason: unknown): void => c.abort(reason as Error);
    function onAbort(): void {
      if (controller && !leavesOpen(signal.reason)) abort(controller, signal.reason);
      settle(() => reject(signal.reason));
    }
    let response: Omit<TextResponse, 'text'> | undefined;
    let decoder: BodyDecoder | undefined;
    let size = 0;
    const tooLarge = (c: Dispatcher.DispatchController): void => {
      const err = new BodyTooLargeError(maxBytes);
      abort(c, err);
      settle(() => reject(err));
    };
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        if (!signal.aborted) {
          onSent?.();
          return;
        }
        // Aborted while it waited for its connection (queued behind another request, or opening) and not
        // written yet. When the process exits next, it is refused as undici refuses a request it finds
        // invalid before writing it: thrown here, undici fails it with this reason and keeps the connection,
        // idle, for the exit to close. An abort tears that new connection down: its close, and undici's error
        // with a formatted stack, ~0.3 ms each, 3–6 ms for the last batch of take-first's (issue #7).
        if (leavesOpen(signal.reason)) throw signal.reason;
        abort(c, signal.reason);
      },
      onResponseStart(c, statusCode, headers) {
        // 1xx (103 Early Hints, say) come before the answer; undici's own request API skips them too.
        if (statusCode < 200) return;
        response = { statusCode, headers };
        onResponse?.(statusCode, headers);
        // A declared length over the limit fails before a byte is read; a compressed body's length says nothing.
        const declared = Number(headers['content-length']);
        if (!headers['content-encoding'] && Number.isFinite(declared) && declared > maxBytes) tooLarge(c);
        else decoder = coalesced(bodyDecoder(headers['content-type']));
      },
      onResponseData(c, chunk) {
        if (done || !decoder) return;
        size += chunk.length;
        // Counted as they arrive, so that a body past the limit is refused before it is all held.
        if (size > maxBytes) tooLarge(c);
        else decoder.push(chunk);
      },
      onResponseEnd() {
        const whole = response && decoder ? { ...response, text: decoder.end() } : undefined;
        settle(() => (whole ? resolve(whole) : reject(new Error('response ended before its headers'))));
      },
      onResponseError(_c, err) {
        settle(() => reject(err));
      },
    };
    if (signal.aborted) {
      settle(() => reject(signal.reason));
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      dispatcher.dispatch(options, handler);
    } catch (err) {
      settle(() => reject(err));
    }
  });
}
