/**
 * `agg completion bash|zsh|fish`: a script, a pure function of the command line's description
 * (completion-spec.ts), that completes agg's commands, flags and flag values, and asks
 * `agg completion --list` for what the sources file names (completion-list.ts).
 */

import type { Shell } from './completes.js';
import { bashScript } from './completion-bash.js';
import { fishScript } from './completion-fish.js';
import type { ProgramSpec } from './completion-spec.js';
import { zshScript } from './completion-zsh.js';

const SCRIPTS: Readonly<Record<Shell, (spec: ProgramSpec) => string>> = {
  bash: bashScript,
  zsh: zshScript,
  fish: fishScript,
};

/** The completion script for `shell`. */
export const completionScript = (shell: Shell, spec: ProgramSpec): string => SCRIPTS[shell](spec);
