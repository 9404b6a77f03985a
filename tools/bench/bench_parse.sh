#!/usr/bin/env bash
# Whole-process speed of `l4 parse` on a large input: a Loghub system's 2k lines replicated with
# fresh parameter values (parse_input_gen) to LINES lines, timed in the same run as `wc -l` on the
# same cached file and, when a copy is given, the Loghub-2.0 benchmark's Python Drain.
#
#   tools/bench/bench_parse.sh [SYSTEM] [LINES] [WORKDIR]     (defaults: HDFS 2000000 /tmp)
#   L4_BUILD=build-x ...      build dir holding l4 and tools/bench/parse_input_gen (default build)
#   L4_LOGHUB=DIR ...         the Loghub 2k data (default ../shared/data/loghub2k beside the repo)
#   DRAIN_DIR=DIR ...         a directory holding the Loghub-2.0 benchmark's Drain.py (its
#                             LogParser class); run with Debian's python3 (/usr/bin/python3, or
#                             DRAIN_PYTHON), which needs python3-pandas, python3-numpy and
#                             python3-regex. Without it the Drain row is skipped with a message:
#                             nothing is downloaded.
#   DRAIN_LINES=N ...         lines given to Drain (default 200000: it parses ~10 k lines/s)
#
# Rows: mining from no templates (templates only: one pass; CSV per line: pass 2 gives every line
# its template), then matching against the templates just saved (--templates), each on 1 and 2
# threads. Columns: wall and user seconds, lines/s, the wall time as a multiple of `wc -l`'s, and
# peak RSS (GNU time). Skips (exit 0) when the Loghub data is absent.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
system="${1:-HDFS}"
lines="${2:-2000000}"
work="${3:-/tmp}"
build="${L4_BUILD:-build}"
[[ "$build" = /* ]] || build="$repo/$build"
data="${L4_LOGHUB:-$repo/../shared/data/loghub2k}"
src="$data/$system/${system}_2k.log"
if [[ ! -f "$src" ]]; then
  echo "bench_parse: skipped: no $src (Loghub 2k data absent; set L4_LOGHUB)"
  exit 0
fi
l4="$build/l4"
gen="$build/tools/bench/parse_input_gen"
for b in "$l4" "$gen"; do
  [[ -x "$b" ]] || { echo "bench_parse: $b not built (cmake --build $build --target l4 parse_input_gen)" >&2; exit 2; }
done
[[ -x /usr/bin/time ]] || { echo "bench_parse: needs /usr/bin/time (GNU time) for peak RSS" >&2; exit 2; }
# the header format of the Loghub-2.0 benchmark (one table: tools/loghub-formats.json)
fmt="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["formats"][sys.argv[2]])' \
  "$repo/tools/loghub-formats.json" "$system" 2>/dev/null)" || { echo "bench_parse: unknown system $system" >&2; exit 2; }
input="$work/l4-bench-parse-$system-$lines.log"
tpl="$work/l4-bench-parse-$system-$lines.templates.json"
if [[ ! -f "$input" ]]; then
  echo "generating $input ($lines lines)..."
  "$gen" "$src" "$input" "$lines"
fi
bytes=$(stat -c %s "$input")
cat "$input" > /dev/null  # warm the page cache: every run reads the same cached file
echo "input: $input, $lines lines, $(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-40s %7s %7s %11s %8s %9s\n' run wall_s user_s lines/s "x wc -l" peak_RSS
wc_wall=""
measure() {  # name, line count, command...
  local name="$1" n="$2"
  shift 2
  local tf
  tf="$(mktemp)"
  /usr/bin/time -o "$tf" -f '%e %U %M' "$@" >/dev/null 2>/dev/null || { echo "bench_parse: $name failed" >&2; rm -f "$tf"; exit 2; }
  read -r wall user rss <"$tf"
  rm -f "$tf"
  [[ -n "$wc_wall" ]] || wc_wall="$wall"
  awk -v n="$name" -v w="$wall" -v u="$user" -v r="$rss" -v l="$n" -v ref="$wc_wall" 'BEGIN {
    s = (w > 0 ? w : 0.005); base = (ref > 0 ? ref : 0.005);
    printf "%-40s %7.2f %7.2f %11.0f %8.1f %6.1f MB\n", n, w, u, l / s, s / base, r / 1024 }'
  last_wall="$wall"
  last_user="$user"
}
measure "wc -l (reference)" "$lines" wc -l "$input"
for t in 1 2; do
  measure "l4 mine, templates only, --threads $t" "$lines" "$l4" -q parse --threads "$t" --log-format "$fmt" --templates-only --save-templates "$tpl" "$input"
  mine_wall[$t]="$last_wall"
  mine_user[$t]="$last_user"
  measure "l4 mine, CSV per line, --threads $t" "$lines" "$l4" -q parse --threads "$t" --log-format "$fmt" -o /dev/null "$input"
done
for t in 1 2; do
  measure "l4 match known, templates only, -t $t" "$lines" "$l4" -q parse --threads "$t" --log-format "$fmt" --templates "$tpl" --templates-only "$input"
  measure "l4 match known, CSV per line, -t $t" "$lines" "$l4" -q parse --threads "$t" --log-format "$fmt" --templates "$tpl" -o /dev/null "$input"
done
echo "templates: $(grep -c '"template"' "$tpl") (in $tpl)"

# The Loghub-2.0 benchmark's Drain (Python), on the first DRAIN_LINES lines of the same file.
if [[ -z "${DRAIN_DIR:-}" || ! -f "${DRAIN_DIR:-}/Drain.py" ]]; then
  echo "drain: skipped: set DRAIN_DIR to a directory holding the Loghub-2.0 benchmark's Drain.py (not downloaded)"
  exit 0
fi
dl="${DRAIN_LINES:-200000}"
(( dl > lines )) && dl="$lines"
dwork="$(mktemp -d)"
trap 'rm -rf "$dwork"' EXIT
head -n "$dl" "$input" > "$dwork/in.log"
cat > "$dwork/run.py" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
from Drain import LogParser
# the benchmark's default Drain settings (depth 4, similarity threshold 0.5), no extra regexes
LogParser(sys.argv[2], indir=sys.argv[3], outdir=sys.argv[4], depth=4, st=0.5, rex=[]).parse('in.log')
PY
py="${DRAIN_PYTHON:-/usr/bin/python3}"
if ! "$py" -c 'import pandas, numpy, regex' 2>/dev/null; then
  echo "drain: skipped: $py lacks pandas, numpy or regex (Debian: python3-pandas python3-numpy python3-regex)"
  exit 0
fi
measure "drain (Python, $dl lines)" "$dl" "$py" "$dwork/run.py" "$DRAIN_DIR" "$fmt" "$dwork" "$dwork/out"
awk -v d="$last_wall" -v du="$last_user" -v dl="$dl" -v m="${mine_wall[1]}" -v mu="${mine_user[1]}" -v l="$lines" 'BEGIN {
  printf "per line, l4 mining (1 thread) is %.0fx faster than Drain in wall time, %.0fx in CPU time\n",
    (d / dl) / ((m > 0 ? m : 0.005) / l), (du / dl) / ((mu > 0 ? mu : 0.005) / l) }'
