/**
 * A source's answer was still being mapped or filtered when the run ended (the deadline, Ctrl-C,
 * take-first's answer). Mappings and `--where` run over batches of 10,000 items, each with its own 5 s,
 * so a large answer is no longer one bounded evaluation: 90,000 items with a bad price in every hundred
 * mapped for 16 s under `--deadline 3s`, deaf to Ctrl-C. They look between batches, so an answer of one
 * batch (nearly every answer) is mapped whole as before.
 */
export class RunStopped extends Error {
  /** The run's abort reason (scatter/send.ts's RunAbort). */
  constructor(readonly why: unknown) {
    super('the run ended while the answer was mapped');
    this.name = 'RunStopped';
  }
}

/** Throws RunStopped when `signal` (the run's) has aborted. */
export function stopIfEnded(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new RunStopped(signal.reason);
}
