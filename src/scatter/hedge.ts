/**
 * Hedged requests ("The Tail at Scale", Dean & Barroso, CACM 2013): when the server has not answered
 * after a delay, send one duplicate and take whichever answers first; the other is aborted. Any
 * answer counts, even a 429 whose Retry-After the retry policy is waiting out: a vendor that said
 * "slow down" must not get a duplicate. A run-level budget caps the duplicates, so a slow network
 * does not double the load on every vendor.
 */

/** How many duplicates a run may still send; shared by every source of the run. */
export class HedgeBudget {
  #left: number;
  constructor(left: number) {
    this.#left = Math.max(0, Math.floor(left));
  }
  /** Default for a run: 10% of its sources, at least 1. */
  static forSources(count: number): HedgeBudget {
    return new HedgeBudget(Math.max(1, Math.floor(count / 10)));
  }
  /** Takes one duplicate from the budget; false when none are left. */
  take(): boolean {
    if (this.#left <= 0) return false;
    this.#left--;
    return true;
  }
  /** Duplicates still allowed. */
  get left(): number {
    return this.#left;
  }
}

/**
 * Starts one attempt: `signal` aborts it; it calls `onSent` when its request is written to a
 * connection (not while it waits in the origin's queue), and `onAnswer` when any response headers
 * arrive (a retried 429 or 503 included) or a retry wait begins, after which it gets no duplicate.
 */
type Attempt<T> = (signal: AbortSignal, onAnswer: () => void, onSent: () => void) => Promise<T>;

/** When to hedge, and against what. */
interface HedgeOptions {
  /** Delay before the duplicate; no hedging when undefined. */
  readonly delayMs?: number;
  readonly budget?: HedgeBudget;
  /** The source's signal: aborting it ends both attempts. */
  readonly signal: AbortSignal;
}

/**
 * Runs `attempt`, and a duplicate `delayMs` after its request was sent if the server has not answered
 * by then (and no retry wait has begun) and the budget allows. The delay starts when the request is
 * written, not when it is queued: one still waiting for a connection to its origin is not slow at the
 * vendor, and its duplicate would only wait behind it in the same queue.
 * The first `ok` outcome wins and the other attempt is aborted; when both fail, the first one's
 * failure is reported (the duplicate only ever stands in for it).
 */
export async function hedged<T extends { status: string }>(
  attempt: Attempt<T>,
  opts: HedgeOptions,
): Promise<{ outcome: T; hedged: boolean }> {
  // The common case costs nothing extra: no controller, no timer (1,000 sources send 1,000 of these).
  const none = (): void => {};
  if (opts.delayMs === undefined) return { outcome: await attempt(opts.signal, none, none), hedged: false };
  const { delayMs } = opts;
  const primary = new AbortController();
  let answered = false;
  let timer: NodeJS.Timeout | undefined;
  let resolveDue: (due: 'due') => void = none;
  const due = new Promise<'due'>((resolve) => {
    resolveDue = resolve;
  });
  const first = attempt(
    AbortSignal.any([opts.signal, primary.signal]),
    () => {
      answered = true;
    },
    () => {
      // Once: a retry's send does not restart the delay (it is not hedged anyway: see retry.ts). Due
      // after the next read of the sockets, not in the timers phase before it: after the event loop was
      // held up (a long mapping, a starved machine), every timer that came due in the meantime fired
      // before the answers that had arrived were read, and answered sources took the run's budget.
      timer ??= setTimeout(() => setImmediate(() => resolveDue('due')), delayMs);
    },
  );
  try {
    const early = await Promise.race([first, due]);
    if (early !== 'due' || answered || opts.signal.aborted || !opts.budget?.take()) {
      return { outcome: await first, hedged: false };
    }
  } finally {
    clearTimeout(timer);
  }
  const duplicate = new AbortController();
  const second = attempt(AbortSignal.any([opts.signal, duplicate.signal]), none, none);
  const winner = await firstOk(first, second);
  (winner.index === 0 ? duplicate : primary).abort();
  return { outcome: winner.outcome, hedged: true };
}

/** The first of `a` and `b` to settle `ok`; if neither does, `a`'s outcome. */
function firstOk<T extends { status: string }>(a: Promise<T>, b: Promise<T>): Promise<{ index: 0 | 1; outcome: T }> {
  return new Promise((resolve) => {
    let failures = 0;
    const settle = (index: 0 | 1) => (outcome: T) => {
      if (outcome.status === 'ok') resolve({ index, outcome });
      else if (++failures === 2) void a.then((first) => resolve({ index: 0, outcome: first }));
    };
    void a.then(settle(0));
    void b.then(settle(1));
  });
}
