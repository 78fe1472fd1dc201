/**
 * `{query}` where `{{query}}` was meant (OpenAPI's and many docs' way to write a path or query param):
 * agg fills only `{{ }}`, so `?q={query}` went out as written, braces and all, and the vendor answered
 * for the word "{query}", or with nothing, without a word of why. Checked where the file is loaded
 * (load.ts), not by the zod schema: only the text the file writes, never a value from the environment.
 * The JSON Schema for editors, which sees only the text, has it too (SINGLE_BRACES_PATTERN).
 */

import { asRecord } from './as-record.js';
import type { PathProblem } from './issues.js';

// Each `{{ }}` is taken out first: what is inside one is JSONata (`{{ {"a": 1} }}` builds an object).
const PLACEHOLDER = /\{\{.+?\}\}/gs;
// One name in one pair of braces; not the `${name}` that `$${name}` writes on purpose, nor one right after
// a word: the Graph API's `fields=id,offers{price}` (field expansion) and a compact GraphQL selection
// (`{search{title} total}`) are the vendor's own syntax. Nor a set of values after a `field:` that starts a
// param's value or follows a `,`: eBay's filter `filter=buyingOptions:{FIXED_PRICE},conditions:{USED}`,
// as its docs write it, was refused as `{FIXED_PRICE}` meant for `{{ }}` (`host:{port}` is still one).
const VALUE_SET = String.raw`(?<!(?:^|[=,&?])\w+:)`;
const SINGLE = new RegExp(String.raw`(?<![{$\w])${VALUE_SET}\{([A-Za-z_]\w*)\}(?!\})`);

/**
 * A text singleBraces finds a `{name}` in, as one pattern, for the JSON Schema (an editor passed
 * `?q={query}`): the text is read a `{{ }}` whole or a character at a time, as PLACEHOLDER takes it out, and
 * the character before the `{name}` (the `x` a `{{ }}` leaves, here none) is checked as SINGLE checks it.
 */
export const SINGLE_BRACES_PATTERN = String.raw`^(?:(?:(?=(\{\{[\s\S]+?\}\}))\1|(?!\{\{[\s\S]+?\}\})[\s\S])*[^{$\w])?${VALUE_SET}\{[A-Za-z_]\w*\}(?!\})`;

/** What to write instead of the first `{name}` in `text`, or undefined when it has none. */
function singleBraces(text: string): string | undefined {
  const name = SINGLE.exec(text.replace(PLACEHOLDER, 'x'))?.[1];
  return name === undefined
    ? undefined
    : `\`{${name}}\` is sent as written, braces and all: a search param is \`{{${name}}}\`, an environment variable \`\${${name}}\``;
}

/**
 * The paths (below the body) and messages of the body's strings that hold a `{name}`, each read as
 * `written` gives it. Only a string with no other brace: a GraphQL query (`{ viewer {login} }`) or other
 * text a vendor reads has several.
 */
function singleBracesIn(value: unknown, path: (string | number)[], written: (text: string) => string): PathProblem[] {
  if (typeof value === 'string') {
    const text = written(value);
    const braces = text.replace(PLACEHOLDER, 'x').match(/[{}]/g)?.length ?? 0;
    const message = braces === 2 ? singleBraces(text) : undefined;
    return message === undefined ? [] : [{ path, message }];
  }
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) =>
    singleBracesIn(v, [...path, Array.isArray(value) ? Number(key) : key], written),
  );
}

/** Where a `{{ }}` is filled in, below a source: the request's and the poll request's URL, headers and body. */
const REQUESTS = [['request'], ['poll', 'request']] as const;

/**
 * Each `{name}` the file writes in a URL, a header or a body (`file` as read, with the environment's values
 * in it). A value from the environment (`secrets`: value → variable) is no template and may hold braces of
 * its own, a password's `pa{ss}`: refused, that file could not be used, and the message quoted the secret.
 */
export function singleBracesInFile(file: unknown, secrets: Readonly<Record<string, string>>): PathProblem[] {
  // A value's own braces are left out, and so is a whole value in braces the file writes (`{${ID}}`), which
  // is not the `{name}` this is for. Only those: every `en` taken out of `{currency}` would hide that one.
  const forms = Object.keys(secrets).flatMap((v) => (/[{}]/.test(v) ? [v] : v === '' ? [] : [`{${v}}`]));
  const written = (text: string): string =>
    text.includes('{') ? forms.reduce((t, form) => t.split(form).join('-'), text) : text;
  const out: PathProblem[] = [];
  const text = (value: unknown, path: (string | number)[]): void => {
    const message = typeof value === 'string' ? singleBraces(written(value)) : undefined;
    if (message !== undefined) out.push({ path, message });
  };
  const headers = (value: unknown, path: (string | number)[]): void => {
    for (const [name, v] of Object.entries(asRecord(value) ?? {})) text(v, [...path, name]);
  };
  const root = asRecord(file);
  headers(asRecord(root?.defaults)?.headers, ['defaults', 'headers']);
  (Array.isArray(root?.sources) ? root.sources : []).forEach((source, i) => {
    for (const at of REQUESTS) {
      const request = asRecord(at.reduce<unknown>((node, key) => asRecord(node)?.[key], source));
      if (!request) continue;
      const path = ['sources', i, ...at];
      text(request.url, [...path, 'url']);
      headers(request.headers, [...path, 'headers']);
      headers(request.query, [...path, 'query']);
      for (const p of singleBracesIn(request.body, [...path, 'body'], written)) out.push(p);
    }
  });
  return out;
}
