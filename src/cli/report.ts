/** An error as the command line reports it: one cleaned, redacted line on stderr, and its exit code. */
import { CommanderError } from 'commander';
import { AggError, EXIT } from '../errors.js';
import type { Redactor } from '../shared/redact.js';
import { cleanText, showInvisible } from '../shared/sanitize.js';
import type { Io } from './io.js';

/**
 * A line of an error, cleaned, with its invisible characters shown as the sources file's problems show
 * them (errors.ts): a flag value with a pasted zero-width space read `unknown source "ebay"; configured:
 * ebay, …` and `--currency: … got "USD"`, next to a value that looked right.
 */
const errorLine = (line: string): string => showInvisible(cleanText(line));

/** errorLine on each line of `text`, keeping its line breaks. */
export const cleanLines = (text: string): string => text.split('\n').map(errorLine).join('\n');

/**
 * Maps an error to its exit code; the stack only under AGG_DEBUG=1. Every line is redacted and
 * cleaned, the stack too: a message can quote the sources file, a flag or a vendor.
 */
export function report(err: unknown, io: Io, redact: Redactor): number {
  if (err instanceof CommanderError) {
    // Help and --version exit 0; any other commander error is a usage error.
    return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  const safe = (text: string): string =>
    text
      .split('\n')
      .map((line) => errorLine(redact(line)))
      .join('\n');
  if (io.env.AGG_DEBUG === '1') io.stderr.write(`${safe((err as Error)?.stack ?? String(err))}\n`);
  if (err instanceof AggError) {
    io.stderr.write(`agg: ${safe(err.message)}\n`);
    return err.exitCode;
  }
  io.stderr.write(
    `agg: internal error: ${safe((err as Error)?.message ?? String(err))} (AGG_DEBUG=1 shows the stack)\n`,
  );
  return EXIT.internal;
}
