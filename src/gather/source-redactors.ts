/** Which redactors a source's offers and words go through: the run's, or its OAuth2 client's scope's. */
import { scopeSecrets } from '../scatter/oauth.js';
import type { Redactor } from '../shared/redact.js';
import type { CompiledSource } from '../types.js';
import type { GatherOptions } from './index.js';

/**
 * `source`'s redactors: the run's, and with an OAuth2 client its scope's, which also hide the token.
 * Only its own: a token is the endpoint's word, and hidden in every source, a token `https` would
 * blank out every link.
 */
export function redactorsOf(
  source: CompiledSource,
  opts: GatherOptions,
): { redact: Redactor; redactOffers?: Redactor } {
  return scopeSecrets(source, opts.secretsOf) ?? opts;
}
