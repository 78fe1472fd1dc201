import type { Offer } from '../types.js';
import type { Strategy } from './types.js';

/** `first`: the offers of the first source that yields any; gather then cancels the rest. */
export function firstStrategy(): Strategy {
  let winner: readonly Offer[] | undefined;
  return {
    accept(_position, batch) {
      if (winner === undefined && batch.length > 0) winner = batch;
      return winner !== undefined;
    },
    candidates: () => [...(winner ?? [])],
  };
}
