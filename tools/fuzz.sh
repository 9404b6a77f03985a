#!/usr/bin/env bash
# Fuzzing l4 with libFuzzer (clang, ASan + UBSan): builds build-fuzz/ and runs the targets of
# tests/fuzz/ one at a time (the machine's cores are shared: never two fuzzers at once).
# FUZZ_SANITIZERS=undefined builds build-fuzz-ubsan/ instead: UBSan without ASan, the second build
# OSS-Fuzz runs too — no memory checking, several times the executions a second on the slow
# targets. Both builds share the working corpora; the log records which build made each run.
#   bash tools/fuzz.sh                    # every target for FUZZ_SECONDS (default 600) — a long run
#   bash tools/fuzz.sh smoke              # every target for 30 s: what .ci/run does
#   bash tools/fuzz.sh run TARGET SECONDS # one target
#   bash tools/fuzz.sh list               # the targets
# Working corpora grow in build-fuzz/corpus/<target> (seeded from tests/fuzz/corpus/<target>);
# findings (crash-*, leak-*, timeout-*, oom-*) land in build-fuzz/findings/<target>/. Every run
# appends "date target seconds execs findings sanitizers" to build-fuzz/fuzz-log.tsv; `summary`
# adds it up per target and build.
# Exit status: 1 when any run found something, 0 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGETS=(header log_format miner templates_json extract catalogue ingest output formats_json)
SANITIZERS=${FUZZ_SANITIZERS:-address,undefined}
case "$SANITIZERS" in
  address,undefined) BUILD=build-fuzz ;;
  undefined) BUILD=build-fuzz-ubsan ;;
  *) echo "fuzz.sh: FUZZ_SANITIZERS is address,undefined or undefined, not '$SANITIZERS'" >&2; exit 2 ;;
esac
SHARED=build-fuzz  # corpora and the run log, whichever build ran

# Longest input per target: lines of a log, a format string and its lines, a templates file.
# Mining and extraction cost about 0.2 ms per line under ASan: their inputs are kept to a few
# dozen lines so that a run makes thousands of executions a second, not a hundred.
max_len() {
  case "$1" in
    ingest) echo 16384 ;;
    catalogue|templates_json|formats_json) echo 8192 ;;
    miner|extract) echo 1024 ;;
    *) echo 4096 ;;
  esac
}

build() {
  if ! command -v clang++ >/dev/null; then
    echo "fuzz.sh: clang++ not found (apt-get install clang libclang-rt-14-dev)" >&2
    exit 2
  fi
  CC=clang CXX=clang++ cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DL4_FUZZ=ON \
    -DL4_FUZZ_SANITIZERS="$SANITIZERS" -DL4_BUILD_TESTS=OFF -DL4_BUILD_BENCH=OFF -DL4_WERROR=OFF >/dev/null
  cmake --build "$BUILD" -j "$(nproc)" --target $(printf 'fuzz_%s ' "${TARGETS[@]}") >/dev/null
}

# Findings are crash-, leak-, timeout- and oom- files. libFuzzer's slow-unit- files only record the
# slowest input of a run (over 10 s, which a loaded machine reaches with inputs that take
# milliseconds alone): they are kept for a look, not counted.
count_findings() {
  find "$1" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l
}

run_one() {  # run_one TARGET SECONDS
  local target=$1 seconds=$2
  local corpus="$SHARED/corpus/$target" findings="$BUILD/findings/$target" log="$BUILD/logs/$target.log"
  mkdir -p "$corpus" "$findings" "$BUILD/logs"
  cp -n tests/fuzz/corpus/"$target"/* "$corpus"/ 2>/dev/null || true
  local before
  before=$(count_findings "$findings")
  set +e
  mkdir -p "$BUILD/tmp"  # the targets' scratch files (ingest, catalogue)
  TMPDIR="$PWD/$BUILD/tmp" ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "$BUILD/tests/fuzz/fuzz_$target" "$corpus" -max_total_time="$seconds" -max_len="$(max_len "$target")" \
    -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$findings/" >"$log" 2>&1
  local rc=$?
  set -e
  local execs found
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  found=$(( $(count_findings "$findings") - before ))
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$target" "$seconds" "${execs:-0}" "$found" "$SANITIZERS" \
    >>"$SHARED/fuzz-log.tsv"
  printf 'fuzz %-15s %5ss %12s execs  %s findings  (%s)\n' "$target" "$seconds" "${execs:-0}" "$found" "$SANITIZERS"
  if [ "$rc" -ne 0 ] || [ "$found" -ne 0 ]; then
    echo "fuzz.sh: $target found something (exit $rc); see $log and $findings/" >&2
    grep -m5 -E "ERROR|fuzz property violated|SUMMARY" "$log" >&2 || true
    return 1
  fi
}

summary() {
  [ -f "$SHARED/fuzz-log.tsv" ] || { echo "no runs yet"; return 0; }
  # Runs logged before the sanitizers column were all ASan+UBSan.
  awk -F'\t' '{k=$2 "\t" ($6 == "" ? "address,undefined" : $6); s[k]+=$3; e[k]+=$4; f[k]+=$5}
    END {for (k in s) {split(k, p, "\t"); printf "%-15s %-18s %8d s %14d execs %4d findings\n", p[1], p[2], s[k], e[k], f[k]}}' \
    "$SHARED/fuzz-log.tsv" | sort
}

mode=${1:-long}
case "$mode" in
  list) printf '%s\n' "${TARGETS[@]}" ;;
  summary) summary ;;
  smoke|long)
    seconds=$([ "$mode" = smoke ] && echo 30 || echo "${FUZZ_SECONDS:-600}")
    build
    status=0
    for t in "${TARGETS[@]}"; do run_one "$t" "$seconds" || status=1; done
    exit $status
    ;;
  run)
    build
    run_one "${2:?target}" "${3:-600}"
    ;;
  *) echo "usage: bash tools/fuzz.sh [long|smoke|run TARGET SECONDS|list|summary]" >&2; exit 2 ;;
esac
