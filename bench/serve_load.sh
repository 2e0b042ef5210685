#!/usr/bin/env bash
# Load on `rnnlab serve`, on loopback only and bounded: REQUESTS generate requests (LENGTH tokens, greedy) at
# 1, 4 and 16 concurrent clients (curl, one process per request), then the latency percentiles from curl's
# own timing and the server's anonymous memory before and after TOTAL requests.
#
#   CHECKPOINT=runs/timemachine-rnn-h512 bash bench/serve_load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
CHECKPOINT=${CHECKPOINT:?give CHECKPOINT=DIR, a checkpoint written by rnnlab train}
REQUESTS=${REQUESTS:-400}
LENGTH=${LENGTH:-50}
PORT=${PORT:-18123}
./rnnlab --version >/dev/null
"$(bin/find-jdk)/bin/java" -jar target/rnnlab.jar serve --checkpoint "$CHECKPOINT" --port "$PORT" --queue 16 >/dev/null &
server=$!
trap 'kill $server 2>/dev/null' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/v1/health" >/dev/null && break; sleep 0.1; done
kill -0 $server 2>/dev/null || { echo "serve_load.sh: the server did not start" >&2; exit 1; }
rss() { awk '/^RssAnon/ {print int($2 / 1024)}' /proc/$server/status; }
body="{\"prefix\": \"time traveller\", \"length\": $LENGTH}"
lscpu | grep -E '^Model name'
echo "server RssAnon at start: $(rss) MB"
for clients in 1 4 16; do
  start=$(date +%s.%N)
  seq "$REQUESTS" | xargs -P "$clients" -I{} curl -s -o /dev/null -w "%{http_code} %{time_total}\n" \
      "http://127.0.0.1:$PORT/v1/generate" -d "$body" > /tmp/serve-load.$clients
  end=$(date +%s.%N)
  f=/tmp/serve-load.$clients
  n=$(wc -l < "$f"); ok=$(grep -c '^200 ' "$f" || true); busy=$(grep -c '^503 ' "$f" || true)
  p50=$(awk '{print $2}' "$f" | sort -n | awk -v k=$(( (n + 1) / 2 )) 'NR == k {printf "%.1f", 1000 * $1}')
  p99=$(awk '{print $2}' "$f" | sort -n | awk -v k=$(( (n * 99 + 99) / 100 )) 'NR == k {printf "%.1f", 1000 * $1}')
  rate=$(awk -v n="$n" -v s="$start" -v e="$end" 'BEGIN {printf "%.1f", n / (e - s)}')
  echo "$clients clients: $n requests, $ok ok, $busy 503; $rate requests/s; p50 $p50 ms, p99 $p99 ms"
done
echo "server RssAnon after $((3 * REQUESTS)) requests: $(rss) MB"
