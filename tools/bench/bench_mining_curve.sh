#!/usr/bin/env bash
# Mining time and memory against the number of distinct lines (issue 14: a bounded worst case).
# Input: a Loghub system's lines with every digit run replaced by random letters
# (parse_input_gen --unique), so the variable parts escape masking and every line is a distinct
# masked line. For each size: `wc -l` on the same file, then `l4 parse` on one thread, templates
# only and with CSV per line; wall and user seconds, peak RSS, templates, and the growth exponent
# between sizes (log time ratio / log size ratio: 1.0 is linear).
#
#   tools/bench/bench_mining_curve.sh [SYSTEM] [SIZES...]   (defaults: HDFS 10000 30000 100000 300000 1000000)
#   L4_BUILD, L4_LOGHUB, BENCH_DIR (default /tmp) as for bench_parse.sh. Skips without the data.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
system="${1:-HDFS}"
shift || true
sizes=("$@")
(( ${#sizes[@]} > 0 )) || sizes=(10000 30000 100000 300000 1000000)
build="${L4_BUILD:-build}"
[[ "$build" = /* ]] || build="$repo/$build"
data="${L4_LOGHUB:-$repo/../shared/data/loghub2k}"
work="${BENCH_DIR:-/tmp}"
src="$data/$system/${system}_2k.log"
if [[ ! -f "$src" ]]; then
  echo "bench_mining_curve: skipped: no $src (Loghub 2k data absent; set L4_LOGHUB)"
  exit 0
fi
l4="$build/l4"
gen="$build/tools/bench/parse_input_gen"
for b in "$l4" "$gen"; do
  [[ -x "$b" ]] || { echo "bench_mining_curve: $b not built" >&2; exit 2; }
done
fmt="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["formats"][sys.argv[2]])' \
  "$repo/tools/loghub-formats.json" "$system")"
echo "$system lines with letters for digits (every line distinct after masking); l4 --threads 1; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%9s %8s | %8s %8s %9s %10s %6s | %8s %8s %9s %6s\n' lines wc_s tpl_s tpl_user tpl_RSS templates exp csv_s csv_user csv_RSS exp
run() {  # prints "wall user rss_kb"
  local tf
  tf="$(mktemp)"
  /usr/bin/time -o "$tf" -f '%e %U %M' "$@" >/dev/null 2>/dev/null || { echo "bench_mining_curve: $* failed" >&2; exit 2; }
  cat "$tf"
  rm -f "$tf"
}
prev_n="" prev_t="" prev_c=""
for n in "${sizes[@]}"; do
  input="$work/l4-bench-unique-$system-$n.log"
  [[ -f "$input" ]] || "$gen" "$src" "$input" "$n" 1 --unique
  cat "$input" > /dev/null
  read -r wc_w _ _ < <(run wc -l "$input")
  read -r t_w t_u t_r < <(run "$l4" -q parse --threads 1 --log-format "$fmt" --templates-only "$input")
  templates=$("$l4" -q parse --threads 1 --log-format "$fmt" --templates-only --format csv "$input" | tail -n +2 | wc -l)
  read -r c_w c_u c_r < <(run "$l4" -q parse --threads 1 --log-format "$fmt" -o /dev/null "$input")
  awk -v n="$n" -v wc="$wc_w" -v tw="$t_w" -v tu="$t_u" -v tr="$t_r" -v k="$templates" -v cw="$c_w" -v cu="$c_u" -v cr="$c_r" \
      -v pn="$prev_n" -v pt="$prev_t" -v pc="$prev_c" 'BEGIN {
    et = (pn != "" && pt > 0 && tu > 0) ? sprintf("%.2f", log(tu / pt) / log(n / pn)) : "-";
    ec = (pn != "" && pc > 0 && cu > 0) ? sprintf("%.2f", log(cu / pc) / log(n / pn)) : "-";
    printf "%9d %8.2f | %8.2f %8.2f %6.0f MB %10d %6s | %8.2f %8.2f %6.0f MB %6s\n", n, wc, tw, tu, tr / 1024, k, et, cw, cu, cr / 1024, ec }'
  prev_n="$n" prev_t="$t_u" prev_c="$c_u"
done
