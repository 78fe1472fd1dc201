/**
 * The fields `--distinct` (and search()'s `distinct`) groups offers by, checked as a usage error before any
 * request: a run that folded nothing, or everything, for a stray comma would look like the vendors' answer.
 */
import { UsageError } from '../errors.js';
import { FIELD_NAME } from '../shared/field-name.js';
import { ALSO_AT } from '../types.js';

/** The fields split from `--distinct`'s text at its commas, each trimmed; checkDistinctFields() says what is wrong. */
export const splitFields = (text: string): string[] => text.split(',').map((field) => field.trim());

/**
 * `fields`, each once, in the order given; throws UsageError, naming the option as `name` (`--distinct`),
 * for no field, an empty one (`carrier,,departure`, `"$FIELDS"` unset), a name no field can have
 * (`carrier departure`, `price.value`), and the two no offers can share: `rank` and `alsoAt`.
 */
export function checkDistinctFields(fields: readonly string[], name: string, example: string): string[] {
  const given = fields.filter((f) => f !== '');
  if (given.length === 0) throw new UsageError(`${name} needs a field, and was given none (like ${example})`);
  if (given.length < fields.length) {
    const named = given.map((f) => JSON.stringify(f)).join(', ');
    throw new UsageError(
      `${name} was given an empty field beside ${named} (a stray comma, or an empty $VAR): give field names only`,
    );
  }
  for (const field of given) {
    if (!FIELD_NAME.test(field)) {
      // `carrier departure` or `carrier;departure`: two fields meant, one separator short.
      const two = /^[A-Za-z_]\w*[\s;|]+[A-Za-z_]\w*$/.test(field) ? '; separate fields with commas' : '';
      throw new UsageError(
        `${name}: ${JSON.stringify(field)} is no field name: an offer field is letters, digits and _, as a source's fields: names it${two}`,
      );
    }
    if (field === 'rank') {
      throw new UsageError(`${name}: rank is each offer's own place in the ranking, which no two offers share`);
    }
    if (field === ALSO_AT) throw new UsageError(`${name}: ${ALSO_AT} is what ${name} adds to each offer it keeps`);
  }
  return [...new Set(given)];
}
