#!/usr/bin/env bash
# Corpus statistics on one machine and on Spark in local mode, on generated word corpora of SIZES megabytes
# (default "100 1024"): ./rnnlab stats on the files joined into one (its fastest form) against
# rnnlab-spark stats on the directory with local[1] and local[2]; word tokens, n = 1,2,3, top 10.
# Usage: bash bench/spark_stats.sh    (SIZES="100" for a quick run; ORDERS=1,2 and MASTERS="local[2]" to cut it down)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$here/target/bench-spark"
mkdir -p "$work"
lscpu | grep 'Model name'
for mb in ${SIZES:-100 1024}; do
  dir="$work/words-$mb"
  [ -d "$dir" ] || /usr/bin/python3 "$here/bench/make_words.py" "$dir" "$mb" >/dev/null
  [ -f "$work/words-$mb.txt" ] || cat "$dir"/part-*.txt > "$work/words-$mb.txt"
  echo "== $mb MB ($(ls "$dir" | wc -l) files)"
  /usr/bin/time -f "single machine: %e s, max RSS %M KB" "$here/rnnlab" stats "$work/words-$mb.txt" --n "${ORDERS:-1,2,3}" --top 10 \
    > "$work/one-$mb.out" 2> "$work/one-$mb.err" || { cat "$work/one-$mb.err"; exit 1; }
  tail -1 "$work/one-$mb.err"
  for m in ${MASTERS:-local[1] local[2]}; do
    /usr/bin/time -f "spark $m: %e s, max RSS %M KB" "$here/rnnlab-spark/rnnlab-spark" stats "$dir" --n "${ORDERS:-1,2,3}" --top 10 --master "$m" \
      > "$work/spark-$mb.out" 2> "$work/spark-$mb.err" || { cat "$work/spark-$mb.err"; exit 1; }
    tail -1 "$work/spark-$mb.err"
    # the tables and fits (all but the first line, which names the input) must be the same
    if diff <(tail -n +2 "$work/one-$mb.out") <(tail -n +2 "$work/spark-$mb.out") > /dev/null; then echo "  same report"; else echo "  REPORTS DIFFER"; fi
  done
done
