/**
 * Made-up but plausible product data for the demo vendors. Every vendor's listings are derived
 * from one catalog with seeded randomness, so they overlap like real marketplaces do, and the
 * same search always returns the same items and prices.
 */
import { charm, hash, intBetween, type Random, seeded } from './random.js';

/** USD per unit of each currency, the same as in sources.example.yaml, so conversions line up. */
export const DEMO_RATES: Readonly<Record<string, number>> = { USD: 1, EUR: 1.08, GBP: 1.27 };

/** A USD amount in `currency` (USD, EUR or GBP). */
export const fromUsd = (usd: number, currency: string): number => usd / (DEMO_RATES[currency] ?? 1);

interface Product {
  readonly id: string;
  readonly title: string;
  /** Search terms beyond the title. */
  readonly keywords: string;
  /** List price in USD. */
  readonly list: number;
}

/** New retail electronics: what eBay and Best Buy carry. */
const PRODUCTS: readonly Product[] = [
  // Headphones
  {
    id: 'sony-wh1000xm5',
    title: 'Sony WH-1000XM5 Wireless Noise Cancelling Headphones',
    keywords: 'over-ear bluetooth anc',
    list: 399.99,
  },
  {
    id: 'sony-wh1000xm4',
    title: 'Sony WH-1000XM4 Wireless Noise Cancelling Over-Ear Headphones',
    keywords: 'bluetooth anc',
    list: 349.99,
  },
  {
    id: 'sony-whch720n',
    title: 'Sony WH-CH720N Wireless Noise Canceling Headphones',
    keywords: 'over-ear bluetooth anc',
    list: 149.99,
  },
  { id: 'sony-mdr7506', title: 'Sony MDR-7506 Professional Studio Headphones', keywords: 'wired monitor', list: 99.99 },
  {
    id: 'bose-qc-ultra',
    title: 'Bose QuietComfort Ultra Wireless Noise Cancelling Headphones',
    keywords: 'over-ear bluetooth anc',
    list: 429,
  },
  {
    id: 'bose-qc45',
    title: 'Bose QuietComfort 45 Bluetooth Wireless Headphones',
    keywords: 'over-ear anc noise cancelling',
    list: 329,
  },
  {
    id: 'airpods-max',
    title: 'Apple AirPods Max Wireless Over-Ear Headphones (USB-C), Midnight',
    keywords: 'bluetooth anc noise cancelling',
    list: 549,
  },
  {
    id: 'sennheiser-m4',
    title: 'Sennheiser Momentum 4 Wireless Headphones',
    keywords: 'over-ear bluetooth anc noise cancelling',
    list: 379.95,
  },
  {
    id: 'ath-m50x',
    title: 'Audio-Technica ATH-M50x Professional Studio Monitor Headphones',
    keywords: 'wired over-ear',
    list: 169,
  },
  {
    id: 'beats-studio-pro',
    title: 'Beats Studio Pro Wireless Noise Cancelling Headphones',
    keywords: 'over-ear bluetooth anc',
    list: 349.99,
  },
  // Earbuds
  {
    id: 'sony-wf1000xm5',
    title: 'Sony WF-1000XM5 Truly Wireless Noise Cancelling Earbuds',
    keywords: 'in-ear bluetooth anc headphones',
    list: 299.99,
  },
  {
    id: 'airpods-pro-2',
    title: 'Apple AirPods Pro 2 Wireless Earbuds with USB-C Charging Case',
    keywords: 'in-ear bluetooth anc noise cancelling headphones',
    list: 249,
  },
  {
    id: 'galaxy-buds3-pro',
    title: 'Samsung Galaxy Buds3 Pro True Wireless Earbuds',
    keywords: 'in-ear bluetooth anc noise cancelling headphones',
    list: 249.99,
  },
  {
    id: 'bose-qc-ultra-earbuds',
    title: 'Bose QuietComfort Ultra Earbuds',
    keywords: 'in-ear wireless bluetooth anc noise cancelling headphones',
    list: 299,
  },
  {
    id: 'jabra-elite-10',
    title: 'Jabra Elite 10 Gen 2 True Wireless Earbuds',
    keywords: 'in-ear bluetooth anc noise cancelling headphones',
    list: 279.99,
  },
  {
    id: 'nothing-ear-a',
    title: 'Nothing Ear (a) Wireless Earbuds, Yellow',
    keywords: 'in-ear bluetooth anc noise cancelling headphones',
    list: 99,
  },
  // Cameras
  {
    id: 'sony-a7iv',
    title: 'Sony Alpha 7 IV Full-Frame Mirrorless Interchangeable Lens Camera (Body Only)',
    keywords: 'a7 iv ilce-7m4 digital camera',
    list: 2499.99,
  },
  {
    id: 'sony-zv1-ii',
    title: 'Sony ZV-1 II Vlog Camera for Content Creators',
    keywords: 'compact digital camera',
    list: 899.99,
  },
  {
    id: 'canon-r6-ii',
    title: 'Canon EOS R6 Mark II Mirrorless Camera (Body Only)',
    keywords: 'full-frame digital camera',
    list: 2499,
  },
  {
    id: 'canon-g7x-iii',
    title: 'Canon PowerShot G7 X Mark III Digital Camera, Black',
    keywords: 'compact vlog camera',
    list: 749.99,
  },
  {
    id: 'fuji-x100vi',
    title: 'Fujifilm X100VI Digital Camera, Silver',
    keywords: 'compact fuji camera',
    list: 1599.95,
  },
  {
    id: 'nikon-z6-iii',
    title: 'Nikon Z6 III Mirrorless Camera (Body Only)',
    keywords: 'full-frame digital camera',
    list: 2499.95,
  },
  {
    id: 'gopro-hero13',
    title: 'GoPro HERO13 Black Waterproof Action Camera',
    keywords: '5.3k video camera',
    list: 399.99,
  },
  // Speakers and more
  {
    id: 'sonos-era-100',
    title: 'Sonos Era 100 Wireless Smart Speaker, Black',
    keywords: 'bluetooth wifi speaker',
    list: 249,
  },
  {
    id: 'jbl-flip-6',
    title: 'JBL Flip 6 Portable Waterproof Bluetooth Speaker',
    keywords: 'wireless speaker',
    list: 129.95,
  },
  {
    id: 'bose-soundlink-flex',
    title: 'Bose SoundLink Flex Portable Bluetooth Speaker',
    keywords: 'wireless speaker',
    list: 149,
  },
  {
    id: 'kindle-paperwhite',
    title: 'Amazon Kindle Paperwhite 16GB (2024 release)',
    keywords: 'ereader e-reader',
    list: 159.99,
  },
  {
    id: 'switch-oled',
    title: 'Nintendo Switch – OLED Model with White Joy-Con',
    keywords: 'console gaming',
    list: 349.99,
  },
  {
    id: 'mx-master-3s',
    title: 'Logitech MX Master 3S Performance Wireless Mouse',
    keywords: 'bluetooth mouse',
    list: 99.99,
  },
  { id: 'keychron-k2', title: 'Keychron K2 Wireless Mechanical Keyboard', keywords: 'bluetooth keyboard', list: 99 },
];

/** Handmade and vintage items: what Etsy carries. Prices are in the seller's currency. */
export interface EtsyItem {
  readonly id: string;
  readonly title: string;
  readonly keywords: string;
  readonly price: number;
  readonly currency: string;
  readonly shop: string;
}

export const ETSY_ITEMS: readonly EtsyItem[] = [
  {
    id: 'canon-ae1',
    title: 'Vintage Canon AE-1 Program 35mm Film Camera with 50mm f/1.8 Lens, Tested',
    keywords: 'slr analog camera',
    price: 249.99,
    currency: 'EUR',
    shop: 'BerlinFilmCameras',
  },
  {
    id: 'olympus-om1',
    title: 'Olympus OM-1 35mm SLR Film Camera, Black, Serviced 2025',
    keywords: 'vintage analog camera',
    price: 289,
    currency: 'GBP',
    shop: 'LeedsCameraWorks',
  },
  {
    id: 'polaroid-sx70',
    title: 'Polaroid SX-70 Land Camera, Refurbished, 1970s',
    keywords: 'vintage instant camera',
    price: 395,
    currency: 'USD',
    shop: 'InstantClassics',
  },
  {
    id: 'sony-mdr3',
    title: 'Vintage Sony MDR-3 Walkman Headphones, 1980s, Working',
    keywords: 'retro stereo on-ear',
    price: 64.5,
    currency: 'EUR',
    shop: 'RetroAudioNL',
  },
  {
    id: 'koss-pro4aa',
    title: 'Koss Pro-4AA Studio Headphones, 1970s, Original Box',
    keywords: 'vintage stereo',
    price: 120,
    currency: 'USD',
    shop: 'HiFiAttic',
  },
  {
    id: 'walnut-stand',
    title: 'Handmade Walnut Headphone Stand, Personalised Engraving',
    keywords: 'headphones holder wood desk gift',
    price: 45,
    currency: 'EUR',
    shop: 'HolzWerkstattMuc',
  },
  {
    id: 'oak-stand',
    title: 'Solid Oak Headphone Hanger for Desk, Under-Desk Mount',
    keywords: 'headphones holder wood',
    price: 32,
    currency: 'GBP',
    shop: 'OakAndIron',
  },
  {
    id: 'leather-strap',
    title: 'Personalized Leather Camera Strap, Hand Stitched',
    keywords: 'sony canon nikon fuji gift',
    price: 38,
    currency: 'GBP',
    shop: 'CotswoldLeather',
  },
  {
    id: 'crochet-case',
    title: 'Crochet AirPods Pro Case, Handmade Earbuds Cover',
    keywords: 'earbud pouch knitted',
    price: 14.9,
    currency: 'EUR',
    shop: 'MaschenLiebe',
  },
  {
    id: 'knit-covers',
    title: 'Knitted Headphone Covers, Wool Ear Warmers for Over-Ear Headphones',
    keywords: 'cozy winter',
    price: 22,
    currency: 'USD',
    shop: 'CozyStitchCo',
  },
  {
    id: 'lens-cap',
    title: 'Custom Engraved Lens Cap Keeper for Fujifilm X100 Cameras',
    keywords: 'fuji x100vi accessory',
    price: 18.5,
    currency: 'USD',
    shop: 'ShutterCraft',
  },
  {
    id: 'speaker-stand',
    title: 'Walnut Speaker Stand for Sonos Era 100, Pair',
    keywords: 'wood desk speakers',
    price: 89,
    currency: 'EUR',
    shop: 'HolzWerkstattMuc',
  },
];

const stem = (word: string): string => (word.length > 3 && word.endsWith('s') ? word.slice(0, -1) : word);

/** Lowercase search words, crudely stemmed so that "headphones" finds "Headphone Stand". */
export const searchWords = (text: string): string[] =>
  text
    .toLowerCase()
    .split(/[^\p{L}\p{N}.-]+/u)
    .filter(Boolean)
    .map(stem);

/** True when every word occurs in the item's title or keywords. An empty search matches all. */
export function matches(item: { title: string; keywords: string }, words: readonly string[]): boolean {
  const haystack = `${item.title} ${item.keywords}`.toLowerCase();
  return words.every((w) => haystack.includes(w));
}

const slug = (title: string): string =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

// ── eBay: 1–3 listings per product, from US, UK and German sellers ────────────────────────────

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

export const EBAY_LISTINGS: readonly EbayListing[] = PRODUCTS.flatMap((p) => {
  const rnd = seeded('ebay', p.id);
  const count = intBetween(rnd, 1, 3);
  return Array.from({ length: count }, (_, n) => ebayListing(p, n, rnd));
});

// ── Best Buy: one SKU per product, USD only, some on sale ─────────────────────────────────────

export interface BestBuyProduct {
  readonly sku: number;
  readonly name: string;
  readonly keywords: string;
  readonly regularPrice: number;
  readonly salePrice: number;
  readonly onSale: boolean;
  readonly url: string;
  readonly condition: string;
  readonly manufacturer: string;
  /** Best Buy's words: "qualifies for free shipping". */
  readonly freeShipping: boolean;
  /** Best Buy's words: "the product's lowest shipping costs"; 0 when it ships free. */
  readonly shippingCost: number;
}

/** The demo's rule, not one the API documents: a product of $35 or more ships free; below, it costs $5.99. */
const FREE_SHIPPING_FROM = 35;

export const BESTBUY_PRODUCTS: readonly BestBuyProduct[] = PRODUCTS.filter((p) => hash('bestbuy', p.id) % 7 !== 0).map(
  (p) => {
    const rnd = seeded('bestbuy', p.id);
    const sku = 6_400_000 + (hash('bestbuy-sku', p.id) % 600_000);
    const onSale = rnd() < 0.45;
    const salePrice = onSale ? charm(p.list * (0.78 + rnd() * 0.15)) : p.list;
    return {
      sku,
      name: p.title,
      keywords: p.keywords,
      regularPrice: p.list,
      salePrice,
      onSale,
      url: `https://www.bestbuy.com/site/${slug(p.title)}/${sku}.p?skuId=${sku}`,
      condition: 'New',
      manufacturer: p.title.split(' ')[0] ?? '',
      freeShipping: salePrice >= FREE_SHIPPING_FROM,
      shippingCost: salePrice >= FREE_SHIPPING_FROM ? 0 : 5.99,
    };
  },
);

/** Etsy listing ids: stable, 10 digits. */
export const etsyListingId = (item: EtsyItem): number => 1_000_000_000 + (hash('etsy', item.id) % 899_999_999);

/** Etsy's listing URL form. */
export const etsyUrl = (item: EtsyItem): string =>
  `https://www.etsy.com/listing/${etsyListingId(item)}/${slug(item.title).slice(0, 60)}`;
