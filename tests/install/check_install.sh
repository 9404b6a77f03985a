#!/usr/bin/env bash
# Installs a built l4 into a scratch prefix and checks the tree as its users see it:
#   - the files are there (binary, man page, bash and zsh completions, headers, CMake package);
#   - the installed l4 runs and `man -l` shows a section for every command `l4 --help` lists;
#   - the bash completion loads (`complete -p l4`) and completes commands, options and values;
#     the zsh one too when zsh is present (tests/install/zsh_complete.zsh);
#   - a program configures, builds and runs against it with find_package(l4) (consumer/).
# Usage: bash tests/install/check_install.sh BUILD_DIR WORK_DIR [CXX_COMPILER]
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$1" && pwd)
rm -rf "$2" && mkdir -p "$2"
work=$(cd "$2" && pwd)
prefix=$work/prefix
cxx=${3:-c++}

fail() { echo "check_install: FAIL: $*" >&2; exit 1; }
contains() { grep -qF -- "$2" <<<"$1" || fail "$3: expected '$2' in: $1"; }

cmake --install "$build" --prefix "$prefix" >/dev/null
for f in bin/l4 share/man/man1/l4.1 share/bash-completion/completions/l4 share/zsh/site-functions/_l4 \
         include/l4/version.hpp include/l4/diagnose/diagnoser.hpp; do
  [ -f "$prefix/$f" ] || fail "not installed: $f"
done
config=$(find "$prefix" -name l4Config.cmake)
[ -n "$config" ] || fail "no l4Config.cmake installed"
[ -n "$(find "$prefix" -name libl4.a)" ] || fail "no libl4.a installed"
echo "installed into $prefix"

# The installed binary; the commands it lists are the ones the man page must describe.
l4=$prefix/bin/l4
contains "$("$l4" --version)" "l4 " "l4 --version"
mapfile -t commands < <("$l4" --help | sed -n '/^Subcommands:/,/^$/p' | awk 'NR > 1 && NF {print $1}')
[ ${#commands[@]} -ge 6 ] || fail "l4 --help lists ${#commands[@]} commands"

if command -v man >/dev/null; then
  page=$(MANWIDTH=200 man -l "$prefix/share/man/man1/l4.1" 2>&1 | col -b)
  for c in "${commands[@]}"; do
    contains "$page" "L4 ${c^^}" "man page section"
  done
  contains "$page" "--top-nodes" "man page (diagnose options)"
  contains "$page" "l4 history add" "man page (nested command)"
  echo "man -l: a section for each of ${#commands[@]} commands"
else
  echo "check_install: SKIP man page check: man is not installed (Debian: man-db)"
fi

bash_file=$prefix/share/bash-completion/completions/l4
complete_bash() {  # the words bash completion offers for the words given (the last is completed)
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _l4; printf "%s\n" "${COMPREPLY[@]}"' \
    _ "$bash_file" "$@"
}
contains "$(bash -c 'source "$1"; complete -p l4' _ "$bash_file")" "-F _l4 l4" "complete -p l4"
contains "$(complete_bash l4 dia)" "diagnose" "bash: l4 dia<TAB>"
contains "$(complete_bash l4 diagnose --top)" "--top-nodes" "bash: l4 diagnose --top<TAB>"
contains "$(complete_bash l4 -q history add --format '')" "text" "bash: l4 -q history add --format <TAB>"
contains "$(complete_bash l4 history '')" "remove" "bash: l4 history <TAB>"
echo "bash completion: loads and completes commands, options and values"

if command -v zsh >/dev/null; then
  zsh -n "$prefix/share/zsh/site-functions/_l4" || fail "zsh: syntax error in _l4"
  zsh_dir=$work/zsh && mkdir -p "$zsh_dir" && cp "$prefix/share/zsh/site-functions/_l4" "$zsh_dir/"
  contains "$(zsh -f "$src/tests/install/zsh_complete.zsh" 'l4 history ' "$zsh_dir")" "<<remove>>" "zsh: l4 history <TAB>"
  contains "$(zsh -f "$src/tests/install/zsh_complete.zsh" 'l4 diagnose --format ' "$zsh_dir")" "<<json>>" \
    "zsh: l4 diagnose --format <TAB>"
  echo "zsh completion: loads and completes"
else
  echo "check_install: SKIP zsh completion check: zsh is not installed"
fi

# A consumer program, configured and built against the installed package only.
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
cmake -S "$src/tests/install/consumer" -B "$work/consumer" "${generator[@]}" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_BUILD_TYPE=Release >"$work/consumer.log" 2>&1 ||
  { cat "$work/consumer.log"; fail "consumer: cmake configure"; }
cmake --build "$work/consumer" >>"$work/consumer.log" 2>&1 || { cat "$work/consumer.log"; fail "consumer: build"; }
out=$("$work/consumer/l4_consumer" "$src/tests/fixtures/diagnose/ecc-job")
contains "$out" "header python-bracketed INFO" "consumer"
contains "$out" "verdict hardware/gpu/ecc node-02" "consumer"
echo "consumer: find_package(l4) built and ran: $(tr '\n' ' ' <<<"$out")"
echo "check_install: OK"
