#!/usr/bin/env bash
# Whole-process ingestion throughput: generates a plain log of SIZE_MB (default 1100) made of
# training-stack lines, then times `l4 ingest` and `wc -l` on the same file in the same run
# (best of RUNS, warm page cache). Prints lines/s, MB/s and the ratio to wc -l.
#   bash tools/bench/bench_ingest.sh [build/l4] [SIZE_MB]
set -euo pipefail
L4=${1:-build/l4}
SIZE_MB=${2:-1100}
RUNS=${RUNS:-3}
WORK=${BENCH_DIR:-${TMPDIR:-/tmp}/l4-bench-ingest}
mkdir -p "$WORK"
FILE=$WORK/node-01.log
if [ ! -f "$FILE" ] || [ "$(( $(stat -c %s "$FILE") / 1048576 ))" -lt "$SIZE_MB" ]; then
  echo "generating ${SIZE_MB} MB log in $FILE ..." >&2
  python3 - "$FILE" "$SIZE_MB" <<'PY'
import random, sys
path, size_mb = sys.argv[1], int(sys.argv[2])
rnd = random.Random(42)
templates = [
  "[2023-06-02 00:{m:02d}:{s:02d},{ms:03d}] [INFO] [logging.py:96:log_dist] [Rank {r}] step={i}, skipped=0, lr=[0.0001], mom=[(0.9, 0.95)]",
  " iteration {i}/ 500000 | consumed samples: {c} | elapsed time per iteration (ms): {t}.{ms} | learning rate: 1.5E-04 | lm loss: 2.{ms}E+00 | grad norm: 0.{ms} |",
  "node-{n:02d}:{p}:{p} [{g}] NCCL INFO Channel {ch:02d}/0 : {r}[{g}] -> {r2}[{g}] via P2P/IPC/read",
  "[W{m:02d}{s:02d} 02:07:08.{ms}271257 ProcessGroupNCCL.cpp:607] [Rank {r}] Watchdog heartbeat ok, SeqNum={i}",
]
chunk = []
written = 0
target = size_mb * 1048576
with open(path, "w") as f:
    i = 0
    while written < target:
        t = templates[i % 4]
        line = t.format(m=i % 60, s=(i // 60) % 60, ms=rnd.randrange(1000), r=i % 64, i=i, c=i * 512,
                        t=rnd.randrange(900, 1100), n=i % 16, p=1000 + i % 7, g=i % 8, ch=i % 32,
                        r2=(i + 1) % 64) + "\n"
        chunk.append(line)
        written += len(line)
        i += 1
        if len(chunk) >= 100000:
            f.write("".join(chunk)); chunk = []
    f.write("".join(chunk))
PY
fi
BYTES=$(stat -c %s "$FILE")
LINES=$(wc -l < "$FILE")
cat "$FILE" > /dev/null  # warm the page cache

best() {  # best wall time in seconds of RUNS runs of "$@"
  local b=999999 t s e
  for _ in $(seq "$RUNS"); do
    s=$(date +%s.%N); "$@" > /dev/null; e=$(date +%s.%N)
    b=$(awk -v s="$s" -v e="$e" -v b="$b" 'BEGIN { t = e - s; print (t < b ? t : b) }')
  done
  echo "$b"
}
T_L4=$(best "$L4" -q ingest "$FILE")
T_WC=$(best wc -l "$FILE")
awk -v b="$BYTES" -v n="$LINES" -v t="$T_L4" -v w="$T_WC" 'BEGIN {
  printf "file: %.0f MB, %d lines\n", b/1048576, n;
  printf "l4 ingest: %.3f s  %.2f M lines/s  %.0f MB/s\n", t, n/t/1e6, b/t/1048576;
  printf "wc -l:     %.3f s  %.2f M lines/s  %.0f MB/s\n", w, n/w/1e6, b/w/1048576;
  printf "ratio l4/wc: %.2fx the time of wc -l\n", t/w }'
