/** What a command's --help prints after its options. */

/** `agg search --help`: examples, and what each exit code means. */
export const SEARCH_EXAMPLES = `
Examples:
  $ agg search sony headphones
  $ agg search sony headphones --strategy best --currency EUR
  $ agg search from=JFK to=LHR date=2026-12-20 --where 'stops = 0' --limit 5
  $ agg search from=JFK to=LHR date=2026-12-20 --strategy first --timeout 2s
  $ agg search sony headphones --json | jq '.offers[0]'
  $ agg search sony headphones -f ndjson | jq -c 'select(.type == "offer")'

Exit codes:
  0    offers printed
  1    no offers
  2    usage or config error, or every source skipped
  3    --strict and a source failed
  4    every source failed
  70   internal error: a bug in agg, please report it (AGG_DEBUG=1: the stack)
  74   stdout or stderr cannot be written (a full disk)
  129  the terminal closed (SIGHUP)
  130  interrupted (Ctrl-C)
  143  terminated (SIGTERM)`;

/** `agg completion --help`: where each shell loads the script from. */
export const COMPLETION_HELP = `
Load it as your shell starts:
  bash  ~/.bashrc                    eval "$(agg completion bash)"
  zsh   ~/.zshrc, after compinit     eval "$(agg completion zsh)"
  fish  ~/.config/fish/config.fish   agg completion fish | source
or save it once: agg completion zsh > ~/.zfunc/_agg (a folder in $fpath),
  agg completion fish > ~/.config/fish/completions/agg.fish`;
