import { collector, type Strategy } from './types.js';

/** `all`: every offer from every source that answered. */
export function allStrategy(): Strategy {
  const offers = collector();
  return {
    accept(position, batch) {
      offers.add(position, batch);
      return false;
    },
    candidates: offers.all,
  };
}
