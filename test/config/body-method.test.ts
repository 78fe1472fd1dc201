/**
 * A `body` with no `method` went out on a GET, the default: a source that forgot `method: POST` got the
 * vendor's 404 or 405, and nothing in it named the method.
 */
import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/index.js';
import { problems, yaml } from './helpers.js';

const withBody = (method: string, poll = '') => yaml`
  sources:
    - name: flights
      request:
        url: "https://flights.example/v1/search"${method}
        body: { origin: "{{from}}" }${poll}
      offers: data
      fields: { title: id, price: price }
`;

describe('a body and its method', () => {
  it('refuses a body with no method, at the body, saying which method to write', () => {
    expect(problems(withBody(''))).toEqual([
      "sources.yaml:5:13: sources[0].request.body: would be sent on a GET, the default method: write `method: POST` (or PUT, PATCH) beside it, or `method: GET` for a vendor that reads a GET's body",
    ]);
  });

  it("takes a body beside any method written, GET included, as a vendor that reads a GET's body wants", () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'GET', 'post'])
      expect(() => loadConfigText(withBody(`\n        method: ${method}`), 'sources.yaml', {})).not.toThrow();
  });

  it("refuses a poll's body with no method of its own, which polls with GET whatever the first request's is", () => {
    const poll =
      '\n      poll: { request: { url: "https://flights.example/v1/poll", body: { id: "{{ $response.id }}" } }, until: done }';
    expect(problems(withBody('\n        method: POST', poll))).toEqual([
      expect.stringMatching(
        /^sources\.yaml:7:\d+: sources\[0\]\.poll\.request\.body: would be sent on a GET, the default method/,
      ),
    ]);
  });
});
