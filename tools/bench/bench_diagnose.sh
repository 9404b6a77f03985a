#!/usr/bin/env bash
# Whole-process diagnosis speed on a 128-node x 8-rank simulated job of >= 1 GB (per-node logs,
# an ECC fault): times `l4 diagnose` (both cores) and `cat` of the same files in the same run,
# best of RUNS with a warm page cache, and reports peak RSS.
#   bash tools/bench/bench_diagnose.sh [build/l4] [ITERATIONS]
set -euo pipefail
L4=${1:-build/l4}
ITERATIONS=${2:-60000}
RUNS=${RUNS:-3}
WORK=${BENCH_DIR:-${TMPDIR:-/tmp}/l4-bench-diagnose}
JOB=$WORK/job-$ITERATIONS
if [ ! -f "$JOB/truth.json" ]; then
  rm -rf "$JOB"
  echo "generating a 128-node job ($ITERATIONS iterations) in $JOB ..." >&2
  "$L4" -q simulate --out "$JOB" --nodes 128 --ranks-per-node 8 --iterations "$ITERATIONS" \
    --fault hardware/gpu/ecc --style megatron --layout per-node --seed 1 >/dev/null
fi
BYTES=$(du -sb "$JOB/logs" | cut -f1)
LINES=$(cat "$JOB"/logs/* | wc -l)
cat "$JOB"/logs/* > /dev/null

best() {  # best wall time of RUNS runs of "$@"
  local b=999999 s e
  for _ in $(seq "$RUNS"); do
    s=$(date +%s.%N); "$@" > /dev/null 2>&1 || true; e=$(date +%s.%N)
    b=$(awk -v s="$s" -v e="$e" -v b="$b" 'BEGIN { t = e - s; print (t < b ? t : b) }')
  done
  echo "$b"
}
cat_all() { cat "$JOB"/logs/*; }
T_L4=$(best "$L4" -q diagnose --no-history "$JOB/logs")
T_CAT=$(best cat_all)
RSS=$( { /usr/bin/time -f %M "$L4" -q diagnose --no-history "$JOB/logs" > /dev/null; } 2>&1 | tail -1 )
awk -v b="$BYTES" -v n="$LINES" -v t="$T_L4" -v c="$T_CAT" -v rss="$RSS" 'BEGIN {
  printf "job: 128 nodes x 8 ranks, %.0f MB, %d lines\n", b/1048576, n;
  printf "l4 diagnose: %.2f s  %.2f M lines/s  %.0f MB/s  peak RSS %.0f MB\n", t, n/t/1e6, b/t/1048576, rss/1024;
  printf "cat:         %.2f s  %.0f MB/s\n", c, b/c/1048576;
  printf "ratio l4/cat: %.1fx the time of cat\n", t/c }'
