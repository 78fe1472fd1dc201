/** The keys each mapping of the sources file allows, for "did you mean" suggestions (issues.ts). */

import { DefaultsSchema, SourcesFileSchema } from './schema.js';
import { AuthSchema, OAuth2Schema } from './schema-auth.js';
import { ParamSchema } from './schema-param.js';
import { RequestSchema } from './schema-request.js';
import { PollSchema, SourceSchema } from './schema-source.js';

/** The keys allowed in the object at `path`, for "did you mean" suggestions. */
export function allowedKeys(path: readonly (string | number)[]): string[] {
  const [a, b, c, d] = path;
  if (a === undefined) return Object.keys(SourcesFileSchema.shape);
  if (a === 'defaults' && b === undefined) return Object.keys(DefaultsSchema.shape);
  if (a === 'params' && b !== undefined && c === undefined) return Object.keys(ParamSchema.shape);
  if (a === 'sources' && typeof b === 'number' && c === undefined) return Object.keys(SourceSchema.shape);
  if (a === 'sources' && c === 'request' && d === undefined) return Object.keys(RequestSchema.shape);
  if (a === 'sources' && c === 'auth') {
    if (d === undefined) return Object.keys(AuthSchema.shape);
    if (d === 'oauth2' && path[4] === undefined) return Object.keys(OAuth2Schema.shape);
  }
  if (a === 'sources' && c === 'poll') {
    if (d === undefined) return Object.keys(PollSchema.shape);
    if (d === 'request' && path[4] === undefined) return Object.keys(RequestSchema.shape);
  }
  return [];
}
