#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine (idempotent):
#   bash tools/dev.sh demo      install what is missing, build, run `l4 diagnose` on a sample job
#   bash tools/dev.sh test      install what is missing, build, run the whole test suite
#   bash tools/dev.sh sanitize  the test suite again in an AddressSanitizer+UBSan build
#   bash tools/dev.sh screenshot  build, then redraw docs/report-gpu-ecc.png (the README's picture)
#   bash tools/dev.sh tsan      the test suite in a ThreadSanitizer build (the threaded scanner: its
#                               unit test, and every end-to-end run of the l4 binary on 2 threads)
#   bash tools/dev.sh fuzz      the libFuzzer smoke run (30 s per target; tools/fuzz.sh runs long)
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(g++ cmake ninja-build pkg-config libcli11-dev libspdlog-dev libfmt-dev nlohmann-json3-dev
          libre2-dev catch2 zlib1g-dev libsqlite3-dev libbenchmark-dev python3 time
          man-db zsh  # man-db, zsh: the install test reads the man page and runs the zsh completion
          clang libclang-rt-14-dev)  # clang + its runtimes: libFuzzer (tools/fuzz.sh)
# Only for the test suite: the HTML report is rendered in a real browser (tests/e2e/html_report_test.cpp;
# the test skips with a message where chromium is absent). Not needed to build or run l4.
TEST_PACKAGES=(chromium)

install_missing() {  # install_missing [extra packages...]
  local missing=()
  for p in "${PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "dev.sh: installing ${missing[*]}" >&2
  local sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

build() {  # build DIR [cmake args...]
  local dir=$1; shift
  cmake -S . -B "$dir" -G Ninja "$@" >/dev/null
  cmake --build "$dir" -j "$(nproc)"
}

mode=${1:-test}
case "$mode" in
  test|sanitize|tsan|screenshot) install_missing "${TEST_PACKAGES[@]}" ;;
  *) install_missing ;;
esac
case "$mode" in
  demo)
    build build -DCMAKE_BUILD_TYPE=Release
    # A history of the two bundled normal jobs gives diagnose its cross-job evidence.
    db=build/demo-history.db
    rm -f "$db"
    for job in data/jobs/normal-1 data/jobs/normal-2; do
      # --force: these jobs are normal by construction; l4's own verdict on them is not the question here.
      ./build/l4 -q history add --force --db "$db" "$job/logs" >/dev/null
    done
    ./build/l4 diagnose --db "$db" --format text data/jobs/gpu-ecc/logs
    ;;
  test)
    build build -DCMAKE_BUILD_TYPE=Release
    (cd build && ctest --output-on-failure -j "$(nproc)")
    ;;
  sanitize)
    build build-asan -DCMAKE_BUILD_TYPE=Debug -DL4_SANITIZE=ON -DL4_BUILD_BENCH=OFF
    (cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
       ctest --output-on-failure -j "$(nproc)")
    ;;
  screenshot)
    build build -DCMAKE_BUILD_TYPE=Release
    bash tools/report-screenshot.sh build/l4 docs/report-gpu-ecc.png
    ;;
  tsan)
    # halt_on_error: a race fails the test (in the test process, or the l4 it runs: exit 66).
    build build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DL4_TSAN=ON -DL4_BUILD_BENCH=OFF
    (cd build-tsan && TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1" \
       ctest --output-on-failure -j "$(nproc)")
    ;;
  fuzz)
    bash tools/fuzz.sh smoke
    ;;
  *) echo "usage: bash tools/dev.sh demo|test|sanitize|tsan|fuzz|screenshot" >&2; exit 2 ;;
esac
