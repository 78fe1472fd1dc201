/**
 * The source row's part of the output schemas (output-schema.ts): one shape per status, each field
 * described in docs/output.md's words. Only the schema script and the tests load it.
 */

import * as z from 'zod';
import { STATUSES } from '../types.js';

/** The building blocks output-schema.ts shares: counts, milliseconds, text, a flag that is only ever true. */
export const count = z.int().nonnegative();
export const ms = z.int().nonnegative();
export const text = z.string();
export const yes = z.literal(true);

// Each field is described once, in docs/output.md's words, and used by every shape that has it.
const about = {
  name: text.meta({ description: "The source's `name` in the sources file." }),
  httpStatus: z
    .int()
    .min(100)
    .max(599)
    .meta({ description: 'The HTTP status of the last answer the source gave, when one came.' }),
  ms: ms.meta({ description: 'How long the source took, in milliseconds (0 when it was skipped).' }),
  attempts: count.meta({
    description:
      'Every request sent for the source: retries, redirect hops, a hedge’s duplicate, polls and pages (0 when skipped).',
  }),
  offers: count.meta({
    description: 'How many offers the source gave (after `--where`); a poll counts its last answer.',
  }),
  incomplete: yes.meta({
    description:
      'An `ok` flow that stopped early (a limit, the `--deadline`, a failed poll or later page, Ctrl-C): its offers are what arrived, and `error` says what is missing.',
  }),
  hedged: yes.meta({ description: 'A duplicate request was sent (`hedge`).' }),
  dropped: z
    .int()
    .positive()
    .meta({ description: 'Items without a usable price, or on which a field threw: left out of `offers`.' }),
  droppedError: text.meta({
    description:
      'The first field that threw, and why; when none threw, what the first dropped item’s price was (`fields.price: "12.50" is text, not a number; wrap it in $number()`).',
  }),
  duplicates: z.int().positive().meta({
    description:
      'Offers of a later page left out because an earlier page of the source had the same listing, by `url`: the vendor’s list shifted between two page requests.',
  }),
  filteredOut: z.int().positive().meta({
    description:
      'Offers of the answer that `--where` left out (false for them, or it threw on them): not in `offers`. Only with a `--where` that left some out; offers a `--limit` cut are not counted.',
  }),
  folded: z.int().positive().meta({
    description:
      'Offers of the source that `--distinct` folded into one ranked before them: in that one’s `alsoAt`, not in the list. Only when it folded some; counted before `--limit`.',
  }),
  unfilled: z.array(text).meta({
    description:
      'Fields the mapping lists, besides `price` and `currency`, that no offer has a value for (a `title: lable` typo: `["title"]`); `warnings` says so too.',
  }),
  note: text.meta({
    description:
      'An `ok` answer in which `offers` found nothing (where it looked, what the answer has there), an answer not used under `first`, or a source stopped at `maxPages`.',
  }),
  rateLimited: yes.meta({ description: 'The vendor said to slow down: a 429, or a 403 about a quota.' }),
  retryAfterMs: ms.meta({
    description: 'When the vendor said to try again (Retry-After or a rate-limit reset), in ms.',
  }),
  error: text.meta({ description: 'One line: what went wrong, or what is missing; secrets redacted.' }),
};

/** A failed, late or cancelled source's row: what it may carry besides its error. */
const failedRow = <T extends z.core.$ZodLooseShape>(
  extra: T,
  status: 'error' | 'timeout' | 'cancelled',
  description: string,
) =>
  z
    .strictObject({
      ...extra,
      name: about.name,
      status: z.literal(status).meta({ description }),
      httpStatus: about.httpStatus.optional(),
      ms: about.ms,
      attempts: about.attempts,
      hedged: about.hedged.optional(),
      offers: about.offers,
      dropped: about.dropped.optional(),
      droppedError: about.droppedError.optional(),
      rateLimited: about.rateLimited.optional(),
      retryAfterMs: about.retryAfterMs.optional(),
      error: about.error,
    })
    .meta({ description });

const OK = 'A 2xx JSON answer; with `incomplete`, a flow that stopped early.';
const SKIPPED = 'Not sent: a required param is missing, or a template yields nothing for the params.';

/** The source row's shapes, one per status; `extra` adds keys (NDJSON's `type`). */
export function sourceRowSchema<T extends z.core.$ZodLooseShape>(extra: T) {
  const ok = z
    .strictObject({
      ...extra,
      name: about.name,
      status: z.literal('ok').meta({ description: OK }),
      incomplete: about.incomplete.optional(),
      httpStatus: about.httpStatus.optional(),
      ms: about.ms,
      attempts: about.attempts,
      hedged: about.hedged.optional(),
      offers: about.offers,
      dropped: about.dropped.optional(),
      droppedError: about.droppedError.optional(),
      duplicates: about.duplicates.optional(),
      filteredOut: about.filteredOut.optional(),
      folded: about.folded.optional(),
      unfilled: about.unfilled.optional(),
      note: about.note.optional(),
      rateLimited: about.rateLimited.optional(),
      retryAfterMs: about.retryAfterMs.optional(),
      error: about.error.optional(),
    })
    .meta({ description: OK });
  const skipped = z
    .strictObject({
      ...extra,
      name: about.name,
      status: z.literal('skipped').meta({ description: SKIPPED }),
      ms: z.literal(0).meta({ description: 'Always 0: no request was sent.' }),
      attempts: z.literal(0).meta({ description: 'Always 0: no request was sent.' }),
      offers: z.literal(0).meta({ description: 'Always 0.' }),
      error: text.meta({ description: 'Why it was not sent (`needs from`).' }),
    })
    .meta({ description: SKIPPED });
  const failed = (status: 'error' | 'timeout' | 'cancelled', description: string) =>
    failedRow(extra, status, description);
  return z
    .discriminatedUnion('status', [
      ok,
      failed(
        'error',
        'An HTTP error, not JSON, a connection failure, no OAuth2 token; a template or the mapping failed, or every item was dropped.',
      ),
      failed('timeout', 'The source’s `timeout`, its flow’s limit or the run’s `--deadline` passed.'),
      failed('cancelled', 'Take-first (another source answered first) or Ctrl-C ended it.'),
      skipped,
    ])
    .meta({ description: `How one source ended; \`status\` is one of ${STATUSES.join(' | ')}.` });
}
