# Prints the candidates zsh's completion offers for the command line $1 (completed with TAB at its
# end), one per line as <<word>>, using the completion functions found in directory $2. Runs an
# interactive zsh in a pseudo-terminal (zsh/zpty) with compadd wrapped to echo what it is given.
#   zsh -f tests/install/zsh_complete.zsh 'l4 history ' DIR
zmodload zsh/zpty
zpty probe zsh -f -i
zpty -w probe "fpath=(${(q)2} \$fpath); autoload -Uz compinit; compinit -u -d ${(q)2}/.zcompdump"
zpty -w probe 'compadd() { builtin compadd -O __hits "$@"; print -l -- "<<${^__hits[@]}>>"; builtin compadd "$@" }'
zpty -wn probe "$1"$'\t'
local out chunk
for i in {1..30}; do
  sleep 0.1
  while zpty -rt probe chunk; do out+=$chunk; done
done
zpty -d probe
print -r -- "$out" | grep -ao '<<[^$>][^>]*>>' | sort -u
