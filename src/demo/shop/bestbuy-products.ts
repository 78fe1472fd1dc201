/** The demo's Best Buy products: one SKU per catalog product (most of them), USD only, some on sale. */
import { charm, hash, seeded } from '../random.js';
import { PRODUCTS } from './catalog.js';
import { slug } from './slug.js';

/** One Best Buy product, as its Products API describes it. */
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

/** Every Best Buy product, the same at every run. */
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
