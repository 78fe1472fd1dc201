/**
 * What a `--where` compares that cannot mean what it says, found once in its syntax tree when it is
 * compiled; the offers it judges then show which of them went wrong (warnings.ts, where-warnings.ts).
 */

import { type TextEquality, textEqualities } from './where-case.js';
import { numberComparedFields } from './where-compared.js';
import { type DateTextComparison, dateTextComparisons } from './where-date-text.js';
import { type DurationTextComparison, durationTextComparisons } from './where-durations.js';
import { type SoughtText, soughtTexts } from './where-values.js';

/** The comparisons of a predicate that the offers it judges may show to be mistakes. */
export interface WhereChecks {
  /** Fields compared with a number by `=` or `!=` (`stops = 0`), wrong when every offer has them as text. */
  readonly compared: readonly string[];
  /** Fields compared with text by `=` (`carrier = "lh"`), wrong when the offers have it in another case. */
  readonly equalities: readonly TextEquality[];
  /** Fields ordered against local date-time text (`departure > "2026-12-20T15:00"`), wrong when written otherwise. */
  readonly dateTexts: readonly DateTextComparison[];
  /** Fields ordered against duration text (`duration < "PT8H"`): text order, always. */
  readonly durations: readonly DurationTextComparison[];
  /** Text a field is looked for as, by `=` or `in` (`carrier = "Lufthansa"`), wrong when no offer has it. */
  readonly sought: readonly SoughtText[];
}

/** No predicate, nothing to check. */
export const NO_CHECKS: WhereChecks = { compared: [], equalities: [], dateTexts: [], durations: [], sought: [] };

/** The checks of a predicate's own syntax tree (not the filter wrapped around it). */
export const findChecks = (ast: unknown): WhereChecks => ({
  compared: numberComparedFields(ast),
  equalities: textEqualities(ast),
  dateTexts: dateTextComparisons(ast),
  durations: durationTextComparisons(ast),
  sought: soughtTexts(ast),
});
