/** From a finished search to its exit status, per the table in errors.ts and the README. */
import { EXIT, type ExitCode } from './errors.js';
import { isFailure, type SearchResult } from './types.js';

/**
 * 4 when every source that ran failed; 3 under `--strict` when any did; else 0 with offers, 1 without.
 * Only `error` and `timeout` are failures: a `partial` result from Ctrl-C's cancelled rows or from an
 * incomplete flow is not, and an interrupted run never gets here (the CLI exits 130 first).
 */
export function exitCodeFor(result: Pick<SearchResult, 'offers' | 'sources'>, strict: boolean): ExitCode {
  const ran = result.sources.filter((s) => s.status !== 'skipped');
  const failed = ran.filter((s) => isFailure(s.status));
  if (ran.length > 0 && failed.length === ran.length) return EXIT.allFailed;
  if (strict && failed.length > 0) return EXIT.strict;
  return result.offers.length > 0 ? EXIT.ok : EXIT.noOffers;
}
