/**
 * Which requests go direct despite a proxy: loopback targets always (as Go's net/http decides, so that
 * the test suite, the demo and the benchmarks stay on the machine whatever the environment says), and
 * those NO_PROXY names, in curl's and undici's reading of it.
 */
import { BlockList, isIP } from 'node:net';

/** True when a request to `url` must not go through the proxy. */
export type GoesDirect = (url: URL) => boolean;

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443 };

/** One NO_PROXY entry: a host (and its subdomains), on any port or one. */
interface HostEntry {
  readonly host: string;
  readonly port: number | undefined;
}

/** A URL's host without IPv6 brackets, lower case (WHATWG URL already lower-cases and canonicalizes IPs). */
const bareHost = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, '$1');

/** localhost, 127.0.0.0/8 and ::1 (with its IPv4-mapped forms, `::ffff:7f00:1`). */
export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(host) || /^::ffff:127\./.test(host);
}

/**
 * The rule for `noProxy` (NO_PROXY's value): entries split on commas and spaces; `*` alone sends every
 * request direct; `example.com`, `.example.com` and `*.example.com` each match example.com and its
 * subdomains; `host:port` only that port; an IP matches itself, an IP range (`10.0.0.0/8`) its addresses.
 */
export function goesDirect(noProxy: string | undefined): GoesDirect {
  const words = (noProxy ?? '').split(/[,\s]+/).filter(Boolean);
  if (words.includes('*')) return () => true;
  const hosts: HostEntry[] = [];
  const ranges = new BlockList();
  for (const word of words) {
    const range = /^([0-9a-f.:]+)\/(\d{1,3})$/i.exec(word);
    const family = range ? isIP(range[1] ?? '') : 0;
    if (range && family !== 0) {
      try {
        ranges.addSubnet(range[1] ?? '', Number(range[2]), family === 4 ? 'ipv4' : 'ipv6');
      } catch {
        // A prefix past the family's bits (`10.0.0.0/40`): matches nothing, as curl ignores it.
      }
      continue;
    }
    hosts.push(hostEntry(word));
  }
  return (url) => {
    const host = bareHost(url);
    if (isLoopback(host)) return true;
    const port = Number(url.port) || DEFAULT_PORTS[url.protocol] || 0;
    const family = isIP(host);
    if (family !== 0 && ranges.check(host, family === 4 ? 'ipv4' : 'ipv6')) return true;
    return hosts.some(
      (e) => (e.port === undefined || e.port === port) && (host === e.host || host.endsWith(`.${e.host}`)),
    );
  };
}

/** `[::1]:8080`, `host:443`, `.example.com`, `*.example.com`, `::1` as one entry. */
function hostEntry(word: string): HostEntry {
  const lower = word.toLowerCase();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(lower);
  if (bracketed) return { host: bracketed[1] ?? '', port: portOf(bracketed[2]) };
  // A bare IPv6 address has colons of its own, and no port.
  if (isIP(lower) === 6) return { host: lower, port: undefined };
  const withPort = /^(.+):(\d+)$/.exec(lower);
  const host = (withPort?.[1] ?? lower).replace(/^\*?\./, '');
  return { host, port: portOf(withPort?.[2]) };
}

const portOf = (digits: string | undefined): number | undefined => (digits === undefined ? undefined : Number(digits));
