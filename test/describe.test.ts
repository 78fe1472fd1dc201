import { describe, expect, it } from 'vitest';
import { describeError } from '../src/scatter/describe.js';

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
});
