#!/usr/bin/env bash
# Corpora larger than memory: prepare throughput and peak memory on a generated text of SIZE_MB (default
# 2048: tiny Shakespeare repeated), then training from the token file and from a 1/16 share of it for the
# same time budget, with the resident memory of each run (anonymous memory: heap and native; file pages
# of the mapped tokens are shared and evictable, so they are reported apart).
#
#   bash bench/prepare.sh                     # 2 GB of text, about 5 minutes
#   SIZE_MB=256 SECONDS_EACH=20 bash bench/prepare.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${SIZE_MB:-2048}
SECONDS_EACH=${SECONDS_EACH:-60}
SEED_TEXT=${SEED_TEXT:-../shared/data/tinyshakespeare.txt}
WORK=${WORK:-target/bench-prepare}
mkdir -p "$WORK"
./rnnlab --version >/dev/null  # build first, outside the measurements
JAVA="$(bin/find-jdk)/bin/java"
JAR=target/rnnlab.jar

make_text() {  # $1 = MB, $2 = file
  [ -f "$2" ] && [ "$(stat -c %s "$2")" -ge $(( $1 * 1000000 )) ] && return
  : > "$2"
  while [ "$(stat -c %s "$2")" -lt $(( $1 * 1000000 )) ]; do cat "$SEED_TEXT" >> "$2"; done
}

# peak RssAnon and RssFile of a command, sampled every 0.2 s from /proc
peak_rss() {
  "$@" & local pid=$! anon=0 file=0 a f
  while kill -0 $pid 2>/dev/null; do
    a=$(awk '/^RssAnon/ {print $2}' /proc/$pid/status 2>/dev/null || echo 0)
    f=$(awk '/^RssFile/ {print $2}' /proc/$pid/status 2>/dev/null || echo 0)
    [ -n "$a" ] && [ "$a" -gt "$anon" ] && anon=$a
    [ -n "$f" ] && [ "$f" -gt "$file" ] && file=$f
    sleep 0.2
  done
  wait $pid
  echo "peak RssAnon $((anon / 1024)) MB, peak RssFile $((file / 1024)) MB" >&2
}

lscpu | grep -E '^Model name' >&2
make_text "$SIZE_MB" "$WORK/big.txt"
make_text $(( SIZE_MB / 16 )) "$WORK/small.txt"
for name in big small; do
  echo "== prepare $name ($(( $(stat -c %s "$WORK/$name.txt") / 1000000 )) MB)" >&2
  peak_rss "$JAVA" -jar "$JAR" prepare "$WORK/$name.txt" --out "$WORK/$name.tokens" --normalize raw --overwrite
done
for name in big small; do
  echo "== train from $name.tokens for ${SECONDS_EACH}s" >&2
  peak_rss "$JAVA" -jar "$JAR" train "$WORK/$name.tokens" --model lstm --hidden 256 --batch 32 --steps 50 \
      --optimizer adam --lr 0.002 --clip 5 --epochs 1 --time-budget "${SECONDS_EACH}s" \
      --checkpoint "$WORK/run-$name" --overwrite --sample-length 0 | grep -E "^(corpus|done)"
done
