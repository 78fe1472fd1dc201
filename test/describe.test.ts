import { describe, expect, it } from 'vitest';
import { describeError } from '../src/scatter/describe.js';
import { RETRY_CODES } from '../src/scatter/retry.js';

describe('describeError', () => {
  it('takes a failure that is no object, as a library caller’s dispatcher may give', () => {
    // The TLS check destructured it: a row read "Cannot destructure property 'library' of 'e' as it is null."
    expect(describeError(null)).toBe('null');
    expect(describeError(undefined)).toBe('undefined');
    expect(describeError('socket gone')).toBe('socket gone');
    expect(
      describeError(
        Object.assign(new Error('80…:error:0A00010B:SSL routines'), { library: 'SSL routines', reason: 'bad record' }),
      ),
    ).toBe('TLS error: bad record');
  });

  it('says in words every connection failure it retries, not as Node words it', () => {
    // A route-less network read `connect ENETUNREACH 224.0.0.1:80 - Local (0.0.0.0:0): GET …`.
    for (const code of RETRY_CODES) {
      const err = Object.assign(new Error(`connect ${code} 224.0.0.1:80 - Local (0.0.0.0:0)`), { code });
      expect(describeError(err), code).not.toContain(code);
    }
    expect(describeError(Object.assign(new Error('connect ENETUNREACH 224.0.0.1:80'), { code: 'ENETUNREACH' }))).toBe(
      'network unreachable',
    );
  });

  it('names the open-files limit, the process’s or the system’s, rather than Node’s EMFILE words', () => {
    // A connect past the limit read `connect EMFILE 127.0.0.1:8080 - Local (undefined:undefined)`.
    const failed = (code: string) =>
      describeError(Object.assign(new Error(`connect ${code} 127.0.0.1:8080 - Local (undefined:undefined)`), { code }));
    expect(failed('EMFILE')).toBe('too many open files (ulimit -n)');
    expect(failed('ENFILE')).toBe('too many open files in the system');
  });
});
