/**
 * What a run's `--where` is warned of once every offer is judged: what it threw on, a field no offer has,
 * and comparisons that cannot mean what they say (text with a number, a duration as text, text in
 * another case than the offers').
 */

import type jsonata from 'jsonata';
import { type WhereStats, whereWarnings } from './warnings.js';
import { whereDurationTexts, whereFields, whereName } from './where.js';
import { caseWarnings, type TextEquality } from './where-case.js';
import { textComparedWarnings } from './where-compared.js';
import { durationTextWarnings } from './where-durations.js';

/** The warnings about `where` over the offers it judged (`stats`); `compared` and `equalities` as where.ts found them. */
export function predicateWarnings(
  where: jsonata.Expression,
  stats: WhereStats,
  compared: readonly string[],
  equalities: readonly TextEquality[],
): string[] {
  const name = whereName(where);
  const warnings = whereWarnings(stats.errors, name);
  // A typo'd field (`stop = 0`) is falsy on every offer: without a word, the run reads as "no offers".
  if (stats.fields.size > 0) {
    const missing = whereFields(where).filter((f) => !stats.fields.has(f));
    if (missing.length > 0)
      warnings.push(
        `${name} reads ${missing.map((f) => `\`${f}\``).join(', ')}, which no offer has; the offers' fields: ${[...stats.fields].join(', ')}`,
      );
  }
  warnings.push(...textComparedWarnings(compared, stats, name));
  warnings.push(...durationTextWarnings(whereDurationTexts(where), name));
  warnings.push(...caseWarnings(equalities, stats.cases, name));
  return warnings;
}
