/**
 * requestText: agg's own undici handler, which sends a request and reads its answer as text within
 * a size limit. The faults, bounds and retry suites run it through every failure a vendor can make;
 * these are the cases only a handler has: informational answers, and aborts at each stage.
 */
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BodyTooLargeError, requestText } from '../src/scatter/body.js';
import { DECODE_AT_END_BYTES } from '../src/scatter/charset.js';
import { createDispatcher } from '../src/scatter/dispatcher.js';
import { json, startServer, type TestServer } from './helpers/server.js';

let server: TestServer;
/** The server side of each `/hold` request's connection: it is never answered. */
const held: Socket[] = [];
/** The server side of each request's connection, by its path. */
const connectionOf = new Map<string, Socket>();
beforeAll(async () => {
  server = await startServer(async (req, res) => {
    connectionOf.set(req.url ?? '', req.socket);
    if (req.url?.startsWith('/hold')) {
      held.push(req.socket);
      return;
    }
    if (req.url?.startsWith('/hints')) {
      res.writeEarlyHints({ link: '</style.css>; rel=preload; as=style' });
      return json(res, { items: [1] });
    }
    if (req.url?.startsWith('/drip')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"items": [');
      return; // never ends
    }
    if (req.url?.startsWith('/latin1')) {
      res.writeHead(200, { 'content-type': 'application/json; charset=ISO-8859-1' });
      res.end(Buffer.from('{"title":"caf\xe9 cr\xe8me"}', 'latin1'));
      return;
    }
    if (req.url?.startsWith('/windows-1252')) {
      // 0x80 is `€` and 0x92 `’` in windows-1252 (and under the `iso-8859-1` label, which means it).
      res.writeHead(200, { 'content-type': 'application/json; charset=iso-8859-1' });
      res.end(Buffer.concat([Buffer.from('{"title":"5'), Buffer.from([0x80, 0x20, 0x92]), Buffer.from('"}')]));
      return;
    }
    if (req.url?.startsWith('/mislabelled')) {
      // UTF-8 labelled Latin-1, as many servers do (a JSON charset "has no effect", RFC 8259 §11).
      res.writeHead(200, { 'content-type': 'application/json; charset=iso-8859-1' });
      res.end(Buffer.from('{"title":"café crème"}', 'utf8'));
      return;
    }
    if (req.url?.startsWith('/utf16')) {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-16le' });
      res.end(Buffer.from('{"title":"café"}', 'utf16le'));
      return;
    }
    if (req.url?.startsWith('/java-utf16')) {
      // Java's "UTF-16": big-endian behind a byte order mark, sent a byte at a time.
      res.writeHead(200, { 'content-type': 'application/json; charset=UTF-16' });
      const bytes = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('{"title":"café"}', 'utf16le').swap16()]);
      for (const byte of bytes) res.write(Buffer.from([byte]));
      res.end();
      return;
    }
    if (req.url?.startsWith('/utf8-bytewise')) {
      // UTF-8 behind a byte order mark, a byte at a time: every multi-byte character is split.
      res.writeHead(200, { 'content-type': 'application/json' });
      const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"title":"café €5 😀"}', 'utf8')]);
      for (const byte of bytes) res.write(Buffer.from([byte]));
      res.end();
      return;
    }
    if (req.url?.startsWith('/large-utf8')) {
      // Past DECODE_AT_END_BYTES, in chunks that split two-byte characters: decoded as it arrives.
      res.writeHead(200, { 'content-type': 'application/json' });
      const bytes = Buffer.from(JSON.stringify({ title: 'é'.repeat(700_000) }), 'utf8');
      for (let at = 0; at < bytes.length; at += 4095) res.write(bytes.subarray(at, at + 4095));
      res.end();
      return;
    }
    if (req.url?.startsWith('/declared')) {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '13' });
      res.end('{"items":[2]}');
      return;
    }
    if (req.url?.startsWith('/bogus-charset')) {
      res.writeHead(200, { 'content-type': 'application/json; charset=no-such-thing' });
      res.end(Buffer.from('{"title":"café"}', 'utf8'));
      return;
    }
    await new Promise((r) => setTimeout(r, req.url?.startsWith('/slow') ? 300 : 0));
    return json(res, { items: [2] });
  });
});
afterAll(() => server.close());

const origin = () => new URL(server.url).origin;
const get = (path: string) => ({ origin: origin(), path, method: 'GET' as const });

describe('requestText', () => {
  it('answers with the final response, not a 103 before it, and says so once', async () => {
    const dispatcher = createDispatcher();
    const statuses: number[] = [];
    try {
      const res = await requestText(dispatcher, get('/hints'), {
        maxBytes: 1000,
        signal: new AbortController().signal,
        onResponse: (s) => statuses.push(s),
      });
      expect(res.statusCode).toBe(200);
      expect(JSON.parse(res.text)).toEqual({ items: [1] });
      expect(statuses).toEqual([200]);
    } finally {
      await dispatcher.destroy();
    }
  });

  it('decodes a body in the charset it declares unless it is valid UTF-8, and as UTF-8 under an unknown one', async () => {
    const dispatcher = createDispatcher();
    try {
      const read = (path: string) =>
        requestText(dispatcher, get(path), { maxBytes: 1000, signal: new AbortController().signal });
      expect(JSON.parse((await read('/latin1')).text)).toEqual({ title: 'café crème' });
      expect(JSON.parse((await read('/windows-1252')).text)).toEqual({ title: '5€ ’' });
      expect(JSON.parse((await read('/mislabelled')).text)).toEqual({ title: 'café crème' });
      expect(JSON.parse((await read('/utf16')).text)).toEqual({ title: 'café' });
      expect(JSON.parse((await read('/java-utf16')).text)).toEqual({ title: 'café' });
      expect(JSON.parse((await read('/bogus-charset')).text)).toEqual({ title: 'café' });
      expect(JSON.parse((await read('/utf8-bytewise')).text)).toEqual({ title: 'café €5 😀' });
      const large = await requestText(dispatcher, get('/large-utf8'), {
        maxBytes: 2 * DECODE_AT_END_BYTES,
        signal: new AbortController().signal,
      });
      expect(JSON.parse(large.text)).toEqual({ title: 'é'.repeat(700_000) });
    } finally {
      await dispatcher.destroy();
    }
  });

  it('stops at once on an abort mid-body, and before sending when already aborted', async () => {
    const dispatcher = createDispatcher();
    try {
      const controller = new AbortController();
      const reading = requestText(dispatcher, get('/drip'), {
        maxBytes: 1000,
        signal: controller.signal,
        onResponse: () => controller.abort(new Error('enough')),
      });
      await expect(reading).rejects.toThrow('enough');
      await server.clientAborted;
      const before = server.requests.length;
      const aborted = AbortSignal.abort(new Error('never sent'));
      await expect(requestText(dispatcher, get('/s'), { maxBytes: 1000, signal: aborted })).rejects.toThrow(
        'never sent',
      );
      expect(server.requests.length).toBe(before);
    } finally {
      await dispatcher.destroy();
    }
  });

  it('drops a request aborted while it waits behind another on one connection', async () => {
    // A sole origin has one connection (origins.ts): the second request queues behind the first.
    const dispatcher = createDispatcher({ soleOrigins: new Set([origin()]) });
    try {
      const before = server.requests.length;
      const first = requestText(dispatcher, get('/slow'), { maxBytes: 1000, signal: new AbortController().signal });
      const controller = new AbortController();
      const queued = requestText(dispatcher, get('/queued'), { maxBytes: 1000, signal: controller.signal });
      controller.abort(new Error('gave up'));
      await expect(queued).rejects.toThrow('gave up');
      expect(JSON.parse((await first).text)).toEqual({ items: [2] });
      await new Promise((r) => setTimeout(r, 100));
      expect(server.requests.slice(before).map((r) => r.url)).toEqual(['/slow']);
    } finally {
      await dispatcher.destroy();
    }
  });

  it('drops a request that waits for its connection when the process exits next, and keeps the connection', async () => {
    // The command line's take-first: a request still waiting for its connection when the run ends is
    // never written, and the connection, open by then, is left to the exit as those in flight are.
    const dispatcher = createDispatcher({ soleOrigins: new Set([origin()]) });
    try {
      const before = server.requests.length;
      const first = requestText(dispatcher, get('/slow?kept'), {
        maxBytes: 1000,
        signal: new AbortController().signal,
      });
      const controller = new AbortController();
      const queued = requestText(dispatcher, get('/queued'), { maxBytes: 1000, signal: controller.signal });
      const reason = { status: 'cancelled', reason: 'cancelled: a answered first', leaveOpen: true };
      controller.abort(reason);
      await expect(queued).rejects.toBe(reason);
      expect(JSON.parse((await first).text)).toEqual({ items: [2] });
      await new Promise((r) => setTimeout(r, 100));
      expect(server.requests.slice(before).map((r) => r.url)).toEqual(['/slow?kept']);
      expect(connectionOf.get('/slow?kept')?.destroyed).toBe(false);
    } finally {
      await dispatcher.destroy();
    }
  });

  it('settles at once on an abort that leaves the connection open, which stays open', async () => {
    // The command line's take-first: the process exits next, and the exit closes the sockets.
    const dispatcher = createDispatcher();
    try {
      const controller = new AbortController();
      const reading = requestText(dispatcher, get('/hold'), { maxBytes: 1000, signal: controller.signal });
      await expect.poll(() => held.length).toBe(1);
      const reason = { status: 'cancelled', reason: 'cancelled: a answered first', leaveOpen: true };
      controller.abort(reason);
      await expect(reading).rejects.toBe(reason);
      await new Promise((r) => setTimeout(r, 200));
      expect(held[0]?.destroyed).toBe(false);
      // Without leaveOpen the same abort closes the connection, as every other abort does.
      const plain = new AbortController();
      const second = requestText(dispatcher, get('/hold'), { maxBytes: 1000, signal: plain.signal });
      await expect.poll(() => held.length).toBe(2);
      plain.abort({ status: 'cancelled', reason: 'cancelled: a answered first' });
      await expect(second).rejects.toMatchObject({ status: 'cancelled' });
      await expect.poll(() => held[1]?.destroyed).toBe(true);
      expect(held[0]?.destroyed).toBe(false);
    } finally {
      await dispatcher.destroy();
    }
  });

  it('reads a body of exactly maxBytes, declared or counted, and fails one byte past it', async () => {
    const dispatcher = createDispatcher();
    const read = (path: string, maxBytes: number) =>
      requestText(dispatcher, get(path), { maxBytes, signal: new AbortController().signal });
    try {
      // /declared sends 13 bytes with a Content-Length; /utf8-bytewise sends 30 without one, a byte at a time.
      expect((await read('/declared', 13)).text).toBe('{"items":[2]}');
      await expect(read('/declared', 12)).rejects.toBeInstanceOf(BodyTooLargeError);
      expect(JSON.parse((await read('/utf8-bytewise', 30)).text)).toEqual({ title: 'café €5 😀' });
      await expect(read('/utf8-bytewise', 29)).rejects.toBeInstanceOf(BodyTooLargeError);
    } finally {
      await dispatcher.destroy();
    }
  });

  it('fails past maxBytes with BodyTooLargeError', async () => {
    const dispatcher = createDispatcher();
    try {
      const reading = requestText(dispatcher, get('/s'), { maxBytes: 5, signal: new AbortController().signal });
      await expect(reading).rejects.toBeInstanceOf(BodyTooLargeError);
    } finally {
      await dispatcher.destroy();
    }
  });
});
