import { describe, expect, it } from 'vitest';
import { AggError, ConfigError, ConfigNotFoundError, EXIT, UsageError } from '../src/errors.js';
import { exitCodeFor } from '../src/exit.js';
import type { SourceResult, Status } from '../src/types.js';

const row = (status: Status): SourceResult => ({ name: status, status, ms: 1, attempts: 1, offers: 0 });
const offer = { source: 'a', title: 't', price: 1, currency: 'USD' };

describe('exit codes', () => {
  it.each([
    ['offers, a failure reported but not fatal', [offer], ['ok', 'error'], false, EXIT.ok],
    ['no offers, one source answered', [], ['ok', 'timeout'], false, EXIT.noOffers],
    ['--strict and a source failed', [offer], ['ok', 'error'], true, EXIT.strict],
    ['--strict and a source timed out', [offer], ['ok', 'timeout'], true, EXIT.strict],
    ['--strict, but only cancellations and skips', [offer], ['ok', 'cancelled', 'skipped'], true, EXIT.ok],
    ['every source that ran failed or timed out', [], ['error', 'timeout', 'skipped'], true, EXIT.allFailed],
    ['every source skipped: none answered', [], ['skipped', 'skipped'], false, EXIT.usage],
  ] as const)('%s', (_name, offers, statuses, strict, code) => {
    expect(exitCodeFor({ offers: [...offers], sources: statuses.map(row) }, strict)).toBe(code);
  });

  it('gives every error class a stable code and the documented exit status', () => {
    const cases: [AggError, string, number][] = [
      [new UsageError('x'), 'AGG_USAGE', 2],
      [new ConfigError([{ file: 'f', path: 'p', message: 'm' }]), 'AGG_CONFIG', 2],
      [new ConfigNotFoundError(['a']), 'AGG_CONFIG_NOT_FOUND', 2],
    ];
    for (const [err, code, exit] of cases) {
      expect(err).toBeInstanceOf(AggError);
      expect([err.code, err.exitCode]).toEqual([code, exit]);
    }
    expect(EXIT).toEqual({
      ok: 0,
      noOffers: 1,
      usage: 2,
      strict: 3,
      allFailed: 4,
      internal: 70,
      io: 74,
      interrupted: 130,
      terminated: 143,
    });
  });
});
