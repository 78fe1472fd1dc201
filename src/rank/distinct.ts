/**
 * `--distinct carrier,departure`: offers with equal values of all those fields are one group, and only the
 * first of each group in the final ranking is kept, with where else it was offered (`alsoAt`). Runs on
 * the ranked list (converted, `--where`, `--sort`/`--desc`) and before `--limit`, so the kept one is the
 * cheapest under the default order, and `--limit 5` means five different flights.
 */
import type { AlsoAt, Offer } from '../types.js';
import { ownField } from './index.js';

/**
 * One value's part of a group key, or undefined for no value: absent, null, blank text, or a number JSON
 * writes as null (Infinity, NaN). Text compares exactly (case, accents) but for its runs of white space,
 * which no table shows: `"LH  673 "` is `"LH 673"`. A number and the same digits as text differ, as they
 * do in `--json` and in `--where`'s `=`. Any other value compares by its JSON.
 */
function valueKey(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') {
    const text = value.replace(/\s+/g, ' ').trim();
    return text === '' ? undefined : `s${text}`;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? `n${value}` : undefined;
  if (typeof value === 'boolean') return `b${value}`;
  try {
    const json = JSON.stringify(value);
    return json === undefined ? undefined : `j${json}`;
  } catch {
    // A library caller's value JSON cannot write (a cycle, a BigInt): no value to be equal to another's.
    return undefined;
  }
}

/** The offer's group key over `fields`; undefined when it lacks one of them, so that it is a group of its own. */
function groupKey(offer: Offer, fields: readonly string[]): string | undefined {
  const parts: string[] = [];
  for (const field of fields) {
    const part = valueKey(ownField(offer, field));
    if (part === undefined) return undefined;
    parts.push(part);
  }
  return JSON.stringify(parts);
}

/** What distinctOffers() keeps, and how many offers of each source it folded into another. */
export interface Distinct {
  offers: Offer[];
  /** By source name: offers of it folded into one ranked before them (theirs or another source's). */
  folded: Map<string, number>;
  /**
   * By currency code: offers folded into one in another currency, which no rate converted between them
   * (an offer in JPY with no rate, folded into a converted one): which of the two is cheaper is not known.
   */
  incomparable: Map<string, number>;
}

/**
 * The first offer of each group of `ranked` (already in its final order), renumbered from 1, each with
 * `alsoAt`: the group's other offers, in ranking order ([] when none). An offer missing a field is kept.
 */
export function distinctOffers(ranked: readonly Offer[], fields: readonly string[]): Distinct {
  const groups = new Map<string, { currency: string; also: AlsoAt[] }>();
  const kept: { offer: Offer; also: AlsoAt[] }[] = [];
  const folded = new Map<string, number>();
  const incomparable = new Map<string, number>();
  for (const offer of ranked) {
    const key = groupKey(offer, fields);
    const group = key === undefined ? undefined : groups.get(key);
    if (group === undefined) {
      const also: AlsoAt[] = [];
      if (key !== undefined) groups.set(key, { currency: offer.currency, also });
      kept.push({ offer, also });
      continue;
    }
    group.also.push({
      source: offer.source,
      price: offer.price,
      currency: offer.currency,
      ...(offer.url === undefined ? {} : { url: offer.url }),
    });
    folded.set(offer.source, (folded.get(offer.source) ?? 0) + 1);
    // Converted offers are all in the ranking currency: another code is one with no rate.
    if (offer.currency !== group.currency)
      incomparable.set(offer.currency, (incomparable.get(offer.currency) ?? 0) + 1);
  }
  // `rank` first, as rank() writes it, and `alsoAt` after the mapped fields: a long list read last.
  const offers = kept.map(({ offer, also }, i) => {
    const copy: Offer = { rank: 0, ...offer };
    copy.rank = i + 1;
    copy.alsoAt = also;
    return copy;
  });
  return { offers, folded, incomparable };
}
