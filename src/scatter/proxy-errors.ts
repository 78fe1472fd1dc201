/**
 * A failure at the proxy, in the proxy's words: without them a proxy that was down read `connection
 * refused`, as if the vendor were, and a 407 `Request aborted`. The proxy is named by scheme, host and
 * port alone: its credentials are never part of a message.
 */
import type { ProxyFailure } from './proxy-marks.js';
import { statusLabel } from './status-label.js';

/** undici 7's words for a CONNECT the proxy answered with anything but 200 (proxy-agent.js). */
const TUNNEL_REFUSED = /^Proxy response \((\d{3})\) !== 200/;

/** Codes of a connection to the proxy itself that failed. */
const AT_PROXY: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'refused the connection',
  ENOTFOUND: 'not found (its host has no address)',
  EAI_AGAIN: 'not found (DNS lookup failed)',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable (network unreachable)',
  // undici's own, for an https:// proxy whose certificate is for another name.
  UND_ERR_PRX_TLS: 'failed its TLS handshake (its certificate is not for its host name)',
};

/**
 * One line for a failure of a proxied request before any answer, or undefined when `err` says nothing
 * of the proxy's own (a TLS failure with the vendor, through the tunnel, is described as any other, by
 * `plain`, with the proxy named after it).
 */
export function describeProxyFailure(err: unknown, at: ProxyFailure, plain: (err: unknown) => string): string {
  const e = err as { code?: unknown; message?: unknown; cause?: { code?: unknown } };
  const proxy = `proxy ${at.proxy.label}`;
  const status = typeof e.message === 'string' ? TUNNEL_REFUSED.exec(e.message)?.[1] : undefined;
  if (status !== undefined) {
    const code = Number(status);
    const label = statusLabel(code);
    if (code === 407) {
      return at.proxy.hasCredentials
        ? `${proxy} refused the credentials in ${at.proxy.name} (${label})`
        : `${proxy} wants credentials (${label}): add user:pass@ before the host in ${at.proxy.name}`;
    }
    if (code === 502 || code === 503 || code === 504) return `${proxy} could not reach ${at.target} (${label})`;
    return `${proxy} refused a tunnel to ${at.target} (${label})`;
  }
  const code = typeof e.code === 'string' ? e.code : e.cause?.code;
  const words = typeof code === 'string' ? AT_PROXY[code] : undefined;
  if (words) return `${proxy} ${words}`;
  return `${plain(err)} (through ${proxy})`;
}
