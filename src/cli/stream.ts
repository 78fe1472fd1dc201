/**
 * NDJSON offer lines as a search streams: a flow shows the offers of each poll or page before it
 * ends, then all its offers when it ends. Each line is written once: per source, an offer gets as
 * many lines as the most copies of it seen in one batch, so the final list never repeats a page.
 */

import { ndjsonOffer } from '../render/index.js';
import type { Offer } from '../types.js';

/** Tracks what was written; `lines` returns only the offer lines not written yet for that source. */
export function offerStream(): { lines(source: string, offers: readonly Offer[]): string } {
  const written = new Map<string, Map<string, number>>();
  return {
    lines(source, offers) {
      const counts = written.get(source) ?? new Map<string, number>();
      written.set(source, counts);
      const inBatch = new Map<string, number>();
      let out = '';
      for (const offer of offers) {
        const line = ndjsonOffer(offer);
        const n = (inBatch.get(line) ?? 0) + 1;
        inBatch.set(line, n);
        if (n > (counts.get(line) ?? 0)) {
          counts.set(line, n);
          out += line;
        }
      }
      return out;
    },
  };
}
