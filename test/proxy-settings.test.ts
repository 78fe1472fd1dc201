/** Which requests go direct (NO_PROXY, loopback), and how proxy settings are read from the environment. */
import { describe, expect, it } from 'vitest';
import { goesDirect, isLoopback } from '../src/scatter/no-proxy.js';
import { checkProxyOption, proxyFromEnv, proxyUrl } from '../src/scatter/proxy-settings.js';

const direct = (noProxy: string | undefined, url: string) => goesDirect(noProxy)(new URL(url));

describe('goesDirect', () => {
  it.each([
    'http://localhost:8080/',
    'https://127.0.0.1/',
    'http://127.1.2.3/',
    'http://[::1]:8787/',
    'http://[::ffff:127.0.0.1]/',
    // WHATWG URL reads these as 127.0.0.1.
    'http://0x7f000001/',
    'http://127.1/',
  ])('sends loopback %s direct, with no NO_PROXY at all', (url) => {
    expect(direct(undefined, url)).toBe(true);
  });

  it.each([
    ['shop.test', 'https://shop.test/', true],
    ['shop.test', 'https://api.shop.test/', true],
    ['shop.test', 'https://myshop.test/', false],
    ['.test', 'https://shop.test/', true],
    ['*.test', 'https://shop.test/', true],
    ['.test', 'https://test.org/', false],
    ['SHOP.test', 'https://shop.TEST/', true],
    ['shop.test:8443', 'https://shop.test:8443/', true],
    ['shop.test:8443', 'https://shop.test/', false],
    ['shop.test:443', 'https://shop.test/', true],
    ['a.example, shop.test', 'https://shop.test/', true],
    ['a.example shop.test', 'https://shop.test/', true],
    ['*', 'https://anything.example/', true],
    ['10.0.0.0/8', 'http://10.1.2.3/', true],
    ['10.0.0.0/8', 'http://11.1.2.3/', false],
    ['192.168.1.5', 'http://192.168.1.5:81/', true],
    ['[2001:db8::1]', 'http://[2001:db8::1]/', true],
    ['2001:db8::/32', 'http://[2001:db8::7]/', true],
    ['10.0.0.0/40', 'http://10.0.0.1/', false],
    ['', 'https://shop.test/', false],
  ])('NO_PROXY=%j: %s direct is %s', (noProxy, url, expected) => {
    expect(direct(noProxy, url)).toBe(expected);
  });

  it('sends 127.0.0.0/8 but not 128.0.0.1 or a host named 127.example direct', () => {
    expect(isLoopback('127.255.255.254')).toBe(true);
    expect(isLoopback('128.0.0.1')).toBe(false);
    expect(isLoopback('127.example')).toBe(false);
    expect(isLoopback('::2')).toBe(false);
  });
});

describe('proxyFromEnv', () => {
  it('reads the lower-case name over the upper-case one, and counts an empty value as unset', () => {
    const settings = proxyFromEnv({
      https_proxy: 'http://low:3128',
      HTTPS_PROXY: 'http://up:3128',
      http_proxy: '',
      HTTP_PROXY: 'http://plain:3128',
      NO_PROXY: '.corp',
    });
    expect(settings).toEqual({
      https: 'http://low:3128',
      http: 'http://plain:3128',
      noProxy: '.corp',
      names: { https: 'https_proxy', http: 'HTTP_PROXY', noProxy: 'NO_PROXY' },
    });
  });

  it('reads nothing of ALL_PROXY, nor of an environment without proxies', () => {
    expect(proxyFromEnv({ ALL_PROXY: 'http://all:3128', all_proxy: 'socks5://x:1' })).toMatchObject({
      https: undefined,
      http: undefined,
    });
  });
});

describe('proxyUrl', () => {
  it('keeps the credentials out of the label, and lists every form they are sent or written in as secrets', () => {
    const parsed = proxyUrl('http://bob:p%40ss-word@proxy.corp:3128', 'HTTPS_PROXY');
    expect(parsed).toMatchObject({ label: 'http://proxy.corp:3128', name: 'HTTPS_PROXY', hasCredentials: true });
    expect(Object.keys(parsed.secrets).sort()).toEqual(
      [
        'p%40ss-word',
        'p@ss-word',
        'bob:p%40ss-word',
        'bob:p@ss-word',
        Buffer.from('bob:p@ss-word').toString('base64'),
      ].sort(),
    );
  });

  it('takes a URL without a scheme as http://, as curl does', () => {
    expect(proxyUrl('proxy.corp:3128', 'HTTP_PROXY').uri).toBe('http://proxy.corp:3128/');
    expect(proxyUrl('bob:secret@proxy.corp:3128', 'HTTP_PROXY').label).toBe('http://proxy.corp:3128');
  });

  it.each([
    [
      'socks5://127.0.0.1:1080',
      'HTTPS_PROXY: agg cannot use a socks5:// proxy; write an http:// or https:// proxy URL',
    ],
    ['ftp://proxy:21', 'HTTPS_PROXY: agg cannot use a ftp:// proxy; write an http:// or https:// proxy URL'],
    [
      'http://proxy:99999',
      'HTTPS_PROXY: not a proxy URL; write http://host:port (with user:pass@ before the host for credentials)',
    ],
  ])('refuses %s with a usage error naming the variable', (value, message) => {
    expect(() => proxyUrl(value, 'HTTPS_PROXY')).toThrow(message);
  });
});

describe('createDispatcher’s proxy option', () => {
  it.each([
    ['http://proxy:3128', 'proxy: expected { https, http, noProxy } (or proxyFromEnv(env)), got string'],
    [
      { httpsProxy: 'http://proxy:3128' },
      'proxy.httpsProxy: no such setting; the settings are https, http and noProxy',
    ],
    [{ https: 'socks://p:1' }, 'proxy.https: agg cannot use a socks:// proxy'],
    [{ noProxy: ['.corp'] }, 'proxy.noProxy: expected text, as NO_PROXY'],
  ])('refuses %j from a JavaScript caller', (proxy, message) => {
    expect(() => checkProxyOption(proxy)).toThrow(message);
  });
});
