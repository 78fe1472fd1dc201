// The floor without undici: node:http with a keep-alive agent fetches every URL at once and parses
// each body, nothing else (no mapping, ranking or output). `node http-client.mjs URLS.json`.

import { readFileSync } from 'node:fs';
import http from 'node:http';

const urls = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const agent = new http.Agent({ keepAlive: true });
let offers = 0;
const fetchOne = (url) =>
  new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          offers += JSON.parse(Buffer.concat(chunks).toString()).itemSummaries.length;
          resolve();
        });
      })
      .on('error', reject);
  });
await Promise.all(urls.map(fetchOne));
process.stderr.write(`${urls.length} ok · ${offers} offers\n`);
process.exit(0);
