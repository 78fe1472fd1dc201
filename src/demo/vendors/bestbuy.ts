/**
 * Best Buy Products API: https://bestbuyapis.github.io/api-documentation/#products-api
 * The filter lives in the PATH: `/v1/products(search=sony&search=headphones&salePrice<300)`.
 * `salePrice` is a number and no currency appears anywhere (USD is implied). Shipping is apart from
 * the price: `shippingCost` (the product's lowest) and `freeShipping`, returned when `show=` asks.
 *
 * Terms are split on literal `&` first and each is percent-decoded after, so an encoded `%26`
 * stays inside its value and a search can never add a filter. A `search=` value of several
 * words counts as one `search=` term per word: `products(search=sony%20headphones)` is what a
 * `{{ query }}` URL template sends (its output is percent-encoded, so a template cannot emit
 * the `&` between terms), and it finds what `products(search=sony&search=headphones)` finds. The real
 * API is not so kind: it reads a space in a term as OR ("include an & between the words or it will be
 * treated as an | or"); the demo keeps the AND so that its searches show the mappings, not noise.
 */

import { intParam, type Vendor, type VendorContext } from '../http.js';
import { BESTBUY_PRODUCTS, type BestBuyProduct } from '../shop/bestbuy-products.js';
import { matches, searchWords } from '../shop/search-words.js';

const ATTRIBUTES = [
  'sku',
  'name',
  'salePrice',
  'regularPrice',
  'onSale',
  'url',
  'condition',
  'manufacturer',
  'freeShipping',
  'shippingCost',
] as const satisfies readonly (keyof BestBuyProduct)[];
type Attribute = (typeof ATTRIBUTES)[number];
const isAttribute = (name: string): name is Attribute => (ATTRIBUTES as readonly string[]).includes(name);

const error = (code: number, status: string, message: string) => ({ error: { code, status, message } });
const badRequest = (message: string) => error(400, '400 Bad Request', message);

type Filter = (p: BestBuyProduct) => boolean;

const OPERATORS: Readonly<Record<string, (a: number, b: number) => boolean>> = {
  '=': (a, b) => a === b,
  '!=': (a, b) => a !== b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

/** One `attribute op value` term, still percent-encoded; or an error message. */
function term(encoded: string): Filter | string {
  let text: string;
  try {
    text = decodeURIComponent(encoded);
  } catch {
    return `Couldn't understand '${encoded}': bad percent-encoding`;
  }
  const m = /^([A-Za-z]+)\s*(<=|>=|!=|=|<|>)\s*(.*)$/s.exec(text.trim());
  if (!m) return `Couldn't understand '${text}'`;
  const [, name = '', op = '', raw = ''] = m;
  const value = raw.trim();
  if (!value) return `Couldn't understand '${text}': no value`;
  if (name === 'search') {
    if (op !== '=') return `'search' only supports '=': '${text}'`;
    const words = searchWords(value);
    return (p) => matches({ title: p.name, keywords: p.keywords }, words);
  }
  if (!isAttribute(name)) return `Invalid attribute name '${name}'`;
  if (/[()]/.test(value)) return `Couldn't understand '${text}'`;
  const compare = OPERATORS[op] as (a: number, b: number) => boolean;
  if (name === 'onSale' || name === 'freeShipping') {
    if (value !== 'true' && value !== 'false') return `Invalid value for ${name}: '${value}'`;
    return (p) => compare(Number(p[name]), Number(value === 'true'));
  }
  if (name === 'sku' || name === 'salePrice' || name === 'regularPrice' || name === 'shippingCost') {
    const n = Number(value);
    if (!Number.isFinite(n)) return `Invalid value for ${name}: '${value}'`;
    return (p) => compare(p[name], n);
  }
  if (op !== '=' && op !== '!=') return `Operator '${op}' needs a numeric attribute: '${text}'`;
  // Strings: case-insensitive, `*` is a wildcard.
  const pattern = new RegExp(
    `^${value
      .split('*')
      .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  );
  return (p) => pattern.test(String(p[name])) === (op === '=');
}

/** Parses the raw text between `products(` and `)`: an AND of `&`-separated terms. */
function parseFilter(raw: string): Filter | string {
  if (raw.includes('|')) return `Couldn't understand '(${raw})': '|' (OR) is not supported by the demo`;
  const filters: Filter[] = [];
  for (const part of raw.split('&')) {
    const f = term(part);
    if (typeof f === 'string') return f;
    filters.push(f);
  }
  return (p) => filters.every((f) => f(p));
}

function products(ctx: VendorContext, filterText: string | undefined): void {
  const format = ctx.url.searchParams.get('format');
  if (format !== 'json') {
    // The real API answers XML without `format=json`; a mapping written for JSON would fail.
    ctx.reply(400, badRequest(`The demo only speaks format=json (got ${format ?? 'none'}; the real default is XML)`));
    return;
  }
  const pageSize = intParam(ctx.url, 'pageSize', 10, 1, 100);
  const page = intParam(ctx.url, 'page', 1, 1, 10_000);
  if (pageSize === undefined || page === undefined) {
    ctx.reply(400, badRequest('pageSize must be 1..100 and page a positive integer'));
    return;
  }
  const filter = filterText === undefined ? () => true : parseFilter(filterText);
  if (typeof filter === 'string') {
    ctx.reply(400, badRequest(filter));
    return;
  }
  const show = (ctx.url.searchParams.get('show') ?? 'all').split(',').map((s) => s.trim());
  const keys: Attribute[] = show.includes('all') ? [...ATTRIBUTES] : show.filter(isAttribute);
  const found = BESTBUY_PRODUCTS.filter(filter);
  const start = (page - 1) * pageSize;
  const items = found.slice(start, start + pageSize);
  const params = new URLSearchParams(ctx.url.searchParams);
  params.delete('apiKey');
  ctx.reply(200, {
    from: items.length > 0 ? start + 1 : 0,
    to: start + items.length,
    currentPage: page,
    total: found.length,
    totalPages: Math.ceil(found.length / pageSize),
    queryTime: '0.004',
    totalTime: '0.019',
    partial: false,
    canonicalUrl: `/v1/products${filterText === undefined ? '' : `(${filterText})`}?${params}`,
    products: items.map((p) => Object.fromEntries(keys.map((k) => [k, p[k]]))),
  });
}

export const bestbuy: Vendor = {
  prefix: '/bestbuy',
  latencyMs: 80,
  handle(req, _res, ctx) {
    if (!ctx.url.searchParams.get('apiKey')) {
      ctx.reply(403, error(403, '403 Forbidden', 'Please provide a valid API key in the apiKey query parameter.'));
      return;
    }
    const m = /^\/v1\/products(?:\((.*)\))?$/s.exec(ctx.path);
    if (!m) {
      if (/^\/v1\/products\(/.test(ctx.path)) ctx.reply(400, badRequest(`Couldn't understand '${ctx.path}'`));
      else ctx.reply(404, error(404, '404 Not Found', `No such resource: ${ctx.path}`));
      return;
    }
    if (req.method !== 'GET') {
      ctx.reply(405, error(405, '405 Method Not Allowed', 'Use GET'));
      return;
    }
    products(ctx, m[1]);
  },
};
