/**
 * One search as the CLI runs it: progress on stderr, output on stdout (streamed for NDJSON
 * under `all`), the status rows and summary, and the exit code.
 */
import type { Dispatcher } from 'undici';
import { EXIT, type ExitCode } from '../errors.js';
import { exitCodeFor } from '../exit.js';
import {
  ndjsonOffer,
  ndjsonSource,
  ndjsonSummary,
  render,
  renderStatusRows,
  renderSummary,
  renderWarnings,
} from '../render/index.js';
import { search } from '../search.js';
import { type Config, isFailure } from '../types.js';
import { type Io, useColor, useSpinner } from './io.js';
import type { OutputFlags, resolveFlags } from './options.js';
import { createProgress } from './progress.js';

type Resolved = ReturnType<typeof resolveFlags>;

/** Runs one query and writes its output; returns the exit code. Throws only UsageError. */
export async function runSearch(
  config: Config,
  query: { text: string; params: Readonly<Record<string, string>> },
  { search: flags, output }: Resolved,
  io: Io,
  dispatcher: Dispatcher,
): Promise<ExitCode> {
  // Under `all`, NDJSON lines go out as sources answer; a --limit needs the final ranking first.
  const streaming = output.format === 'ndjson' && flags.strategy === 'all' && flags.limit === undefined;
  const byPrice = flags.sort.field === 'price' && !flags.sort.desc;
  const progress = await createProgress(useSpinner(output.quiet, io), io.stderr, byPrice);
  let result: Awaited<ReturnType<typeof search>>;
  try {
    result = await search(config, {
      ...flags,
      ...query,
      dispatcher,
      signal: io.interrupt,
      log: output.verbose ? progress.log : undefined,
      onStart: progress.start,
      onSource(row, offers) {
        progress.source(row, offers);
        if (streaming) io.stdout.write(offers.map(ndjsonOffer).join('') + ndjsonSource(row));
      },
    });
  } finally {
    progress.stop();
  }
  if (io.interrupt.aborted) {
    io.stderr.write('interrupted\n');
    return EXIT.interrupted;
  }
  io.stdout.write(streaming ? ndjsonSummary(result) : renderOutput(result, output, io));
  // Warnings stay under --quiet: an unconverted currency changes what the ranking means.
  io.stderr.write(renderWarnings(result.warnings));
  // Skipped and cancelled sources are expected outcomes: the summary counts them, --verbose lists them.
  const rows = output.verbose ? result.sources : result.sources.filter((s) => isFailure(s.status) || s.dropped);
  if (!output.quiet) io.stderr.write(renderStatusRows(rows) + renderSummary(result));
  return exitCodeFor(result, output.strict);
}

function renderOutput(result: Parameters<typeof render>[0], output: OutputFlags, io: Io): string {
  const width = io.stdout.isTTY ? io.stdout.columns : undefined;
  return render(result, output.format, { width, color: useColor(output.color, io) });
}
