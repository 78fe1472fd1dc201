/** The demo's eBay listings: 1–3 per product, from US, UK and German sellers, new, open-box, refurbished or used. */

import { charm, hash, intBetween, type Random, seeded } from '../random.js';
import { fromUsd } from '../rates.js';
import { PRODUCTS, type Product } from './catalog.js';

/** One eBay listing of a catalog product. */
export interface EbayListing {
  readonly product: Product;
  readonly legacyItemId: string;
  readonly title: string;
  readonly price: number;
  readonly currency: string;
  readonly condition: 'New' | 'Open box' | 'Certified - Refurbished' | 'Used';
  readonly conditionId: string;
  readonly seller: { username: string; feedbackPercentage: string; feedbackScore: number };
  readonly site: 'www.ebay.com' | 'www.ebay.co.uk' | 'www.ebay.de';
  readonly country: 'US' | 'GB' | 'DE';
  /** What shipping to a US buyer costs, in `currency`; `CALCULATED` at checkout, from the buyer's address. */
  readonly shipping: { readonly type: 'FIXED'; readonly cost: number } | { readonly type: 'CALCULATED' };
}

const SELLERS = {
  US: ['electronics_outlet_usa', 'bestdealz4u', 'techhaven', 'audio-closeouts', 'brooklyn_camera_exchange'],
  GB: ['uk_tech_direct', 'soundsgood-uk', 'camerajungle_ltd'],
  DE: ['technik-profi-de', 'audiowelt24'],
} as const;

// What sellers charge to ship, in their currency: a US one often nothing, one abroad more, or a cost eBay
// works out at checkout from the buyer's address (CALCULATED), as heavy or international parcels often are.
const SHIPPING_COSTS = { US: [0, 0, 0, 5.99, 8.95, 25], GB: [14.99, 19.5, 24], DE: [16.9, 22.5] } as const;

/**
 * A listing's shipping, from its own hash rather than the product's sequence, so that prices, sellers and
 * conditions stay what they were before listings had any. A store's new listing (the first) ships free.
 */
function ebayShipping(itemId: string, n: number, country: EbayListing['country']): EbayListing['shipping'] {
  if (n === 0) return { type: 'FIXED', cost: 0 };
  const h = hash('ebay-shipping', itemId);
  if (country !== 'US' && h % 4 === 0) return { type: 'CALCULATED' };
  const costs = SHIPPING_COSTS[country];
  return { type: 'FIXED', cost: costs[(h >>> 2) % costs.length] ?? 0 };
}

const CONDITIONS = [
  { condition: 'New', conditionId: '1000', factor: 0.93 },
  { condition: 'Open box', conditionId: '1500', factor: 0.82 },
  { condition: 'Certified - Refurbished', conditionId: '2000', factor: 0.74 },
  { condition: 'Used', conditionId: '3000', factor: 0.61 },
] as const;

function ebayListing(product: Product, n: number, rnd: Random): EbayListing {
  const country = n === 0 ? 'US' : rnd() < 0.55 ? 'US' : rnd() < 0.6 ? 'GB' : 'DE';
  const currency = country === 'US' ? 'USD' : country === 'GB' ? 'GBP' : 'EUR';
  const c = n === 0 ? CONDITIONS[0] : (CONDITIONS[1 + Math.floor(rnd() * 3)] ?? CONDITIONS[3]);
  // Sellers abroad list at local prices, which after conversion are rarely a bargain.
  const usd = product.list * c.factor * (0.94 + rnd() * 0.12) * (country === 'US' ? 1 : 1.06);
  const username = SELLERS[country][Math.floor(rnd() * SELLERS[country].length)] ?? 'seller';
  const suffix = c.condition === 'New' ? '' : c.condition === 'Used' ? ' - Used, Excellent' : ` - ${c.condition}`;
  const legacyItemId = String(110_000_000_000 + (hash('ebay', product.id, n) % 899_999_999_999));
  return {
    product,
    legacyItemId,
    title: `${product.title}${suffix}`,
    price: charm(fromUsd(usd, currency)),
    currency,
    condition: c.condition,
    conditionId: c.conditionId,
    seller: {
      username,
      feedbackPercentage: (97 + rnd() * 3).toFixed(1),
      feedbackScore: intBetween(rnd, 120, 48_000),
    },
    site: country === 'US' ? 'www.ebay.com' : country === 'GB' ? 'www.ebay.co.uk' : 'www.ebay.de',
    country,
    shipping: ebayShipping(legacyItemId, n, country),
  };
}

/** Every eBay listing, the same at every run. */
export const EBAY_LISTINGS: readonly EbayListing[] = PRODUCTS.flatMap((p) => {
  const rnd = seeded('ebay', p.id);
  const count = intBetween(rnd, 1, 3);
  return Array.from({ length: count }, (_, n) => ebayListing(p, n, rnd));
});
