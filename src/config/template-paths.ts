/**
 * Where the sources file's `{{ }}` placeholders are filled in: the request's URL, headers and body, the
 * poll request's, and the default headers. Anywhere else (an OAuth2 tokenUrl, a currency, a time limit) a
 * `{{ }}` is refused or sent as written, so a message must not offer one there.
 */
import type { Path } from './positions.js';

export function takesTemplates(path: Path): boolean {
  const [first, second, third, fourth] = path;
  if (first === 'defaults') return second === 'headers';
  if (first !== 'sources' || typeof second !== 'number') return false;
  return third === 'request' || (third === 'poll' && fourth === 'request');
}
