// Hedging against slow tails, offline against a server on 127.0.0.1. Run with `npm run bench:hedge`.
// 40 sources; each request takes 1.5 s with probability 5%, else 20 ms ("The Tail at Scale" setup).
// Compares the median run time without hedging and with `hedge: 150ms`, and counts the extra requests.
import http from 'node:http';
import { createDispatcher, loadConfigText, search } from '../dist/index.js';

const SOURCES = 40;
const SLOW_SHARE = 0.05;
const SLOW_MS = 1500;
const FAST_MS = 20;
const RUNS = Number(process.env.RUNS ?? 31);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

/** Seeded, so both modes face the same sequence of stragglers (mulberry32). */
function prng(seed) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function startVendor() {
  const stats = { requests: 0, aborted: 0, random: prng(1) };
  const server = http.createServer((req, res) => {
    stats.requests++;
    const ms = stats.random() < SLOW_SHARE ? SLOW_MS : FAST_MS;
    const timer = setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ items: [{ t: req.url, p: 1 }] }));
    }, ms);
    res.on('close', () => {
      clearTimeout(timer);
      if (!res.writableFinished) stats.aborted++;
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { server, stats, url: `http://127.0.0.1:${server.address().port}` };
}

async function runMode(label, hedge) {
  const { server, stats, url } = await startVendor();
  // Enough connections that the one test host stands in for 40 vendors without queueing.
  const head = `currency: USD\ndefaults:\n  connections: 128\n  timeout: 5s\n  retries: 0\n${hedge ? `  hedge: ${hedge}\n` : ''}`;
  const sources = Array.from(
    { length: SOURCES },
    (_, i) =>
      `  - name: s${i}\n    request: { url: "${url}/s${i}" }\n    offers: items\n    fields: { title: t, price: p }\n    currency: USD\n`,
  ).join('');
  const config = loadConfigText(`${head}sources:\n${sources}`, 'bench.yaml', {});
  const dispatcher = createDispatcher({ connections: 128 });
  const times = [];
  let hedged = 0;
  for (let i = 0; i < RUNS; i++) {
    const r = await search(config, {
      text: 'x',
      params: {},
      strategy: 'all',
      sort: { field: 'price', desc: false },
      dispatcher,
    });
    times.push(r.elapsedMs);
    hedged += r.sources.filter((s) => s.hedged).length;
  }
  await dispatcher.destroy();
  server.close();
  const sent = RUNS * SOURCES;
  const extra = stats.requests - sent;
  const row = {
    label,
    median: median(times),
    p90: quantile(times, 0.9),
    max: Math.max(...times),
    extra,
    sent,
    hedged,
    aborted: stats.aborted,
  };
  console.log(
    `  ${label.padEnd(16)} median ${String(row.median).padStart(5)} ms · p90 ${String(row.p90).padStart(5)} ms · max ${String(row.max).padStart(5)} ms · ` +
      `extra requests ${extra}/${sent} (${((100 * extra) / sent).toFixed(1)}%) · losers aborted ${stats.aborted}`,
  );
  return row;
}

console.log(
  `hedge: ${SOURCES} sources, ${SLOW_SHARE * 100}% of requests take ${SLOW_MS} ms, the rest ${FAST_MS} ms; ${RUNS} runs each`,
);
const off = await runMode('no hedging', undefined);
const on = await runMode('hedge: 150ms', '150ms');
console.log(`  median run time ${off.median} → ${on.median} ms (${(off.median / on.median).toFixed(1)}× faster)`);
