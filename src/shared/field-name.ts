/** What an offer field's name may be: a source's `fields:` key (config/schema-fields.ts), and a field `--distinct` names. */
export const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
