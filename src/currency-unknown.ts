/**
 * A ranking currency that ISO 4217 does not have, that no rate is given for, and that no offer came in
 * (`--currency UDS`): every offer went unconverted, and the warnings named each vendor's code with no rate
 * to it, not the typo. Said, with the code meant when an offer's or a rate's is near it. Not refused
 * before the run: a vendor may price in a code of its own (BTC, points), and a source's `currency:` and
 * the file's may be one, as they may be any three capitals.
 */
import { suggest } from './shared/suggest.js';
import type { Offer } from './types.js';

let iso: ReadonlySet<string> | undefined;

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
  iso ??= new Set(Intl.supportedValuesOf('currency'));
  if (iso.has(currency)) return undefined;
  const near = suggest(currency, [
    ...new Set([...offers.map((o) => o.currency), ...Object.keys(rates), ...(base ? [base] : [])]),
  ]);
  return `the ranking currency ${currency} is no ISO 4217 code, and no offer came in it${near ? `; did you mean ${near}?` : ''}`;
}
