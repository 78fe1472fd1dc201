/** The zsh completion script, from a ProgramSpec: a `#compdef` function, with each flag's help in the menu. */
import { oneLine, shQuote } from './completion-quote.js';
import type { CommandSpec, FlagSpec, ProgramSpec, ValueSpec } from './completion-spec.js';

/** The helpers every command's completion uses; `AGG` is replaced by the program's name. */
const HELPERS = `# Sets reply to the candidates of list $1 (sources, tags, params, fields, currencies) from the sources file the line names
# (-c, --config, else $AGG_CONFIG and the usual places). Empty when the file cannot be read.
_AGG_list() {
  local i config=
  for (( i = 2; i < CURRENT; i++ )); do
    case \${words[i]} in
      (-c|--config) config=\${(Q)words[i+1]} ;;
      (--config=*) config=\${(Q)\${words[i]#--config=}} ;;
    esac
  done
  [[ $config == '~/'* ]] && config=$HOME/\${config#'~/'}
  if [[ -n $config ]]; then
    reply=(\${(f)"$(command AGG completion --list $1 --config=$config 2>/dev/null)"})
  else
    reply=(\${(f)"$(command AGG completion --list $1 2>/dev/null)"})
  fi
}

# Completes the current word as a value of kind $1 (file, a list from the sources file, words: the rest).
_AGG_value() {
  local kind=$1
  shift
  case $kind in
    (file) _files ;;
    # Comma-separated: --source and --tag names, --distinct fields (--sort's one field has no comma).
    (sources|tags|fields) compset -P '*,'; _AGG_list $kind; compadd -- "\${reply[@]}" ;;
    # A name= candidate takes no space after it: its value comes next.
    (params) _AGG_list params; compadd -S '' -- \${(M)reply:#*=}; compadd -- \${reply:#*=} ;;
    (currencies) _AGG_list $kind; compadd -- "\${reply[@]}" ;;
    (words) compadd -- "$@" ;;
  esac
}

# Offers flags, each NAME:HELP, with its help.
_AGG_flags() {
  local -a flags
  flags=("$@")
  _describe -t options option flags
}
`;

/** A call completing `value` (the current word, its `--flag=` part already taken off). */
function valueCall(fn: string, value: ValueSpec): string {
  if (value === 'free') return ':';
  return typeof value === 'string' ? `${fn}_value ${value}` : `${fn}_value words ${value.words.join(' ')}`;
}

/** `NAME:HELP` for `_describe`, as one quoted word: a colon in the name is escaped, the first one in it splits. */
const described = (name: string, help: string): string => shQuote(`${name.replaceAll(':', '\\:')}:${oneLine(help)}`);

const flagMenu = (fn: string, flags: readonly FlagSpec[]): string =>
  `${fn}_flags ${flags.flatMap((f) => f.names.map((n) => described(n, f.description))).join(' ')}`;

function commandArms(fn: string, command: CommandSpec): string {
  const valued = command.flags.filter((f): f is FlagSpec & { value: ValueSpec } => f.value !== undefined);
  const long = valued.flatMap((f) =>
    f.names
      .filter((n) => n.startsWith('--'))
      .map((n) => `        (${n}=*) compset -P '*='; ${valueCall(fn, f.value)} ;;`),
  );
  const afterFlag = valued.map((f) => `            (${f.names.join('|')}) ${valueCall(fn, f.value)} ;;`);
  return [
    `    (${command.name})`,
    '      case $cur in',
    ...long,
    `        (-*) [[ -n $dashdash ]] || ${flagMenu(fn, command.flags)} ;;`,
    '        (*)',
    '          case $prev in',
    ...afterFlag,
    `            (*) ${command.words === undefined ? ':' : valueCall(fn, command.words)} ;;`,
    '          esac',
    '          ;;',
    '      esac',
    '      ;;',
  ].join('\n');
}

/** The zsh script: `eval "$(agg completion zsh)"` after compinit, or saved as `_agg` in a folder of $fpath. */
export function zshScript(spec: ProgramSpec): string {
  const fn = `_${spec.name.replace(/\W/g, '_')}`;
  const prog = shQuote(spec.name);
  const commands = spec.commands.map((c) => described(c.name, c.description)).join(' ');
  const main = `${fn}() {
  local cur=\${words[CURRENT]} prev=\${words[CURRENT-1]} cmd= dashdash= i
  for (( i = 2; i < CURRENT; i++ )); do
    if [[ -z $cmd ]]; then
      [[ \${words[i]} == -* ]] || cmd=\${words[i]}
    elif [[ \${words[i]} == -- ]]; then
      dashdash=1
    fi
  done
  case $cmd in
    ('')
      if [[ $cur == -* ]]; then
        ${flagMenu(fn, spec.flags)}
      else
        local -a commands
        commands=(${commands})
        _describe -t commands command commands
      fi
      ;;
${spec.commands.map((c) => commandArms(fn, c)).join('\n')}
  esac
}

# Autoloaded from $fpath, zsh calls this file as the function; evaluated, it registers the function.
if [[ $funcstack[1] == ${fn} ]]; then
  ${fn} "$@"
else
  compdef ${fn} ${prog}
fi
`;
  const name = spec.name;
  const header = [
    `#compdef ${name}`,
    `# zsh completion for ${name}: ${name} completion zsh`,
    `# Load it from ~/.zshrc, after compinit:  eval "$(${name} completion zsh)"`,
    `# or save it as _${name} in a folder of $fpath:  ${name} completion zsh > ~/.zfunc/_${name}`,
    `# (with fpath=(~/.zfunc $fpath) before compinit in ~/.zshrc)`,
    '',
    '',
  ].join('\n');
  return `${header}${HELPERS.replace(/_AGG/g, fn).replace(/\bAGG\b/g, prog)}\n${main}`;
}
