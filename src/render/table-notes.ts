/** The notes under the table: why starred prices were not converted, and which columns were hidden for width. */

import { cleanText } from '../shared/sanitize.js';
import { NO_CURRENCY, type Offer, type SearchResult } from '../types.js';
import type { TableOptions } from './table.js';

/** The footnote on the prices: why the starred ones were not converted, or that some gave no currency; or none. */
export function unconvertedNote(result: SearchResult, opts: TableOptions): string {
  const first = result.offers.findIndex((o) => o.unconverted);
  if (first < 0) {
    // With no ranking currency nothing is starred, and a price of `¤38.00` said nothing on stdout of why:
    // the footnote the README promises for an offer that gave no currency.
    return result.offers.some((o) => o.currency === NO_CURRENCY) ? '¤ no currency given' : '';
  }
  const target = result.currency ? ` to ${cleanText(result.currency)}` : '';
  // Only a ranking by price puts them last; under `--sort stops` an unconverted non-stop is listed first.
  const last =
    (opts.sortedBy ?? 'price') === 'price' && first > 0 && result.offers.slice(first).every((o) => o.unconverted);
  const footnote = `* not converted${target}: ${unconvertedWhy(result.offers)}${last ? '; ranked last' : ''}`;
  return opts.width && footnote.length > opts.width ? `${footnote.slice(0, opts.width - 1)}…` : footnote;
}

/**
 * The footnote on `kiwi +3`: what the count is, under `--distinct`, when some row has one. The fields are
 * the user's own words, checked as names (rank/distinct-fields.ts).
 */
export function alsoAtNote(result: SearchResult, opts: TableOptions): string {
  if (!result.offers.some((o) => o.alsoAt?.length)) return '';
  const fields = result.distinct?.length ? ` with the same ${result.distinct.join(', ')}` : '';
  const note = `+N: N more offers${fields} (alsoAt in --json)`;
  return opts.width && note.length > opts.width ? `${note.slice(0, opts.width - 1)}…` : note;
}

// Short enough that a note naming two columns fits 60 columns; the `for width` says a wider terminal would do.
const HIDDEN_HINT = ' (see --json)';

/**
 * The footnote for columns dropped to fit `width` (the url, extras), in the table's order: without it a
 * reader of a narrow table could not know `departs` was ever there. One line, as the other footnote; too
 * long, it names fewer columns (`…` for the rest) rather than lose the count or how to see them, and is
 * cut at the width, as that one is, only when even `N columns hidden for width: … (see --json)` is.
 */
export function hiddenNote(heads: readonly string[], width: number): string {
  const lead = `${heads.length} column${heads.length === 1 ? '' : 's'} hidden for width: `;
  const whole = `${lead}${heads.join(', ')}${HIDDEN_HINT}`;
  for (let named = heads.length; named >= 0; named--) {
    const note = named === heads.length ? whole : `${lead}${[...heads.slice(0, named), '…'].join(', ')}${HIDDEN_HINT}`;
    if (note.length <= width) return note;
  }
  // Narrower still, the count and where to see them outlast the words: `6 columns hidden for wi…` lost both.
  const counted = `${heads.length} column${heads.length === 1 ? '' : 's'} hidden${HIDDEN_HINT}`;
  if (counted.length <= width) return counted;
  return `${whole.slice(0, width - 1)}…`;
}

/** Why the starred offers were not converted: a code with no rate, or no code at all (`¤5.00`, as the warning says). */
function unconvertedWhy(offers: readonly Offer[]): string {
  const unconverted = offers.filter((o) => o.unconverted);
  const none = unconverted.filter((o) => o.currency === NO_CURRENCY).length;
  if (none === 0) return 'no exchange rate';
  return none === unconverted.length ? 'no currency given' : 'no exchange rate, or no currency given';
}
