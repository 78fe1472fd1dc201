/**
 * `--distinct` over the ranked offers (rank/distinct.ts), as gather (index.ts) ends: each row's count of
 * the offers folded into another, and the warning for a field no offer has, which folds nothing.
 */

import { distinctOffers } from '../rank/distinct.js';
import type { Offer, SourceResult } from '../types.js';
import { codeList } from './code-list.js';
import { nearField, someHas } from './sort-field.js';

/** What --distinct leaves of `ranked`, the rows with their `folded` counts, and its warnings. */
export function foldDistinct(
  ranked: readonly Offer[],
  fields: readonly string[],
  rows: readonly SourceResult[],
): { offers: Offer[]; rows: SourceResult[]; warnings: string[] } {
  const { offers, folded, incomparable } = distinctOffers(ranked, fields);
  // A copy, not the row onSource was handed as the source ended: the count is known only now.
  const counted = rows.map((row) => {
    const n = folded.get(row.name) ?? 0;
    return n > 0 ? { ...row, folded: n } : row;
  });
  return {
    offers,
    rows: counted,
    warnings: [...distinctFieldWarnings(ranked, fields), ...unratedWarnings(incomparable)],
  };
}

/**
 * Offers folded into one in a currency no rate converts theirs to: the first kept may not be the cheaper,
 * and only `alsoAt` would show it. Said, as an unconverted offer the limit cut is (currency-warnings.ts);
 * one line for every code, which a vendor's mapping may make one per offer.
 */
function unratedWarnings(incomparable: ReadonlyMap<string, number>): string[] {
  if (incomparable.size === 0) return [];
  const n = [...incomparable.values()].reduce((a, b) => a + b, 0);
  const offers = n === 1 ? 'an offer' : `${n} offers`;
  const codes = codeList([...incomparable.keys()]);
  return [
    `--distinct folded ${offers} in ${codes}, which no rate converts, into one in another currency: which is cheaper is not known (see alsoAt)`,
  ];
}

/**
 * One warning for each field no offer has, as `--sort`'s (sort-field.ts): every offer lacks it, so each is
 * a group of its own and nothing is folded. A typo names the field meant.
 */
export function distinctFieldWarnings(offers: readonly Offer[], fields: readonly string[]): string[] {
  if (offers.length === 0) return [];
  return fields
    .filter((field) => !someHas(offers, field))
    .map((field) => {
      const warning = `no offer has a field \`${field}\` for --distinct, so no offer was folded`;
      // Every ranked offer has a `rank`, which --distinct refuses: no field to suggest.
      const near = nearField(offers, field);
      return near === undefined || near === 'rank' ? warning : `${warning}; did you mean \`${near}\`?`;
    });
}
