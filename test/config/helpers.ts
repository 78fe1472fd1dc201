/** Shared helpers for the config tests. */
import { loadConfigText } from '../../src/config/index.js';
import { ConfigError } from '../../src/errors.js';
import type { Config } from '../../src/types.js';

/** Strips the common indentation of a template literal (cooked, so `\${` is `${`), so YAML can be written inline and indented. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = strings.reduce((out, s, i) => out + (i > 0 ? String(values[i - 1]) : '') + s, '').replace(/^\n/, '');
  const indent = Math.min(
    ...text
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => /^ */.exec(l)?.[0].length ?? 0),
  );
  return text
    .split('\n')
    .map((l) => l.slice(indent))
    .join('\n');
}

/** A source that validates, to append problems to. */
export const GOOD_SOURCE = yaml`
  - name: good
    request: { url: "https://good.example/?q={{query}}" }
    offers: items
    fields: { title: name, price: price }
`;

/** The problem lines of the ConfigError that loading `text` throws. */
export function problems(text: string, env: Record<string, string | undefined> = {}): string[] {
  try {
    loadConfigText(text, 'sources.yaml', env);
  } catch (err) {
    if (err instanceof ConfigError) return err.message.split('\n');
    throw err;
  }
  throw new Error('expected a ConfigError');
}

/** Everything a Config holds but its compiled expressions (functions), as text to compare. */
export const comparable = (config: Config): string =>
  JSON.stringify(config, (key, value) => (key === 'compiled' ? undefined : value));
