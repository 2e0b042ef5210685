#!/usr/bin/env bash
# What the AWD-LSTM regularisers cost in training speed: tiny Shakespeare (raw characters), 2-layer LSTM-256
# with a 64-d embedding, batch 32 x 50 steps, Adam, --shards 2, SECONDS_EACH of training per run, runs
# alternating without and with every regulariser on (ROUNDS of each), characters per second from metrics.jsonl.
#   ROUNDS=2 SECONDS_EACH=40 bash bench/regularisation_cost.sh
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
ROUNDS=${ROUNDS:-2}; SECONDS_EACH=${SECONDS_EACH:-40}
TEXT=${TEXT:-../shared/data/tinyshakespeare.txt}
work="$here/target/bench-regularisation"; rm -rf "$work"; mkdir -p "$work"
lscpu | grep 'Model name'
git log -1 --format='commit %h'
base=(--normalize raw --split 0.9,0.1 --model lstm --layers 2 --hidden 256 --embed 64 --batch 32 --steps 50 --optimizer adam --lr 0.002
  --clip 5 --shards 2 --epochs 1000 --save-every 1000 --sample-length 0 --time-budget "${SECONDS_EACH}s")
awd=(--embedding-dropout 0.1 --input-dropout 0.2 --hidden-dropout 0.2 --output-dropout 0.3 --weight-drop 0.5 --ar 2 --tar 1)
for r in $(seq 1 "$ROUNDS"); do
  ./rnnlab train "$TEXT" "${base[@]}" --checkpoint "$work/plain-$r" > "$work/plain-$r.log"
  ./rnnlab train "$TEXT" "${base[@]}" "${awd[@]}" --checkpoint "$work/awd-$r" > "$work/awd-$r.log"
done
/usr/bin/python3 - "$work" "$ROUNDS" <<'PY'
import json, sys
work, rounds = sys.argv[1], int(sys.argv[2])
def rate(run):
    m = [json.loads(l) for l in open(f"{work}/{run}/metrics.jsonl")]
    return sum(e["tokens"] for e in m) / sum(e["seconds"] for e in m)
for r in range(1, rounds + 1):
    p, a = rate(f"plain-{r}"), rate(f"awd-{r}")
    print(f"round {r}: without {p:,.0f} chars/s, with every regulariser {a:,.0f} chars/s ({(a / p - 1) * 100:+.1f}%)")
PY
