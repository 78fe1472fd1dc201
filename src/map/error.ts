/** How a mapping fails as a whole, in a file of its own so that the map stage's parts share it without importing index.ts. */

import { guardrailMessage } from '../shared/expression.js';
import type { FieldLocator } from './compile.js';

/** A response could not be mapped at all: `field` names the part at fault (`offers`, `fields.price`). */
export class MappingError extends Error {
  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`${field}: ${detail}`);
    this.name = 'MappingError';
  }
}

/** A guardrail's stop as a MappingError naming the field at its position. */
export function stopped(err: unknown, locate: FieldLocator | undefined, inItem = false): MappingError {
  const position = (err as { position?: number } | null)?.position;
  return new MappingError(locate?.(position, inItem) ?? 'fields', guardrailMessage(err));
}
