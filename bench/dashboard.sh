#!/usr/bin/env bash
# The dashboard on a long run: trains a small RNN on tiny Shakespeare with batches of 4 x 10 (about 27,000
# batches an epoch, so steps.jsonl holds its most, 500 lines an epoch) for EPOCHS epochs (default 40),
# serves the run, and times in headless Chromium how long the page takes to hold every line and to redraw.
# Usage: bash bench/dashboard.sh   (needs chromium and chromium-driver)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
epochs="${EPOCHS:-40}"
text="${TEXT:-$here/../shared/data/tinyshakespeare.txt}"
work="$(mktemp -d)"
serving=""
trap '[ -n "$serving" ] && kill "$serving" 2>/dev/null; rm -rf "$work"' EXIT
JAVA_HOME=$("$here/bin/find-jdk")
cp=$(cd "$here" && JAVA_HOME="$JAVA_HOME" ./mvn25 -q -o -pl rnnlab-core dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=/dev/stdout)
lscpu | grep 'Model name'
"$here/rnnlab" train "$text" --normalize raw --split 0.9,0.1 --hidden 32 --batch 4 --steps 10 \
  --epochs "$epochs" --sample-length 20 --checkpoint "$work/run" > "$work/train.log" 2>&1
lines=$(grep -c . "$work/run/steps.jsonl")
echo "$lines lines in steps.jsonl, $(grep -c . "$work/run/metrics.jsonl") in metrics.jsonl, $(du -k "$work/run/steps.jsonl" | cut -f1) KB"
"$here/rnnlab" dashboard "$work/run" --port 0 > "$work/dashboard.log" 2>&1 &
serving=$!
until grep -q 'http://' "$work/dashboard.log"; do sleep 0.2; done
url=$(grep -o 'http://[^ ]*' "$work/dashboard.log" | head -1)
"$JAVA_HOME/bin/java" -cp "$cp" "$here/bench/DashboardRedraw.java" "$url" "$lines" 2>/dev/null
