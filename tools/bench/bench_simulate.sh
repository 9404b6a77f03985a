#!/usr/bin/env bash
# Whole-process generation throughput of `l4 simulate`: writes one NODES x RANKS job (default
# 128 x 8, ITERS iterations, about 2 GB of logs) and, in the same run, times `cat` copying those
# same bytes (read + write) as a reference for what the disk allows. Best of RUNS (default 2).
#   bash tools/bench/bench_simulate.sh [build/l4] [ITERS]
# Set BENCH_DIR to a tmpfs (e.g. /dev/shm/l4-bench) to measure the generator rather than the disk.
set -euo pipefail
L4=${1:-build/l4}
ITERS=${2:-90000}
NODES=${NODES:-128}
RANKS=${RANKS:-8}
RUNS=${RUNS:-2}
WORK=${BENCH_DIR:-${TMPDIR:-/tmp}/l4-bench-simulate}
mkdir -p "$WORK"
trap 'rm -rf "$WORK/job" "$WORK/cat.out"' EXIT

best() {  # best wall time in seconds of RUNS runs of "$@"
  local b=999999 s e
  for _ in $(seq "$RUNS"); do
    s=$(date +%s.%N); "$@" > /dev/null; e=$(date +%s.%N)
    b=$(awk -v s="$s" -v e="$e" -v b="$b" 'BEGIN { t = e - s; print (t < b ? t : b) }')
  done
  echo "$b"
}
T_SIM=$(best "$L4" simulate --out "$WORK/job" --nodes "$NODES" --ranks-per-node "$RANKS" \
  --iterations "$ITERS" --fault hardware/gpu/ecc --seed 1)
BYTES=$(du -sb "$WORK/job/logs" | cut -f1)
LINES=$(cat "$WORK"/job/logs/*.log | wc -l)
cat_copy() { cat "$WORK"/job/logs/*.log > "$WORK/cat.out"; }
T_CAT=$(best cat_copy)
awk -v b="$BYTES" -v n="$LINES" -v t="$T_SIM" -v c="$T_CAT" -v nodes="$NODES" -v ranks="$RANKS" 'BEGIN {
  printf "job: %d nodes x %d ranks, %.0f MB, %d lines\n", nodes, ranks, b/1048576, n;
  printf "l4 simulate: %.3f s  %.0f MB/s  %.2f M lines/s\n", t, b/t/1048576, n/t/1e6;
  printf "cat (copy):  %.3f s  %.0f MB/s\n", c, b/c/1048576;
  printf "ratio simulate/cat: %.2fx the time of cat\n", t/c }'
