// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these are `${VAR}` references under test, not templates.
import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/index.js';
import { GOOD_SOURCE, problems, yaml } from './helpers.js';

const source = (extra: string) => yaml`
  sources:
    - name: a
      request:
        url: "https://a.example/search"
        headers: { Authorization: "Bearer \${TOKEN}" }
      offers: items
      fields: { title: t, price: p }
${extra}
`;

describe('loadConfigText: ${VAR} interpolation', () => {
  it('fills values from the environment and lists them as secrets', () => {
    const config = loadConfigText(source(''), 'sources.yaml', { TOKEN: 's3cr3t-token' });
    expect(config.sources[0]?.request.headers.Authorization).toBe('Bearer s3cr3t-token');
    expect(config.secrets).toEqual(['s3cr3t-token']);
    expect(config.secretNames).toEqual({ 's3cr3t-token': 'TOKEN' });
  });

  it('refuses a ${VAR} in a source name, which status rows, JSON and the latency history print as it is', () => {
    const text = yaml`
      sources:
        - name: "shop-\${KEY}"
          request: { url: "https://a.example/search" }
          offers: items
          fields: { title: t, price: p }
    `;
    const found = problems(text, { KEY: 'sklive42secret' });
    expect(found).toEqual([
      'sources.yaml:2:11: sources[0].name: may not hold the value of an environment variable: a name is printed and recorded as it is, and every such value is a secret',
    ]);
    expect(found.join('')).not.toContain('sklive42secret');
  });

  it('keeps a name written as it is that holds a short value another field takes from the environment', () => {
    // `https://${AMADEUS_ENV}.api…` with AMADEUS_ENV=test: the name `amadeus-test` takes no env value.
    const text = yaml`
      sources:
        - name: amadeus-test
          request: { url: "https://a.example/\${AMADEUS_ENV}/search" }
          offers: items
          fields: { title: t, price: p }
        - name: &n "\x24{KEY}"
          request: { url: "https://b.example/search" }
          offers: items
          fields: { title: t, price: p }
    `;
    const env = { AMADEUS_ENV: 'test', KEY: 'sklive42secret' };
    // Only the name that took one is refused, its `${` written as an escape too.
    expect(problems(text, env)).toEqual([
      'sources.yaml:6:14: sources[1].name: may not hold the value of an environment variable: a name is printed and recorded as it is, and every such value is a secret',
    ]);
    const config = loadConfigText(text.replace(/- name: &n .*/, '- name: b'), 'sources.yaml', env);
    expect(config.sources.map((s) => s.name)).toEqual(['amadeus-test', 'b']);
  });

  it('reports an unset ${VAR} naming it, at the value that uses it', () => {
    expect(problems(source(''), {})).toMatchInlineSnapshot(`
      [
        "sources.yaml:5:33: sources[0].request.headers.Authorization: environment variable TOKEN is not set (write \${TOKEN:-default} to give a default)",
      ]
    `);
  });

  it('uses ${VAR:-default} when unset or empty, and a default is no secret', () => {
    const text = yaml`
      sources:
        - name: a
          timeout: \${TIMEOUT:-2s}
          retries: \${RETRIES:-3}
          request: { url: "\${BASE:-https://a.example}/search" }
          offers: items
          fields: { title: t, price: p }
    `;
    const config = loadConfigText(text, 'x', { BASE: '' });
    expect(config.sources[0]).toMatchObject({
      timeoutMs: 2000,
      retries: 3,
      request: { url: 'https://a.example/search' },
    });
    expect(config.secrets).toEqual([]);
    expect(loadConfigText(text, 'x', { RETRIES: '0' }).sources[0]?.retries).toBe(0);
  });

  it('says a quoted number, or a quoted ${VAR} of one, is text to YAML: write it without quotes', () => {
    // The editor schema accepts `retries: "${RETRIES}"`; "expected a number, got a string" did not say why.
    const text = yaml`
      defaults: { retries: "\${RETRIES}", connections: "8" }
      sources:
        - name: a
          maxBytes: 1000
          request: { url: "https://a.example/" }
          offers: items
          fields: { title: t, price: p }
    `;
    expect(problems(text, { RETRIES: '2' })).toEqual([
      'sources.yaml:1:22: defaults.retries: expected a number, got a string (a number or `${VAR}` in quotes is text: write it without quotes, and a `${VAR}` inside `{ }` on a line of its own)',
      'sources.yaml:1:49: defaults.connections: expected a number, got a string (a number or `${VAR}` in quotes is text: write it without quotes, and a `${VAR}` inside `{ }` on a line of its own)',
    ]);
    expect(problems(text.replace('"8"', '"eight"'), { RETRIES: '2' })[1]).toBe(
      'sources.yaml:1:49: defaults.connections: expected a number, got a string',
    );
  });

  it('leads a number\'s ${VAR} inside `{ }` out of it, rather than between "quote it" and "drop the quotes"', () => {
    // Unquoted, YAML cannot read it there; quoted, it is text: each message sent the user to the other.
    const inFlow = `defaults: { retries: \${RETRIES} }\nsources:\n${GOOD_SOURCE}`;
    const quoted = `defaults: { retries: "\${RETRIES}" }\nsources:\n${GOOD_SOURCE}`;
    const env = { RETRIES: '2' };
    expect(problems(inFlow, env)).toEqual([
      'sources.yaml:1:23: a `${VAR}` inside `{ }` or `[ ]` must be quoted: write `"${VAR}"` (a number\'s, which quotes make text, goes on a line of its own: `retries: ${RETRIES}`)',
    ]);
    expect(problems(quoted, env)).toEqual([
      'sources.yaml:1:22: defaults.retries: expected a number, got a string (a number or `${VAR}` in quotes is text: write it without quotes, and a `${VAR}` inside `{ }` on a line of its own)',
    ]);
    const ownLine = `defaults:\n  retries: \${RETRIES}\nsources:\n${GOOD_SOURCE}`;
    expect(loadConfigText(ownLine, 'sources.yaml', env).sources[0]?.retries).toBe(2);
  });

  it('says an unquoted ${VAR} whose value is a number, or a bare number or true, is no text: quote it', () => {
    // A client id of digits: the editor schema accepts `clientId: ${CLIENT_ID}`, and agg said only
    // "expected a string, got a number", though the file names no number.
    const text = yaml`
      sources:
        - name: a
          auth:
            oauth2:
              tokenUrl: "https://a.example/t"
              clientId: \${CLIENT_ID}
              clientSecret: "\${CLIENT_SECRET}"
          request: { url: "https://a.example/", headers: { X-Version: 2, X-Debug: true } }
          offers: items
          fields: { title: t, price: p }
    `;
    const found = problems(text, { CLIENT_ID: '40213987', CLIENT_SECRET: 'abcdefgh' });
    expect(found).toEqual([
      'sources.yaml:6:19: sources[0].auth.oauth2.clientId: expected a string, got a number (write it in quotes, as `"2"` or `"${VAR}"`: unquoted, it reads as a number)',
      'sources.yaml:8:65: sources[0].request.headers.X-Version: expected a string, got a number (write it in quotes, as `"2"` or `"${VAR}"`: unquoted, it reads as a number)',
      'sources.yaml:8:77: sources[0].request.headers.X-Debug: expected a string, got true (write it in quotes, `"true"`: unquoted, it reads as true)',
    ]);
    const quoted = text
      .replace('clientId: ${CLIENT_ID}', 'clientId: "${CLIENT_ID}"')
      .replace('2, X-Debug: true', '"2", X-Debug: "true"');
    const env = { CLIENT_ID: '40213987', CLIENT_SECRET: 'abcdefgh' };
    expect(loadConfigText(quoted, 'sources.yaml', env).sources[0]?.oauth2?.clientId).toBe('40213987');
  });

  it('reports ${VAR:?message} with its message, and nothing else about that value', () => {
    const text = yaml`
      sources:
        - name: a
          request: { url: "https://a.example/?key=\${API_KEY:?get a key at https://a.example/keys}" }
          offers: items
          fields: { title: t, price: "\${PRICE_PATH:?}" }
    `;
    expect(problems(text, { API_KEY: '' })).toMatchInlineSnapshot(`
      [
        "sources.yaml:3:21: sources[0].request.url: environment variable API_KEY is not set: get a key at https://a.example/keys",
        "sources.yaml:5:32: sources[0].fields.price: environment variable PRICE_PATH is not set",
      ]
    `);
  });

  it('keeps $${ as a literal ${', () => {
    const text = source('').replace('${TOKEN}', () => '$${TOKEN}');
    expect(loadConfigText(text, 'x', {}).sources[0]?.request.headers.Authorization).toBe('Bearer ${TOKEN}');
  });

  it('never prints a secret in a problem, showing *** instead', () => {
    const env = {
      SHOP: 'acme-secret-shop',
      TIMEOUT: 'secret-timeout',
      HOST: 'ftp://secret.example',
      QUERY: 'secret )',
    };
    const text = yaml`
      sources:
        - name: \${SHOP}
          timeout: \${TIMEOUT}
          request: { url: "\${HOST}/search?q={{ \${QUERY} }}" }
          offers: items
          fields: { title: t, price: p }
        - name: \${SHOP}
          request: { url: "https://a.example/" }
          offers: items
          fields: { title: t, price: p }
    `;
    const found = problems(text, env);
    expect(found).toMatchInlineSnapshot(`
      [
        "sources.yaml:3:14: sources[0].timeout: "***" is not a duration; use 250ms, 2s, 1.5s, 1m or a number of ms",
        "sources.yaml:4:21: sources[0].request.url: must be an http(s) URL",
        "sources.yaml:4:21: sources[0].request.url: invalid JSONata " *** ": Syntax error: ")" (at character 9)",
        "sources.yaml:7:11: sources[1].name: duplicate source name "***" (first at line 2)",
      ]
    `);
    for (const value of Object.values(env)) expect(found.join('\n')).not.toContain(value);
    // Short values are still secrets; only redaction in messages skips them, to keep messages readable.
    expect(loadConfigText(source(''), 'x', { TOKEN: 'abc' }).secrets).toEqual(['abc']);
  });
});
