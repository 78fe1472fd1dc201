/**
 * The warning for a `--sort` field no offer has. `--sort -duration`, written as many APIs write a
 * descending order (`sort=-price`), was ranked by price under a warning about a field `-duration`, and a
 * typo (`--sort durtion`) named no field to write instead.
 */

import { ownField } from '../rank/index.js';
import { suggest } from '../shared/suggest.js';
import type { Offer } from '../types.js';

/** Whether some offer has a value for `field` (its own: `constructor` is no field of an offer). */
export const someHas = (offers: readonly Offer[], field: string): boolean =>
  offers.some((o) => ownField(o, field) !== undefined);

/** The field some offer has that `field` was meant as (`durtion`: `duration`), if any. */
export function nearField(offers: readonly Offer[], field: string): string | undefined {
  const fields = new Set<string>();
  // Only when a warning is due, so no run whose fields are there pays an Object.keys per offer.
  for (const o of offers) for (const k of Object.keys(o)) if (o[k] !== undefined) fields.add(k);
  return suggest(field, [...fields]);
}

/** The warning when no offer has `field`, with the field meant when the offers have one near it; else undefined. */
export function sortFieldWarning(offers: readonly Offer[], field: string): string | undefined {
  if (offers.length === 0 || someHas(offers, field)) return undefined;
  const warning = `no offer has a field \`${field}\` to sort by; ranked by price`;
  const signed = /^([-+])\s*(.+)$/.exec(field);
  if (signed && someHas(offers, signed[2] as string)) {
    const [, sign, name] = signed;
    return sign === '-'
      ? `${warning}; a \`-\` does not reverse the order: sort by \`${name}\` with --desc (\`--sort ${name} --desc\`)`
      : `${warning}; sort by \`${name}\`, ascending unless --desc`;
  }
  const near = nearField(offers, field);
  return near === undefined ? warning : `${warning}; did you mean \`${near}\`?`;
}
