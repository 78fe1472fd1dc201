/**
 * Declared params checked against each other and against the day: a return date before the outbound
 * (`return: { type: date, min: date }`), a date in the past (`min: today`), the same airport both ways
 * (`to: { differsFrom: from }`). Each vendor answered these with an error row or `No offers.`; a sources
 * file can now refuse them before any request. The file's own mistakes (a bound naming no date param)
 * are found as it is loaded, by relationIssues(); a search's, by relationProblem(). No zod, no HTTP.
 */
import { suggest } from '../shared/suggest.js';
import { truncate } from '../shared/truncate.js';
import { isDayText, type ParamDeclaration } from './param-check.js';

/** The word a date bound uses for the day agg runs on. */
export const TODAY = 'today';

/** One day each way: a traveller's today at the airport can be a day behind or ahead of the machine's. */
const TODAY_SLACK_DAYS = 1;

/** `YYYY-MM-DD` moved by `days`, across months and years. */
function shiftDay(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const at = new Date(Date.UTC(y, m - 1, d + days));
  return at.toISOString().slice(0, 10);
}

/**
 * What is wrong with `name`'s value against the other params and the day, or undefined. `values` holds
 * the params that have a value (given, or their default) that passed its own declaration: a bound or a
 * `differsFrom` naming one without a value is not compared. `today` is the machine's local date.
 */
export function relationProblem(
  name: string,
  decl: ParamDeclaration,
  values: Readonly<Record<string, string>>,
  today: string,
): string | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (decl.type === 'date') {
    const { min, max } = decl;
    if (min === TODAY && value < shiftDay(today, -TODAY_SLACK_DAYS))
      return `in the past; must be today (${today}) or later`;
    if (max === TODAY && value > shiftDay(today, TODAY_SLACK_DAYS))
      return `in the future; must be today (${today}) or earlier`;
    const low = namedBound(min, values);
    if (low !== undefined && value < low) return `must be on or after ${min}=${low}`;
    const high = namedBound(max, values);
    if (high !== undefined && value > high) return `must be on or before ${max}=${high}`;
  }
  for (const other of decl.differsFrom ?? []) {
    const theirs = Object.hasOwn(values, other) ? values[other] : undefined;
    // `jfk` and `JFK` are one airport: a pattern lets both through as typed, so the case is set aside here.
    if (theirs !== undefined && theirs.toLowerCase() === value.toLowerCase())
      // Cut as params.ts cuts the refused value: a long one was quoted whole here.
      return `the same as ${other}=${truncate(theirs, 40)} (in any case); must differ from it`;
  }
  return undefined;
}

/** The value of the param a bound names, when it names one that has a value. */
function namedBound(bound: number | string | undefined, values: Readonly<Record<string, string>>): string | undefined {
  if (typeof bound !== 'string' || bound === TODAY || isDayText(bound) || !Object.hasOwn(values, bound))
    return undefined;
  return values[bound];
}

/** A problem with the file's `params:`, at its path under `params`. */
export interface RelationIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

type RawParams = Readonly<Record<string, unknown>>;

const typeOf = (p: unknown): unknown =>
  typeof p === 'object' && p !== null ? ((p as { type?: unknown }).type ?? 'text') : undefined;

/**
 * The names in `params:` that do not hold: a date bound naming no declared date param (or its own param),
 * `today` when a param is named today too, a `differsFrom` naming no declared param, and bounds that
 * go round (`date: { min: return }` with `return: { min: date }`), which leave one day for both.
 * Read from the file as parsed: a sibling may be invalid, so every field is looked at with care.
 */
export function relationIssues(params: RawParams): RelationIssue[] {
  const issues: RelationIssue[] = [];
  const names = Object.keys(params);
  const declaredDate = (n: string) => Object.hasOwn(params, n) && typeOf(params[n]) === 'date';
  // `a ≥ b` for each bound naming a param: a cycle of them leaves every param in it one day.
  const edges: { from: string; to: string; path: (string | number)[] }[] = [];
  for (const [name, p] of Object.entries(params)) {
    if (typeof p !== 'object' || p === null) continue;
    const decl = p as Record<string, unknown>;
    if (typeOf(p) === 'date') {
      for (const key of ['min', 'max'] as const) {
        const bound = decl[key];
        // A day, or text no name starts with (`1st`), is schema-param.ts's to check.
        if (typeof bound !== 'string' || /^\d/.test(bound)) continue;
        const path = [name, key];
        if (bound === TODAY) {
          if (Object.hasOwn(params, TODAY))
            issues.push({
              path,
              message: `is ambiguous: \`today\` is the day agg runs on, and a param is declared as today too; rename that param`,
            });
        } else if (bound === name) {
          issues.push({ path, message: `names ${name} itself; name another date param, or write a date or today` });
        } else if (!Object.hasOwn(params, bound)) {
          const near = suggest(bound, [TODAY, ...names.filter(declaredDate)]);
          issues.push({
            path,
            message: `is not a date (YYYY-MM-DD), today, or a declared date param${near ? `; did you mean ${near}?` : ''}`,
          });
        } else if (!declaredDate(bound)) {
          issues.push({
            path,
            message: `names ${bound}, which is not type date (it is ${String(typeOf(params[bound]))})`,
          });
        } else {
          edges.push(key === 'min' ? { from: name, to: bound, path } : { from: bound, to: name, path });
        }
      }
    }
    const differs = decl.differsFrom;
    const others = typeof differs === 'string' ? [differs] : Array.isArray(differs) ? differs : [];
    others.forEach((other, i) => {
      if (typeof other !== 'string') return;
      const path = Array.isArray(differs) ? [name, 'differsFrom', i] : [name, 'differsFrom'];
      if (other === name) issues.push({ path, message: `names ${name} itself` });
      else if (!Object.hasOwn(params, other)) {
        const near = suggest(other, names);
        issues.push({ path, message: `no param ${other} is declared${near ? `; did you mean ${near}?` : ''}` });
      }
    });
  }
  issues.push(...cycleIssues(edges));
  return issues;
}

/** One issue for each cycle of bounds, at the first bound of it written in the file. */
function cycleIssues(edges: readonly { from: string; to: string; path: (string | number)[] }[]): RelationIssue[] {
  const issues: RelationIssue[] = [];
  const reported = new Set<string>();
  for (const edge of edges) {
    const back = pathBetween(edge.to, edge.from, edges);
    if (!back) continue;
    const cycle = [edge.from, ...back];
    const key = [...new Set(cycle)].sort().join(' ');
    if (reported.has(key)) continue;
    reported.add(key);
    issues.push({
      path: edge.path,
      message: `goes round: ${cycle.join(' ≥ ')}, so they could only be the same day; did you mean max (or min)?`,
    });
  }
  return issues;
}

/** The params from `start` to `goal` along the edges (both ends included), or undefined. */
function pathBetween(
  start: string,
  goal: string,
  edges: readonly { from: string; to: string }[],
): string[] | undefined {
  const before = new Map<string, string | undefined>([[start, undefined]]);
  const queue = [start];
  for (let at = queue.shift(); at !== undefined; at = queue.shift()) {
    if (at === goal) {
      const path: string[] = [];
      for (let n: string | undefined = at; n !== undefined; n = before.get(n)) path.unshift(n);
      return path;
    }
    for (const e of edges)
      if (e.from === at && !before.has(e.to)) {
        before.set(e.to, at);
        queue.push(e.to);
      }
  }
  return undefined;
}
