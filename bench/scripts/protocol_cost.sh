#!/usr/bin/env bash
# The hub's CPU per delivery over HTTP/1.1 and HTTP/2, cleartext and TLS (docs/BENCHMARKS.md, "SSE over HTTP/2").
# Starts one hub per transport, pinned to core 0, and runs ProtocolCost pinned to core 1 against it;
# prints one JSON line per run. Needs ../target/quicksilver.jar, bench/target/quicksilver-bench.jar, openssl.
#   bench/scripts/protocol_cost.sh [runs] [subscribers] [publishes] [rate]
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-3}
SUBS=${2:-1000}
PUBLISHES=${3:-300}
RATE=${4:-5}
KEY='protocol-cost-publisher-key-0123456789abcdef'
PORT=${PORT:-18443}
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$DIR/tls.key" -out "$DIR/tls.crt" \
  -days 2 -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 2>/dev/null

hub() { # tls(yes|no) -> starts the hub, sets HUB_PID
  local tls=$1
  local extra=()
  if [ "$tls" = yes ]; then extra=(QS_TLS_CERT="$DIR/tls.crt" QS_TLS_KEY="$DIR/tls.key"); else extra=(QS_H2C=true); fi
  (cd "$DIR" && env -i PATH="$PATH" MERCURE_PUBLISHER_JWT_KEY="$KEY" MERCURE_SUBSCRIBER_JWT_KEY="$KEY" QS_ANONYMOUS=true \
    QS_HTTP_PORT="$PORT" QS_LOG_LEVEL=WARN QS_HEARTBEAT=40s QS_WRITE_TIMEOUT=0 "${extra[@]}" \
    taskset -c 0 java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:+UseG1GC -jar "$OLDPWD/target/quicksilver.jar" >"$DIR/hub.log" 2>&1) &
  HUB_PID=$!
  for _ in $(seq 1 300); do
    if curl -sk -o /dev/null "http$([ "$tls" = yes ] && echo s)://127.0.0.1:$PORT/healthz"; then break; fi
    sleep 0.2
  done
  HUB_PID=$(pgrep -P "$HUB_PID" java || echo "$HUB_PID")
}

measure() { # scheme protocol connections streams label
  taskset -c 1 java -cp bench/target/quicksilver-bench.jar io.quicksilver.bench.ProtocolCost --hub "$1://127.0.0.1:$PORT" \
    --protocol "$2" --connections "$3" --streams "$4" --publishes "$PUBLISHES" --rate "$RATE" --hub-pid "$HUB_PID" \
    --publisher-key "$KEY" --label "$5"
}

for tls in ${TLS_MODES:-no yes}; do
  hub $tls
  scheme=$([ $tls = yes ] && echo https || echo http)
  measure $scheme h1 "$SUBS" 1 warmup >/dev/null
  for _ in $(seq 1 "$RUNS"); do
    measure $scheme h1 "$SUBS" 1 "http/1.1 $scheme"
    measure $scheme h2 "$SUBS" 1 "h2 $scheme, 1 stream per connection"
    measure $scheme h2 $((SUBS / 10)) 10 "h2 $scheme, 10 streams per connection"
    measure $scheme h2 $((SUBS / 100)) 100 "h2 $scheme, 100 streams per connection"
  done
  kill "$HUB_PID"; wait 2>/dev/null || true
done
