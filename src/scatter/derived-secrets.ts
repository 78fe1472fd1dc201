/**
 * Credentials a source's request computes: a credential header written as a template, such as
 * `Authorization: "Basic {{ $base64encode('${USER}:${PASS}') }}"`. Neither env value appears in what
 * goes out, so a vendor that echoed the header printed `Basic YWxpY2U6aHVudGVyMg==` (alice:hunter2)
 * in titles and errors. The rendered value is learnt as a secret of the source's scope, as a token is.
 */
import type { Secrets } from '../shared/redact.js';
import type { CompiledSource } from '../types.js';
import type { BuiltRequest } from './request.js';

/** Name the redactor records for such a value. */
const HEADER_SECRET = 'rendered credential header';

const templated = new WeakMap<CompiledSource, readonly string[]>();

/** The secret headers (lower-cased) whose value a template computes, in the source's request or its poll. */
export function templatedSecretHeaders(source: CompiledSource): readonly string[] {
  let names = templated.get(source);
  if (names === undefined) {
    const secret = new Set(source.secretHeaders ?? []);
    const all = [...source.compiled.headers, ...(source.compiled.poll?.headers ?? [])];
    names = [
      ...new Set(
        all
          .filter(([name, t]) => secret.has(name.toLowerCase()) && t.parts.some((p) => typeof p !== 'string'))
          .map(([name]) => name.toLowerCase()),
      ),
    ];
    templated.set(source, names);
  }
  return names;
}

/** Adds the computed secret headers' values in `req` to `secrets`: whole, and past a scheme (`Basic …`). */
export function learnHeaderSecrets(source: CompiledSource, req: BuiltRequest, secrets: Secrets | undefined): void {
  if (!secrets) return;
  for (const name of templatedSecretHeaders(source)) {
    const value = req.headers[name];
    if (value === undefined) continue;
    secrets.add(value, HEADER_SECRET);
    // The credentials alone are what a vendor quotes back (`invalid key YWxpY2U6…`).
    const credentials = /^[A-Za-z][\w.+-]*\s+(\S.*)$/.exec(value)?.[1];
    if (credentials === undefined) continue;
    secrets.add(credentials, HEADER_SECRET);
    // And without base64's `=` padding, which some vendors strip when they quote it.
    const unpadded = credentials.replace(/=+$/, '');
    if (unpadded !== credentials) secrets.add(unpadded, HEADER_SECRET);
  }
}
