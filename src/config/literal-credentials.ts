/**
 * Credentials written into the sources file itself rather than through `${VAR}`: the value of a header
 * or a `request.query` parameter whose name says credential (`X-Api-Key`, `Authorization`, `api_key`) and
 * an OAuth2 `clientSecret`. A config
 * error quotes what it found wrong (`unclosed {{ in "sk_live_… {{ query"`), and that line goes to a
 * terminal, a CI log or a bug report: such a value is shown as `***` there, as a `${VAR}`'s is.
 */
import { isRecord } from '../shared/is-record.js';
import { isCredentialHeader } from './assemble.js';

/** Each such value in the parsed file `raw`, mapped to where it was written (value → name), as env secrets are. */
export function literalCredentials(raw: unknown): Record<string, string> {
  const found: Record<string, string> = {};
  const add = (value: unknown, name: string): void => {
    // The same key in two sources is one value to hide (defined twice, the property throws).
    if (typeof value !== 'string' || value.trim() === '' || Object.hasOwn(found, value)) return;
    Object.defineProperty(found, value, { value: name, enumerable: true });
  };
  const walk = (node: unknown, depth: number): void => {
    // The file's own keys are a few levels deep; a body may nest further, and holds no header.
    if (depth > 8) return;
    if (Array.isArray(node)) {
      for (const item of node) walk(item, depth + 1);
      return;
    }
    if (!isRecord(node)) return;
    for (const [key, value] of Object.entries(node)) {
      // `request.query` names its parameters as headers are named (`api_key: sk_live_…`): a URL prints them
      // as `***` (shared/redact.ts), and its config error quoted them whole.
      if ((key === 'headers' || key === 'query') && isRecord(value)) {
        for (const [name, text] of Object.entries(value)) {
          if (!isCredentialHeader(name)) continue;
          for (const item of Array.isArray(text) ? text : [text]) add(item, name);
        }
      } else if (key === 'clientSecret') add(value, key);
      else if (key !== 'body') walk(value, depth + 1);
    }
  };
  walk(raw, 0);
  return found;
}
