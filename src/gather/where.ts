/**
 * `--where`: a JSONata predicate over each offer, compiled once when the flags are read and
 * run over each source response in batches (WHERE_BATCH offers), not once per offer.
 */
import type jsonata from 'jsonata';
import { UsageError } from '../errors.js';
import { NUMERIC_TEXT } from '../rank/sort-value.js';
import { durationSeconds } from '../shared/duration-text.js';
import { compileExpression, ExpressionError, guardrailMessage, isGuardrailError } from '../shared/expression.js';
import { RunStopped } from '../shared/run-stopped.js';
import type { Offer } from '../types.js';
import type { TextEquality } from './where-case.js';
import { findChecks, NO_CHECKS, type WhereChecks } from './where-checks.js';
import { type DurationTextComparison, durationTypeHint } from './where-durations.js';
import { offerFields } from './where-scope.js';

/** JSONata's strings and backtick names, whose `!` or `==` is text (`title = "Sale!"`), not an operator. */
const QUOTED = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g;

/**
 * Compiles the user's predicate into a filter over an array of offers; throws UsageError, as search()
 * does for the caller's other mistakes. `name` is what the messages call it (its errors, and those of
 * search() when it throws on every offer): the option `where`, or the command line's `--where`.
 */
export function compileWhere(text: string, name = 'where'): jsonata.Expression {
  // `$o.(…)` evaluates the predicate with the offer as context; `$boolean` reads numbers and strings the
  // way the user expects, so `--where 'stops'` is not taken as an array index.
  const wrapped = `${WRAP_BEFORE}${text}${WRAP_AFTER}`;
  let own: jsonata.Expression;
  let where: jsonata.Expression;
  try {
    own = compileExpression(text, name);
    // Inside the try: text that compiles alone may not once wrapped (`/a/`, a regex, after `(`), and is
    // as much the user's mistake (exit 2), not an internal error.
    where = compileExpression(wrapped, name);
  } catch (err) {
    if (!(err instanceof ExpressionError)) throw err;
    // The wrapper is agg's: the message quotes what the user wrote, and places the error in it.
    const message = err.message
      .replace(JSON.stringify(wrapped), JSON.stringify(text))
      .replace(/\(at character (\d+)\)$/, (all, at: string) =>
        err.message.includes(JSON.stringify(wrapped))
          ? `(at character ${Math.min(text.length, Math.max(1, Number(at) - WRAP_BEFORE.length))})`
          : all,
      );
    // JSONata's own words for `stops == 0` ("The symbol "=" cannot be used as a unary operator") do
    // not say what to write instead; most who type `==`, `&&`, `||` or `!` come from another language.
    const hint = /==|&&|\|\||!(?!=)/.test(text.replace(QUOTED, '""'))
      ? '; JSONata writes `=`, `!=`, `and`, `or` and `$not()` (`stops = 0 and price < 500`)'
      : '';
    throw new UsageError(`${name}: ${message}${hint}`);
  }
  const names = offerFields(own.ast());
  FIELDS.set(where, names);
  CHECKS.set(where, findChecks(own.ast()));
  NAMES.set(where, name);
  return where;
}

const WRAP_BEFORE = '[$filter($, function($o) { $boolean($o.(';
const WRAP_AFTER = ')) })]';

/** The offer fields each compiled `--where` reads by name, for a warning when no offer has one. */
const FIELDS = new WeakMap<jsonata.Expression, readonly string[]>();

/** What each compiled `--where` compares that the offers it judges may show to be a mistake (where-checks.ts). */
const CHECKS = new WeakMap<jsonata.Expression, WhereChecks>();

/** What a compiled `--where` compares that the offers it judges may show to be a mistake. */
export const whereChecks = (where: jsonata.Expression | undefined): WhereChecks =>
  (where && CHECKS.get(where)) || NO_CHECKS;

/** The offer fields a compiled `--where` compares with a number by `=` or `!=` (`stops` in `stops = 0`). */
export const whereNumberFields = (where: jsonata.Expression): readonly string[] => whereChecks(where).compared;

/** Where a compiled `--where` compares an offer field with text by `=` (`carrier = "LH"`). */
export const whereTextEquals = (where: jsonata.Expression): readonly TextEquality[] => whereChecks(where).equalities;

/** Where a compiled `--where` orders an offer field against duration text (`duration < "PT8H"`). */
export const whereDurationTexts = (where: jsonata.Expression): readonly DurationTextComparison[] =>
  whereChecks(where).durations;

/**
 * What each compiled predicate is called in messages (compileWhere's `name`). By expression: two
 * compiles of one text share the filter expression, and the last name given wins, which is harmless
 * in a process that is either the command line or a library's caller.
 */
const NAMES = new WeakMap<jsonata.Expression, string>();
/** What a compiled predicate is called in messages: `where`, or the command line's `--where`. */
export const whereName = (where: jsonata.Expression): string => NAMES.get(where) ?? 'where';

/** The offer fields a compiled `--where` names (`stops` in `stops = 0`); empty for other expressions. */
export const whereFields = (where: jsonata.Expression): readonly string[] => FIELDS.get(where) ?? [];

/** Functions that read an offer's fields without naming them: `$keys($)`, `$lookup($, "pr" & "ice")`… */
const READS_ANY_FIELD = new Set(['keys', 'each', 'sift', 'spread', 'lookup', 'string', 'merge', 'eval']);

/**
 * Whether the predicate may read an offer's `price`: it names it, or reads fields without naming them
 * (`*`, `**`, `$keys`, `$lookup`…). An offer with no rate has no `price` to it, so when a predicate that
 * cannot read one leaves such an offer out, the missing price is not why (`stops = 0` on a 1-stop flight).
 */
export function mayReadPrice(where: jsonata.Expression): boolean {
  const seen = new Set<object>();
  const walk = (node: unknown): boolean => {
    if (!node || typeof node !== 'object' || seen.has(node)) return false;
    seen.add(node);
    if (Array.isArray(node)) return node.some(walk);
    const { type, value } = node as { type?: unknown; value?: unknown };
    if (type === 'wildcard' || type === 'descendant') return true;
    if (type === 'name' && value === 'price') return true;
    if (type === 'string' && typeof value === 'string' && value.includes('price')) return true;
    if (type === 'variable' && typeof value === 'string' && READS_ANY_FIELD.has(value)) return true;
    return Object.values(node).some(walk);
  };
  return walk(where.ast());
}

/** What one batch gave: the offers kept, and the errors of the offers the predicate threw on. */
export interface Filtered {
  kept: Offer[];
  errors: string[];
}

/**
 * The offer as the predicate sees it: `price` is always in the ranking currency. An offer with no
 * rate to it has no such price, so it shows its own amount only as `originalPrice` and
 * `originalCurrency`, as a converted offer does: `price < 500` must not pass ¥1000.
 */
function judged(offer: Offer): Offer {
  if (!offer.unconverted) return offer;
  const { price, currency, ...rest } = offer;
  return { ...rest, currency, originalPrice: price, originalCurrency: currency } as unknown as Offer;
}

/**
 * The run ended while `--where` judged a source's offers: what it had judged by then, whole batches,
 * for a paged source to keep as it keeps the pages mapped before the end.
 */
export class WhereStopped extends RunStopped {
  constructor(
    why: unknown,
    /** How many offers, from the first, were judged. */
    readonly judged: number,
    readonly done: Filtered,
  ) {
    super(why);
  }
}

/**
 * Keeps the offers the predicate accepts; an offer it throws on is dropped, and its error kept. Throws
 * WhereStopped once `signal` (the run's) has aborted, looked at between batches.
 */
export async function filterOffers(
  where: jsonata.Expression,
  offers: readonly Offer[],
  signal?: AbortSignal,
): Promise<Filtered> {
  if (offers.length === 0) return { kept: [], errors: [] };
  const unconverted = offers.some((o) => o.unconverted);
  const views = unconverted ? offers.map(judged) : offers;
  const { errors, ended, ...rest } = await filterJudged(where, views, signal);
  let { kept } = rest;
  if (unconverted) {
    const offerOf = new Map(views.map((v, i) => [v, offers[i] as Offer]));
    kept = kept.map((v) => offerOf.get(v) as Offer);
  }
  if (ended) throw new WhereStopped(ended.why, ended.judged, { kept, errors });
  return { kept, errors };
}

/**
 * Offers per evaluation of the predicate. The time guardrail (5 s) bounds each evaluation, not a
 * source's whole answer: over one answer of 350,000 small offers (9 MB, under the 10 MiB cap) `price <
 * 500` ran past it, and the run ended as if the predicate never ended (exit 2, nothing printed).
 * 10,000 offers take a fraction of a second.
 */
export const WHERE_BATCH = 10_000;

async function filterJudged(
  where: jsonata.Expression,
  offers: readonly Offer[],
  signal: AbortSignal | undefined,
): Promise<Filtered & { ended?: { why: unknown; judged: number } }> {
  const out: Filtered = { kept: [], errors: [] };
  for (let from = 0; from < offers.length; from += WHERE_BATCH) {
    if (from > 0 && signal?.aborted) return { ...out, ended: { why: signal.reason, judged: from } };
    const { kept, errors, stopped } = await filterBatch(where, offers.slice(from, from + WHERE_BATCH));
    for (const offer of kept) out.kept.push(offer);
    for (const error of errors) out.errors.push(error);
    if (stopped === undefined) continue;
    // One stop is enough to wait for: the offers after this batch count as stopped too.
    for (const _ of offers.slice(from + WHERE_BATCH)) out.errors.push(stopped);
    break;
  }
  return out;
}

/**
 * Functions a predicate may call beside JSONata's own. `$minutes(duration)`: a vendor's duration text
 * (`PT7H10M`, `7h 10m`) compared as text put `PT11H55M` under `"PT8H"` (`1` sorts before `8`), though
 * `--sort duration` reads it as a length; a number is taken as minutes already, and so is text that is
 * one (`"430"`, as vendors send numbers, and as `--sort` reads it); anything else is nothing (false in
 * any comparison): a `durationMinutes: "430"` read as nothing dropped every offer without a word.
 */
const WHERE_FUNCTIONS = {
  minutes: (value: unknown): number | undefined => {
    if (typeof value === 'number') return value;
    if (typeof value !== 'string') return undefined;
    if (NUMERIC_TEXT.test(value)) return Number(value);
    const seconds = durationSeconds(value);
    return seconds === undefined ? undefined : seconds / 60;
  },
};

/** filterJudged for one batch; `stopped` is the guardrail's message when one stopped it. */
async function filterBatch(
  where: jsonata.Expression,
  offers: readonly Offer[],
): Promise<Filtered & { stopped?: string }> {
  try {
    return { kept: [...((await where.evaluate(offers, WHERE_FUNCTIONS)) as Offer[])], errors: [] };
  } catch (err) {
    // A guardrail stopped the predicate: judging offers one by one would hit it once per offer. It
    // counts as thrown on each, so a predicate that never ends is reported as the user's mistake.
    if (isGuardrailError(err)) {
      const stopped = `${whereName(where)}: ${guardrailMessage(err)}`;
      return { kept: [], errors: offers.map(() => stopped), stopped };
    }
    // One offer made the batch throw (say `price > 5` on a string price): judge them one by one, each its
    // own `$$` (README): judged with the batch as `$$`, a predicate over it would cost the batch per offer.
    const out: Filtered & { stopped?: string } = { kept: [], errors: [] };
    for (const [i, offer] of offers.entries()) {
      try {
        if (((await where.evaluate([offer], WHERE_FUNCTIONS)) as Offer[]).length > 0) out.kept.push(offer);
      } catch (err) {
        if (!isGuardrailError(err)) {
          out.errors.push(`${whereName(where)}: ${(err as Error).message}${durationTypeHint(err)}`);
          continue;
        }
        // One stop is enough to wait for: the rest of the batch counts as stopped too.
        out.stopped = `${whereName(where)}: ${guardrailMessage(err)}`;
        for (const _ of offers.slice(i)) out.errors.push(out.stopped);
        break;
      }
    }
    return out;
  }
}
