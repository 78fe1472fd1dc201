/**
 * Which sources apply to this query: `--source` and `--tag` select, `requires` skips.
 * Unknown names or tags are the user's mistake and stop the run.
 */
import { NoRunnableSourceError, UsageError } from './errors.js';
import { templateParams } from './scatter/template.js';
import { suggest } from './shared/suggest.js';
import type { CompiledSource, Config, Params, SourceResult } from './types.js';

/** A param counts when it is given and not empty: `from=` is as good as no `from`. */
export const hasParam = (params: Params, name: string): boolean => Object.hasOwn(params, name) && params[name] !== '';

/** A source that will be sent, with its position in the file for tie-breaking. */
export interface Planned {
  readonly source: CompiledSource;
  readonly position: number;
}

/** The plan for one search. */
export interface Plan {
  readonly send: readonly Planned[];
  /** Rows for selected sources that lack a required param. */
  readonly skipped: readonly SourceResult[];
}

/** Selects sources by name and tag (either matches), then skips those missing a required param. */
export function plan(
  config: Config,
  select: { names?: readonly string[] | undefined; tags?: readonly string[] | undefined },
  params: Params,
  /** The params the user gave, without the file's defaults: what the message names as given. */
  typed: Params = params,
): Plan {
  const names = new Set(config.sources.map((s) => s.name));
  const unknown = (select.names ?? []).filter((n) => !names.has(n));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown source ${unknown.map((n) => `"${n}"`).join(', ')}; configured: ${[...names].join(', ')}`,
    );
  }
  const tags = new Set(config.sources.flatMap((s) => s.tags));
  const unknownTags = (select.tags ?? []).filter((t) => !tags.has(t));
  if (unknownTags.length > 0) {
    const known = tags.size > 0 ? `; tags in use: ${[...tags].join(', ')}` : '';
    throw new UsageError(`no source has tag ${unknownTags.map((t) => `"${t}"`).join(', ')}${known}`);
  }
  const filtering = Boolean(select.names?.length || select.tags?.length);
  const send: Planned[] = [];
  const skipped: SourceResult[] = [];
  const needed = new Set<string>();
  config.sources.forEach((source, position) => {
    const chosen =
      !filtering || select.names?.includes(source.name) || source.tags.some((t) => select.tags?.includes(t));
    if (!chosen) return;
    const missing = source.requires.filter((p) => !hasParam(params, p));
    for (const p of missing) needed.add(p);
    if (missing.length === 0) send.push({ source, position });
    else
      skipped.push({
        name: source.name,
        status: 'skipped',
        ms: 0,
        attempts: 0,
        offers: 0,
        error: `needs ${missing.join(', ')}${pollFieldHint(source, missing)}`,
      });
  });
  if (send.length === 0) {
    const needs = skipped.map((s) => `${s.name} ${s.error}`).join('; ');
    // The params given, by name: a newcomer's `{{q}}` needs `q=…`, since words go into `query`.
    // Not a default the file filled in (`sort`): the user did not give it, and would look for where they did.
    const given = Object.keys(typed).filter((p) => hasParam(typed, p));
    // `form=JFK`, meant as `from`: the message listed both names and left the reader to spot the typo.
    const meant = given.flatMap((p) => {
      const near = needed.has(p)
        ? undefined
        : suggest(
            p,
            [...needed].filter((n) => !given.includes(n)),
          );
      return near === undefined ? [] : [`${p}: did you mean ${near}?`];
    });
    // `query=` or `--param query=` given empty: 'none given' read as if the param had not been typed at all.
    const empty = Object.keys(typed).filter((p) => !hasParam(typed, p));
    const emptyText = empty.length > 0 ? `${empty.map((p) => `${p}=`).join(', ')} given empty` : '';
    const gave =
      given.length > 0
        ? `given: ${given.join(', ')}${meant.length ? ` (${meant.join('; ')})` : ''}${emptyText ? `; ${emptyText}` : ''}`
        : emptyText || 'none given';
    throw new NoRunnableSourceError(
      `no selected source can run with these params (${needs}; ${gave}; words go into \`query\`, name=value sets a param)`,
    );
  }
  return { send, skipped };
}

/**
 * `{{ sessionToken }}` in a poll template reads a param, so the source was skipped as `needs sessionToken`
 * when a field of the previous response was meant: a name only the poll request reads says how to write that.
 */
function pollFieldHint(source: CompiledSource, missing: readonly string[]): string {
  const poll = source.compiled.poll;
  if (!poll) return '';
  const first = source.compiled;
  const firstReads = new Set(templateParams(first.url, ...first.headers.map(([, t]) => t), first.body, first.query));
  const pollReads = new Set(templateParams(poll.url, ...poll.headers.map(([, t]) => t), poll.body, poll.query));
  const fields = missing.filter((name) => pollReads.has(name) && !firstReads.has(name));
  if (fields.length === 0) return '';
  // Only a hint: a poll may read a real param too (`?market={{ market }}`).
  const written = fields.map((name) => `$response.${name}`).join(', ');
  return ` (poll.request reads ${fields.join(', ')} as a param; a field of the previous response is ${written})`;
}
