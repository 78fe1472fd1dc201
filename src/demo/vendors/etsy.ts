/**
 * Etsy Open API v3, `findAllListingsActive`: https://developers.etsy.com/documentation/reference#operation/findAllListingsActive
 * Quirk kept: prices are `{amount, divisor, currency_code}` integers (24999 / 100 = 249.99), in
 * the seller's currency. This is the demo's flaky vendor: it fails with 503 at the server's
 * `failRate`, before looking at the request, the way an overloaded upstream does.
 */

import { header, intParam, type Vendor, type VendorContext } from '../http.js';
import { hash } from '../random.js';
import { ETSY_ITEMS, type EtsyItem, etsyListingId, etsyUrl } from '../shop/etsy-items.js';
import { matches, searchWords } from '../shop/search-words.js';

const LISTINGS = '/v3/application/listings/active';

const SORT_ON = ['created', 'price', 'updated', 'score'] as const;

function listing(item: EtsyItem) {
  const id = etsyListingId(item);
  const created = 1_700_000_000 + (hash('created', item.id) % 40_000_000);
  return {
    listing_id: id,
    user_id: 10_000_000 + (hash('user', item.shop) % 89_999_999),
    shop_id: 20_000_000 + (hash('shop', item.shop) % 29_999_999),
    title: item.title,
    state: 'active',
    creation_timestamp: created,
    last_modified_timestamp: created + 86_400,
    url: etsyUrl(item),
    quantity: 1 + (hash('qty', item.id) % 5),
    price: { amount: Math.round(item.price * 100), divisor: 100, currency_code: item.currency },
    tags: item.keywords.split(' ').slice(0, 13),
    // Etsy sells what its sellers made, or vintage (20 years or older), or craft supplies.
    who_made: /vintage|19[0-9]0s/i.test(`${item.title} ${item.keywords}`) ? 'someone_else' : 'i_did',
    is_supply: false,
    is_customizable: /personali[sz]ed|custom/i.test(item.title),
  };
}

function search(ctx: VendorContext): void {
  const limit = intParam(ctx.url, 'limit', 25, 1, 100);
  if (limit === undefined) {
    ctx.reply(400, { error: 'Expected int >= 1 and <= 100 for parameter "limit".' });
    return;
  }
  const offset = intParam(ctx.url, 'offset', 0, 0, 12_000);
  if (offset === undefined) {
    ctx.reply(400, { error: 'Expected int >= 0 and <= 12000 for parameter "offset".' });
    return;
  }
  const sortOn = ctx.url.searchParams.get('sort_on') ?? 'created';
  if (!(SORT_ON as readonly string[]).includes(sortOn)) {
    ctx.reply(400, { error: `Expected one of ${SORT_ON.join(', ')} for parameter "sort_on".` });
    return;
  }
  const order = ctx.url.searchParams.get('sort_order') ?? 'desc';
  if (!['asc', 'ascending', 'desc', 'descending', 'up', 'down'].includes(order)) {
    ctx.reply(400, { error: 'Expected asc or desc for parameter "sort_order".' });
    return;
  }
  const words = searchWords(ctx.url.searchParams.get('keywords') ?? '');
  const found = ETSY_ITEMS.filter((item) => matches(item, words)).map(listing);
  type Listing = (typeof found)[number];
  const key: ((l: Listing) => number) | undefined =
    sortOn === 'price'
      ? (l) => l.price.amount
      : sortOn === 'created'
        ? (l) => l.creation_timestamp
        : sortOn === 'updated'
          ? (l) => l.last_modified_timestamp
          : undefined;
  const direction = /^(asc|ascending|up)$/.test(order) ? 1 : -1;
  if (key) found.sort((a, b) => direction * (key(a) - key(b)) || a.listing_id - b.listing_id);
  ctx.reply(200, { count: found.length, results: found.slice(offset, offset + limit) });
}

export const etsy: Vendor = {
  prefix: '/etsy',
  latencyMs: 450,
  outage: { status: 503, body: { error: 'Service Unavailable. Please try again later.' } },
  handle(req, _res, ctx) {
    if (!header(req, 'x-api-key')) {
      ctx.reply(403, { error: 'Missing or invalid API key: send it in the x-api-key header.' });
      return;
    }
    if (ctx.path !== LISTINGS) {
      ctx.reply(404, { error: `Resource not found: ${ctx.path}` });
      return;
    }
    if (req.method !== 'GET') {
      ctx.reply(405, { error: `Method ${req.method} not allowed` });
      return;
    }
    search(ctx);
  },
};
