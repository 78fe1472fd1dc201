/**
 * `{query}` where `{{query}}` was meant (OpenAPI's and many docs' way to write a path or query param):
 * agg fills only `{{ }}`, so `?q={query}` went out as written, braces and all, and the vendor answered
 * for the word "{query}", or with nothing, without a word of why.
 */

// Each `{{ }}` is taken out first: what is inside one is JSONata (`{{ {"a": 1} }}` builds an object).
const PLACEHOLDER = /\{\{.+?\}\}/gs;
// One name in one pair of braces; not the `${name}` that `$${name}` writes on purpose.
const SINGLE = /(?<![{$])\{([A-Za-z_]\w*)\}(?!\})/;

/** What to write instead of the first `{name}` in `text`, or undefined when it has none. */
export function singleBraces(text: string): string | undefined {
  const name = SINGLE.exec(text.replace(PLACEHOLDER, 'x'))?.[1];
  return name === undefined
    ? undefined
    : `\`{${name}}\` is sent as written, braces and all: a search param is \`{{${name}}}\`, an environment variable \`\${${name}}\``;
}

/**
 * The paths (below the body) and messages of the body's strings that hold a `{name}`. Only a string with
 * no other brace: a GraphQL query (`{ viewer {login} }`) or other text a vendor reads has several.
 */
export function singleBracesIn(
  value: unknown,
  path: (string | number)[] = [],
): { path: (string | number)[]; message: string }[] {
  if (typeof value === 'string') {
    const braces = value.replace(PLACEHOLDER, 'x').match(/[{}]/g)?.length ?? 0;
    const message = braces === 2 ? singleBraces(value) : undefined;
    return message === undefined ? [] : [{ path, message }];
  }
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) =>
    singleBracesIn(v, [...path, Array.isArray(value) ? Number(key) : key]),
  );
}
