/**
 * A `--where` that orders a date-time field against date-time text written another way than the offers'
 * own: `departure > "2026-12-20T15:00"` beside offers' `2026-12-20 17:30` compared the two letter by
 * letter, and a space comes before `T`, so no flight of that day was later, without a word. So did a
 * date-time not zero-padded: `departure < "2026-12-20 9:00"` kept the day's 17:30 (`1` comes before `9`).
 */

import { instantOf } from '../rank/sort-value.js';
import { truncate } from '../shared/truncate.js';
import type { Offer } from '../types.js';
import { fieldAgainstText, SWAPPED_ORDER } from './where-compared.js';
import { walkOfferScope } from './where-scope.js';

/** One ordering of an offer field against a local date-time text: `departure > "2026-12-20T15:00"`, field first. */
export interface DateTextComparison {
  readonly field: string;
  readonly op: string;
  readonly text: string;
}

// An offset after the time: compared as text, such values differ from their instants for another reason
// (the zone), and which instant a local literal means is not known; only local date-times are judged.
const OFFSET = /\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?\s*(?:Z|[-+]\d\d:?\d\d)\s*$/i;

/** The instant of a local date-time text (`2026-12-20 15:00`, `2026-12-20T15:00:00`), else undefined. */
const localInstant = (text: string): number | undefined => (OFFSET.test(text) ? undefined : instantOf(text));

// A local date-time as a person may type it, a digit short: `2026-12-5`, `2026-12-20 9:00`, `…T9:5:3`.
const UNPADDED = /^\s*(\d{4})-(\d\d?)-(\d\d?)(?:([T ])(\d\d?):(\d\d?)(?::(\d\d?)([.,]\d+)?)?)?\s*$/;

/** `text` zero-padded (`2026-12-20 9:00` as `2026-12-20 09:00`) when it is a local date-time a digit short. */
function padded(text: string): string | undefined {
  const m = UNPADDED.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, sep, h, mi, s, frac = ''] = m;
  const two = (n: string): string => n.padStart(2, '0');
  const time =
    sep === undefined
      ? ''
      : `${sep}${two(h as string)}:${two(mi as string)}${s === undefined ? '' : `:${two(s)}${frac}`}`;
  const out = `${y}-${two(mo as string)}-${two(d as string)}${time}`;
  return out === text.trim() ? undefined : out;
}

/** The instant a predicate's date-time text means, written zero-padded or not (the offers' own are read as written). */
const literalInstant = (text: string): number | undefined => localInstant(padded(text) ?? text);

/** Where `ast` (a predicate's own) orders an offer field against local date-time text, either side. */
export function dateTextComparisons(ast: unknown): DateTextComparison[] {
  const found = new Map<string, DateTextComparison>();
  walkOfferScope(ast, (n) => {
    if (typeof n.value !== 'string' || !(n.value in SWAPPED_ORDER)) return;
    const compared = fieldAgainstText(n, (text) => literalInstant(text) !== undefined);
    if (compared === undefined) return;
    const { field, op, text } = compared;
    // Once each: a comparison the predicate repeats (`(a and departure > "…") or (b and departure > "…")`) was warned of twice.
    found.set(`${field}\u0000${op}\u0000${text}`, { field, op, text });
  });
  return [...found.values()];
}

const holds = (op: string, order: number): boolean =>
  op === '<' ? order < 0 : op === '<=' ? order <= 0 : op === '>' ? order > 0 : order >= 0;

/** Records, of each comparison, the first offer value it judged otherwise as text than in time. */
export function noteDateTexts(
  judged: readonly Offer[],
  comparisons: readonly DateTextComparison[],
  wrong: Map<string, string>,
): void {
  for (const [i, c] of comparisons.entries()) {
    const key = String(i);
    if (wrong.has(key)) continue;
    const at = literalInstant(c.text) as number;
    for (const o of judged) {
      const value = Object.hasOwn(o, c.field) ? (o as unknown as Record<string, unknown>)[c.field] : undefined;
      if (typeof value !== 'string') continue;
      const instant = localInstant(value);
      if (instant === undefined) continue;
      // JSONata orders two strings as JavaScript does, by UTF-16 code units.
      const asText = value < c.text ? -1 : value > c.text ? 1 : 0;
      if (holds(c.op, asText) !== holds(c.op, Math.sign(instant - at))) {
        wrong.set(key, value);
        break;
      }
    }
  }
}

const PLAIN = /^(\d{4}-\d\d-\d\d)([T ])(\d\d:\d\d)(:\d\d)?$/;

/** `text` written as `like` is (`2026-12-20T15:00` as `2026-12-20 17:30:00`: `2026-12-20 15:00:00`), when both are plain. */
function writtenAs(text: string, like: string): string | undefined {
  const [t, l] = [PLAIN.exec(text.trim()), PLAIN.exec(like.trim())];
  if (!t || !l) return undefined;
  return `${t[1]}${l[2]}${t[3]}${l[4] ? (t[4] ?? ':00') : ''}`;
}

/** One warning for each comparison that judged some offer otherwise as text than in time. */
export function dateTextWarnings(
  comparisons: readonly DateTextComparison[],
  wrong: ReadonlyMap<string, string>,
  name: string,
): string[] {
  return comparisons.flatMap((c, i) => {
    const value = wrong.get(String(i));
    if (value === undefined) return [];
    const [text, seen] = [JSON.stringify(truncate(c.text, 40)), JSON.stringify(truncate(value, 40))];
    const pad = padded(c.text);
    // Seconds the offers do not write would be lost: only a rewrite that keeps the instant is offered.
    const rewrite = writtenAs(pad ?? c.text, value) ?? pad;
    const fix =
      rewrite !== undefined && localInstant(rewrite) === literalInstant(c.text)
        ? ` ${JSON.stringify(rewrite)}`
        : ' it as they do';
    const otherwise =
      pad === undefined
        ? 'the offers write date-times otherwise'
        : "it is not zero-padded, as the offers' date-times are";
    return [
      `${name} compares \`${c.field}\` ${c.op} ${text} as text, letter by letter, and ${otherwise} (${seen}), so some were judged against their time: write${fix}`,
    ];
  });
}
