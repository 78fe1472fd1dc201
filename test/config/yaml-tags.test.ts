import { describe, expect, it } from 'vitest';
import { problems, yaml } from './helpers.js';

describe('a YAML tag agg does not read', () => {
  it('is a config error at the tag that shows the `${VAR}` to write, not the variable name sent as the key', () => {
    // `!env SHOP_KEY` (MkDocs, pyyaml-env-tag) loaded, and the header went out as `X-Api-Key: SHOP_KEY`.
    const text = yaml`
      sources:
        - name: shop
          request:
            url: "https://shop.example/?q={{query}}"
            headers:
              X-Api-Key: !env SHOP_KEY
          offers: items
          fields: { title: name, price: price }
    `;
    expect(problems(text, { SHOP_KEY: 'sk_live_abcdef' })).toEqual([
      'sources.yaml:6:20: `!env` is a YAML tag agg does not read, so the value would be the text after it; an environment variable is written `"${SHOP_KEY}"`',
    ]);
    // Inside `{ }` too, where a comma ends the name.
    const flow = text.replace(
      'headers:\n        X-Api-Key: !env SHOP_KEY',
      'headers: { X-Api-Key: !env SHOP_KEY, A: b }',
    );
    expect(problems(flow, { SHOP_KEY: 'sk_live_abcdef' })[0]).toMatch(/written `"\$\{SHOP_KEY\}"`$/);
    expect(problems('currency: !secret ranking_currency\nsources: []\n')).toEqual([
      'sources.yaml:1:11: `!secret` is a YAML tag agg does not read, so the value would be the text after it; an environment variable is written `"${VAR}"`',
    ]);
  });
});
