/**
 * What a run's `--where` is warned of once every offer is judged: what it threw on, a field no offer has,
 * and comparisons that cannot mean what they say (text with a number, a duration or date-time as text,
 * text in another case than the offers').
 */

import type jsonata from 'jsonata';
import { type WhereStats, whereWarnings } from './warnings.js';
import { whereFields, whereName } from './where.js';
import { caseWarnings } from './where-case.js';
import type { WhereChecks } from './where-checks.js';
import { textComparedWarnings } from './where-compared.js';
import { dateTextWarnings } from './where-date-text.js';
import { durationTextWarnings } from './where-durations.js';
import { valueWarnings } from './where-values.js';

/** The warnings about `where` over the offers it judged (`stats`), with the `checks` where.ts found in it. */
export function predicateWarnings(where: jsonata.Expression, stats: WhereStats, checks: WhereChecks): string[] {
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
  warnings.push(...textComparedWarnings(checks.compared, stats, name));
  warnings.push(...durationTextWarnings(checks.durations, name));
  warnings.push(...caseWarnings(checks.equalities, stats.cases, name));
  warnings.push(...dateTextWarnings(checks.dateTexts, stats.dateTexts, name));
  // Beside offers it kept, the reader has the offers to look at; a case warning says more than the values.
  if (stats.kept === 0) warnings.push(...valueWarnings(checks.sought, stats.values, stats.cases.cased, name));
  return warnings;
}
