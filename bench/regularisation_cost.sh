#!/usr/bin/env bash
# What each AWD-LSTM regulariser costs in training speed: `rnnlab train` on tiny Shakespeare (raw
# characters, 90/10 split) for a short budget with the regulariser and without it, the same 2-layer
# LSTM otherwise, and the characters per second each run reports at its end. Each group's baseline runs
# before and after its rows, and the cost is taken against the mean of the two.
#
#   bash bench/regularisation_cost.sh                    # 40 s a run, about 13 minutes in all
#   SECONDS_EACH=60 HIDDEN=384 bash bench/regularisation_cost.sh
#
# Prints the CPU, the commit and a markdown table; the logs stay in $OUT (default /tmp/rnnlab-regcost).
# The figure taken from each run is the last epoch's chars/s on its "done:" line.
set -euo pipefail
cd "$(dirname "$0")/.."
TEXT=${TEXT:-${RNNLAB_DATA:-../shared/data}/tinyshakespeare.txt}
SECONDS_EACH=${SECONDS_EACH:-40}
HIDDEN=${HIDDEN:-256}
OUT=${OUT:-/tmp/rnnlab-regcost}
mkdir -p "$OUT"
[ -f "$TEXT" ] || { echo "regularisation_cost.sh: no text at $TEXT (set TEXT=FILE)" >&2; exit 1; }

common="--normalize raw --split 0.9,0.1 --model lstm --optimizer adam --layers 2 --hidden $HIDDEN --batch 32 --steps 50
  --clip 5 --lr 0.004 --epochs 1000 --time-budget ${SECONDS_EACH}s --sample-length 0"
# group name | baseline options | row name = options ...
groups=(
  "one-hot||hidden-dropout=--hidden-dropout 0.2|output-dropout=--output-dropout 0.2|weight-drop=--weight-drop 0.2|ar=--ar 1|tar=--tar 1|average=--average from:1"
  "embed64|--embed 64|embedding-dropout=--embedding-dropout 0.1|input-dropout=--input-dropout 0.1"
  "embed$HIDDEN|--embed $HIDDEN|tie=--tie-weights|full=--tie-weights --embedding-dropout 0.05 --input-dropout 0.1 --hidden-dropout 0.2 --output-dropout 0.2 --weight-drop 0.2 --ar 1 --tar 1"
)

run() { # name, options...
  local name=$1; shift
  # shellcheck disable=SC2086
  ./rnnlab train "$TEXT" $common "$@" --checkpoint "$OUT/$name" --overwrite > "$OUT/$name.log" 2>&1 \
    || { echo "regularisation_cost.sh: run $name failed, see $OUT/$name.log" >&2; exit 1; }
  grep -o -E '^done: .*' "$OUT/$name.log" | grep -o -E '[0-9,]+ chars/s' | head -1 | tr -d ', chars/'
}

lscpu | grep 'Model name' || true
git log -1 --format='commit %h' 2>/dev/null || true
echo "| regulariser (2-layer LSTM-$HIDDEN, batch 32 x 50, ${SECONDS_EACH} s a run) | chars/s with | chars/s without | cost |"
echo "| --- | ---: | ---: | ---: |"
for g in "${groups[@]}"; do
  IFS='|' read -r -a parts <<< "$g"
  gname=${parts[0]}; gopts=${parts[1]}
  # shellcheck disable=SC2086
  before=$(run "$gname-before" $gopts)
  declare -A with=()
  for spec in "${parts[@]:2}"; do
    rname=${spec%%=*}; ropts=${spec#*=}
    # shellcheck disable=SC2086
    with[$rname]=$(run "$rname" $gopts $ropts)
  done
  # shellcheck disable=SC2086
  after=$(run "$gname-after" $gopts)
  for spec in "${parts[@]:2}"; do
    rname=${spec%%=*}; ropts=${spec#*=}
    /usr/bin/env python3 -c '
import sys
name, opts, w, b, a = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
base = (b + a) / 2
print(f"| {name} (`{opts}`) | {w:,.0f} | {base:,.0f} ({b:,.0f} before, {a:,.0f} after) | {100 * (1 - w / base):.1f}% |")
' "$rname" "$gopts${gopts:+ }$ropts" "${with[$rname]}" "$before" "$after"
  done
  unset with
done
