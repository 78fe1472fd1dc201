/**
 * A real HTTP server on 127.0.0.1:0 for tests: slow, failing, garbage and reset responses are
 * ordinary handlers. Tracks sockets so that teardown closes every connection, and records
 * when the client closed one (how take-first cancellation is observed from the server side).
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void | Promise<void>;

export interface TestServer {
  readonly url: string;
  /** Requests seen, in arrival order. */
  readonly requests: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[];
  /** Resolves when a client closes a connection whose request has not been answered yet. */
  readonly clientAborted: Promise<void>;
  close(): Promise<void>;
}

/** Starts a server; `handler` gets the whole request body as text. */
export async function startServer(handler: Handler): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const requests: TestServer['requests'] = [];
  let onAbort: () => void = () => {};
  const clientAborted = new Promise<void>((resolve) => {
    onAbort = resolve;
  });
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.on('close', () => {
        if (!res.writableFinished) onAbort();
      });
      Promise.resolve(handler(req, res, body)).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500);
        res.end(String(err));
      });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    clientAborted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Sends `body` as JSON after `ms` milliseconds, unless the client has gone. */
export function json(
  res: http.ServerResponse,
  body: unknown,
  { status = 200, ms = 0, headers = {} }: { status?: number; ms?: number; headers?: http.OutgoingHttpHeaders } = {},
): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      if (!res.destroyed) {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      }
      resolve();
    }, ms);
    res.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
