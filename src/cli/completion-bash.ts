/**
 * The bash completion script, from a ProgramSpec. Written for bash 3.2 too (macOS): no mapfile, no
 * negative indexes, and compopt only where bash has it.
 */

import { shQuote } from './completion-quote.js';
import type { CommandSpec, FlagSpec, ProgramSpec, ValueSpec } from './completion-spec.js';

/** The helpers every command's completion uses; `AGG` is replaced by the program's name. */
const HELPERS = `# The candidates of list $1 (sources, tags, params, fields, currencies) from the sources file the line
# names (-c, --config, else $AGG_CONFIG and the usual places), one a line, each after $2. Nothing when the
# file cannot be read.
_AGG_list() {
  local i c config=
  for ((i = 1; i < \${#_AGG_words[@]}; i++)); do
    case \${_AGG_words[i]} in
      -c | --config) config=\${_AGG_words[i + 1]} ;;
      --config=*) config=\${_AGG_words[i]#--config=} ;;
    esac
  done
  case $config in '~/'*) config=$HOME/\${config#'~/'} ;; esac
  if [[ -n $config ]]; then
    command AGG completion --list "$1" --config="$config" 2>/dev/null
  else
    command AGG completion --list "$1" 2>/dev/null
  fi | while IFS= read -r c; do printf '%s\\n' "$2$c"; done
}

# Adds to COMPREPLY each candidate read that starts with $1, the word as typed. Bash replaces only what
# follows the word's last = or : (COMP_WORDBREAKS), so that much is cut off each; one the shell would
# read otherwise is quoted. A name= candidate takes no space after it: its value comes next.
_AGG_reply() {
  local c keep= breaks=\${COMP_WORDBREAKS//[!=:]/}
  [[ -n $breaks && $1 == *["$breaks"]* ]] && keep=\${1%"\${1##*["$breaks"]}"}
  while IFS= read -r c; do
    [[ $c == "$1"* ]] || continue
    [[ $c == *= ]] && type compopt &>/dev/null && compopt -o nospace 2>/dev/null
    c=\${c#"$keep"}
    # \`cabin=\` typed whole: what follows its = is the value, not the same word again.
    [[ -n $c ]] || continue
    [[ $c == *[!A-Za-z0-9_.@%+:,/=-]* ]] && printf -v c %q "$c"
    COMPREPLY+=("$c")
  done
}

# Completes $2, the word as typed, as a value of kind $1 (file, a list from the sources file, words), after
# $3, the part of the word before the value (--flag=); words: the rest of the arguments.
_AGG_value() {
  local kind=$1 word=$2 before=$3 head= w
  local value=\${word#"$before"}
  shift 3
  case $kind in
    file)
      type compopt &>/dev/null && compopt -o filenames 2>/dev/null
      while IFS= read -r w; do COMPREPLY+=("$w"); done < <(compgen -f -- "$value")
      ;;
    # Comma-separated: --source and --tag names, --distinct fields (--sort's one field has no comma).
    sources | tags | fields)
      [[ $value == *,* ]] && head=\${value%,*},
      _AGG_reply "$word" < <(_AGG_list "$kind" "$before$head")
      ;;
    params | currencies) _AGG_reply "$word" < <(_AGG_list "$kind" "$before") ;;
    words) _AGG_reply "$word" < <(for w in "$@"; do printf '%s\\n' "$before$w"; done) ;;
  esac
}
`;

/** A `case` arm completing `value`; `before` is a shell expression for the word's part before the value. */
function valueCall(fn: string, value: ValueSpec, before: string): string {
  if (value === 'free') return ':';
  const args =
    typeof value === 'string' ? `${value} "$cur" ${before}` : `words "$cur" ${before} ${value.words.join(' ')}`;
  return `${fn}_value ${args}`;
}

/** `case` arms completing each flag's value, as `--flag=value` (`=` after each name) or after the flag; free ones in one arm. */
function valueArms(
  fn: string,
  flags: readonly FlagSpec[],
  names: (flag: FlagSpec) => string[],
  before: (name: string) => string,
): string[] {
  const valued = flags.filter((f): f is FlagSpec & { value: ValueSpec } => f.value !== undefined);
  const free = valued.filter((f) => f.value === 'free').flatMap(names);
  return [
    ...valued
      .filter((f) => f.value !== 'free')
      .flatMap((f) => names(f).map((n) => `${n}) ${valueCall(fn, f.value, before(n))} ;;`)),
    ...(free.length > 0 ? [`${free.join(' | ')}) ;;`] : []),
  ];
}

/** The arms of one command: `--flag=value` words, flags, then a word after a flag or one of the command's words. */
function commandArms(fn: string, command: CommandSpec): string {
  const long = valueArms(
    fn,
    command.flags,
    (f) => f.names.filter((n) => n.startsWith('--')).map((n) => `${n}=*`),
    (n) => n.slice(0, -1),
  );
  const afterFlag = valueArms(
    fn,
    command.flags,
    (f) => [f.names.join(' | ')],
    () => "''",
  );
  const flags = command.flags.flatMap((f) => f.names);
  const words = command.words === undefined ? ':' : valueCall(fn, command.words, "''");
  return [
    `    ${command.name})`,
    '      case $cur in',
    ...long.map((arm) => `        ${arm}`),
    ...(flags.length > 0 ? [`        -*) [[ -n $dashdash ]] || ${valueCall(fn, { words: flags }, "''")} ;;`] : []),
    '        *)',
    '          case $prev in',
    ...afterFlag.map((arm) => `            ${arm}`),
    `            *) ${words} ;;`,
    '          esac',
    '          ;;',
    '      esac',
    '      ;;',
  ].join('\n');
}

/** The bash script: `eval "$(agg completion bash)"`, or saved where bash-completion looks. */
export function bashScript(spec: ProgramSpec): string {
  const fn = `_${spec.name.replace(/\W/g, '_')}`;
  const prog = shQuote(spec.name);
  const top = [
    "    '')",
    `      if [[ $cur == -* ]]; then ${valueCall(fn, { words: spec.flags.flatMap((f) => f.names) }, "''")}`,
    `      else ${valueCall(fn, { words: spec.commands.map((c) => c.name) }, "''")}; fi`,
    '      ;;',
  ].join('\n');
  const main = `${fn}() {
  COMPREPLY=()
  local -a ${fn}_words=()
  local i w n=0 cword=0 cur prev= cmd= dashdash=
  # Bash splits name=value (and a:b) at COMP_WORDBREAKS into three words: joined again, as typed.
  for ((i = 0; i < \${#COMP_WORDS[@]}; i++)); do
    w=\${COMP_WORDS[i]}
    if ((n > 0)) && [[ $w == [=:] || \${${fn}_words[n - 1]} == *[=:] ]]; then
      ${fn}_words[n - 1]+=$w
    else
      ${fn}_words[n]=$w
      n=$((n + 1))
    fi
    ((i == COMP_CWORD)) && cword=$((n - 1))
  done
  cur=\${${fn}_words[cword]}
  ((cword > 0)) && prev=\${${fn}_words[cword - 1]}
  for ((i = 1; i < cword; i++)); do
    w=\${${fn}_words[i]}
    if [[ -z $cmd ]]; then
      [[ $w == -* ]] || cmd=$w
    elif [[ $w == -- ]]; then
      dashdash=1
    fi
  done
  case $cmd in
${top}
${spec.commands.map((c) => commandArms(fn, c)).join('\n')}
  esac
  return 0
}
complete -F ${fn} ${prog}
`;
  const name = spec.name;
  const header = [
    `# bash completion for ${name}: ${name} completion bash`,
    `# Load it from ~/.bashrc:  eval "$(${name} completion bash)"`,
    `# or save it for bash-completion:  ${name} completion bash > ~/.local/share/bash-completion/completions/${name}`,
    '',
    '',
  ].join('\n');
  return `${header}${HELPERS.replace(/_AGG/g, fn).replace(/\bAGG\b/g, prog)}\n${main}`;
}
