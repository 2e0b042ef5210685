#!/usr/bin/env bash
# Data-parallel training on Spark against rnnlab train on one machine, on tiny Shakespeare (raw characters,
# 90/10 split), each run for the same budget of training time, one after another on the otherwise idle machine:
#   1. rnnlab train --shards 2 (both cores on halves of each batch);
#   2. rnnlab-spark train over 2 partitions with K = --sync-every in KS, in local[2] and on a standalone
#      cluster of two one-core workers on 127.0.0.1 (executors in their own JVMs);
#   3. the cost of one synchronisation round by parameter count: K = 1, LSTM hidden sizes in SIZES.
# All runs: the configuration of bench/tinyshakespeare.sh (2-layer LSTM-256, one-hot, batch 32 x 50 steps,
# Adam lr 0.002, clip 5); on Spark each partition runs 16 of the 32 streams.
#   BUDGET=120 bash bench/spark_train.sh        (KS="16" MODES=local SIZES="" for a quick look)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
BUDGET=${BUDGET:-120}
KS=${KS:-1 4 16 64}
MODES=${MODES:-local standalone}
SIZES=${SIZES-64 256 512 1024 2048}
TEXT=${TEXT:-../shared/data/tinyshakespeare.txt}
work=${WORK:-$here/target/bench-spark-train}
rm -rf "$work"; mkdir -p "$work"
lscpu | grep 'Model name'
git log -1 --format='commit %h'
config=(--normalize raw --split 0.9,0.1 --model lstm --layers 2 --hidden 256 --batch 32 --steps 50 --optimizer adam --lr 0.002 --clip 5 --epochs 1000 --save-every 1000)
export RNNLAB_JAVA_OPTS="-Dspark.executor.memory=3g ${EXTRA_OPTS:-}"
"$here/mvn25" -q -o install -DskipTests >/dev/null
cluster=""
stop() { [ -z "$cluster" ] || "$here/rnnlab-spark/standalone-cluster" stop "$work/cluster"; }
trap stop EXIT
master_of() {
  if [ "$1" = local ]; then echo "local[2]"; return; fi
  if [ -z "$cluster" ]; then cluster=$("$here/rnnlab-spark/standalone-cluster" start "$work/cluster" 2 4g); fi
  echo "$cluster"
}

echo "== one machine: rnnlab train --shards 2, ${BUDGET} s"
./rnnlab train "$TEXT" "${config[@]}" --shards 2 --time-budget "${BUDGET}s" --checkpoint "$work/single" --sample-length 0 > "$work/single.log"
for mode in $MODES; do
  master=$(master_of "$mode")
  for k in $KS; do
    echo "== $mode ($master), K = $k, ${BUDGET} s"
    rnnlab-spark/rnnlab-spark train "$TEXT" "${config[@]}" --master "$master" --partitions 2 --sync-every "$k" \
      --time-budget "${BUDGET}s" --checkpoint "$work/$mode-k$k" > "$work/$mode-k$k.log" 2> "$work/$mode-k$k.err"
  done
done
for mode in $MODES; do
  master=$(master_of "$mode")
  for h in $SIZES; do
    echo "== round cost, $mode, LSTM hidden $h, K = 1"
    rnnlab-spark/rnnlab-spark train "$TEXT" --normalize raw --split 0.9,0.1 --max-tokens 200000 --model lstm --hidden "$h" --batch 32 \
      --steps 35 --optimizer adam --lr 0.002 --epochs 1000 --save-every 1000 --master "$master" --partitions 2 --sync-every 1 \
      --validate-every 0 --time-budget 30s --checkpoint "$work/cost-$mode-h$h" > "$work/cost-$mode-h$h.log" 2> "$work/cost-$mode-h$h.err"
  done
done
/usr/bin/python3 "$here/bench/spark_train_report.py" "$work" "$BUDGET" "$KS" "$MODES" "$SIZES"
