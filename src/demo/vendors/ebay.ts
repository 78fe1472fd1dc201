/**
 * eBay Browse API, `item_summary/search`: https://developer.ebay.com/api-docs/buy/browse/resources/item_summary/methods/search
 * Quirks kept: `price.value` is a string, `itemSummaries` is absent when nothing matches, and
 * paging is by `limit`/`offset` with a `next` link, in best-match order unless `sort=price` asks for
 * the cheapest first. Some sellers are in the UK and Germany. Shipping is each item's
 * `shippingOptions`: a FIXED cost (often 0.00), or CALCULATED with no cost at all. An application
 * token comes from the client-credentials endpoint, with Basic client authentication.
 */

import { bearer, intParam, type Vendor, type VendorContext } from '../http.js';
import { demoTokens } from '../oauth.js';
import { token } from '../random.js';
import { DEMO_RATES } from '../rates.js';
import { EBAY_LISTINGS, type EbayListing } from '../shop/ebay-listings.js';
import { matches, searchWords } from '../shop/search-words.js';

const SEARCH = '/buy/browse/v1/item_summary/search';

const error = (errorId: number, message: string, extra: Record<string, unknown> = {}) => ({
  errors: [{ errorId, domain: 'API_BROWSE', category: 'REQUEST', message, ...extra }],
});

const MARKETPLACE = { US: 'EBAY_US', GB: 'EBAY_GB', DE: 'EBAY_DE' } as const;

function summary(l: EbayListing) {
  const itemId = `v1|${l.legacyItemId}|0`;
  return {
    itemId,
    title: l.title,
    image: { imageUrl: `https://i.ebayimg.com/images/g/${token(16, 'img', l.legacyItemId)}/s-l225.jpg` },
    price: { value: l.price.toFixed(2), currency: l.currency },
    itemHref: `https://api.ebay.com/buy/browse/v1/item/${encodeURIComponent(itemId)}`,
    seller: l.seller,
    condition: l.condition,
    conditionId: l.conditionId,
    // Like the real API: a CALCULATED option has no cost until the buyer's address is known.
    shippingOptions: [
      l.shipping.type === 'FIXED'
        ? { shippingCostType: 'FIXED', shippingCost: { value: l.shipping.cost.toFixed(2), currency: l.currency } }
        : { shippingCostType: 'CALCULATED' },
    ],
    buyingOptions: ['FIXED_PRICE'],
    itemWebUrl: `https://${l.site}/itm/${l.legacyItemId}`,
    itemLocation: { country: l.country },
    adultOnly: false,
    legacyItemId: l.legacyItemId,
    listingMarketplaceId: MARKETPLACE[l.country],
  };
}

/**
 * What `sort=price` ranks a listing by: its price and fixed shipping, in dollars, since the marketplace
 * compares listings of every currency; a CALCULATED cost counts as none, as the API cannot know it.
 */
function totalUsd(l: EbayListing): number {
  const shipping = l.shipping.type === 'FIXED' ? l.shipping.cost : 0;
  return (l.price + shipping) * (DEMO_RATES[l.currency] ?? 1);
}

function search(ctx: VendorContext): void {
  const q = ctx.url.searchParams.get('q')?.trim();
  if (!q) {
    ctx.reply(
      400,
      error(12001, "The call must have a valid 'q', 'category_ids', 'epid' or 'gtin' query parameter.", {
        parameters: [{ name: 'q', value: '' }],
      }),
    );
    return;
  }
  const limit = intParam(ctx.url, 'limit', 50, 1, 200);
  if (limit === undefined) {
    ctx.reply(400, error(12002, "The 'limit' value should be between 1 and 200 (inclusive)."));
    return;
  }
  const offset = intParam(ctx.url, 'offset', 0, 0, 9999);
  if (offset === undefined) {
    ctx.reply(400, error(12003, "The 'offset' value cannot be negative or greater than 9999."));
    return;
  }
  // Best match (the catalog's order) unless asked: `price` cheapest first, `-price` dearest first.
  const sort = ctx.url.searchParams.get('sort');
  if (sort !== null && sort !== 'price' && sort !== '-price') {
    ctx.reply(400, error(12023, `The 'sort' value '${sort}' is invalid; the demo sorts by price or -price.`));
    return;
  }
  const words = searchWords(q);
  const found = EBAY_LISTINGS.filter((l) => matches({ title: l.title, keywords: l.product.keywords }, words));
  if (sort) found.sort((a, b) => (sort === 'price' ? 1 : -1) * (totalUsd(a) - totalUsd(b)));
  // As the real API's links do, they keep the request's `filter` (`buyingOptions:{FIXED_PRICE}`): page 2
  // without it would list the auctions page 1 left out.
  const filter = ctx.url.searchParams.get('filter');
  const page = (at: number) =>
    `${ctx.base}${SEARCH}?q=${encodeURIComponent(q)}${filter === null ? '' : `&filter=${encodeURIComponent(filter)}`}${sort ? `&sort=${sort}` : ''}&limit=${limit}&offset=${Math.max(0, at)}`;
  const items = found.slice(offset, offset + limit);
  ctx.reply(200, {
    href: page(offset),
    total: found.length,
    ...(offset + limit < found.length ? { next: page(offset + limit) } : {}),
    ...(offset > 0 ? { prev: page(offset - limit) } : {}),
    limit,
    offset,
    // Like the real API: no results means no `itemSummaries` key at all.
    ...(items.length > 0 ? { itemSummaries: items.map(summary) } : {}),
  });
}

/** POST /identity/v1/oauth2/token, the client id and secret in a Basic header. */
const TOKEN = '/identity/v1/oauth2/token';
const tokens = demoTokens('basic', (_status, error, text) => ({ error, error_description: text }));

export const ebay: Vendor = {
  prefix: '/ebay',
  latencyMs: 120,
  latencyOf: (path) => (path === TOKEN ? 60 : undefined),
  handle(req, _res, ctx) {
    if (ctx.path === TOKEN) {
      // eBay's token_type is not "Bearer", yet the token is sent as one: a quirk clients must tolerate.
      tokens.issue(req, ctx, (token) => ({
        access_token: token,
        expires_in: 7200,
        token_type: 'Application Access Token',
      }));
      return;
    }
    // Any bearer token will do here (the Browse API tests send their own); the example config gets one above.
    if (!bearer(req)) {
      ctx.reply(401, {
        errors: [
          {
            errorId: 1001,
            domain: 'OAuth',
            category: 'REQUEST',
            message: 'Invalid access token',
            longMessage: 'Invalid access token. Check the value of the Authorization HTTP request header.',
          },
        ],
      });
      return;
    }
    if (ctx.path !== SEARCH) {
      ctx.reply(404, error(2002, `Resource not found: ${ctx.path}`));
      return;
    }
    if (req.method !== 'GET') {
      ctx.reply(405, error(2003, `Method ${req.method} is not allowed; use GET.`));
      return;
    }
    search(ctx);
  },
};
