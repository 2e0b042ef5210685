#!/usr/bin/env bash
# rnnlab against the PyTorch peer (../shared/bench/peer_torch.py) on identical configurations: the same
# text (D2L-normalised The Time Machine, vocab 28), shapes, SGD, clipping and number of cores, alternating
# the two tools for ROUNDS rounds; prints median tokens/s (or chars/s) of each and the ratio rnnlab/PyTorch.
# THREADS cores each: PyTorch gets --threads THREADS; rnnlab gets --threads THREADS and chooses how to use
# them as train does (--shards auto: each layer's hidden units split between the threads, or the batch
# split into shards for narrow models; docs/BENCHMARKS.md). With BASE_JAR=path/to/an/older/rnnlab.jar the
# same rounds also run that build at BASE_ARGS (default: one thread per shard, THREADS shards, its best
# setting before the units were split), for a before/after in one run.
#
#   bash bench/compare.sh                          # all configurations, 3 rounds
#   ROUNDS=1 SECONDS_EACH=5 CONFIGS="lstm-512" bash bench/compare.sh
#   PEER_ALT="--threads 1 --blas-threads 1" bash bench/compare.sh   # also PyTorch on one core, its best here
#   BASE_JAR=/tmp/rnnlab-1e50485.jar bash bench/compare.sh           # also an older build, same rounds
#
# Needs Debian's PyTorch on Debian's OpenBLAS: apt-get install -y python3-torch python3-numpy libopenblas0-pthread
# (without the last, PyTorch finds no libopenblas.so.0 and runs several times slower). Only ratios from one run
# on one machine mean anything; JSON lines go to $OUT (default /tmp/rnnlab-compare.jsonl).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
SECONDS_EACH=${SECONDS_EACH:-10}
THREADS=${THREADS:-2}
PEER_THREADS=${PEER_THREADS:-"--threads $THREADS"}
# a second PyTorch setting measured in the same rounds, e.g. "--threads 1 --blas-threads 1" (its best here)
PEER_ALT=${PEER_ALT:-}
BASE_JAR=${BASE_JAR:-}
OUT=${OUT:-/tmp/rnnlab-compare.jsonl}
TEXT=${TEXT:-../shared/data/timemachine.txt}
PEER=${PEER:-../shared/bench/peer_torch.py}
[ -f "$TEXT" ] || { echo "compare.sh: no text at $TEXT (set TEXT=...)" >&2; exit 1; }
[ -f "$PEER" ] || { echo "compare.sh: no PyTorch peer at $PEER (set PEER=...)" >&2; exit 1; }
/usr/bin/python3 -c "import torch" 2>/dev/null || { echo "compare.sh: PyTorch missing: apt-get install -y python3-torch python3-numpy libopenblas0-pthread" >&2; exit 1; }
[ -e /usr/lib/x86_64-linux-gnu/libopenblas.so.0 ] || echo "compare.sh: warning: no libopenblas.so.0; PyTorch will be slow (apt-get install -y libopenblas0-pthread)" >&2
./rnnlab --version >/dev/null  # builds target/rnnlab.jar when missing or older than the sources
JAVA="$(bin/find-jdk)/bin/java"

declare -A ARGS=(
  [rnn-256]="--cell rnn --hidden 256" [gru-256]="--cell gru --hidden 256" [lstm-256]="--cell lstm --hidden 256"
  [rnn-512]="--cell rnn --hidden 512" [gru-512]="--cell gru --hidden 512" [lstm-512]="--cell lstm --hidden 512"
  [lstm-512x2]="--cell lstm --hidden 512 --layers 2" [gen-lstm-512]="--cell lstm --hidden 512 --generate 20000"
  [word-lstm-256]="--cell lstm --hidden 256 --embed 256")
CONFIGS=${CONFIGS:-"rnn-256 gru-256 lstm-256 rnn-512 gru-512 lstm-512 lstm-512x2 word-lstm-256 gen-lstm-512"}
: > "$OUT"
# one JSON line per run, tagged with the configuration and round (and extra fields, e.g. "alt":true,)
record() { tail -n 1 | sed "s/^{/{\"label\":\"$1\",\"round\":$2,${3:-}/" >> "$OUT"; }
for round in $(seq 1 "$ROUNDS"); do
  for c in $CONFIGS; do
    a=${ARGS[$c]}
    shards=$([[ $c == gen-* ]] && echo 1 || echo "$THREADS")  # generation runs batch 1: nothing to shard
    base_args=${BASE_ARGS:-"--threads 1 --shards $shards"}
    # word-level: the same text as 4,580 words; the peer reads characters only, so bench/peer_torch_words.py
    # runs its model and loop on words
    tokens=char peer=("$PEER")
    [[ $c == word-* ]] && tokens=word peer=(bench/peer_torch_words.py)
    "$JAVA" --enable-native-access=ALL-UNNAMED -jar target/rnnlab.jar bench --text "$TEXT" --tokens $tokens $a --threads "$THREADS" \
        --seconds "$SECONDS_EACH" --json 2>/dev/null | record "$c" "$round"
    if [ -n "$BASE_JAR" ]; then
      "$JAVA" --enable-native-access=ALL-UNNAMED -jar "$BASE_JAR" bench --text "$TEXT" --tokens $tokens $a $base_args \
          --seconds "$SECONDS_EACH" --json 2>/dev/null | record "$c" "$round" '"base":true,'
    fi
    for setting in "$PEER_THREADS" ${PEER_ALT:+"$PEER_ALT"}; do
      tag=$([[ $setting == "$PEER_THREADS" ]] || echo '"alt":true,')
      PEER_DIR=$(dirname "$PEER") /usr/bin/python3 "${peer[@]}" --text "$TEXT" $a $setting --seconds "$SECONDS_EACH" \
          --json 2>/dev/null | record "$c" "$round" "$tag"
    done
  done
done
/usr/bin/python3 - "$OUT" "$PEER_THREADS" "$PEER_ALT" "$BASE_JAR" <<'PY'
import collections, json, statistics, sys
runs = collections.defaultdict(lambda: collections.defaultdict(list))
for line in open(sys.argv[1]):
    d = json.loads(line)
    side = ("base" if d.get("base") else "rnnlab") if d.get("peer") == "rnnlab" else "alt" if d.get("alt") else "pytorch"
    runs[d["label"]][side].append(d.get("tokens_per_s", d.get("chars_per_s")))
alt, base = bool(sys.argv[3]), bool(sys.argv[4])
print(f"medians of tokens/s (chars/s for gen-); PyTorch {sys.argv[2]}" + (f"; PyTorch' {sys.argv[3]}" if alt else "")
      + (f"; base {sys.argv[4]}" if base else ""))
head = f"{'config':>14} {'rnnlab':>10} {'pytorch':>10} {'ratio':>6}"
print(head + (f" {'pytorch_':>10} {'ratio_':>6}" if alt else "") + (f" {'base':>10} {'/base':>6}" if base else "") + "  rounds")
for label, sides in runs.items():
    r, p = statistics.median(sides["rnnlab"]), statistics.median(sides["pytorch"])
    row = f"{label:>14} {r:>10,.0f} {p:>10,.0f} {r / p:>6.2f}"
    if alt:
        q = statistics.median(sides["alt"])
        row += f" {q:>10,.0f} {r / q:>6.2f}"
    if base:
        b = statistics.median(sides["base"])
        row += f" {b:>10,.0f} {r / b:>6.2f}"
    print(row + f"  {len(sides['rnnlab'])}")
PY
