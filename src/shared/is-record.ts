/** Whether `v` is a plain object (not null, not a list): a vendor's item, or a field's value, to read keys of. */
export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
