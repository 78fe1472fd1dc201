// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these are `${VAR}` references under test, not templates.
import { describe, expect, it, vi } from 'vitest';
import { loadConfigText } from '../../src/config/index.js';
import { interpolate } from '../../src/config/interpolate.js';
import { makeRedactor, redactValue, secretBook, secretRedactor, secretWordRedactor } from '../../src/shared/redact.js';
import { cleanText } from '../../src/shared/sanitize.js';

const run = (text: string, env: Record<string, string | undefined>) => {
  const secrets: Record<string, string> = {};
  const value = interpolate(text, env, (v, name) => {
    secrets[v] = name;
  });
  return { value, secrets };
};

describe('interpolate', () => {
  it('replaces ${VAR} and records the value as a secret', () => {
    expect(run('Bearer ${TOKEN}', { TOKEN: 'abc123' })).toEqual({
      value: 'Bearer abc123',
      secrets: { abc123: 'TOKEN' },
    });
  });

  it('uses the default when unset or empty, and a default is not a secret', () => {
    expect(run('${A:-x}/${B:-y}', { B: '' })).toEqual({ value: 'x/y', secrets: {} });
    expect(run('${A:-x}', { A: 'set' })).toEqual({ value: 'set', secrets: { set: 'A' } });
    expect(run('${A:-}', {}).value).toBe('');
  });

  it('fails with the message of ${VAR:?message} when unset or empty', () => {
    expect(() => run('${KEY:?get one at example.com}', { KEY: '' })).toThrow(
      'environment variable KEY is not set: get one at example.com',
    );
    expect(run('${KEY:?nope}', { KEY: 'k' }).value).toBe('k');
  });

  it('fails naming an unset ${VAR}, but an empty one is just empty', () => {
    expect(() => run('${MISSING}', {})).toThrow('environment variable MISSING is not set');
    expect(run('a${EMPTY}b', { EMPTY: '' }).value).toBe('ab');
  });

  it('says a lower-case ${name} may be meant as a search param, {{name}}', () => {
    // `q=${query}` was told only to write ${query:-default}: an environment variable it never meant.
    expect(() => run('https://x/?q=${query}&d=${max_price}', {})).toThrow(
      'environment variable query is not set (write ${query:-default} to give a default; a search param is {{query}}); ' +
        'environment variable max_price is not set (write ${max_price:-default} to give a default; a search param is {{max_price}})',
    );
    expect(() => run('${API_KEY}', {})).toThrow(
      /^environment variable API_KEY is not set \(write \$\{API_KEY:-default\} to give a default\)$/,
    );
  });

  it('names every unset ${VAR} in a string at once, not only the first', () => {
    expect(() => run('https://x/?k=${MISSING1}&j=${SET}&i=${MISSING2}&h=${KEY:?get one}', { SET: 's' })).toThrow(
      'environment variable MISSING1 is not set (write ${MISSING1:-default} to give a default); ' +
        'environment variable MISSING2 is not set (write ${MISSING2:-default} to give a default); ' +
        'environment variable KEY is not set: get one',
    );
  });

  it('keeps $${ as a literal ${ and leaves other dollars alone', () => {
    expect(run('$${HOME} $number(x) $$ {{ $a }}', { HOME: '/h' }).value).toBe('${HOME} $number(x) $$ {{ $a }}');
  });

  it('rejects malformed references', () => {
    expect(() => run('${not valid}', {})).toThrow('`${not valid}` is not a variable reference');
    expect(() => run('abc ${OPEN', {})).toThrow('unterminated `${`');
  });
});

describe('redact', () => {
  it('replaces secret values (raw, JSON-escaped, percent-encoded) by ***, longest first', () => {
    const redact = makeRedactor({ 'tok"en-1': 'TOKEN', 'tok"en-1-long': 'LONG', ab: 'SHORT', 's3cr3t+key/v=': 'KEY' });
    expect(redact('a tok"en-1-long b tok"en-1 c "tok\\"en-1" ab')).toBe('a *** b *** c "***" ab');
    expect(redact('https://x.test/?k=s3cr3t%2Bkey%2Fv%3D&apiKey=zzz')).toBe('https://x.test/?k=***&apiKey=***');
  });

  it('hides every place a secret is, not only the first: a vendor that echoes the key twice', () => {
    const redact = makeRedactor({ 'sk-live-42': 'KEY' });
    expect(redact('key sk-live-42 is not valid for sk-live-42/x')).toBe('key *** is not valid for ***/x');
    expect(secretRedactor({ 'sk-live-42': 'KEY' })('sk-live-42 sk-live-42 sk-live-42')).toBe('*** *** ***');
  });

  it('hides a secret with `+` as a query string reads it, `+` a space, but not a space-padded short word', () => {
    expect(makeRedactor({ 'Zk9+q/Lm3x': 'KEY' })('invalid key: Zk9 q/Lm3x')).toBe('invalid key: ***');
    // Read so, `+++a` would be ` a`, and every ` a` of a message would go.
    expect(makeRedactor({ '+++a': 'KEY' })('this is a test: +++a')).toBe('this is a test: ***');
  });

  it('hides a secret of four characters or more, and no shorter one: a 3-letter value would garble words', () => {
    const redact = makeRedactor({ abc: 'SHORT', abcd: 'LONG' });
    expect(redact('abc abcd')).toBe('abc ***');
  });

  it('hides each word of a secret that a message may quote, but no word under four characters or true', () => {
    const redact = secretWordRedactor({ 'of word2 true': 'PHRASE' });
    expect(redact('Syntax error: "word2" of true')).toBe('Syntax error: "***" of true');
  });

  it('shows credential-named query params and URL user info as ***, and leaves other params alone', () => {
    const redact = makeRedactor({});
    const names = [
      'apiKey',
      'api_key',
      'key',
      'auth',
      'sig',
      'token',
      'access_token',
      'signature',
      'client_secret',
      'API%5FKEY',
    ];
    for (const name of names)
      expect(redact(`GET https://x.test/s?q=1&${name}=v4lue#f`)).toBe(`GET https://x.test/s?q=1&${name}=***#f`);
    expect(redact('GET https://bob:hunter2@x.test/?keyword=sony')).toBe('GET https://***@x.test/?keyword=sony');
  });

  it("hides a presigned URL's signature and credential, and keeps a closing parenthesis after a hidden value", () => {
    const redact = makeRedactor({});
    const presigned = 'https://b.s3.test/o?X-Amz-Credential=AKIA%2F1&X-Amz-Security-Token=t0k&X-Amz-Signature=9f3a';
    expect(redact(presigned)).toBe(
      'https://b.s3.test/o?X-Amz-Credential=***&X-Amz-Security-Token=***&X-Amz-Signature=***',
    );
    expect(redact('?sessionToken=abc&pageSize=20&tokens=3')).toBe('?sessionToken=***&pageSize=20&tokens=3');
    // Paging cursors are the vendor's place in a list, not credentials: --verbose shows them.
    expect(redact('?pageToken=CAoQAA&next_token=x1&refresh_token=r3fr3sh')).toBe(
      '?pageToken=CAoQAA&next_token=x1&refresh_token=***',
    );
    expect(redact('?continuationToken=c1&syncToken=s1&start-token=t1')).toBe(
      '?continuationToken=c1&syncToken=s1&start-token=t1',
    );
    expect(redact('bad client (POST /tok?client_secret=s3cr3t)')).toBe('bad client (POST /tok?client_secret=***)');
  });

  it('hides a query key named as a key is (Azure subscription-key, access_key, app_key, x-api-key), not a cursor', () => {
    const redact = makeRedactor({});
    const names = [
      'subscription-key',
      'access_key',
      'app_key',
      'user_key',
      'x-api-key',
      'accessKey',
      'subscriptionKey',
    ];
    for (const name of names)
      expect(redact(`GET https://x.test/s?q=1&${name}=v4lue`)).toBe(`GET https://x.test/s?q=1&${name}=***`);
    expect(redact('?keyword=sony&monkey=1&start_key=k1&pageKey=p2')).toBe(
      '?keyword=sony&monkey=1&start_key=k1&pageKey=p2',
    );
    // What a list is sorted or grouped by is a field's name: a vendor's `400 invalid sortKey` needs it seen.
    expect(redact('GET https://x.test/s?sortKey=price&sort_key=price&group-key=brand&groupKey=brand')).toBe(
      'GET https://x.test/s?sortKey=price&sort_key=price&group-key=brand&groupKey=brand',
    );
  });

  it('hides a camelCase query key whose last word is Key (serviceKey, authKey, licenseKey), not a word ending in key', () => {
    const redact = makeRedactor({});
    for (const name of ['serviceKey', 'authKey', 'licenseKey', 'consumerKey', 'partnerKey', 'APIKey'])
      expect(redact(`GET https://x.test/s?q=1&${name}=v4lue`)).toBe(`GET https://x.test/s?q=1&${name}=***`);
    expect(redact('?turkey=1&hockey=2&nextKey=n1&startKey=s2')).toBe('?turkey=1&hockey=2&nextKey=n1&startKey=s2');
  });

  // Vendor text: an error's message is redacted whole, before it is cut to 300 characters.
  it('takes time in proportion to a value of many `)` (it took 50 s for 200,000 of them)', () => {
    const redact = makeRedactor({});
    const parens = ')'.repeat(100_000);
    expect(redact(`(see ?a=${parens}x)`)).toBe(`(see ?a=${parens}x)`);
    expect(redact(`(see ?token=${parens}x)`)).toBe('(see ?token=***)');
    expect(redact(`(see ?token=x${parens}`)).toBe(`(see ?token=***${parens}`);
  });

  it('takes time in proportion to a vendor text of `?`, `?a` or `a.` runs, and still finds what is in one', () => {
    const redact = makeRedactor({});
    for (const run of ['?'.repeat(100_000), '?a'.repeat(50_000), 'a.'.repeat(50_000), `x://${'b.'.repeat(50_000)}`]) {
      expect(redact(run)).toBe(run);
    }
    expect(redact('??token=abc ?a?key=k3y _https://bob:pw@x.test/')).toBe(
      '??token=*** ?a?key=*** _https://***@x.test/',
    );
  });

  it('finds a secret echoed back as a form body sends it (an OAuth2 client secret)', () => {
    const secrets = { 'Xy8Q~aBcDeFg.oP_q': 'AZURE', 'two words secret': 'SPACED' };
    const redact = secretRedactor(secrets);
    const echoed = new URLSearchParams({ a: 'Xy8Q~aBcDeFg.oP_q', b: 'two words secret' }).toString();
    expect(echoed).toBe('a=Xy8Q%7EaBcDeFg.oP_q&b=two+words+secret');
    expect(redact(`unknown secret "${echoed}"`)).toBe('unknown secret "a=***&b=***"');
  });

  it('matches the hex of an escape in either case, the rest of the secret only as written, upper- or lower-cased', () => {
    const redact = secretRedactor({ 'Ab/Cd+Ef': 'KEY' });
    expect(redact('u=Ab%2fCd%2bEf f=Ab%2FCd%2bEf m=Ab%2FCd%2BEf')).toBe('u=*** f=*** m=***');
    expect(redact('AB%2fCD%2bEF AB/CD+EF')).toBe('*** ***');
    expect(redact('ab%2fcd%2Bef ab/cd+ef')).toBe('*** ***');
    // Only the hex is any case: a secret with some other letters changed is another string.
    expect(redact('aB%2fcD%2bEf aB/Cd+Ef')).toBe('aB%2fcD%2bEf aB/Cd+Ef');
  });

  it("hides a secret percent-encoded as RFC 3986 encoders write it, with !'()* escaped", () => {
    const redact = secretRedactor({ "k!'(e)*y-9": 'KEY' });
    expect(redact("a=k%21%27%28e%29%2Ay-9 b=k%21%27%28e%29%2ay-9 c=k!'(e)*y-9")).toBe('a=*** b=*** c=***');
  });

  it('reads text without a secret once, not once for each of the forms it looks for (the offers hot path)', () => {
    const redact = secretRedactor({ "Ab/Cd+Ef!'": 'A', sk_live_0123456789: 'B', 'x y\tz': 'C' });
    const split = vi.spyOn(String.prototype, 'split');
    const replace = vi.spyOn(String.prototype, 'replace');
    try {
      expect(redact('Sony WH-1000XM5 https://example.com/i/1?ref=ab%2Fcd')).toBe(
        'Sony WH-1000XM5 https://example.com/i/1?ref=ab%2Fcd',
      );
      expect(split.mock.calls.length + replace.mock.calls.length).toBe(0);
    } finally {
      split.mockRestore();
      replace.mockRestore();
    }
    // The one pass finds every form the full one replaces.
    for (const text of [
      'Ab%2fCd%2bEf%21%27',
      'ab%2fcd%2bef%21%27',
      'SK_LIVE_0123456789',
      'x+y%09z',
      cleanText('x y\tz'),
      "AB/CD+EF!'",
    ]) {
      expect(redact(`<${text}>`), text).toBe('<***>');
    }
  });

  it('hides secrets in the keys of vendor data, keeping `__proto__` a key and the later of two that collide', () => {
    const redact = secretRedactor({ 's3cr3t-key': 'KEY' });
    const value = JSON.parse('{"__proto__": {"x": "s3cr3t-key"}, "s3cr3t-key": [{"a-s3cr3t-key": 1, "a-***": 2}]}');
    const out = redactValue(value, redact);
    expect(JSON.stringify(out)).toBe('{"__proto__":{"x":"***"},"***":[{"a-***":2}]}');
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  it('hides a secret learnt in a scope in that scope only, and env secrets in every scope', () => {
    const book = secretBook({ 'env-secret': 'ENV' });
    book.scope('a').add('https', 'OAUTH2_TOKEN');
    expect(book.scope('a').redactOffers('https://x env-secret')).toBe('***://x ***');
    expect(book.scope('b').redactOffers('https://x env-secret')).toBe('https://x ***');
    expect(book.redact('https://x env-secret')).toBe('https://x ***');
  });

  it('finds a secret in vendor text that was cleaned before redaction, and survives one it cannot encode', () => {
    const redact = secretRedactor({ 'tab\tsecret': 'TAB', 'lone\ud800x': 'LONE' });
    expect(redact(cleanText('key: tab\tsecret'))).toBe('key: ***');
    expect(redact('lone\ud800x')).toBe('***');
  });

  it('matches a space in a secret as any whitespace, in time linear in a long run of whitespace', () => {
    // A value with spaces around it, as `KEY=" sk-123 "` is written; a vendor page indented with a long run.
    const redact = makeRedactor({ ' sk-live-4242 ': 'KEY' });
    const text = `<pre>${' \t'.repeat(50_000)}</pre>\n\tsk-live-4242\n`;
    const started = performance.now();
    expect(redact(text)).toBe(`<pre>${' \t'.repeat(50_000)}</pre>***`);
    // Linear, this is a few ms; quadratic in the run, it took over a minute.
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('does not hide every space for a secret of whitespace only', () => {
    const redact = makeRedactor({ '    ': 'BLANK' });
    expect(redact('Sony WH-1000 headphones')).toBe('Sony WH-1000 headphones');
    expect(redact('a    b')).toBe('a***b');
  });

  it('leaves true and false alone: no credential, and the words of its own messages', () => {
    const redact = makeRedactor({ true: 'IDEM', FALSE: 'OTHER' });
    expect(redact('expected true or false, got TRUE')).toBe('expected true or false, got TRUE');
    const yaml =
      'sources:\n  - name: a\n    idempotent: ${IDEM}\n    request: { url: "http://127.0.0.1:1/?q={{query}}" }\n' +
      '    offers: items\n    fields: { title: title, price: price }\n';
    expect(() => loadConfigText(yaml, 'sources.yaml', { IDEM: 'true' })).toThrow(
      'sources[0].idempotent: expected true or false, got a string (a value in quotes or from a `${VAR}` is text: write true without quotes, in the file itself)',
    );
  });
});
