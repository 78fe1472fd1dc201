/**
 * The plan of one search: the params with their declared defaults, and which sources are sent a request
 * and which are skipped, with any secret in a message or a row hidden.
 */
import { NoRunnableSourceError, UsageError } from '../errors.js';
import { applyDeclarations } from '../params.js';
import { type Plan, type Planned, plan } from '../plan.js';
import type { Redactor } from '../shared/redact.js';
import { cleanText } from '../shared/sanitize.js';
import type { Config, Params, SourceResult } from '../types.js';
import type { SearchOptions } from './options.js';

/** What planRun() decided. */
export interface PlannedRun {
  /** Every param, the declarations' defaults included. */
  readonly params: Params;
  /** Only the params the caller gave. */
  readonly given: Params;
  /** The sources sent a request, in file order. */
  readonly send: readonly Planned[];
  /** The sources skipped, as rows; their `needs …` redacted. */
  readonly skipped: readonly SourceResult[];
}

/** Applies the param declarations, then plans; throws UsageError or NoRunnableSourceError, their text passed through `redact`. */
export function planRun(
  config: Config,
  opts: Pick<SearchOptions, 'params' | 'names' | 'tags'>,
  redact: Redactor,
): PlannedRun {
  // Before the plan: a default is there for `requires` and the templates, and a value that fails its
  // declaration stops the run before any request (params.ts).
  let declared: ReturnType<typeof applyDeclarations>;
  try {
    declared = applyDeclarations(config, opts.params);
  } catch (err) {
    // It quotes the declaration's choices and pattern, which a `${VAR}` may fill: the command line hid
    // them, a library caller got them whole.
    // One param a line, each line kept.
    if (err instanceof UsageError) throw new UsageError(redact(err.message).split('\n').map(cleanText).join('\n'));
    throw err;
  }
  const { params, given } = declared;
  let planned: Plan;
  try {
    planned = plan(config, { names: opts.names, tags: opts.tags }, params, given);
  } catch (err) {
    // It quotes every skipped row's `needs …`, which a `${VAR}` in `requires` may fill: the command line's
    // report hid it, but a library caller got the secret in the message.
    if (err instanceof NoRunnableSourceError) throw new NoRunnableSourceError(cleanText(redact(err.message)));
    throw err;
  }
  // `needs <param>` names what the file's `requires` says, where a `${VAR}` may stand: hidden like any error row.
  const skipped = planned.skipped.map((row) =>
    row.error === undefined ? row : { ...row, error: cleanText(redact(row.error)) },
  );
  return { params, given, send: planned.send, skipped };
}
