/**
 * The ora spinner on stderr: `3/7 sources · 1 failed · best so far $249.99`. It never writes to
 * stdout; `log` lines go to stderr, and ora keeps them from tearing its line.
 */
import type { Ora } from 'ora';
import { shownMoney } from '../render/index.js';
import { isFailure, type Offer, type SourceResult } from '../types.js';
import type { Io, Out } from './io.js';

/** Progress reporting for one search. */
interface Progress {
  start(selected: number): void;
  source(row: SourceResult, offers: readonly Offer[]): void;
  log(line: string): void;
  stop(): void;
}

/**
 * A spinner when `enabled`, started once the plan is known; otherwise only passes log lines through.
 * ora is imported only for a spinner: scripts and pipes never pay for loading it.
 */
export async function createProgress(
  enabled: boolean,
  stderr: Out & NodeJS.WritableStream,
  {
    cheapestIsBest,
    color,
    onSuspend,
  }: {
    /** False when ranking is not by ascending price: "best so far" would then mislead. */
    cheapestIsBest: boolean;
    /** The spinner's own colour: off under --no-color, NO_COLOR or TERM=dumb, like the output's. */
    color: boolean;
    /** Ctrl-Z (Io.onSuspend): the spinner stops for good, so that the shell gets a clean line and its cursor. */
    onSuspend?: Io['onSuspend'];
  },
): Promise<Progress> {
  const ora = enabled ? (await import('ora')).default : undefined;
  let spinner: Ora | undefined;
  let total = 0;
  let done = 0;
  let failed = 0;
  let best: Offer | undefined;
  // Offers in two currencies with no ranking currency to convert them to: no price is comparable, and
  // the first currency's cheapest would hide a cheaper offer in another.
  let incomparable = false;
  let stopped = false;
  let offSuspend: (() => void) | undefined;
  return {
    start(selected) {
      total = selected;
      if (!ora) return;
      const made = ora({
        stream: stderr,
        isEnabled: true,
        discardStdin: false,
        ...(color ? {} : { color: false }),
      });
      spinner = made;
      // search() reports the skipped sources right after the start, in the same turn: drawn at once, the
      // first frame said `0/7 sources` for a search sending 3 (then `0/3`). It draws once they are counted.
      queueMicrotask(() => {
        if (stopped) return;
        made.start(sourcesText());
        offSuspend = onSuspend?.(() => {
          stopped = true;
          made.stop();
        });
      });
    },
    source(row, offers) {
      if (row.status === 'skipped') total--;
      else done++;
      if (isFailure(row.status)) failed++;
      for (const o of offers) {
        if (o.unconverted) continue;
        if (best && o.currency !== best.currency) incomparable = true;
        else if (!best || o.price < best.price) best = o;
      }
      if (spinner) spinner.text = sourcesText();
    },
    // ora hooks stderr and stdout while it spins, so other lines don't tear its line.
    log: (line) => void stderr.write(`${line}\n`),
    stop() {
      stopped = true;
      spinner?.stop();
      offSuspend?.();
    },
  };

  function sourcesText(): string {
    const parts = [`${done}/${total} sources`];
    if (failed > 0) parts.push(`${failed} failed`);
    if (best && cheapestIsBest && !incomparable) parts.push(`best so far ${shownMoney(best.price, best.currency)}`);
    return parts.join(' · ');
  }
}
