/**
 * A ranking currency that ISO 4217 does not have, that no rate is given for, and that no offer came in
 * (`--currency UDS`): every offer went unconverted, and the warnings named each vendor's code with no rate
 * to it, not the typo. Said, with the code meant when an offer's or a rate's is near it. Not refused
 * before the run: a vendor may price in a code of its own (BTC, points), and a source's `currency:` and
 * the file's may be one, as they may be any three capitals. And a real ranking currency that `rates` lacks
 * (noteRankingRate), named once with the fix.
 */
import { codeList } from './gather/code-list.js';
import type { Rates } from './rank/convert.js';
import { isoCurrencies } from './shared/iso-currencies.js';
import { suggest } from './shared/suggest.js';
import { NO_CURRENCY, type Offer } from './types.js';

/** Whether ISO 4217 has `code` (as Intl knows it). */
export const isIsoCurrency = (code: string): boolean => isoCurrencies().has(code);

/**
 * The warning for the caller's `currency` over the offers listed, or undefined; `rates` are the file's, by
 * code, into its `base` currency, each of which the run could convert into.
 */
export function unknownCurrencyWarning(
  currency: string | undefined,
  offers: readonly Offer[],
  rates: Readonly<Record<string, number>>,
  base: string | undefined,
): string | undefined {
  if (currency === undefined || currency === base || offers.length === 0 || Object.hasOwn(rates, currency))
    return undefined;
  if (offers.some((o) => o.currency === currency)) return undefined;
  if (isIsoCurrency(currency)) return undefined;
  const near = suggest(currency, [
    ...new Set([...offers.map((o) => o.currency), ...Object.keys(rates), ...(base ? [base] : [])]),
  ]);
  return `the ranking currency ${currency} is no ISO 4217 code, and no offer came in it${near ? `; did you mean ${near}?` : ''}`;
}

/**
 * The ranking currency itself has no rate: `--currency JPY` with `rates` given in USD and no `JPY:`. The
 * per-code lines then read `no rate for EUR to JPY`, and the reader looked for the fault at EUR, which
 * has its rate. Said once, first, with the fix.
 */
export function noteRankingRate(
  currency: string | undefined,
  { base, rates }: Rates,
  codes: Iterable<string>,
  warnings: string[],
): void {
  if (currency === undefined || base === undefined || currency === base || Object.hasOwn(rates, currency)) return;
  // A code ISO 4217 lacks is more likely a typo (`UDS`), which unknownCurrencyWarning names instead.
  if (!isIsoCurrency(currency)) return;
  if (![...codes].some((code) => code !== NO_CURRENCY && code !== currency)) return;
  const named = codeList([currency]);
  warnings.push(
    `\`rates\` has no ${named}, the ranking currency: add what one ${named} is worth in ${codeList([base])} to convert the other currencies to it`,
  );
}
