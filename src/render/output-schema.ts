/**
 * The shape of what `agg search` prints for scripts, once: the `--json` document and each NDJSON line, as
 * zod schemas. schema/output.schema.json and schema/ndjson-record.schema.json are generated from them
 * (`npm run schema`), and the tests check every document and line real searches print against them,
 * strictly, so that a field added or renamed in the output without a word here fails.
 *
 * Not imported by anything the command line runs: zod costs its start (test/start.test.ts), and the
 * renderers need no checking of their own output.
 */

import * as z from 'zod';
import { STRATEGIES } from '../types.js';
import { BASE_KEYS, CONVERSION_KEYS } from './fields.js';
import { ms, sourceRowSchema, text, yes } from './source-row-schema.js';

/** The offer model's own keys, as every format writes them: a mapped field is any other. */
const OFFER_KEYS: ReadonlySet<string> = new Set([...BASE_KEYS, ...CONVERSION_KEYS]);

/**
 * An offer; `rank` required in the JSON document, optional on an NDJSON line. `extraFields`: the mapped
 * fields a test's sources file has, each allowed, and nothing else; undefined allows any (the published schema).
 */
function offerSchema<T extends z.core.$ZodLooseShape>(
  extra: T,
  rank: 'required' | 'optional',
  extraFields?: readonly string[],
) {
  const rankField = z
    .int()
    .positive()
    .meta({
      description:
        rank === 'required'
          ? 'The offer’s place in the ranking, from 1.'
          : 'The offer’s place in the final ranking, from 1: absent under `all` without `--limit` or `--distinct`, whose lines are written in arrival order.',
    });
  const mapped = z
    .unknown()
    .meta({ description: 'A field the sources file maps (stops, carrier, …): the vendor’s value.' });
  const shape = {
    ...extra,
    rank: rank === 'required' ? rankField : rankField.optional(),
    source: text.meta({ description: 'The name of the source the offer came from.' }),
    title: text.meta({ description: 'The offer’s title (`fields.title`).' }),
    price: z.number().nonnegative().meta({
      description:
        'What you pay, in `currency`: converted into the ranking currency when a rate allows. A finite number, not below zero.',
    }),
    currency: text.meta({
      description:
        'The price’s currency: the ranking currency once converted, else the vendor’s code; XXX when none was given.',
    }),
    url: text.optional().meta({
      description: 'A link to the offer; absent when the mapping gives none, or one with a scheme other than http(s).',
    }),
    originalPrice: z.number().optional().meta({ description: 'The vendor’s price, on an offer that was converted.' }),
    originalCurrency: text.optional().meta({ description: 'The vendor’s currency, on an offer that was converted.' }),
    unconverted: yes.optional().meta({
      description: 'No rate converts `currency` into the ranking currency: ranked after the others.',
    }),
    alsoAt: z
      .array(
        z
          .strictObject({
            source: text.meta({ description: 'The source of an offer folded into this one.' }),
            price: z.number().nonnegative().meta({ description: 'Its price, in its `currency`.' }),
            currency: text.meta({
              description: 'The ranking currency once converted, else the vendor’s code, as an offer’s.',
            }),
            url: text.optional().meta({ description: 'Its link, when it has one.' }),
          })
          .meta({ description: 'An offer `--distinct` folded into this one.' }),
      )
      .optional()
      .meta({
        description:
          'Only under `--distinct`, on every offer: the offers with the same values of its fields, ranked after this one, in ranking order; [] when none.',
      }),
  };
  if (extraFields === undefined) return z.object(shape).catchall(mapped);
  const extras = Object.fromEntries(extraFields.filter((f) => !OFFER_KEYS.has(f)).map((f) => [f, mapped.optional()]));
  return z.strictObject({ ...shape, ...extras });
}

const strategy = z.enum(STRATEGIES).meta({ description: 'The strategy: best, all or first (`-s`).' });
const currency = text.optional().meta({
  description:
    'The ranking currency: `--currency`, else the file’s `currency`, else the one most listed offers use; absent when none of them gives one.',
});
const partial = z.boolean().meta({
  description:
    'True when any selected source is `error` or `timeout`, or `ok` but `incomplete`, or Ctrl-C cancelled a source before it answered; take-first’s `cancelled` rows do not count.',
});
const elapsedMs = ms.meta({ description: 'How long the whole search took, in milliseconds.' });
const warnings = z.array(text).meta({
  description:
    'What the run warns of (a currency with no rate, a param no source read, …), in the sources file’s order.',
});

/**
 * Every output shape. `extraFields`: the fields beyond the offer model that may appear on an offer (the
 * sources file's), and no other; left out, an offer may carry any (as the published schema says).
 */
export function outputSchemas(extraFields?: readonly string[]) {
  const document = z
    .strictObject({
      query: z
        .strictObject({
          text: text.meta({ description: 'The free words of the search, joined by spaces.' }),
          params: z.record(text, text).meta({
            description: 'Every param by name: `query` from the free words, each `name=value` term and `--param`.',
          }),
        })
        .meta({ description: 'What was searched for.' }),
      strategy,
      currency,
      offers: z.array(offerSchema({}, 'required', extraFields)).meta({ description: 'The offers, ranked.' }),
      sources: z.array(sourceRowSchema({})).meta({
        description: 'One row per selected source, in the sources file’s order, whatever order they answered in.',
      }),
      partial,
      elapsedMs,
      warnings,
    })
    .meta({
      title: 'agg search --json',
      description: 'The one document `agg search --json` prints once the search has run, even with no offers.',
    });
  const type = <T extends string>(kind: T, description: string) => ({
    type: z.literal(kind).meta({ description }),
  });
  const offerLine = offerSchema(type('offer', 'An offer line.'), 'optional', extraFields);
  const sourceLine = sourceRowSchema(type('source', 'How one source ended: one line per source, after its offers.'));
  const summaryLine = z
    .strictObject({
      ...type('summary', 'The last line: the stream is complete.'),
      strategy,
      currency: currency.meta({
        description:
          'The ranking currency; with neither `--currency` nor the file’s `currency`, chosen at the end, while streamed offer lines carry each vendor’s own.',
      }),
      partial,
      elapsedMs,
      warnings,
    })
    .meta({ description: 'The last line of the stream.' });
  const record = z.discriminatedUnion('type', [offerLine, sourceLine, summaryLine]).meta({
    title: 'agg search --format ndjson: one line',
    description: 'One line of `agg search --format ndjson`: an offer, a source’s row, or the closing summary.',
  });
  return { document, record, offerLine, sourceLine, summaryLine };
}

/** The text of a JSON Schema file (draft-07, 2-space indent, trailing newline), as `npm run schema` writes it. */
const schemaText = (schema: z.ZodType): string =>
  `${JSON.stringify(z.toJSONSchema(schema, { target: 'draft-7' }), null, 2)}\n`;

/** schema/output.schema.json's text: the `--json` document. */
export const outputJsonSchemaText = (): string => schemaText(outputSchemas().document);

/** schema/ndjson-record.schema.json's text: any one NDJSON line. */
export const ndjsonRecordJsonSchemaText = (): string => schemaText(outputSchemas().record);
