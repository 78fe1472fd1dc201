// Mapping throughput, in process: offers per second through agg's compiled mapping (JSONata, with
// its fast path for plain field paths) against a plain-JS hand mapping of the same fields that
// builds the same offers. The response is the bench servers' 20-offer body, parsed once.
import { isDeepStrictEqual } from 'node:util';
import { applyMapping, compileMapping } from '../dist/index.js';
import { cleanText, cleanValue } from '../dist/shared/sanitize.js';
import { alternate, load1 } from './measure.js';
import { FIELDS, JOIN_FIELDS, OFFERS } from './vendors.js';

/** A 20-item response as bench/servers.js sends it. */
function response(items) {
  return {
    total: items,
    dictionaries: { conditions: { 1000: 'New', 3000: 'Used' } },
    itemSummaries: Array.from({ length: items }, (_, i) => ({
      itemId: `v1|${i}|0`,
      title: `Sony WH-1000XM5 Wireless Noise Cancelling Headphones #${i}`,
      price: { value: (100 + i * 1.25).toFixed(2), currency: 'USD' },
      conditionId: i % 2 ? '1000' : '3000',
      itemWebUrl: `https://vendor.test/itm/${i}`,
      seller: { username: `seller_${i}`, feedbackPercentage: '99.1', feedbackScore: 1200 + i },
      shippingOptions: [{ shippingCostType: 'FIXED', shippingCost: { value: '4.99', currency: 'USD' } }],
      image: { imageUrl: `https://img.vendor.test/${i}.jpg` },
    })),
  };
}

/** What a programmer would write by hand for FIELDS (and the join), with map/offer.ts's offer rules. */
function handMapping(join) {
  return (body, source, fallback) => {
    const list = body?.itemSummaries;
    const items = Array.isArray(list) ? list : list === undefined ? [] : [list];
    const offers = [];
    let dropped = 0;
    for (const it of items) {
      const raw = it?.price?.value;
      const price = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number.parseFloat(raw) : Number.NaN;
      if (!Number.isFinite(price)) {
        dropped++;
        continue;
      }
      const currency = it.price.currency;
      const offer = {
        source,
        title: it.title === undefined || it.title === null ? '' : cleanText(String(it.title)),
        price,
        currency: typeof currency === 'string' && currency.trim() ? cleanText(currency).trim().toUpperCase() : fallback,
      };
      if (typeof it.itemWebUrl === 'string' && it.itemWebUrl) offer.url = cleanText(it.itemWebUrl);
      const extra = { seller: it.seller?.username, feedback: it.seller?.feedbackScore, image: it.image?.imageUrl };
      if (join) extra.condition = body.dictionaries?.conditions?.[it.conditionId];
      for (const [k, v] of Object.entries(extra)) if (v !== undefined) offer[k] = cleanValue(v);
      offers.push(offer);
    }
    return { offers, dropped };
  };
}

/** Offers per second of `fn` over `body`, run for about `budgetMs`. */
async function throughput(fn, body, budgetMs) {
  let offers = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < budgetMs) {
    for (let i = 0; i < 50; i++) offers += (await fn(body, 'bench', 'USD')).offers.length;
    elapsed = performance.now() - started;
  }
  return { perSec: (offers / elapsed) * 1000 };
}

/** Both configs: agg's mapping and the hand mapping, alternated. Throws if they disagree. */
export async function mappingThroughput({ runs, budgetMs, items = 20 }) {
  const body = response(items);
  const out = [];
  for (const [label, fields, join] of [
    ['eBay-like: 7 fields (paths + $number)', FIELDS, false],
    ['+ $lookup join via $response', JOIN_FIELDS, true],
  ]) {
    const mapping = compileMapping(OFFERS, fields);
    const agg = (b, s, c) => applyMapping(mapping, b, s, c);
    const hand = handMapping(join);
    const [a, h] = [await agg(body, 'bench', 'USD'), hand(body, 'bench', 'USD')];
    if (!isDeepStrictEqual(a, h)) throw new Error(`mapping bench: hand mapping differs from agg's for ${label}`);
    const before = load1();
    const samples = await alternate(
      { agg: () => throughput(agg, body, budgetMs), hand: () => throughput(hand, body, budgetMs) },
      runs,
    );
    out.push({ label, fields: Object.keys(fields).length, items, samples, load: [before, load1()] });
  }
  return out;
}
