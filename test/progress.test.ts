/** The spinner's line on stderr, as a terminal would get it (ora forced on over a plain stream). */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../src/cli/progress.js';
import type { Offer, SourceResult } from '../src/types.js';

const row = (name: string): SourceResult => ({ name, status: 'ok', ms: 5, attempts: 1, offers: 1 });
const offer = (source: string, price: number, currency: string): Offer => ({ source, title: 't', price, currency });

/** A stream that keeps what the spinner draws. */
function screen() {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  // The few tty.WriteStream methods ora calls to redraw its line.
  const tty = { isTTY: true, columns: 120, cursorTo: () => true, clearLine: () => true, moveCursor: () => true };
  return { stream: Object.assign(stream, tty), read: () => text };
}

/** What the spinner shows after each batch of offers, one redraw each. */
async function lines(
  batches: Offer[][],
  { cheapestIsBest = true, rows = [] as SourceResult[] } = {},
): Promise<string[]> {
  const { stream, read } = screen();
  const progress = await createProgress(true, stream as unknown as Writable & { isTTY: true }, {
    cheapestIsBest,
    color: false,
  });
  progress.start(batches.length);
  const seen: string[] = [];
  for (const [i, offers] of batches.entries()) {
    progress.source(rows[i] ?? row(offers[0]?.source ?? 'x'), offers);
    const before = read().length;
    // ora redraws on its own 80 ms frame.
    await expect.poll(() => read().length, { timeout: 5000 }).toBeGreaterThan(before);
    seen.push(read().slice(before));
  }
  progress.stop();
  return seen;
}

describe('the spinner', () => {
  it('shows the cheapest offer so far', async () => {
    const seen = await lines([[offer('a', 120, 'USD')], [offer('b', 99, 'USD')]]);
    expect(seen[0]).toContain('1/2 sources · best so far $120.00');
    expect(seen[1]).toContain('2/2 sources · best so far $99.00');
  });

  it('cuts a currency code Intl does not know short, as the table does: the line stays one line', async () => {
    // The fallback format writes the vendor's code out: a code of 10,000 characters was drawn whole on every frame.
    const seen = await lines([[offer('a', 5, 'X'.repeat(10_000))]]);
    expect(seen[0]).toContain(`1/1 sources · best so far 5.00 ${'X'.repeat(11)}…`);
    expect(seen[0]?.length).toBeLessThan(200);
  });

  it('shows no "best so far" once offers in two currencies arrive with no ranking currency to compare them in', async () => {
    // ¥15,000 came first: "best so far ¥15,000" stayed while a $99 offer arrived.
    const seen = await lines([[offer('a', 15000, 'JPY')], [offer('b', 99, 'USD')]]);
    expect(seen[0]).toContain('best so far ¥15,000');
    expect(seen[1]).toContain('2/2 sources');
    expect(seen[1]).not.toContain('best so far');
  });

  it('counts the sources that failed', async () => {
    const failed: SourceResult = { ...row('b'), status: 'timeout', offers: 0 };
    const seen = await lines([[offer('a', 120, 'USD')], []], { rows: [row('a'), failed] });
    expect(seen[0]).not.toContain('failed');
    expect(seen[1]).toContain('2/2 sources · 1 failed · best so far $120.00');
  });

  it('never calls an unconverted offer the best so far: its price is in another currency than the ranking', async () => {
    const seen = await lines([[offer('a', 120, 'USD')], [{ ...offer('b', 5, 'XYZ'), unconverted: true }]]);
    expect(seen[1]).toContain('2/2 sources · best so far $120.00');
  });

  it('shows no "best so far" when the ranking is not by ascending price (--sort stops, --desc)', async () => {
    const seen = await lines([[offer('a', 120, 'USD')]], { cheapestIsBest: false });
    expect(seen[0]).toContain('1/1 sources');
    expect(seen[0]).not.toContain('best so far');
  });
});

describe('the spinner’s first frame', () => {
  it('counts only the sources sent: the skipped ones, reported with the start, are not in it', async () => {
    // `agg demo`'s product search: 7 sources, 4 skipped for want of a param. The first frame said `0/7 sources`.
    const { stream, read } = screen();
    const progress = await createProgress(true, stream as unknown as Writable & { isTTY: true }, {
      cheapestIsBest: true,
      color: false,
    });
    progress.start(7);
    for (const name of ['a', 'b', 'c', 'd']) progress.source({ ...row(name), status: 'skipped', offers: 0 }, []);
    await expect.poll(() => read(), { timeout: 5000 }).toContain('0/3 sources');
    progress.stop();
    expect(read()).not.toContain('0/7');
  });

  it('is never drawn when the search stops before it', async () => {
    const { stream, read } = screen();
    const progress = await createProgress(true, stream as unknown as Writable & { isTTY: true }, {
      cheapestIsBest: true,
      color: false,
    });
    progress.start(2);
    progress.stop();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(read()).not.toContain('sources');
  });
});

describe('the spinner on Ctrl-Z', () => {
  // Stopped mid-spin, agg left the shell's prompt with the spinner's text on its line and no cursor.
  it('clears its line and shows the cursor before agg stops, and draws no more after', async () => {
    const { stream, read } = screen();
    let beforeStop: (() => void) | undefined;
    let off = 0;
    const progress = await createProgress(true, stream as unknown as Writable & { isTTY: true }, {
      cheapestIsBest: true,
      color: false,
      onSuspend: (callback) => {
        beforeStop = callback;
        return () => off++;
      },
    });
    progress.start(2);
    await expect.poll(() => read(), { timeout: 5000 }).toContain('0/2 sources');
    beforeStop?.();
    expect(read().endsWith('\x1b[?25h')).toBe(true);
    const after = read().length;
    progress.source(row('a'), [offer('a', 10, 'USD')]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(read().slice(after)).not.toContain('sources');
    progress.stop();
    expect(off).toBe(1);
  });
});
