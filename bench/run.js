// Benchmarks, offline against servers on 127.0.0.1. Run with `npm run bench`.
// 1. scatter: does a run take as long as its slowest source (all) or its fastest (first)?
// 2. map: one fused JSONata evaluation per response vs one per field per item.
import http from 'node:http';
import jsonata from 'jsonata';
import { applyMapping, compileMapping, createDispatcher, loadConfigText, search } from '../dist/index.js';

const LATENCIES = [80, 120, 300, 450, 700, 1500];
const RUNS = 7;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function startVendors() {
  const server = http.createServer((req, res) => {
    const ms = Number(new URL(req.url, 'http://x').searchParams.get('ms'));
    const timer = setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ items: Array.from({ length: 50 }, (_, i) => ({ t: `item ${i}`, p: 100 + i + ms })) }));
    }, ms);
    res.on('close', () => clearTimeout(timer));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${server.address().port}` };
}

async function benchScatter() {
  const { server, url } = await startVendors();
  const yaml = `currency: USD\nsources:\n${LATENCIES.map(
    (ms) =>
      `  - name: v${ms}\n    request: { url: "${url}/s?q={{query}}&ms=${ms}" }\n    offers: items\n    fields: { title: t, price: p }\n    currency: USD\n`,
  ).join('')}`;
  const config = loadConfigText(yaml, 'bench.yaml', {});
  const dispatcher = createDispatcher();
  const out = {};
  for (const strategy of ['all', 'best', 'first']) {
    const times = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await search(config, {
        text: 'x',
        params: { query: 'x' },
        strategy,
        sort: { field: 'price', desc: false },
        dispatcher,
      });
      times.push(r.elapsedMs);
    }
    out[strategy] = median(times);
  }
  await dispatcher.destroy();
  server.close();
  const slowest = Math.max(...LATENCIES);
  const fastest = Math.min(...LATENCIES);
  const sum = LATENCIES.reduce((a, b) => a + b, 0);
  console.log(`scatter: ${LATENCIES.length} sources at ${LATENCIES.join('/')} ms, median of ${RUNS} runs`);
  console.log(
    `  all   ${out.all} ms  (slowest source ${slowest} ms, overhead ${out.all - slowest} ms; sequential would be ${sum} ms)`,
  );
  console.log(`  best  ${out.best} ms  (overhead ${out.best - slowest} ms)`);
  console.log(`  first ${out.first} ms  (fastest source ${fastest} ms, overhead ${out.first - fastest} ms)`);
}

async function benchMap() {
  const fields = {
    title: 'title',
    price: '$number(price.value)',
    currency: 'price.currency',
    url: 'itemWebUrl',
    seller: 'seller.username',
    carrier: '$lookup($response.dict, code)',
  };
  const fused = compileMapping('itemSummaries', fields);
  const perField = Object.entries(fields).map(([k, e]) => [k, jsonata(e)]);
  const offers = jsonata('itemSummaries');
  const time = async (fn, reps) => {
    await fn();
    const ts = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      for (let r = 0; r < reps; r++) await fn();
      ts.push((performance.now() - t) / reps);
    }
    return median(ts);
  };
  console.log(`map: one response, ${Object.keys(fields).length} fields, median of ${RUNS} (ms per response)`);
  console.log('  items   fused (1 evaluation)   naive (1 per field per item)');
  for (const n of [20, 200, 2000]) {
    const body = {
      dict: { A: 'Alpha', B: 'Beta' },
      itemSummaries: Array.from({ length: n }, (_, i) => ({
        title: `Item ${i}`,
        price: { value: String(10 + i / 100), currency: 'USD' },
        itemWebUrl: `https://shop.test/${i}`,
        seller: { username: `s${i}` },
        code: i % 2 ? 'A' : 'B',
      })),
    };
    const naive = async () => {
      const out = [];
      for (const item of await offers.evaluate(body)) {
        const o = {};
        for (const [k, e] of perField) o[k] = await e.evaluate(item, { response: body });
        out.push(o);
      }
      return out;
    };
    const reps = Math.max(1, Math.round(2000 / n));
    const a = await time(() => applyMapping(fused, body, 'bench', 'USD'), reps);
    const b = await time(naive, reps);
    console.log(`  ${String(n).padStart(5)}   ${a.toFixed(2).padStart(8)}               ${b.toFixed(2).padStart(8)}`);
  }
}

await benchScatter();
await benchMap();
