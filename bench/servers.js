// Vendor servers for the benchmarks, in their own process so that their CPU is not the client's.
// Each server is its own origin (one port each), as real vendors are: a per-origin connection cap in
// the client then applies per vendor, as it would in production.
//
//   node bench/servers.js <count>     → prints {"ports":[…]} on one line, serves until stdin closes
//
// GET /offers?ms=300&n=20&q=… answers after `ms` milliseconds with `n` offers (eBay Browse-like shape).
import http from 'node:http';

const count = Number(process.argv[2] ?? 1);

/** One response body per (n, port), built once: the server must not spend CPU per request. */
const bodies = new Map();
function body(n, port) {
  const key = `${n}:${port}`;
  let b = bodies.get(key);
  if (!b) {
    b = Buffer.from(
      JSON.stringify({
        total: n,
        href: `http://127.0.0.1:${port}/offers`,
        dictionaries: { conditions: { 1000: 'New', 3000: 'Used' } },
        itemSummaries: Array.from({ length: n }, (_, i) => ({
          itemId: `v1|${port}${i}|0`,
          title: `Sony WH-1000XM5 Wireless Noise Cancelling Headphones #${i} from vendor ${port}`,
          price: { value: ((port % 97) + 100 + i * 1.25).toFixed(2), currency: 'USD' },
          conditionId: i % 2 ? '1000' : '3000',
          itemWebUrl: `https://vendor-${port}.test/itm/${port}${i}`,
          seller: { username: `seller_${i}`, feedbackPercentage: '99.1', feedbackScore: 1200 + i },
          shippingOptions: [{ shippingCostType: 'FIXED', shippingCost: { value: '4.99', currency: 'USD' } }],
          image: { imageUrl: `https://img.vendor-${port}.test/${i}.jpg` },
        })),
      }),
    );
    bodies.set(key, b);
  }
  return b;
}

const sockets = new Set();
function handle(req, res) {
  const url = new URL(req.url ?? '/', 'http://x');
  const ms = Number(url.searchParams.get('ms') ?? 0);
  const n = Number(url.searchParams.get('n') ?? 20);
  const port = req.socket.localPort;
  const timer = setTimeout(() => {
    const b = body(n, port);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': b.length });
    res.end(b);
  }, ms);
  // A cancelled request (take-first) must not leave its timer behind.
  res.on('close', () => clearTimeout(timer));
}

const servers = [];
for (let i = 0; i < count; i++) {
  const server = http.createServer({ keepAliveTimeout: 30_000 }, handle);
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  servers.push(
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', 1024, () => resolve(server.address().port));
    }),
  );
}
const ports = await Promise.all(servers);
process.stdout.write(`${JSON.stringify({ ports })}\n`);
// The parent ends us by closing stdin (or by a signal): nothing outlives the bench.
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
