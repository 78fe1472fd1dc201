import type { Offer } from '../types.js';

/**
 * A reducer over the outcome stream. It chooses which offers compete; gather converts and ranks
 * them, so that every strategy ranks the same way.
 */
export interface Strategy {
  /**
   * Takes one source's offers (converted and filtered), with the source's position in the file.
   * Returns true when the answer is settled and the remaining sources should be cancelled.
   */
  accept(position: number, offers: readonly Offer[]): boolean;
  /** The chosen offers in file order, then item order: the tie-break order for ranking. */
  candidates(): Offer[];
  /** How many ranked offers to keep when `--limit` is not given. */
  readonly defaultLimit?: number;
}

/** Offers kept by source position, so ties break by file order, not arrival order. */
export function collector(): { add(position: number, offers: readonly Offer[]): void; all(): Offer[] } {
  const bySource = new Map<number, readonly Offer[]>();
  return {
    add: (position, offers) => void bySource.set(position, offers),
    all: () => [...bySource.entries()].sort(([a], [b]) => a - b).flatMap(([, offers]) => offers),
  };
}
