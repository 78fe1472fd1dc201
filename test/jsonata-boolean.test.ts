import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { jsonataBoolean } from '../src/scatter/jsonata-boolean.js';

describe('jsonataBoolean', () => {
  it("agrees with JSONata's $boolean, where JavaScript's truth does not", async () => {
    const boolean = jsonata('$boolean($v)');
    const values = [{}, [], [[]], [false, 0, ''], [0, 'x'], { a: 0 }, '', 'false', 0, -1, 0.5, true, false, null];
    for (const v of values) expect(jsonataBoolean(v), JSON.stringify(v)).toBe(await boolean.evaluate({}, { v }));
    expect(jsonataBoolean(undefined)).toBe(false);
  });
});
