/** A hand-built result that exercises every renderer edge: currencies, extras, hostile vendor text, all statuses. */

import type { SearchResult } from '../../src/types.js';

/** A fresh copy per call so a test can't leak mutations into another. */
export function fixture(): SearchResult {
  return {
    query: { text: 'flights LIS', params: { query: 'flights LIS', to: 'LIS' } },
    strategy: 'all',
    currency: 'EUR',
    offers: [
      {
        rank: 1,
        source: 'skyfare',
        title: 'Lisbon direct',
        price: 89.5,
        currency: 'EUR',
        url: 'https://skyfare.example/o/1',
        stops: 0,
        carrier: 'TP',
      },
      {
        rank: 2,
        source: 'usfly',
        title: '=HYPERLINK("http://evil.example","click")',
        price: 92.14,
        currency: 'EUR',
        url: 'https://usfly.example/deal?id=2&ref=agg',
        originalPrice: 99.99,
        originalCurrency: 'USD',
        stops: 1,
        carrier: ['UA', 'LH'],
      },
      {
        rank: 3,
        source: 'evilco',
        title: 'Red\x1b[31m alert\x9b2J \u202eevil\nsecond line',
        price: -5,
        currency: 'EUR',
        url: 'https://evil.example/x',
        stops: 2,
        carrier: 'XX',
        legs: { out: 'LIS', back: 'OPO' },
      },
      {
        rank: 4,
        source: 'quoteshop',
        title: 'Window seat, "premium" economy',
        price: 1234.5,
        currency: 'EUR',
        url: 'https://quote.example/4',
        originalPrice: 1500,
        originalCurrency: 'CHF',
      },
      {
        rank: 5,
        source: 'yenair',
        title: 'Tokyo via Lisbon',
        price: 12000,
        currency: 'JPY',
        url: 'https://yen.example/5',
        unconverted: true,
        stops: 1,
      },
    ],
    sources: [
      { name: 'skyfare', status: 'ok', httpStatus: 200, ms: 120, attempts: 1, offers: 1 },
      { name: 'usfly', status: 'ok', httpStatus: 200, ms: 340, attempts: 2, offers: 1, dropped: 3 },
      { name: 'evilco', status: 'ok', httpStatus: 200, ms: 80, attempts: 1, offers: 1 },
      { name: 'quoteshop', status: 'ok', httpStatus: 200, ms: 95, attempts: 1, offers: 1 },
      { name: 'yenair', status: 'ok', httpStatus: 200, ms: 210, attempts: 1, offers: 1 },
      {
        name: 'brokenco',
        status: 'error',
        httpStatus: 500,
        ms: 45,
        attempts: 3,
        offers: 0,
        error: 'HTTP 500\x1b[2J: GET https://broken.example/search',
      },
      {
        name: 'slowco',
        status: 'timeout',
        ms: 2000,
        attempts: 1,
        offers: 0,
        error: 'no response within 2s: GET https://slow.example/search',
      },
      { name: 'keyless', status: 'skipped', ms: 0, attempts: 0, offers: 0, error: 'requires: API_KEY' },
      { name: 'late', status: 'cancelled', ms: 900, attempts: 1, offers: 0, error: 'cancelled: first offer won' },
    ],
    partial: true,
    elapsedMs: 1843,
    warnings: ['usfly: dropped 3 items without a price', 'evil\x1b]0;pwned\x07 warning'],
  };
}

/** The same result with no offers, for the empty-output paths. */
export function emptyFixture(): SearchResult {
  return { ...fixture(), offers: [], partial: false };
}

/** Any escape or C0/C1/bidi control except the newline that separates lines: nothing a terminal would act on. */
export const CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

/** The header cells of a drawn table (cli-table3's second line, under the top border), trimmed. */
export const headerCells = (table: string): string[] =>
  (table.split('\n')[1] ?? '')
    .split('│')
    .map((cell) => cell.trim())
    .filter(Boolean);
