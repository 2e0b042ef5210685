#!/usr/bin/env bash
# Tiny Shakespeare, raw characters, 90/10 split: a 2-layer LSTM trained by rnnlab and by the PyTorch peer
# (../shared/bench/peer_torch.py) on the same configuration for the same wall-clock budget of training,
# one after the other on the otherwise idle machine; prints each side's validation loss (nats and bits per
# character) on the held-out last 10% and the characters it trained on.
#
#   BUDGET=600 bash bench/tinyshakespeare.sh
#   BUDGET=60 HIDDEN=128 bash bench/tinyshakespeare.sh          # a quick look
#
# rnnlab uses its cores as train chooses (this 2-layer LSTM-256 at batch 32: each layer's hidden units split
# between the threads, which trains it as fast as two shards did); PyTorch gets PEER_THREADS
# (default "--threads 1 --blas-threads 1", its fastest setting here: docs/BENCHMARKS.md). Both: one-hot
# input, batch 32 x 50 steps, sequential partitioning with the state carried, Adam lr 0.002, clip 5.
set -euo pipefail
cd "$(dirname "$0")/.."
BUDGET=${BUDGET:-600}
HIDDEN=${HIDDEN:-256}
TEXT=${TEXT:-../shared/data/tinyshakespeare.txt}
PEER=${PEER:-../shared/bench/peer_torch.py}
PEER_THREADS=${PEER_THREADS:-"--threads 1 --blas-threads 1"}
OUT=${OUT:-runs/tinyshakespeare-lstm2-h$HIDDEN}
[ -f "$TEXT" ] || { echo "tinyshakespeare.sh: no text at $TEXT (set TEXT=...)" >&2; exit 1; }
mkdir -p "$(dirname "$OUT")"  # tee writes $OUT.log beside the run: runs/ is not in a fresh clone
config=(--layers 2 --hidden "$HIDDEN" --batch 32 --steps 50 --optimizer adam --lr 0.002 --clip 5)

./rnnlab train "$TEXT" --normalize raw --split 0.9,0.1 --model lstm "${config[@]}" --epochs 1000 \
    --time-budget "${BUDGET}s" --checkpoint "$OUT" --prefix "ROMEO:" --sample-length 200 \
    | tee "$OUT.log"
/usr/bin/python3 "$PEER" --text "$TEXT" --raw --valid 0.1 --cell lstm "${config[@]}" $PEER_THREADS \
    --seconds "$BUDGET" --json | tail -n 1 > "$OUT.peer.json"

/usr/bin/python3 - "$OUT/metrics.jsonl" "$OUT.peer.json" "$BUDGET" <<'PY'
import json, math, sys
epochs = [json.loads(l) for l in open(sys.argv[1])]
mine = epochs[-1]
chars = sum(e["tokens"] for e in epochs)
secs = sum(e["seconds"] for e in epochs)
peer = json.load(open(sys.argv[2]))
print(f"budget {sys.argv[3]} s of training each")
print(f"{'':>8} {'val nats':>9} {'val BPC':>8} {'chars trained':>14} {'chars/s':>9}")
print(f"{'rnnlab':>8} {mine['validation_loss']:>9.4f} {mine['validation_loss'] / math.log(2):>8.4f} {chars:>14,} {chars / secs:>9,.0f}")
print(f"{'pytorch':>8} {peer['valid_nats']:>9.4f} {peer['valid_bpc']:>8.4f} {peer['tokens_trained']:>14,} {peer['tokens_per_s']:>9,.0f}")
PY
