/**
 * The demo: seven simulated vendor APIs behind one HTTP server on loopback, each under its own
 * path prefix, with its own latency and (for Etsy) its own outages. `agg demo` points
 * `AGG_DEMO_URL` at it; tests start one on port 0 with latency and failures off.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { readBody, replyLater, type Vendor, type VendorContext } from './http.js';
import { amadeus } from './vendors/amadeus.js';
import { bestbuy } from './vendors/bestbuy.js';
import { duffel } from './vendors/duffel.js';
import { ebay } from './vendors/ebay.js';
import { etsy } from './vendors/etsy.js';
import { kiwi } from './vendors/kiwi.js';
import { skyscanner } from './vendors/skyscanner.js';

/** Every vendor, in the order of sources.example.yaml. */
export const VENDORS: readonly Vendor[] = [ebay, bestbuy, etsy, amadeus, duffel, kiwi, skyscanner];

interface DemoServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1: the demo never listens beyond loopback unless told to. */
  host?: string;
  /** Each vendor answers after its own typical latency (default on). */
  latency?: boolean;
  /** Chance (0..1) that a flaky vendor (Etsy) answers 503; default 0.2. */
  failRate?: number;
}

export interface DemoServer {
  /** `http://127.0.0.1:<port>`, no trailing slash: the value for `AGG_DEMO_URL`. */
  readonly url: string;
  close(): Promise<void>;
}

/** ±15% around a vendor's typical latency, so that the race between vendors looks alive. */
const jitter = (ms: number): number => Math.round(ms * (0.85 + Math.random() * 0.3));

export async function startDemoServer(opts: DemoServerOptions = {}): Promise<DemoServer> {
  const host = opts.host ?? '127.0.0.1';
  const latency = opts.latency ?? true;
  const failRate = opts.failRate ?? 0.2;
  const sockets = new Set<Socket>();

  const server = http.createServer((req, res) => {
    readBody(req).then(
      (body) => route(req, res, body),
      () => res.destroy(),
    );
  });

  function route(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const rawPath = q === -1 ? raw : raw.slice(0, q);
    const origin = `http://${req.headers.host ?? 'localhost'}`;
    let url: URL;
    try {
      url = new URL(raw, origin);
    } catch {
      replyLater(res, 0, 400, { error: 'bad request', message: 'unparsable URL' });
      return;
    }
    const vendor = VENDORS.find((v) => rawPath === v.prefix || rawPath.startsWith(`${v.prefix}/`));
    if (!vendor) {
      replyLater(res, 0, 404, {
        error: 'not found',
        message: `no demo vendor at ${rawPath}`,
        vendors: VENDORS.map((v) => v.prefix),
      });
      return;
    }
    const path = rawPath.slice(vendor.prefix.length);
    const ms = latency ? jitter(vendor.latencyOf?.(path) ?? vendor.latencyMs) : 0;
    const ctx: VendorContext = {
      url,
      path,
      body,
      base: `${origin}${vendor.prefix}`,
      reply: (status, payload, headers) => replyLater(res, ms, status, payload, headers),
    };
    if (vendor.outage && Math.random() < failRate) {
      ctx.reply(vendor.outage.status, vendor.outage.body, { 'retry-after': '1' });
      return;
    }
    try {
      vendor.handle(req, res, ctx);
    } catch (err) {
      replyLater(res, 0, 500, { error: 'internal error', message: String(err) });
    }
  }

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
