/**
 * Create-then-poll (Skyscanner Live Prices and the like): the create response may already be
 * complete; otherwise the poll request is sent every `interval`, with `$response` bound to the
 * previous response, until `until` holds. Each response replaces the last (RESULT_ACTION_REPLACED),
 * so only the final one is mapped (an empty answer replaces nothing, nor one `unchanged` says is
 * RESULT_ACTION_NOT_MODIFIED); when polling stops early that one is kept, marked incomplete.
 * Polls stay on the create request's origin, as pages do.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { now } from '../shared/clock.js';
import { evaluationMessage } from '../shared/expression.js';
import { truncate } from '../shared/truncate.js';
import { waitedFor } from './abort-outcome.js';
import { learnHeaderSecrets } from './derived-secrets.js';
import { abortReason, type Flow, type FlowResult, keepsWhatArrived } from './flow.js';
import { jsonataBoolean } from './jsonata-boolean.js';
import { type BuiltRequest, renderRequest } from './request.js';
import type { Fetched } from './send.js';
import { MissingParamError } from './template.js';
import { formatWait } from './wait-text.js';

/** Polls after `first` answered `created` (status ok), until complete, out of attempts or time. */
export async function pollUntilComplete(flow: Flow, first: BuiltRequest, created: Fetched): Promise<FlowResult> {
  const { source, params, signal } = flow;
  const origin = new URL(first.url).origin;
  const poll = source.poll;
  const compiled = source.compiled.poll;
  if (!poll || !compiled) throw new Error(`internal: ${source.name} has no poll`);
  // `last` is the latest answer: `until` reads it, and it is the next poll's `$response`. `content` is the
  // one mapped: the latest unless a later one said nothing changed, and brought no results with it.
  let last = created;
  let content = created;
  // The latest answer's Retry-After, empty ones' too: a 202 with no body may still say when to come back.
  let asked = created.nextAfterMs;
  let polls = 0;
  const after = (): string => `after ${polls} poll${polls === 1 ? '' : 's'}`;
  for (;;) {
    let complete: unknown;
    try {
      complete = await compiled.until.evaluate(last.body, { response: last.body, params });
    } catch (err) {
      return flow.finish(last, [content.body], `incomplete ${after()}: poll.until failed: ${evaluationMessage(err)}`);
    }
    if (jsonataBoolean(complete)) return flow.finish(last, [content.body]);
    await flow.progress(content.body);
    if (polls >= poll.maxAttempts) {
      // The expression may hold a `${VAR}` secret: cut after redaction, or half of one could show.
      const until = truncate(flow.redact(poll.until), 80);
      return flow.finish(last, [content.body], `incomplete ${after()} (maxAttempts): \`${until}\` never held`);
    }
    // Polled every interval whatever it said, a vendor that asked for 5s between polls got fifty in them.
    const waitMs = Math.max(poll.intervalMs, asked ?? 0);
    if (waitMs > poll.intervalMs && now() + waitMs > flow.deadlineAt) {
      // Not waited for, as a retry's Retry-After past the limit is not (retry.ts): said now, not at the limit.
      const why = `the vendor asked to wait ${formatWait(waitMs)} before the next poll (Retry-After), past the time left`;
      return flow.finish(last, [content.body], `incomplete ${after()}: ${why}`);
    }
    try {
      await sleep(waitMs, undefined, { signal });
    } catch {
      const why = abortReason(signal);
      if (!keepsWhatArrived(why)) return flow.fail({ status: 'cancelled', ms: 0, attempts: 0, error: why.reason });
      return flow.finish(last, [content.body], `incomplete ${after()}: ${why.reason}`);
    }
    let req: Awaited<ReturnType<typeof renderRequest>>;
    try {
      req = await renderRequest(poll.request.method, compiled, params, { response: last.body });
      learnHeaderSecrets(flow.source, req, flow.secrets);
    } catch (err) {
      // `{{ $response.sessionToken }}` yielding nothing means the response lacks it, not that a param is missing.
      const why =
        err instanceof MissingParamError && err.names.length === 0
          ? 'a poll.request template yields nothing from the previous response'
          : (err as Error).message;
      return flow.finish(last, [content.body], `incomplete ${after()}: ${why}`);
    }
    // `$response` is vendor data: it must not steer the source's credentials to another host.
    const target = URL.canParse(req.url) ? new URL(req.url).origin : undefined;
    if (target !== origin) {
      const why = target ? `poll URL on another origin not followed: ${target}` : 'the poll URL is not a URL';
      return flow.finish(last, [content.body], `incomplete ${after()}: ${why}`);
    }
    const f = await flow.call(req);
    // A poll the flow's limit, the deadline or Ctrl-C cut short did not fail, nor was it a poll answered:
    // `the last failed: interrupted: POST …` blamed the vendor and counted it.
    if (f.status !== 'ok' && signal.aborted) {
      const why = abortReason(signal);
      if (!keepsWhatArrived(why)) return flow.fail(f);
      // As a page's (pages.ts): a poll that waited for a connection the whole time, the vendor never saw.
      const queued = f.unsent ? `, poll ${polls + 1} not sent: ${waitedFor(f.unsent.waitedMs)}` : '';
      return flow.finish(last, [content.body], `incomplete ${after()}: ${why.reason}${queued}`, f);
    }
    polls++;
    asked = f.nextAfterMs;
    if (f.status !== 'ok') {
      return flow.finish(last, [content.body], `incomplete ${after()}, the last failed: ${f.error}`, f);
    }
    // An empty answer (a 204, a 202 while the search runs) says nothing new: replacing the last with it
    // would lose its offers, and the next poll's `$response` would hold no session to poll.
    if (f.body === undefined) continue;
    last = f;
    let same: unknown;
    try {
      same = await compiled.unchanged?.evaluate(f.body, { response: f.body, params });
    } catch (err) {
      return flow.finish(
        last,
        [content.body],
        `incomplete ${after()}: poll.unchanged failed: ${evaluationMessage(err)}`,
      );
    }
    if (!jsonataBoolean(same)) content = f;
  }
}
