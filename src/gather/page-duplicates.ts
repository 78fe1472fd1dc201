/**
 * A paged source's listing met again on a later page. Offset paging shifts when the vendor's list
 * changes between two page requests: a listing added (or sold) between page 1 and page 2 pushes an
 * item onto both, and a user saw one eBay listing three times in `-s all`. An offer's `url` names its
 * listing, so a later page's offer with the `url` of an earlier page's is that listing again.
 */
import { createHash } from 'node:crypto';
import type { Offer } from '../types.js';

/** One source's offers from its pages, in page order, with each listing once; and how many were met again. */
export interface JoinedPages {
  readonly offers: Offer[];
  /** Offers of a later page whose listing an earlier page had: left out, the earlier one's place kept. */
  readonly duplicates: number;
}

/**
 * Concatenates the offers of a source's pages, each listing once. Offers of one page are never merged
 * (two variants may share their product's url), and an offer without a url is never a duplicate.
 * A url that two offers of one page share names no single listing (variants, or a mapping that gives
 * every offer the shop's home page), so it merges nothing on any page: taken as a listing's, every
 * page after the first would have been lost as duplicates of one item.
 *
 * The listing met again is the newer answer (its page was asked for after the earlier one's), so its
 * offer takes the earlier one's place: a price-comparison user wants the price the vendor asks now.
 * An auction's bid rose, or a seller cut the price, between the two requests; keeping the first would
 * rank the listing by a price the vendor no longer asks, and the cheaper of the two (kinder only when
 * it fell) would show a price that rose as still low, to be found dearer on the vendor's page.
 */
export function joinPages(pages: readonly (readonly Offer[])[]): JoinedPages {
  // One body (a plain answer, a poll's last): nothing to join, and no Map for a 100,000-offer answer.
  if (pages.length === 1) return { offers: [...(pages[0] ?? [])], duplicates: 0 };
  const offers: Offer[] = [];
  // Each listing's place in `offers`, by url; `null` once a url is shared on a page (it names no one listing).
  const placeOf = new Map<string, number | null>();
  let duplicates = 0;
  for (const page of pages) {
    const onPage = new Map<string, number>();
    for (const o of page) {
      const url = urlOf(o);
      if (url !== undefined) onPage.set(url, (onPage.get(url) ?? 0) + 1);
    }
    for (const o of page) {
      const url = urlOf(o);
      if (url === undefined) {
        offers.push(o);
        continue;
      }
      const place = placeOf.get(url);
      if ((onPage.get(url) ?? 0) > 1) placeOf.set(url, null);
      else if (place === undefined) placeOf.set(url, offers.length);
      else if (place !== null) {
        offers[place] = o;
        duplicates++;
        continue;
      }
      offers.push(o);
    }
  }
  return { offers, duplicates };
}

/**
 * The key of the offer's url as the mapping left it (map/offer.ts: the first link, an http(s) or relative
 * one), if any. V8 hashes a string past 16,383 characters by its length alone, so a vendor's urls of one
 * long length all collide in a Map, each lookup compared with every one before it: 2 pages of 1,000
 * offers with 17,000-character urls took 14 s, in one synchronous loop no --deadline could cut. A long
 * url is keyed by its digest; `\0` starts no url (cleanText took the controls out), so none is taken for one.
 */
function urlOf(o: Offer): string | undefined {
  if (typeof o.url !== 'string' || o.url === '') return undefined;
  if (o.url.length <= LONG_URL) return o.url;
  return `\0${createHash('sha256').update(o.url).digest('base64')}`;
}

/** Below V8's limit for hashing a string's characters (String::kMaxHashCalcLength, 16,383). */
const LONG_URL = 4096;
