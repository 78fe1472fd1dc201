/**
 * The `when` of the sources file's cross-field checks: true when the value is a mapping (not null, not a
 * list), so that a check still runs, and reports, when a sibling field is invalid.
 */
export const isObject = (p: { value: unknown }): boolean =>
  typeof p.value === 'object' && p.value !== null && !Array.isArray(p.value);
