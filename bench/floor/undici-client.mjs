// The floor with undici, the library agg must use: one Agent, `dispatch` with the least handler,
// every URL at once, each body parsed, nothing else. floor.js bundles it and runs it as agg runs:
// one script with V8's code cache (run-cached.cjs) and `--liftoff-only`.
import { readFileSync } from 'node:fs';
import { Agent } from 'undici';

const urls = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const agent = new Agent({ connections: 32 });
let offers = 0;
const fetchOne = (url) =>
  new Promise((resolve, reject) => {
    const { origin, pathname, search } = new URL(url);
    const chunks = [];
    agent.dispatch(
      { origin, path: pathname + search, method: 'GET', headers: {} },
      {
        onRequestStart() {},
        onResponseStart() {},
        onResponseData(_controller, chunk) {
          chunks.push(chunk);
        },
        onResponseEnd() {
          offers += JSON.parse(Buffer.concat(chunks).toString()).itemSummaries.length;
          resolve();
        },
        onResponseError(_controller, err) {
          reject(err);
        },
      },
    );
  });
Promise.all(urls.map(fetchOne)).then(() => {
  process.stderr.write(`${urls.length} ok · ${offers} offers\n`);
  process.exit(0);
});
