import type { StrategyName } from '../types.js';
import { allStrategy } from './all.js';
import { bestStrategy } from './best.js';
import { firstStrategy } from './first.js';
import type { Strategy } from './types.js';

export type { Strategy } from './types.js';

const FACTORIES: Readonly<Record<StrategyName, () => Strategy>> = {
  all: allStrategy,
  best: bestStrategy,
  first: firstStrategy,
};

/** A fresh reducer for one run. */
export const createStrategy = (name: StrategyName): Strategy => FACTORIES[name]();
