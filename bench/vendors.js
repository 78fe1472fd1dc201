// Starts bench/servers.js in its own process and writes the agg sources file and the curl config
// for a set of its URLs, so that agg and curl fetch exactly the same requests.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { scratchFile } from './measure.js';

/** eBay Browse's mapping as in sources.example.yaml, plus seller and image: nested paths, a string price. */
export const FIELDS = {
  title: 'title',
  price: '$number(price.value)',
  currency: 'price.currency',
  url: 'itemWebUrl',
  seller: 'seller.username',
  feedback: 'seller.feedbackScore',
  image: 'image.imageUrl',
};

/** The same, plus a dictionary join through `$response`: a real expression that stays JSONata. */
export const JOIN_FIELDS = { ...FIELDS, condition: '$lookup($response.dictionaries.conditions, conditionId)' };
export const OFFERS = 'itemSummaries';

/** Starts `count` one-port vendor servers; resolves { ports, close() }. */
export async function startVendors(count) {
  const child = spawn(process.execPath, [new URL('./servers.js', import.meta.url).pathname, String(count)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const line = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench servers exited with ${code}`)));
    createInterface({ input: child.stdout }).once('line', resolve);
  });
  const { ports } = JSON.parse(line);
  return {
    ports,
    close: () =>
      new Promise((resolve) => {
        child.removeAllListeners('exit');
        child.once('exit', resolve);
        child.stdin.end();
      }),
  };
}

/** The URL of one vendor answering after `ms` with `n` offers. */
export const vendorUrl = (port, ms, n = 20) => `http://127.0.0.1:${port}/offers?ms=${ms}&n=${n}&q=`;

/**
 * Writes a sources file for agg and a config for curl over the same (port, ms) list. Returns their
 * paths. The timeout is generous: the bench measures speed, not time limits.
 */
export function writeConfigs(name, targets, { timeout = '10s' } = {}) {
  const yaml = [
    'currency: USD',
    `defaults: { timeout: ${timeout}, retries: 0 }`,
    'sources:',
    ...targets.map(({ port, ms }, i) =>
      [
        `  - name: v${String(i).padStart(4, '0')}`,
        `    request: { url: "${vendorUrl(port, ms)}{{query}}" }`,
        `    offers: ${OFFERS}`,
        '    fields:',
        ...Object.entries(FIELDS).map(([k, v]) => `      ${k}: ${JSON.stringify(v)}`),
      ].join('\n'),
    ),
  ].join('\n');
  const sources = scratchFile(`${name}.yaml`);
  writeFileSync(sources, `${yaml}\n`);
  // curl -K: one url and one output per transfer; the bodies go to /dev/null as agg's output does.
  const curlConfig = scratchFile(`${name}.curl`);
  writeFileSync(
    curlConfig,
    targets.map(({ port, ms }) => `url = "${vendorUrl(port, ms)}sony"\noutput = "/dev/null"\n`).join(''),
  );
  return { sources, curlConfig };
}
