#!/usr/bin/env bash
# The README's dashboard screenshot: trains D2L's LSTM on The Time Machine with --dashboard and
# --diagnostics, and photographs the live page after EPOCHS epochs (default 150) in headless Chromium.
# Usage: bash tools/dashboard-screenshot.sh [OUT.png]   (needs chromium and chromium-driver)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$here/docs/img/dashboard.png}"
epochs="${EPOCHS:-150}"
work="$(mktemp -d)"
trap 'kill "$train" 2>/dev/null || true; rm -rf "$work"' EXIT
JAVA_HOME=$("$here/bin/find-jdk")
cp=$(cd "$here" && JAVA_HOME="$JAVA_HOME" ./mvn25 -q -o -pl rnnlab-core dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=/dev/stdout)
"$here/rnnlab" train --model lstm --hidden 256 --epochs 1000 --split 0.9,0.1 --diagnostics --probe-steps 35 \
  --checkpoint "$work/timemachine-lstm-h256" --dashboard=0 --dashboard-exit > "$work/train.log" 2>&1 &
train=$!
until grep -q 'dashboard: http' "$work/train.log"; do sleep 0.5; done
url=$(grep -o 'http://[^ ]*' "$work/train.log" | head -1)
until [ "$(wc -l < "$work/timemachine-lstm-h256/metrics.jsonl" 2>/dev/null || echo 0)" -ge "$epochs" ]; do sleep 0.5; done
"$JAVA_HOME/bin/java" -cp "$cp" "$here/tools/DashboardScreenshot.java" "$url" "$out" 1400 1600
echo "wrote $out ($(grep -c . "$work/timemachine-lstm-h256/metrics.jsonl") epochs in, $url)"
