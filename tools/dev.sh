#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine (idempotent):
#   bash tools/dev.sh demo      install what is missing, build, run `l4 diagnose` on a sample job
#   bash tools/dev.sh test      install what is missing, build, run the whole test suite
#   bash tools/dev.sh sanitize  the test suite again in an AddressSanitizer+UBSan build
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(g++ cmake ninja-build pkg-config libcli11-dev libspdlog-dev libfmt-dev nlohmann-json3-dev
          libre2-dev catch2 zlib1g-dev libsqlite3-dev libbenchmark-dev python3 time)

install_missing() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
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
install_missing
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
  *) echo "usage: bash tools/dev.sh demo|test|sanitize" >&2; exit 2 ;;
esac
