/** The fish completion script, from a ProgramSpec: `complete` lines, each flag with its help. */
import { fishQuote, oneLine } from './completion-quote.js';
import type { CommandSpec, FlagSpec, ProgramSpec, ValueSpec } from './completion-spec.js';

/** The helpers the `complete` lines use; `AGG` is replaced by the program's name. */
const HELPERS = `# The command on the line, if any.
function __AGG_command
    set -l words (commandline -opc)
    set -e words[1]
    for w in $words
        if not string match -q -- '-*' $w
            echo $w
            return 0
        end
    end
    return 1
end

# Whether the command on the line is $argv[1].
function __AGG_using
    set -l command (__AGG_command)
    and test "$command" = "$argv[1]"
end

# The candidates of list $argv[1] (sources, tags, params, fields, currencies) from the sources file
# the line names (-c, --config, else $AGG_CONFIG and the usual places); after the current word's names
# up to its last comma when $argv[2] is a comma. Nothing when the file cannot be read.
function __AGG_list
    set -l config
    set -l named
    for w in (commandline -opc)
        if set -q named[1]
            set config --config=$w
            set -e named
        else if string match -q -- '--config=*' $w
            set config $w
        else if contains -- $w -c --config
            set named 1
        end
    end
    set config (string replace -r -- '^--config=~/' "--config=$HOME/" $config)
    set -l head
    if test "$argv[2]" = ,
        set head (commandline -ct | string replace -r -- '^--[^=]*=' '' | string match -r -- '.*,')
    end
    command AGG completion --list $argv[1] $config 2>/dev/null | string replace -r -- '^' "$head"
end
`;

/** The options of `complete` for a flag's value. */
function valueOptions(fn: string, value: ValueSpec | undefined): string {
  if (value === undefined) return '';
  if (value === 'free') return ' -x';
  if (value === 'file') return ' -r -F';
  if (typeof value !== 'string') return ` -x -a ${fishQuote(value.words.join(' '))}`;
  // --source and --tag take comma-separated names, --distinct fields (--sort's one field has no comma).
  const comma = value === 'sources' || value === 'tags' || value === 'fields' ? ' ,' : '';
  return ` -x -a ${fishQuote(`(${fn}_list ${value}${comma})`)}`;
}

/** `complete` options naming a flag: `-s c -l config`. */
const flagNames = (flag: FlagSpec): string =>
  flag.names.map((n) => (n.startsWith('--') ? `-l ${n.slice(2)}` : `-s ${n.slice(1)}`)).join(' ');

function flagLine(fn: string, prog: string, condition: string, flag: FlagSpec): string {
  const help = fishQuote(oneLine(flag.description));
  return `complete -c ${prog} -n ${fishQuote(condition)} ${flagNames(flag)}${valueOptions(fn, flag.value)} -d ${help}`;
}

function commandLines(fn: string, prog: string, command: CommandSpec): string[] {
  const condition = `${fn}_using ${command.name}`;
  const words =
    command.words === undefined
      ? []
      : [`complete -c ${prog} -n ${fishQuote(condition)}${valueOptions(fn, command.words).replace(' -x', ' -f')}`];
  return [...command.flags.map((f) => flagLine(fn, prog, condition, f)), ...words];
}

/** The fish script: `agg completion fish | source`, or saved as ~/.config/fish/completions/agg.fish. */
export function fishScript(spec: ProgramSpec): string {
  const fn = `__${spec.name.replace(/\W/g, '_')}`;
  const prog = fishQuote(spec.name);
  const top = `not ${fn}_command`;
  const lines = [
    // No file names but where a flag takes one (-c): a search's words are no paths.
    `complete -c ${prog} -f`,
    ...spec.commands.map(
      (c) => `complete -c ${prog} -n ${fishQuote(top)} -a ${c.name} -d ${fishQuote(oneLine(c.description))}`,
    ),
    ...spec.flags.map((f) => flagLine(fn, prog, top, f)),
    ...spec.commands.flatMap((c) => commandLines(fn, prog, c)),
  ];
  const header = [
    `# fish completion for ${spec.name}: ${spec.name} completion fish`,
    `# Load it from ~/.config/fish/config.fish:  ${spec.name} completion fish | source`,
    `# or save it:  ${spec.name} completion fish > ~/.config/fish/completions/${spec.name}.fish`,
    '',
    '',
  ].join('\n');
  return `${header}${HELPERS.replace(/__AGG/g, fn).replace(/\bAGG\b/g, prog)}\n${lines.join('\n')}\n`;
}
