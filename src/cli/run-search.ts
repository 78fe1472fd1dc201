/**
 * One search as the CLI runs it: progress on stderr, output on stdout (streamed for NDJSON
 * under `all`), the status rows and summary, and the exit code.
 */
import type { Dispatcher } from 'undici';
import { EXIT, type ExitCode } from '../errors.js';
import { exitCodeFor } from '../exit.js';
import {
  ndjsonSource,
  ndjsonSummary,
  renderParts,
  renderStatusRows,
  renderSummary,
  renderWarnings,
} from '../render/index.js';
import { search } from '../search/index.js';
import { cacheDir } from '../shared/cache-dir.js';
import { type Config, isPartial } from '../types.js';
import { colorAllowed, type Io, tableWidth, useColor, useSpinner } from './io.js';
import { useLinks } from './links.js';
import { createProgress } from './progress.js';
import type { OutputFlags, resolveFlags } from './resolve-flags.js';
import { offerStream } from './stream.js';

type Resolved = ReturnType<typeof resolveFlags>;

/**
 * Runs one query and writes its output; returns the exit code. Throws only UsageError. `printedBefore`:
 * an earlier search of this process (the demo's first) wrote to stdout, which its reader may be printing still.
 */
export async function runSearch(
  config: Config,
  query: { text: string; params: Readonly<Record<string, string>> },
  { search: flags, output }: Resolved,
  io: Io,
  dispatcher: Dispatcher,
  printedBefore = false,
): Promise<ExitCode> {
  // Under `all`, NDJSON lines go out as sources answer; a --limit needs the final ranking first, and so does
  // --distinct: an offer written as its source answered may be folded into a cheaper one that comes later.
  const streaming =
    output.format === 'ndjson' && flags.strategy === 'all' && flags.limit === undefined && flags.distinct === undefined;
  const stream = offerStream();
  const byPrice = flags.sort.field === 'price' && !flags.sort.desc;
  const progress = await createProgress(useSpinner(output.quiet, io, streaming || printedBefore), io.stderr, {
    cheapestIsBest: byPrice,
    color: colorAllowed(output.color, io),
    onSuspend: io.onSuspend,
  });
  let result: Awaited<ReturnType<typeof search>>;
  try {
    result = await search(config, {
      ...flags,
      ...query,
      dispatcher,
      tokenCacheDir: cacheDir(io.env, io.home),
      signal: io.interrupt,
      log: output.verbose ? progress.log : undefined,
      onStart: progress.start,
      // A poll's or a page's offers go out before the flow ends; a later poll may update a price (a new line).
      onProgress: streaming ? (name, offers) => void io.stdout.write(stream.lines(name, offers)) : undefined,
      onSource(row, offers) {
        progress.source(row, offers);
        if (streaming) io.stdout.write(stream.lines(row.name, offers) + ndjsonSource(row));
      },
    });
  } finally {
    progress.stop();
  }
  // A Ctrl-C pressed while the last response was parsed and ranked (a second of work for a body of a
  // million offers) waits in the event loop: two turns let a poll phase deliver it before it is read.
  await new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));
  // Interrupted: what arrived is still worth showing (the rest are `cancelled` rows), then 130.
  let interrupted = io.interrupt.aborted;
  if (interrupted && output.quiet) {
    // A stream already holds offers and source lines: its summary says it was cut short (`partial`).
    if (streaming) io.stdout.write(ndjsonSummary(result));
    io.stderr.write(stoppedBy(io));
    return EXIT.interrupted;
  }
  if (streaming) io.stdout.write(ndjsonSummary(result));
  else if (output.format === 'table') {
    // The table is seconds of drawing for 20,000 offers, in which a Ctrl-C (or a SIGTERM) went unheard:
    // the whole table came out and agg exited 0, and a second Ctrl-C did not exit at once either. A turn
    // of the event loop at each part lets either in; a first one stops the table where it is.
    for (const part of renderOutput(result, output, io, flags.sort.field)) {
      if (part !== '') io.stdout.write(part);
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (!interrupted && io.interrupt.aborted) {
        interrupted = true;
        break;
      }
    }
  } else for (const part of renderOutput(result, output, io, flags.sort.field)) io.stdout.write(part);
  // Warnings stay under --quiet: an unconverted currency changes what the ranking means.
  // Nothing at all is written when there are none: under --quiet stderr may be closed or full.
  if (result.warnings.length > 0) io.stderr.write(renderWarnings(result.warnings));
  // Skipped and cancelled sources are expected outcomes: the summary counts them, --verbose lists them
  // (a source a Ctrl-C cancelled is listed: it is what the answer lacks).
  // An incomplete source is listed: its offers are not the whole answer.
  // When every source was skipped, why is the whole answer.
  const noneRan = result.sources.length > 0 && result.sources.every((s) => s.status === 'skipped');
  // With no offers at all, a source whose `offers` found nothing says where it looked (a wrong path's only
  // sign), and a skipped one what it needs: `No offers.` after a timeout, with the one source that wanted
  // a `date` unsaid, left the reader nothing to add.
  const noOffers = result.offers.length === 0;
  // Cancelled by a Ctrl-C or a SIGTERM, a source is what the run is missing, not take-first's loser: the
  // summary said `1 cancelled` and no row named it.
  const stopped = io.interrupt.aborted;
  const rows =
    output.verbose || noneRan
      ? result.sources
      : result.sources.filter(
          (s) =>
            isPartial(s) ||
            s.dropped ||
            s.duplicates ||
            s.hedged ||
            (stopped && s.status === 'cancelled') ||
            (noOffers && (s.note || s.status === 'skipped')),
        );
  if (!output.quiet) io.stderr.write(renderStatusRows(rows, { all: output.verbose }) + renderSummary(result));
  // Exit 2 is a usage error, which says why under --quiet too: as `no selected source can run …` does when
  // no source could run at all, the skipped rows name the template and the param. Silent, a cron job had
  // only `No offers.` and an exit code to go on.
  else if (noneRan) io.stderr.write(renderStatusRows(rows));
  if (interrupted) {
    io.stderr.write(stoppedBy(io));
    return EXIT.interrupted;
  }
  return exitCodeFor(result, output.strict);
}

function renderOutput(
  result: Parameters<typeof renderParts>[0],
  output: OutputFlags,
  io: Io,
  sortedBy: string,
): Iterable<string> {
  const width = tableWidth(io);
  const color = useColor(output.color, io);
  return renderParts(result, output.format, { width, color, links: useLinks(output.color, io), sortedBy });
}

/** The last line of a run cut short: `terminated` by a SIGTERM (exit 143), else `interrupted` (Ctrl-C, 130). */
const stoppedBy = (io: Io): string => (io.interruptedBy?.() === 'SIGTERM' ? 'terminated\n' : 'interrupted\n');
