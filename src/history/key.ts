/** What the latency history keeps a source's times under: its name and its host, without secrets. */
import { isSecretValue } from '../shared/secret-value.js';

/**
 * What a source's latencies are kept under: its name and the host its request goes to, as
 * `shop@api.shop.example`. By name alone, a source of the same name in another file took on its
 * history: someone's real `amadeus` inherited the demo's loopback times, and `hedge: auto` then sent
 * every request twice after a few milliseconds. The host is the URL's text (a `{{ }}` in it stays as
 * written) without any `user:password@`, which this file must not hold. Nor an environment secret
 * (the config's `secretNames`): each is written as the variable it came from, so
 * `https://${TENANT_HOST}/search` is kept as `shop@${TENANT_HOST}`, not with the tenant's host written to
 * disk. Not as `***`: every host from the environment was then one, and a real `amadeus` at
 * `${AMADEUS_URL}` took on the times of the demo's at `${AGG_DEMO_URL}`, loopback ones.
 * Exported with LatencyHistory: its `percentile` and `count` take this key, not a source's name.
 */
export function historyKey(
  source: { readonly name: string; readonly request: { readonly url: string } },
  secretNames: Readonly<Record<string, string>> = {},
): string {
  const { url } = source.request;
  // A `${VAR}` is in the URL as the environment has it: only such a URL is rewritten.
  // Each as a mark first (a NUL and its index: no URL holds one), so that lower-casing the host keeps
  // the variable's name as the file writes it.
  const secrets = secretsOf(secretNames);
  const shown = secrets.some(([v]) => url.includes(v))
    ? secrets.reduce((out, [value], i) => out.split(value).join(`\0${i}\0`), url)
    : url;
  const afterScheme = shown.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const authority = afterScheme.split(/[/?#]/, 1)[0] ?? '';
  const host = authority.slice(authority.lastIndexOf('@') + 1).toLowerCase();
  return `${source.name}@${host.replace(/\0(\d+)\0/g, (_, i: string) => `\${${secrets[Number(i)]?.[1]}}`)}`;
}

// One per config: historyKey runs for each of a thousand sources, and each would build the same.
// Longest first, so that a secret holding another is replaced whole.
const secretsByConfig = new WeakMap<object, readonly (readonly [value: string, name: string])[]>();
function secretsOf(secretNames: Readonly<Record<string, string>>): readonly (readonly [string, string])[] {
  let secrets = secretsByConfig.get(secretNames);
  if (!secrets) {
    secrets = Object.entries(secretNames)
      .filter(([value]) => isSecretValue(value))
      .sort((a, b) => b[0].length - a[0].length);
    secretsByConfig.set(secretNames, secrets);
  }
  return secrets;
}
