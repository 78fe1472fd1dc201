/**
 * Truth as JSONata's `$boolean` reads it, for an expression whose result decides (a poll's `until`), so
 * that it agrees with `--where`, which is evaluated through `$boolean`. JavaScript's own truth differs
 * where vendors answer "nothing yet": an empty object or list (`itineraries: {}` while a search runs) is
 * truthy to JavaScript, and polling stopped at the create response, reported whole with no offers.
 */
export function jsonataBoolean(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(jsonataBoolean);
  if (typeof value === 'string') return value.length > 0;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  if (typeof value === 'boolean') return value;
  // A function is false to `$boolean`, as are undefined and null.
  if (value === null || typeof value !== 'object') return false;
  return Object.keys(value).length > 0;
}
