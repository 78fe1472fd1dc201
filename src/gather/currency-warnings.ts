/**
 * The currency warnings a run ends with (index.ts): offers in several currencies, and offers with no rate
 * or no currency, listed, cut by the limit, or left out by `--where`.
 */
import { NO_CURRENCY, type Offer } from '../types.js';
import { codeList, MAX_CODES_NAMED, perCode } from './code-list.js';

/** How many offers come in each currency, in the order the currencies first came. */
function currencyCounts(offers: readonly Offer[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const o of offers) counts.set(o.currency, (counts.get(o.currency) ?? 0) + 1);
  return counts;
}

/**
 * With no currency configured, rank in the one most of the listed offers use, and say so when the
 * offers judged (`seen`: the currencies of every offer `--where` judged, or of the listed ones) came in several.
 */
export function commonCurrency(
  listed: readonly Offer[],
  seen: ReadonlySet<string>,
  warnings: string[],
): string | undefined {
  // An offer with no currency at all must not decide the currency of the others.
  const codes = [...seen].filter((code) => code !== NO_CURRENCY);
  if (codes.length > 1) {
    warnings.push(
      `offers come in ${codeList(codes)}; set \`currency\` and \`rates\` in the sources file to rank them together`,
    );
  }
  const counts = [...currencyCounts(listed)].filter(([code]) => code !== NO_CURRENCY);
  return counts.sort((a, b) => b[1] - a[1])[0]?.[0];
}

/**
 * Says which of the listed offers have no rate. `listedLast` when they come after converted ones: only a
 * ranking by price puts them there (under `--sort stops` an unconverted non-stop still comes first, and a
 * warning saying otherwise would hide it), and only when some offer was converted. A code whose offers the
 * limit (`--limit`, `-s best`) all cut is said to be cut only when it was for its currency (`byPrice`):
 * after the converted offers, or, with none converted, after the codes before it (`-s best --currency
 * CHF` picked €64.50 over $60.99 without a word about the dollar offers). Under `--sort stops` it was cut
 * for its stops, as converted offers are.
 */
export function noteUnconverted(
  listed: readonly Offer[],
  ranked: readonly Offer[],
  currency: string | undefined,
  {
    byPrice,
    listedLast,
    mapsCurrency = new Set(),
  }: { byPrice: boolean; listedLast: boolean; mapsCurrency?: ReadonlySet<string> },
  warnings: string[],
): void {
  const shown = new Set(listed.filter((o) => o.unconverted).map((o) => o.currency));
  const cut = byPrice ? ranked.filter((o) => o.unconverted && !shown.has(o.currency)) : [];
  noteUnconvertedListed(listed, currency, listedLast, mapsCurrency, warnings);
  const byCode = sourcesByCode(cut);
  const why = listedLast
    ? 'come after the others, and the limit left them out'
    : 'are grouped by currency, as amounts in different currencies do not compare, and the limit left them out';
  const missing = byCode.get(NO_CURRENCY);
  if (missing) warnings.push(`${noCurrency([...missing], mapsCurrency)}. Those offers ${why}`);
  const noRate = [...byCode].filter(([code]) => code !== NO_CURRENCY);
  // The listed codes' lines count towards the five: 2 listed and 5 cut were 7 lines, one a code.
  const listedCodes = [...shown].filter((code) => code !== NO_CURRENCY).length;
  const listedLines = listedCodes > MAX_CODES_NAMED ? 1 : listedCodes;
  for (const line of perCode(
    noRate,
    (named) => `no rate for ${named} to ${currency}: those offers ${why}`,
    Math.max(0, MAX_CODES_NAMED - listedLines),
  ))
    warnings.push(line);
}

/**
 * The warning for sources whose offers gave no currency, and its fix. A source that maps `currency` and got
 * nothing has a path that finds nothing (`header.currency` for `$response.header.currency`): told only to
 * set `currency:`, the reader fixed a symptom, and the rates of a vendor that prices in several were lost.
 */
function noCurrency(sources: readonly string[], mapsCurrency: ReadonlySet<string>): string {
  const mapped = sources.filter((s) => mapsCurrency.has(s));
  if (mapped.length === 0) return `${sources.join(', ')} gave no currency; set \`currency:\` on the source`;
  const which = mapped.length === sources.length ? '' : ` of ${mapped.join(', ')}`;
  return `${sources.join(', ')} gave no currency: fields.currency${which} found nothing; is the path right (\`$response\` is the whole answer)? Or set \`currency:\` on the source`;
}

/** The sources of the unconverted offers of each currency code, in the order the codes first came. */
function sourcesByCode(offers: readonly Offer[]): Map<string, Set<string>> {
  const byCode = new Map<string, Set<string>>();
  for (const o of offers) {
    if (!o.unconverted) continue;
    const sources = byCode.get(o.currency) ?? new Set<string>();
    sources.add(o.source);
    byCode.set(o.currency, sources);
  }
  return byCode;
}

/** noteUnconverted's warnings for the offers that are listed. */
function noteUnconvertedListed(
  offers: readonly Offer[],
  currency: string | undefined,
  listedLast: boolean,
  mapsCurrency: ReadonlySet<string>,
  warnings: string[],
): void {
  if (currency === undefined) {
    // No ranking currency: every listed offer came without one, so none is marked unconverted; still say so.
    const sources = [...new Set(offers.filter((o) => o.currency === NO_CURRENCY).map((o) => o.source))];
    if (sources.length > 0) warnings.push(noCurrency(sources, mapsCurrency));
    return;
  }
  // The sources of each code with no rate, from one pass: a pass over every offer per code took 36 s
  // for 20,000 offers whose `currency` was mapped from a field that differs on each (an id, a URL).
  // Every offer of such a code is unconverted: a code has a rate or not, whatever the offer.
  const byCode = sourcesByCode(offers);
  const placed = listedLast ? 'listed after the others, ' : '';
  const noRate = [...byCode].filter(([code]) => code !== NO_CURRENCY);
  const missing = byCode.get(NO_CURRENCY);
  if (missing)
    warnings.push(
      `${noCurrency([...missing], mapsCurrency)}${listedLast ? '. Those offers are listed after the others' : ''}`,
    );
  for (const line of perCode(
    noRate,
    (named) => `no rate for ${named} to ${currency}: those offers are ${placed}unconverted`,
  ))
    warnings.push(line);
}

/**
 * Offers with no rate that `--where` left out, all of a currency: no price in the ranking currency to
 * compare. Said, or a flight's cheapest fare could vanish without a word.
 */
export function noteFilteredOut(
  unconverted: ReadonlyMap<string, ReadonlySet<string>>,
  listed: readonly Offer[],
  currency: string | undefined,
  where: string,
  warnings: string[],
): void {
  const shown = new Set(listed.filter((o) => o.unconverted).map((o) => o.currency));
  const left = [...unconverted].filter(([code]) => !shown.has(code));
  const missing = left.find(([code]) => code === NO_CURRENCY)?.[1];
  if (missing) {
    const from = [...missing].join(', ');
    warnings.push(
      `${from} gave no currency; ${where} left out those offers: they have no ${currency} price to compare`,
    );
  }
  const noRate = left.filter(([code]) => code !== NO_CURRENCY);
  // As noteUnconverted (stopping at the fifth code left the others out without a word).
  const say = (named: string, from: string, grouped: boolean) =>
    `no rate for ${named} to ${currency}: ${where} left out the offers in ${grouped ? 'them' : named} (${from}): they have no ${currency} price to compare`;
  for (const line of perCode(noRate, say)) warnings.push(line);
}
