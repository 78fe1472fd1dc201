/** `v` as a mapping of the raw file, or undefined when it is none: the raw checks walk text not yet validated. */
export const asRecord = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
