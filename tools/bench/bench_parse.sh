#!/usr/bin/env bash
# Whole-process throughput of `l4 parse` on a large input: a Loghub system's 2k lines replicated
# with fresh parameter values (parse_input_gen) to LINES lines, timed against `wc -l` on the same
# file in the same run. Reports lines/s, MB/s and peak RSS (from /usr/bin/time).
#   tools/bench/bench_parse.sh [SYSTEM] [LINES] [WORKDIR]     (defaults: HDFS 10000000 /tmp)
#   L4_BUILD=build-x tools/bench/bench_parse.sh               (build dir holding l4, tools/bench/)
# Skips (exit 0) when ../shared/data/loghub2k is absent.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
system="${1:-HDFS}"
lines="${2:-10000000}"
work="${3:-/tmp}"
build="${L4_BUILD:-build}"
[[ "$build" = /* ]] || build="$repo/$build"
data="${L4_LOGHUB:-$repo/../shared/data/loghub2k}"
src="$data/$system/${system}_2k.log"
if [[ ! -f "$src" ]]; then
  echo "bench_parse: skipped: no $src (Loghub 2k data absent)"
  exit 0
fi
l4="$build/l4"
gen="$build/tools/bench/parse_input_gen"
for b in "$l4" "$gen"; do
  [[ -x "$b" ]] || { echo "bench_parse: $b not built (cmake --build $build --target l4 parse_input_gen)" >&2; exit 2; }
done
[[ -x /usr/bin/time ]] || { echo "bench_parse: needs /usr/bin/time (GNU time) for peak RSS" >&2; exit 2; }
# header formats of the Loghub-2.0 benchmark (the same table as tools/eval-loghub)
case "$system" in
  Apache) fmt='\[<Time>\] \[<Level>\] <Content>' ;;
  BGL) fmt='<Label> <Timestamp> <Date> <Node> <Time> <NodeRepeat> <Type> <Component> <Level> <Content>' ;;
  HDFS) fmt='<Date> <Time> <Pid> <Level> <Component>: <Content>' ;;
  HealthApp) fmt='<Time>\|<Component>\|<Pid>\|<Content>' ;;
  HPC) fmt='<LogId> <Node> <Component> <State> <Time> <Flag> <Content>' ;;
  OpenSSH) fmt='<Date> <Day> <Time> <Component> sshd\[<Pid>\]: <Content>' ;;
  Proxifier) fmt='\[<Time>\] <Program> - <Content>' ;;
  Spark) fmt='<Date> <Time> <Level> <Component>: <Content>' ;;
  Zookeeper) fmt='<Date> <Time> - <Level>  \[<Node>:<Component>@<Id>\] - <Content>' ;;
  *) echo "bench_parse: unknown system $system" >&2; exit 2 ;;
esac
input="$work/l4-bench-parse-$system-$lines.log"
tpl="$work/l4-bench-parse-$system.templates.json"
if [[ ! -f "$input" ]]; then
  echo "generating $input ($lines lines)..."
  "$gen" "$src" "$input" "$lines"
fi
bytes=$(stat -c %s "$input")
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
echo "input: $input, $lines lines, $mb MB; l4: $l4; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-34s %8s %8s %12s %15s %9s %10s\n' run wall_s user_s lines/s lines/user_s MB/s peak_RSS
measure() {  # name, command...
  local name="$1"
  shift
  local tf
  tf="$(mktemp)"
  /usr/bin/time -o "$tf" -f '%e %U %M' "$@" >/dev/null 2>/dev/null || { echo "bench_parse: $name failed" >&2; exit 2; }
  read -r wall user rss <"$tf"
  rm -f "$tf"
  awk -v n="$name" -v w="$wall" -v u="$user" -v r="$rss" -v l="$lines" -v b="$bytes" 'BEGIN {
    s = (w > 0 ? w : 0.001);
    us = (u > 0 ? u : 0.001);
    printf "%-34s %8.2f %8.2f %12.0f %15.0f %9.1f %7.1f MB\n", n, w, u, l / s, l / us, b / 1e6 / s, r / 1024 }'
}
measure "wc -l (reference)" wc -l "$input"
measure "l4 parse: mine + assign" "$l4" -q parse --log-format "$fmt" --templates-only --save-templates "$tpl" "$input"
measure "l4 parse: known templates" "$l4" -q parse --log-format "$fmt" --templates "$tpl" --templates-only "$input"
measure "l4 parse: known, CSV per line" "$l4" -q parse --log-format "$fmt" --templates "$tpl" -o /dev/null "$input"
echo "templates: $(grep -c '"template"' "$tpl") (in $tpl)"
# anonymous (heap) vs file-backed (mapped input) resident memory of the mining run, sampled
anon=0
file=0
"$l4" -q parse --log-format "$fmt" --templates-only "$input" >/dev/null 2>&1 &
pid=$!
while kill -0 "$pid" 2>/dev/null; do
  a=$(awk '/^RssAnon/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
  f=$(awk '/^RssFile/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
  [[ -n "$a" && "$a" -gt "$anon" ]] && anon=$a
  [[ -n "$f" && "$f" -gt "$file" ]] && file=$f
  sleep 0.1
done
wait "$pid" || true
awk -v a="$anon" -v f="$file" 'BEGIN { printf "mine + assign, sampled every 0.1 s: max RssAnon %.1f MB (miner), max RssFile %.1f MB (mapped input)\n", a / 1024, f / 1024 }'
