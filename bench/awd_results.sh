#!/usr/bin/env bash
# The learning-quality comparison of docs/RESULTS.md: tiny Shakespeare, raw characters, 90/10 split, each
# configuration trained by rnnlab and by the PyTorch peer with the same recipe (bench/peer_torch_awd.py)
# for the same budget of training time, one run after the other on the otherwise idle machine. Prints a
# Markdown table of validation losses and writes the curves (validation loss against training time) to
# $OUT/curves.png.
#
#   BUDGET=600 bash bench/awd_results.sh                       # every row, 10 minutes each side
#   BUDGET=120 ROWS="baseline defaults" bash bench/awd_results.sh
#   PEER=0 ROWS=hidden-dropout bash bench/awd_results.sh       # rnnlab only
#   TRAIN=0 ROWS="baseline schedule" bash bench/awd_results.sh  # only the table and curves, from the rows' runs in $OUT
#   YMAX=1.8 TRAIN=0 bash bench/awd_results.sh                 # the same, the chart's loss axis cut at 1.8
#   ONLY=peer ROWS=ar bash bench/awd_results.sh                # the peer only, beside an earlier rnnlab run of the row
#
# Every row but the defaults is a 2-layer LSTM-256, batch 32 x 50, Adam, clip 5, on 2 cores: rnnlab as a user
# runs it (it chooses how to split the work between the cores itself), PyTorch with one thread (its fastest
# setting here, docs/BENCHMARKS.md).
set -euo pipefail
cd "$(dirname "$0")/.."
BUDGET=${BUDGET:-600}
TEXT=${TEXT:-../shared/data/tinyshakespeare.txt}
OUT=${OUT:-runs/awd-$BUDGET}
PEER=${PEER:-1}
TRAIN=${TRAIN:-1}
ONLY=${ONLY:-both}
ROWS=${ROWS:-"baseline schedule embedding-dropout input-dropout hidden-dropout output-dropout weight-drop ar tar tie average full defaults"}
[ -f "$TEXT" ] || { echo "awd_results.sh: no text at $TEXT (set TEXT=...)" >&2; exit 1; }
case "$ONLY" in both) ;; peer) PEER=1 ;; *) echo "awd_results.sh: ONLY must be both or peer, got '$ONLY'" >&2; exit 2 ;; esac
mkdir -p "$OUT"

# NAME -> the options both sides take (the peer's have the same names); "defaults" gives rnnlab none and
# the peer the settings rnnlab's recipe prints for this text and budget
base="--hidden 256 --layers 2 --batch 32 --steps 50 --clip 5"
sched="--lr 0.004 --schedule cosine"
declare -A row=(
  [baseline]="$base --lr 0.002"
  [schedule]="$base $sched"
  [embedding-dropout]="$base $sched --embed 64 --embedding-dropout 0.1"
  [input-dropout]="$base $sched --embed 64 --input-dropout 0.1"
  [hidden-dropout]="$base $sched --hidden-dropout 0.2"
  [output-dropout]="$base $sched --output-dropout 0.2"
  [weight-drop]="$base $sched --weight-drop 0.2"
  [ar]="$base $sched --ar 1"
  [tar]="$base $sched --tar 1"
  [tie]="$base $sched --embed 256 --tie-weights"
  [average]="$base --lr 0.002 --average last:0.3"
  [full]="$base $sched --embed 256 --tie-weights --embedding-dropout 0.05 --input-dropout 0.1 --hidden-dropout 0.2 --output-dropout 0.2 --weight-drop 0.2 --ar 1 --tar 1"
)

for name in $ROWS; do
  [ "$TRAIN" = 1 ] || { [ -f "$OUT/$name/metrics.jsonl" ] || { echo "awd_results.sh: no run of '$name' in $OUT" >&2; exit 1; }; continue; }
  if [ "$ONLY" = peer ] && [ ! -f "$OUT/$name/metrics.jsonl" ]; then
    echo "awd_results.sh: ONLY=peer needs rnnlab's run of '$name' in $OUT first" >&2; exit 1
  fi
  if [ "$name" = defaults ]; then
    [ "$ONLY" = peer ] || ./rnnlab train "$TEXT" --normalize raw --split 0.9,0.1 --time-budget "${BUDGET}s" \
        --checkpoint "$OUT/$name" --overwrite --sample-length 200 --prefix "ROMEO:" > "$OUT/$name.log"
    # the peer gets the recipe's choices as rnnlab printed them
    peer_args=$(/usr/bin/python3 - "$OUT/$name/config.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))["info"]["training"]
m, o, d = t["model"], t["optimization"], t["data"]
r = m.get("regularization") or {}
args = [f"--hidden {m['hidden']}", f"--layers {m['layers']}", f"--batch {d['batch']}", f"--steps {d['steps']}",
        f"--clip {o['clip']}", f"--lr {o['lr']}", f"--schedule {o['schedule'].split(':')[0]}"]
for key, opt in [("hiddenDropout", "--hidden-dropout"), ("outputDropout", "--output-dropout"), ("weightDrop", "--weight-drop")]:
    if r.get(key, 0) > 0: args.append(f"{opt} {r[key]}")
if m["cell"] == "LSTM_LN":
    args.append("--cell layernorm")  # torch.nn has no layer-normalised LSTM: the peer's own, a Python time loop
print(" ".join(args))
PY
)
  else
    [ -n "${row[$name]+x}" ] || { echo "awd_results.sh: unknown row '$name' (rows: ${!row[*]} defaults)" >&2; exit 1; }
    [ "$ONLY" = peer ] || ./rnnlab train "$TEXT" --normalize raw --split 0.9,0.1 --model lstm --optimizer adam ${row[$name]} --epochs 1000 \
        --time-budget "${BUDGET}s" --checkpoint "$OUT/$name" --overwrite --sample-length 200 \
        --prefix "ROMEO:" > "$OUT/$name.log"
    peer_args="${row[$name]}"
  fi
  if [ "$PEER" = 1 ]; then
    # --average last:F is the peer's --average-last F
    /usr/bin/python3 bench/peer_torch_awd.py --text "$TEXT" --valid 0.1 ${peer_args/--average last:/--average-last } \
        --seconds "$BUDGET" --valid-every 45 --threads 1 --blas-threads 1 > "$OUT/$name.peer.log"
    tail -n 1 "$OUT/$name.peer.log" > "$OUT/$name.peer.json"
  fi
  echo "$name done" >&2
done

/usr/bin/python3 - "$OUT" "$BUDGET" $ROWS <<'PY'
import json, math, os, sys
out, budget, rows = sys.argv[1], sys.argv[2], sys.argv[3:]
print(f"budget {budget} s of training each; validation loss in nats/char on the held-out 10%")
print("| configuration | rnnlab | chars/s | PyTorch | chars/s |")
print("|---|---|---|---|---|")
for name in rows:
    epochs = [json.loads(l) for l in open(f"{out}/{name}/metrics.jsonl")]
    chars, secs = sum(e["tokens"] for e in epochs), sum(e["seconds"] for e in epochs)
    line = f"| {name} | {epochs[-1]['validation_loss']:.4f} | {chars / secs:,.0f} |"
    peer = f"{out}/{name}.peer.json"
    if os.path.exists(peer):
        p = json.load(open(peer))
        line += f" {p['valid_nats']:.4f} | {p['tokens_per_s']:,.0f} |"
    else:
        line += " | |"
    print(line)
PY
J=$(bin/find-jdk)
curves=()
for name in $ROWS; do
  curves+=("rnnlab $name=$OUT/$name/metrics.jsonl")
  [ -f "$OUT/$name.peer.json" ] && curves+=("PyTorch $name=$OUT/$name.peer.json")
done
"$J/bin/java" -cp target/rnnlab.jar bench/ValidationCurves.java "$OUT/curves.png" ${YMAX:+--ymax "$YMAX"} "${curves[@]}"
echo "curves: $OUT/curves.png"
