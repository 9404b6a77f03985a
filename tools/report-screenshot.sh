#!/usr/bin/env bash
# Draws the README's picture of the HTML report: the sample job data/jobs/gpu-ecc diagnosed with a
# history of the two sample normal jobs (as `tools/dev.sh demo` does), rendered by headless chromium.
#   bash tools/report-screenshot.sh [L4_BINARY] [OUT_PNG]     (defaults: build/l4 docs/report-gpu-ecc.png)
set -euo pipefail
cd "$(dirname "$0")/.."
l4=${1:-build/l4}
out=${2:-docs/report-gpu-ecc.png}
chromium=${L4_CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
[ -n "$chromium" ] || { echo "report-screenshot: no chromium (apt-get install chromium)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for job in data/jobs/normal-1 data/jobs/normal-2; do
  "$l4" -q history add --force --db "$work/history.db" "$job/logs" >/dev/null
done
"$l4" diagnose --db "$work/history.db" --format html -o "$work/report.html" data/jobs/gpu-ecc/logs
# Headless chromium as root: no sandbox, no GPU, nothing fetched, a fresh profile.
"$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$work/profile" --hide-scrollbars \
  --window-size=1280,1500 --screenshot="$out" "file://$work/report.html" 2>/dev/null
echo "report-screenshot: wrote $out"
