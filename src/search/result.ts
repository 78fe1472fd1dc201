/** What a result lists beside its offers and rows: the params it ran with, the extra fields, the mappings that read nothing. */
import { COMMON } from '../map/index.js';
import type { Planned } from '../plan.js';
import type { Config, Params, SourceResult } from '../types.js';
import { unreadParams } from '../unread-params.js';

/**
 * The params a result lists: those given, and the defaults a source sent a request reads. A product
 * search listed the flight sources' `adults: "1"` and `cabin: "economy"`, which no offer of it saw.
 */
export function shownParams(params: Params, given: Params, send: readonly Planned[]): Params {
  const defaults = Object.fromEntries(Object.entries(params).filter(([name]) => !Object.hasOwn(given, name)));
  const unread = new Set(
    unreadParams(
      send.map((p) => p.source),
      defaults,
    ),
  );
  return Object.fromEntries(Object.entries(params).filter(([name]) => !unread.has(name)));
}

/** The params with each value redacted, for the result: the run itself sends them as they are. */
export function redactValues(params: Params, redact: (text: string) => string): Params {
  // fromEntries: a `__proto__` param stays a key.
  return Object.fromEntries(Object.entries(params).map(([name, value]) => [name, redact(value)]));
}

/** The extra fields of every source that was sent a request, answered or not, in file order. */
export function extraFields(config: Config, send: readonly Planned[]): string[] {
  const sent = new Set(send.map((p) => p.source.name));
  return [
    ...new Set(
      config.sources
        .filter((s) => sent.has(s.name))
        .flatMap((s) => s.compiled.mapping?.fieldNames ?? [])
        .filter((name) => !(COMMON as readonly string[]).includes(name)),
    ),
  ];
}

/**
 * A field the mapping lists that no offer of a source had (`title: lable`): a warning, as a currency with
 * no rate is, so that `-q` and a cron job's `jq .warnings` hear of a mapping gone wrong, which a status
 * row alone left to those who read the table.
 */
export function unfilledWarning(row: SourceResult): string[] {
  if (!row.unfilled?.length) return [];
  const fields = row.unfilled.map((f) => `fields.${f}`).join(', ');
  return [`${row.name}: no offer has a value for ${fields}; is the path right?`];
}
