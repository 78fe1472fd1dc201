/**
 * A small HTTP CONNECT proxy on 127.0.0.1:0 for tests. It alone knows the names in `hosts` (`shop.test`
 * → 127.0.0.1): a request for one that arrives proves it came through the proxy, since a direct one finds
 * no such host. It records each CONNECT, and can ask for credentials or refuse tunnels.
 */
import http from 'node:http';
import net, { type AddressInfo, type Socket } from 'node:net';

export interface ConnectProxy {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Each CONNECT seen: its target (`shop.test:443`) and its Proxy-Authorization header, if any. */
  readonly connects: { target: string; auth: string | undefined }[];
  close(): Promise<void>;
}

export interface ConnectProxyOptions {
  /** Names the proxy resolves, to an IP address; the port is the request's. */
  readonly hosts: Readonly<Record<string, string>>;
  /** `user:pass` the proxy wants (Basic); without it, none is asked. */
  readonly credentials?: string;
  /** Answer every CONNECT with this status (403, 502, …) instead of a tunnel. */
  readonly refuseWith?: number;
}

/** Starts the proxy; close() ends every tunnel. */
export async function startConnectProxy(options: ConnectProxyOptions): Promise<ConnectProxy> {
  const sockets = new Set<Socket>();
  const connects: ConnectProxy['connects'] = [];
  const server = http.createServer((_req, res) => {
    res.writeHead(405);
    res.end('this proxy only tunnels');
  });
  const refuse = (socket: Socket, status: number, extra = ''): void => {
    socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}\r\n${extra}content-length: 0\r\n\r\n`);
  };
  server.on('connect', (req: http.IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    const target = req.url ?? '';
    const auth = req.headers['proxy-authorization'];
    connects.push({ target, auth });
    const wanted = options.credentials && `Basic ${Buffer.from(options.credentials).toString('base64')}`;
    if (wanted && auth !== wanted) return refuse(client, 407, 'proxy-authenticate: Basic realm="test"\r\n');
    if (options.refuseWith) return refuse(client, options.refuseWith);
    const [, host = '', port = ''] = /^(.*):(\d+)$/.exec(target) ?? [];
    const address = options.hosts[host];
    if (!address) return refuse(client, 502);
    const upstream = net.connect(Number(port), address, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => refuse(client, 502));
    client.on('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connects,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 nothing listens on: a proxy that is down. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
