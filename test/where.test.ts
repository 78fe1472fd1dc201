/**
 * `--where` over one large answer: the predicate runs over batches of offers, so that the time
 * guardrail bounds a batch, not a source's whole answer (350,000 small offers, under the size cap,
 * ran past 5 s and the run ended as if the predicate were an endless loop).
 */
import type jsonata from 'jsonata';
import { afterEach, describe, expect, it } from 'vitest';
import {
  compileWhere,
  filterOffers,
  mayReadPrice,
  WHERE_BATCH,
  whereFields,
  whereNumberFields,
} from '../src/gather/where.js';
import { type Guardrails, setGuardrails } from '../src/shared/expression.js';
import { RunStopped } from '../src/shared/run-stopped.js';
import type { Offer } from '../src/types.js';

const offers = (n: number): Offer[] =>
  Array.from({ length: n }, (_, i) => ({ source: 'big', title: `item ${i}`, price: i % 1000, currency: 'USD' }));

/** The sizes of the arrays the predicate is evaluated over. */
function counted(where: jsonata.Expression): number[] {
  const sizes: number[] = [];
  const evaluate = where.evaluate.bind(where);
  where.evaluate = ((input: unknown, ...rest: unknown[]) => {
    sizes.push(Array.isArray(input) ? input.length : 1);
    return (evaluate as (...args: unknown[]) => Promise<unknown>)(input, ...rest);
  }) as typeof where.evaluate;
  return sizes;
}

let previous: Readonly<Guardrails> | undefined;
afterEach(() => {
  if (previous) setGuardrails(previous);
  previous = undefined;
});

describe('filterOffers', () => {
  it('judges a large answer in batches, each under the time guardrail, keeping the order', async () => {
    const where = compileWhere('price < 10');
    const sizes = counted(where);
    const all = offers(2.5 * WHERE_BATCH);
    const { kept, errors } = await filterOffers(where, all);
    expect(errors).toEqual([]);
    expect(kept).toEqual(all.filter((o) => o.price < 10));
    expect(sizes).toEqual([WHERE_BATCH, WHERE_BATCH, WHERE_BATCH / 2]);
  });

  // Each batch has its own 5 s: without a look at the run between them, a large answer was judged on
  // after the deadline or Ctrl-C had ended the run.
  it('stops between batches once the run has ended, and judges an answer of one batch whole', async () => {
    const where = compileWhere('price < 10');
    const sizes = counted(where);
    const ended = AbortSignal.abort({ status: 'timeout', reason: 'deadline 1s passed' });
    await expect(filterOffers(where, offers(2.5 * WHERE_BATCH), ended)).rejects.toBeInstanceOf(RunStopped);
    expect(sizes).toEqual([WHERE_BATCH]);
    expect((await filterOffers(where, offers(20), ended)).kept).toHaveLength(10);
  });

  // The README says so: judged one by one, an offer is its own `$$`, not its batch.
  it('judges each offer alone, its own `$$`, in a batch where the predicate threw', async () => {
    const where = compileWhere('stops + 0 >= 0 and price = $min($$.price)');
    const three = offers(3).map((o, i) => ({ ...o, stops: i === 2 ? 'x' : i }) as Offer);
    expect((await filterOffers(where, three.slice(0, 2))).kept.map((o) => o.price)).toEqual([0]);
    const { kept, errors } = await filterOffers(where, three);
    expect(kept.map((o) => o.price)).toEqual([0, 1]);
    expect(errors).toHaveLength(1);
  });

  it('waits for one guardrail stop, not one per batch: every offer counts as stopped', async () => {
    previous = setGuardrails({ timeout: 100 });
    const where = compileWhere('($f := function($x){ $f($x) }; $f(1))');
    const sizes = counted(where);
    const { kept, errors } = await filterOffers(where, offers(2.5 * WHERE_BATCH));
    expect(kept).toEqual([]);
    expect(errors).toHaveLength(2.5 * WHERE_BATCH);
    expect(errors[0]).toMatch(/^where: stopped after/);
    expect(sizes).toEqual([WHERE_BATCH]);
  });

  it('judges one by one only the batch in which an offer throws', async () => {
    const where = compileWhere('price > 5');
    const sizes = counted(where);
    const all = offers(2 * WHERE_BATCH);
    all[WHERE_BATCH + 3] = { ...all[WHERE_BATCH + 3], price: 'n/a' } as unknown as Offer;
    const { kept, errors } = await filterOffers(where, all);
    expect(errors).toHaveLength(1);
    expect(kept).toHaveLength(all.filter((o) => typeof o.price === 'number' && o.price > 5).length);
    // The first batch whole; the second whole (it throws), then each of its offers alone.
    expect(sizes).toHaveLength(2 + WHERE_BATCH);
  });
});

/** One offer a duration, as vendors write them. */
const withDurations = (durations: readonly unknown[]): Offer[] =>
  durations.map((duration, i) => ({ source: 's', title: `f${i}`, price: 1, currency: 'USD', duration })) as Offer[];

describe('$minutes in a --where', () => {
  it('compares a vendor duration as a length, where text put PT11H55M under "PT8H"', async () => {
    const flights = withDurations(['PT7H10M', 'PT11H55M', '7h 5m', 'PT55M', 480, 'overnight', null]);
    const short = await filterOffers(compileWhere('$minutes(duration) < $minutes("PT8H")'), flights);
    expect(short.kept.map((o) => o.duration)).toEqual(['PT7H10M', '7h 5m', 'PT55M']);
    expect(short.errors).toEqual([]);
    // A number is minutes already; text that is no duration is nothing, in no comparison.
    const long = await filterOffers(compileWhere('$minutes(duration) >= 480'), flights);
    expect(long.kept.map((o) => o.duration)).toEqual(['PT11H55M', 480]);
    // Plain text comparison, for the record: what the function is for.
    const text = await filterOffers(compileWhere('duration < "PT8H"'), flights.slice(0, 2));
    expect(text.kept.map((o) => o.duration)).toEqual(['PT7H10M', 'PT11H55M']);
  });

  it('reads text that is a number as minutes, as a number is and as --sort reads it', async () => {
    // Vendors send numbers as text (`"durationMinutes": "430"`): read as nothing, every such offer was dropped.
    const flights = withDurations(['430', ' 500 ', '95.5', 'PT7H', 'n/a']);
    const { kept } = await filterOffers(compileWhere('$minutes(duration) < 480'), flights);
    expect(kept.map((o) => o.duration)).toEqual(['430', '95.5', 'PT7H']);
    const minutes = await filterOffers(compileWhere('$minutes(duration) = 500'), flights);
    expect(minutes.kept.map((o) => o.duration)).toEqual([' 500 ']);
  });

  it('is there when the batch threw and each offer is judged alone', async () => {
    // One offer whose `stops` is text throws in the batch; the others are judged one by one, $minutes still theirs.
    const flights = [
      { duration: 'PT7H10M', stops: 0 },
      { duration: 'PT11H55M', stops: 1 },
      { duration: 'PT2H', stops: 'x' },
    ].map((f, i) => ({ source: 's', title: `f${i}`, price: 1, currency: 'USD', ...f })) as Offer[];
    const { kept, errors } = await filterOffers(compileWhere('stops + 0 >= 0 and $minutes(duration) < 480'), flights);
    expect(kept.map((o) => o.duration)).toEqual(['PT7H10M']);
    expect(errors).toHaveLength(1);
  });

  it('is there for the batch too: a batch that calls it is judged whole, not offer by offer', async () => {
    const where = compileWhere('$minutes(duration) < 480');
    const sizes = counted(where);
    const flights = offers(3).map((o, i) => ({ ...o, duration: ['PT7H', 'PT9H', 'PT1H'][i] }) as Offer);
    const { kept, errors } = await filterOffers(where, flights);
    expect(kept.map((o) => o.duration)).toEqual(['PT7H', 'PT1H']);
    expect(errors).toEqual([]);
    expect(sizes).toEqual([3]);
  });
});

describe('what a --where reads', () => {
  it('may read price when it names it, or reads fields without naming them', () => {
    const reads = (text: string) => mayReadPrice(compileWhere(text));
    for (const text of [
      'price < 500',
      '$count(*) > 3',
      '$count(**) > 3',
      '$lookup($, "pri" & "ce") < 5',
      '"stops" in $keys($)',
      // A string that holds the word may be a field name built at run time: counted, to be safe.
      'title = "price drop"',
    ])
      expect([text, reads(text)]).toEqual([text, true]);
    for (const text of ['stops = 0', 'title = "sale" and $exists(carrier)', 'title != null', 'stops = 0 and true'])
      expect([text, reads(text)]).toEqual([text, false]);
  });

  it('names the offer fields it reads by name, a null literal among them', () => {
    expect(whereFields(compileWhere('title != null and stops = 0'))).toEqual(['title', 'stops']);
    expect(whereFields(compileWhere('segments.carrier = "BA"'))).toEqual(['segments']);
  });

  it('names the offer fields it compares with a number by = or !=, not those of a path, predicate or lambda', () => {
    const where = compileWhere(
      'stops = 0 and 1 != legs and price < 500 and title = "0" and $count(segs[n = 0]) = 1 and a.b = 1 and $count($filter(xs, function($o) { $o.x = 1 })) = 0',
    );
    expect(whereNumberFields(where)).toEqual(['stops', 'legs']);
    // A later step's names are what the step before gave: each segment's `stops`, not the offer's.
    for (const text of ['segments.(stops = 0)', '$count(segments.(stops = 0)) > 0', 'segments@$s.(stops = 0)'])
      expect([text, whereNumberFields(compileWhere(text))]).toEqual([text, []]);
    expect(whereNumberFields(compileWhere('segments.(stops = 0) or (stops != 1)'))).toEqual(['stops']);
  });

  it('takes a path that starts with a bare `$` (the offer, the context item) as reading the offer', () => {
    const reads = (text: string) => [text, whereFields(compileWhere(text)), whereNumberFields(compileWhere(text))];
    expect(reads('$.stop = 0')).toEqual(['$.stop = 0', ['stop'], ['stop']]);
    expect(reads('$.(stops = 0) and $.price < 100')).toEqual([
      '$.(stops = 0) and $.price < 100',
      ['stops', 'price'],
      ['stops'],
    ]);
    expect(reads('0 != $.$.legs')).toEqual(['0 != $.$.legs', ['legs'], ['legs']]);
    // A later step is still what the step before gave: each segment's `stops`.
    expect(reads('$.segments.stops = 0')).toEqual(['$.segments.stops = 0', ['segments'], []]);
    // `$` alone, `$$`, other variables, calls, and a `$` with a predicate or binding are not the offer's fields.
    for (const text of [
      '$ = 0',
      '$$.stop = 0',
      '$lookup($, "stop") = 0',
      '($x := $; $x.stop = 0)',
      '$count($$[stop = 0]) = 1',
      '$[0].stop = 0',
      '$@$o.stop = 0',
      '$#$i.stop = 0',
    ])
      expect(reads(text)).toEqual([text, [], []]);
    expect(reads('$minutes(duration) < 100')).toEqual(['$minutes(duration) < 100', ['duration'], []]);
  });
});
