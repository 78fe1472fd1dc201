/**
 * Secrets never reach output. Values resolved from the environment are replaced by `${NAME}`,
 * so a message still says where a value came from; credential-looking query params become `***`.
 */
import type { Config } from './types.js';

/** Query keys whose values are credentials in common vendor APIs. */
const SECRET_QUERY_KEYS =
  /^(?:api[-_]?key|apikey|key|token|access[-_]?token|auth|signature|sig|secret|password|client[-_]?secret)$/i;

/** Shorter values would turn up inside ordinary words and garble messages without hiding anything. */
const MIN_SECRET_LENGTH = 4;

/** A function that removes secrets from a line of text. */
export type Redactor = (text: string) => string;

/** Builds the redactor for a config: env values first (longest first), then credential query params. */
export function makeRedactor(config: Pick<Config, 'secrets' | 'secretNames'>): Redactor {
  const secrets = [...new Set(config.secrets)]
    .filter((s) => s.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const s of secrets) out = out.split(s).join(`\${${config.secretNames[s] ?? 'SECRET'}}`);
    return redactQuery(out);
  };
}

/** Replaces the values of credential-looking query params in any URL inside `text`. */
export function redactQuery(text: string): string {
  return text.replace(/([?&])([^=&#\s]+)=([^&#\s]*)/g, (whole, sep: string, key: string) => {
    let name = key;
    try {
      name = decodeURIComponent(key);
    } catch {
      // A malformed escape is still a name worth checking as written.
    }
    return SECRET_QUERY_KEYS.test(name) ? `${sep}${key}=***` : whole;
  });
}
