/** From a finished search to its exit status, per the table in errors.ts and the README. */
import { EXIT, type ExitCode } from './errors.js';
import { isFailure, type SearchResult } from './types.js';

/**
 * 2 when every source was skipped; 4 when every source that ran failed; 3 under `--strict` when any did;
 * else 0 with offers, 1 without.
 * Only `error` and `timeout` are failures: a `partial` result from Ctrl-C's cancelled rows or from an
 * incomplete flow is not, and an interrupted run never gets here (the CLI exits 130 first).
 */
export function exitCodeFor(result: Pick<SearchResult, 'offers' | 'sources'>, strict: boolean): ExitCode {
  const ran = result.sources.filter((s) => s.status !== 'skipped');
  // Every source skipped while rendering its templates (`{{ $lookup($, "cabin") }}` yielding nothing):
  // none answered, so this is not "no offers" but the params or the file, as when none can run at all.
  if (ran.length === 0 && result.sources.length > 0) return EXIT.usage;
  const failed = ran.filter((s) => isFailure(s.status));
  if (ran.length > 0 && failed.length === ran.length) return EXIT.allFailed;
  if (strict && failed.length > 0) return EXIT.strict;
  return result.offers.length > 0 ? EXIT.ok : EXIT.noOffers;
}
