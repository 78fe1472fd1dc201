/**
 * The `original` column: the vendor's own price (`£110.98`) beside one converted into the ranking currency
 * (`$140.94`), which alone did not say what a UK seller charges a shopper comparing it with a US one.
 */

import type { Offer } from '../types.js';
import { shownMoney } from './money.js';
import type { Column } from './table-columns.js';
import { fitColumns, TITLE_FAIR } from './table-fit.js';

const ORIGINAL = 'original';

/** Whether the offer's price was converted from another currency; rounded to its own minor units is not. */
const converted = (o: Offer): boolean =>
  typeof o.originalPrice === 'number' && typeof o.originalCurrency === 'string' && o.originalCurrency !== o.currency;

/**
 * The column, when some offer was converted: its price written in its own currency as the price column
 * writes one (shownMoney: the vendor's code cleaned and cut), blank on an offer that was not. None
 * otherwise: a column of blanks would only take room from the title.
 */
export function originalColumns(offers: readonly Offer[]): Column[] {
  if (!offers.some(converted)) return [];
  const cells = offers.map((o) =>
    converted(o) ? shownMoney(o.originalPrice as number, o.originalCurrency as string) : '',
  );
  // `fixed`: right-aligned and never cut, as the price is, for a cut amount would mislead.
  return [{ head: ORIGINAL, kind: 'fixed', cells }];
}

const isOriginal = (c: Column | undefined): boolean => c?.kind === 'fixed' && c.head === ORIGINAL;

/**
 * fitColumns, with the original price the first column to go: before the url and the extras, when one of
 * them would go with it and not without, or the title would be cut short of its fair width (TITLE_FAIR) with
 * it and be wider without. It repeats what the price column says in another currency, and the JSON and
 * CSV keep it (`originalPrice`), where the url and the extras say what no other column does. It does not
 * go to make a title already readable longer, nor where its room would save no other column.
 */
export function fitWithOriginal(
  shown: readonly Column[],
  measured: readonly number[],
  whole: readonly Column[],
  width: number,
): { columns: readonly Column[]; widths: number[] } {
  const fitted = fitColumns(shown, measured, whole, width);
  const at = shown.findIndex(isOriginal);
  if (at < 0 || !fitted.columns.some(isOriginal)) return fitted;
  const without = <T>(list: readonly T[]) => list.filter((_, i) => i !== at);
  const lesser = fitColumns(without(shown), without(measured), without(whole), width);
  const titleOf = (f: typeof fitted) => f.widths[f.columns.findIndex((c) => c.kind === 'title')] ?? 0;
  const fair = Math.min(TITLE_FAIR, measured[shown.findIndex((c) => c.kind === 'title')] ?? 0);
  const savesColumn = lesser.columns.length > fitted.columns.length - 1;
  const savesTitle = titleOf(fitted) < fair && titleOf(lesser) > titleOf(fitted);
  return savesColumn || savesTitle ? lesser : fitted;
}
