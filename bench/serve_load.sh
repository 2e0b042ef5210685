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
rss() { awk '/^RssAnon/ {print int($2 / 1024)}' /proc/$server/status; }
body="{\"prefix\": \"time traveller\", \"length\": $LENGTH}"
lscpu | grep -E '^Model name'
echo "server RssAnon at start: $(rss) MB"
for clients in 1 4 16; do
  start=$(date +%s.%N)
  seq "$REQUESTS" | xargs -P "$clients" -I{} curl -s -o /dev/null -w "%{http_code} %{time_total}\n" \
      "http://127.0.0.1:$PORT/v1/generate" -d "$body" > /tmp/serve-load.$clients
  end=$(date +%s.%N)
  awk -v c="$clients" -v s="$start" -v e="$end" '
    { n++; if ($1 == 200) ok++; else if ($1 == 503) busy++; else other++; t[n] = $2 }
    END {
      asort(t); printf "%2d clients: %d requests, %d ok, %d 503, %d other; %.1f requests/s; p50 %.1f ms, p99 %.1f ms\n",
        c, n, ok, busy, other, n / (e - s), 1000 * t[int(n * 0.5) + 0], 1000 * t[int(n * 0.99) + 0] }' /tmp/serve-load.$clients
done
echo "server RssAnon after $((3 * REQUESTS)) requests: $(rss) MB"
