/**
 * `agg completion`, loaded only when it runs: the script for a shell, or, hidden, the candidates the
 * scripts ask for while the user presses Tab (`agg completion --list sources -c FILE`).
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { findConfig } from '../config/find.js';
import { toleratingUnset } from '../config/interpolate.js';
import { EXIT, UsageError } from '../errors.js';
import type { Config } from '../types.js';
import { COMPLETION_LISTS, type CompletionList, SHELLS, type Shell } from './completes.js';
import { completionScript } from './completion.js';
import { completionCandidates } from './completion-list.js';
import { describeProgram } from './completion-spec.js';
import type { Io } from './io.js';

/** The flags of `agg completion`, all hidden: what the scripts pass. */
export interface CompletionFlags {
  list?: string;
  config?: string;
}

const isList = (name: string | undefined): name is CompletionList =>
  (COMPLETION_LISTS as readonly (string | undefined)[]).includes(name);

/** Loads the sources file `file` with the variables of `env`. */
type LoadSources = (file: string, env: Io['env']) => Promise<Config>;

/**
 * Prints one candidate a line, or nothing: whatever goes wrong (no file, a broken one), the prompt the
 * user is typing at must not fill with errors. Reads the file through the loader a search uses (-c,
 * then $AGG_CONFIG, then the usual places), but with an unset ${VAR} read as a stand-in: an API key
 * exported only when a job runs left every Tab blank, and no candidate is a ${VAR}'s value anyway
 * (completionCandidates). Sends no request.
 */
async function listCandidates(
  list: string | undefined,
  flags: CompletionFlags,
  io: Io,
  load: LoadSources,
): Promise<void> {
  try {
    // Standard input is the terminal the user is typing at: reading it would hang the prompt.
    if (!isList(list) || flags.config === '-') return;
    const file = findConfig({ flag: flags.config, env: io.env, cwd: io.cwd, home: io.home });
    // Only a file: a pipe (`-c /tmp/fifo`, $AGG_CONFIG=-) waits for a writer, and the Tab with it.
    if (!statSync(path.resolve(io.cwd, file)).isFile()) return;
    const candidates = completionCandidates(await load(file, toleratingUnset(io.env)), list);
    io.stdout.write(candidates.map((c) => `${c}\n`).join(''));
  } catch {
    // Nothing to offer: the user finds the problem when the command runs.
  }
}

/** Runs `agg completion [shell]`; returns the exit code. `program` is the command line to complete. */
export async function runCompletion(
  shell: Shell | undefined,
  flags: CompletionFlags,
  program: Command,
  io: Io,
  load: LoadSources,
): Promise<number> {
  if (flags.list !== undefined) {
    await listCandidates(flags.list, flags, io, load);
    return EXIT.ok;
  }
  if (shell === undefined) throw new UsageError(`agg completion needs a shell: ${SHELLS.join(', ')}`);
  io.stdout.write(completionScript(shell, describeProgram(program)));
  return EXIT.ok;
}
