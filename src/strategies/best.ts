import { collector, type Strategy } from './types.js';

/** `best`: the single best-ranked offer across all sources (or the top `--limit`). */
export function bestStrategy(): Strategy {
  const offers = collector();
  return {
    defaultLimit: 1,
    accept(position, batch) {
      offers.add(position, batch);
      return false;
    },
    candidates: offers.all,
  };
}
