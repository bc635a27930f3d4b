#!/usr/bin/env bash
# Quicksilver and nchan (nginx + libnginx-mod-nchan) side by side, cold and warm, in one run
# (docs/BENCHMARKS.md, "Quicksilver and nchan side by side").
#
# For each row (a scenario of the harness at a given size) and each target: start a fresh hub pinned to
# --hub-cpus, run the row once (cold: the first run on the fresh process), --warmups more times unrecorded,
# once more (warm), stop the hub. Loopback only; every process started here is stopped at the end (trap).
# Writes into --out: README.md (the table, the machine, the commands), runs.jsonl (the cold and warm JSON
# lines), warmup.jsonl (the unrecorded runs), logs/ (each run's human summary, each hub's log).
#
#   bench/scripts/compare.sh                     # every row at full size (about 25-30 min on 2 cores)
#   bench/scripts/compare.sh --smoke             # every row at 200 subscribers, 3 s each (about 10 min)
#   bench/scripts/compare.sh --rows broadcast-1k,publish-16 --duration 5
#   bench/scripts/compare.sh --dry-run           # print the plan only
#
# Needs target/quicksilver.jar (mvn -B -q package -DskipTests), bench/target/quicksilver-bench.jar
# (cd bench && mvn -B -q package -DskipTests), nginx with the nchan module (apt-get install -y nginx
# libnginx-mod-nchan), taskset, curl.
set -euo pipefail

ALL_ROWS=broadcast-10k,broadcast-1k,publish-16,topics-5k,ramp-10k,idle-19k,storm-19k
ROWS=$ALL_ROWS
TARGETS=quicksilver,nchan
MAX_SUBS=0
DURATION=
DRAIN=10
WARMUPS=1
HUB_CPUS=0
GEN_CPUS=1
QS_PORT=auto
NCHAN_PORT=auto
OUT=
RUN_TIMEOUT=900
SMOKE=false
DRY_RUN=false
BENCH_HUB_JVM_OPTS=${BENCH_HUB_JVM_OPTS:--Xms1g -Xmx1g -XX:+AlwaysPreTouch -XX:+UseG1GC}
BENCH_HUB_ENV=${BENCH_HUB_ENV:-}
KEY='compare-bench-publisher-key-0123456789abcdef'
ARGS="$*"

usage() {
  cat <<USAGE
usage: bench/scripts/compare.sh [option]...
  --rows LIST          rows to run, comma-separated [$ALL_ROWS]
  --targets LIST       quicksilver,nchan or one of them [$TARGETS]
  --smoke              a short run: --max-subscribers 200 --duration 3 --drain 5 --run-timeout 180
  --max-subscribers N  cap every row's subscribers (and topics) at N [no cap]
  --duration S         seconds of publishing / holding in every row [per row: 20, storm 30, ramp hold 2]
  --drain S            seconds to wait for missing deliveries after the last publish [$DRAIN]
  --warmups N          unrecorded runs between the cold and the warm run, same process [$WARMUPS]
  --hub-cpus LIST      taskset CPU list for the hub (nginx gets one worker per CPU) [$HUB_CPUS]
  --gen-cpus LIST      taskset CPU list for the load generator [$GEN_CPUS]
  --qs-port P / --nchan-port P   loopback ports [auto: a free port per hub]
  --out DIR            output directory [docs/bench-results/<date>-compare, -compare-smoke with --smoke]
  --run-timeout S      stop a run (and count it missing) after S seconds [$RUN_TIMEOUT]
  --dry-run            print the plan and exit
Environment: BENCH_HUB_JVM_OPTS (the hub's JVM options) [$BENCH_HUB_JVM_OPTS]
             BENCH_HUB_ENV (more of the hub's variables, e.g. QS_WARM_UP=0) [$BENCH_HUB_ENV]
             BENCH_HUB_JAR (the hub to run) [target/quicksilver.jar]
USAGE
}

while [ $# -gt 0 ]; do
  case "$1" in
    --rows) ROWS=$2; shift 2 ;;
    --targets) TARGETS=$2; shift 2 ;;
    --smoke) SMOKE=true; shift ;;
    --max-subscribers) MAX_SUBS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --drain) DRAIN=$2; shift 2 ;;
    --warmups) WARMUPS=$2; shift 2 ;;
    --hub-cpus) HUB_CPUS=$2; shift 2 ;;
    --gen-cpus) GEN_CPUS=$2; shift 2 ;;
    --qs-port) QS_PORT=$2; shift 2 ;;
    --nchan-port) NCHAN_PORT=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --run-timeout) RUN_TIMEOUT=$2; shift 2 ;;
    --dry-run) DRY_RUN=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
if $SMOKE; then
  [ "$MAX_SUBS" -gt 0 ] || MAX_SUBS=200
  DURATION=${DURATION:-3}
  DRAIN=5
  RUN_TIMEOUT=180
fi

cd "$(dirname "$0")/../.."
ROOT=$PWD
HUB_JAR=${BENCH_HUB_JAR:-$ROOT/target/quicksilver.jar}
BENCH_JAR=$ROOT/bench/target/quicksilver-bench.jar
NCHAN_CONF=$ROOT/bench/nchan/nginx.conf.in
NCHAN_MODULE=/usr/lib/nginx/modules/ngx_nchan_module.so

die() { echo "compare: $*" >&2; exit 1; }
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

# the subscribers (or topics) of a row, capped at --max-subscribers
n() { if [ "$MAX_SUBS" -gt 0 ] && [ "$1" -gt "$MAX_SUBS" ]; then echo "$MAX_SUBS"; else echo "$1"; fi; }
# a row's duration unless --duration
d() { echo "${DURATION:-$1}"; }

# The harness arguments of a row (the same for both targets, except the JVM heap reading).
row_args() {
  case "$1" in
    broadcast-10k) echo "--scenario broadcast --subscribers $(n 10000) --rate 5 --duration $(d 20) --drain $DRAIN --source-addresses 127.0.0.2-127.0.0.5" ;;
    broadcast-1k) echo "--scenario broadcast --subscribers $(n 1000) --rate 50 --duration $(d 20) --drain $DRAIN" ;;
    publish-16) echo "--scenario publish --publishers 16 --duration $(d 20)" ;;
    topics-5k) echo "--scenario broadcast --subscribers $(n 5000) --topics $(n 5000) --rate 200 --duration $(d 20) --drain $DRAIN" ;;
    ramp-10k) echo "--scenario idle --subscribers $(n 10000) --ramp-rate 2000 --duration 2 --source-addresses 127.0.0.2-127.0.0.5" ;;
    idle-19k) echo "--scenario idle --subscribers $(n 19000) --ramp-rate 2000 --duration $(d 20) --procs 2 --source-addresses 127.0.0.2-127.0.0.9" ;;
    storm-19k) echo "--scenario reconnect --subscribers $(n 19000) --topics $(n 100) --behind 10 --rate 20 --duration $(d 30) --ramp-rate 0 --max-connecting 512 --procs 2 --source-addresses 127.0.0.2-127.0.0.9 --catchup-timeout 60 --drain $DRAIN" ;;
    *) die "unknown row $1 (rows: $ALL_ROWS)" ;;
  esac
}

IFS=, read -r -a ROW_LIST <<<"$ROWS"
IFS=, read -r -a TARGET_LIST <<<"$TARGETS"
for r in "${ROW_LIST[@]}"; do row_args "$r" >/dev/null; done
for t in "${TARGET_LIST[@]}"; do case "$t" in quicksilver|nchan) ;; *) die "unknown target $t" ;; esac; done
[[ "$WARMUPS" =~ ^[0-9]+$ ]] && [ "$WARMUPS" -le 5 ] || die "--warmups: 0 to 5"

if [ -z "$OUT" ]; then
  OUT=$ROOT/docs/bench-results/$(date -u +%F)-compare$($SMOKE && echo -smoke || true)
  [ -e "$OUT" ] && OUT=$OUT-$(date -u +%H%M%S)
fi

if $DRY_RUN; then
  echo "output: $OUT"
  echo "hub on CPUs $HUB_CPUS, load generator on CPUs $GEN_CPUS; per row and target: a fresh hub, 1 cold run, $WARMUPS unrecorded, 1 warm run"
  for r in "${ROW_LIST[@]}"; do echo "$r: $(row_args "$r")"; done
  exit 0
fi

[ -f "$HUB_JAR" ] || die "no $HUB_JAR: mvn -B -q package -DskipTests"
[ -f "$BENCH_JAR" ] || die "no $BENCH_JAR: (cd bench && mvn -B -q package -DskipTests)"
for c in taskset curl java ss; do command -v "$c" >/dev/null || die "$c not found"; done
if [[ ",$TARGETS," == *,nchan,* ]]; then
  command -v nginx >/dev/null && [ -f "$NCHAN_MODULE" ] || die "nginx with nchan not installed: apt-get install -y nginx libnginx-mod-nchan"
fi
HUB_NCPU=$(taskset -c "$HUB_CPUS" nproc)
GEN_NCPU=$(taskset -c "$GEN_CPUS" nproc)
ulimit -n "$(ulimit -Hn)"
NOFILE=$(ulimit -n)

listening() { [ -n "$(ss -Hltn "sport = :$1")" ]; }
# a port nothing listens on (auto: tried at random in 20000-32767, below the ephemeral range)
pick_port() {
  local p
  if [ "$1" != auto ]; then
    listening "$1" && die "port $1 is in use"
    echo "$1"; return
  fi
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 12768))
    listening "$p" || { echo "$p"; return; }
  done
  die "no free port found"
}

mkdir -p "$OUT/logs"
WORK=$(mktemp -d /tmp/qs-compare.XXXXXX)
chmod 755 "$WORK" # nginx workers run as nobody
HUB_PID=
HUB_PORT=
BENCH_PID=

stop_hub() {
  [ -n "$HUB_PID" ] || return 0
  kill -TERM "$HUB_PID" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$HUB_PID" 2>/dev/null || break; sleep 0.2; done
  kill -KILL "$HUB_PID" 2>/dev/null || true
  wait "$HUB_PID" 2>/dev/null || true
  HUB_PID=
}
cleanup() {
  if [ -n "$BENCH_PID" ]; then kill -TERM "$BENCH_PID" 2>/dev/null || true; wait "$BENCH_PID" 2>/dev/null || true; fi
  stop_hub
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Whether the hub we started is alive and is the process listening on its port (not someone else's server).
hub_ok() { kill -0 "$HUB_PID" 2>/dev/null && ss -Hltnp "sport = :$HUB_PORT" | grep -q "pid=$HUB_PID,"; }

wait_ready() { # url what
  for _ in $(seq 1 300); do
    kill -0 "$HUB_PID" 2>/dev/null || { log "  $2 exited at start (see logs/)"; return 1; }
    if curl -sf -o /dev/null "$1"; then
      hub_ok && return 0
      log "  $2: another process answers on port $HUB_PORT"; return 1
    fi
    sleep 0.3
  done
  log "  $2 not ready after 90 s"; return 1
}

start_hub() { # target row
  local dir=$WORK/$1-$2
  mkdir -p "$dir/tmp"
  case "$1" in
    quicksilver)
      HUB_PORT=$(pick_port "$QS_PORT") || return 1
      # shellcheck disable=SC2086
      (cd "$dir" && exec env -i PATH="$PATH" HOME="$dir" MERCURE_PUBLISHER_JWT_KEY="$KEY" MERCURE_SUBSCRIBER_JWT_KEY="$KEY" \
        QS_ANONYMOUS=true QS_DEMO=false QS_LOG_LEVEL=WARN QS_HEARTBEAT=40s QS_WRITE_TIMEOUT=0 QS_DRAIN_WINDOW=1s \
        QS_HTTP_PORT="$HUB_PORT" $BENCH_HUB_ENV taskset -c "$HUB_CPUS" java $BENCH_HUB_JVM_OPTS -jar "$HUB_JAR") >"$OUT/logs/$2-quicksilver-hub.log" 2>&1 &
      HUB_PID=$!
      HUB_URL=http://127.0.0.1:$HUB_PORT/.well-known/mercure
      wait_ready "http://127.0.0.1:$HUB_PORT/healthz" "Quicksilver"
      ;;
    nchan)
      HUB_PORT=$(pick_port "$NCHAN_PORT") || return 1
      sed -e "s/@PORT@/$HUB_PORT/g" -e "s/@WORKERS@/$HUB_NCPU/g" -e "s/@NOFILE@/$NOFILE/g" "$NCHAN_CONF" >"$dir/nginx.conf"
      taskset -c "$HUB_CPUS" nginx -p "$dir/" -c "$dir/nginx.conf" -e "$dir/error.log" -g 'daemon off;' \
        >"$OUT/logs/$2-nchan-hub.log" 2>&1 &
      HUB_PID=$!
      HUB_URL=http://127.0.0.1:$HUB_PORT
      wait_ready "http://127.0.0.1:$HUB_PORT/nchan_status" "nginx"
      ;;
  esac
}

run_bench() { # row target phase file
  local extra=()
  if ! hub_ok; then
    log "  $1/$2/$3 not run: the hub is gone or no longer owns port $HUB_PORT (see logs/$1-$2-hub.log)"
    return 1
  fi
  [ "$2" = quicksilver ] && [[ "$(row_args "$1")" == *"--scenario idle"* ]] && extra+=(--hub-heap)
  # shellcheck disable=SC2046
  timeout -k 15 "$RUN_TIMEOUT" taskset -c "$GEN_CPUS" java -jar "$BENCH_JAR" $(row_args "$1") "${extra[@]}" \
    --protocol "$([ "$2" = nchan ] && echo nchan || echo mercure)" --hub "$HUB_URL" --publisher-key "$KEY" \
    --hub-pid "$HUB_PID" --gen-cores "$GEN_NCPU" --label "$1/$2/$3" --out "$4" \
    >/dev/null 2>"$OUT/logs/$1-$2-$3.txt" &
  BENCH_PID=$!
  if ! wait "$BENCH_PID"; then
    log "  $1/$2/$3 failed or timed out (see logs/$1-$2-$3.txt)"
  fi
  BENCH_PID=
  grep -E '^  (verdict|hub CPU|deliveries|closed loop|reconnect storm|hub PSS)' "$OUT/logs/$1-$2-$3.txt" | sed 's/^/    /' >&2 || true
}

START=$(date -u +%s)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
log "output: $OUT"
for row in "${ROW_LIST[@]}"; do
  for target in "${TARGET_LIST[@]}"; do
    log "$row / $target: fresh hub"
    if start_hub "$target" "$row"; then
      log "  cold (port $HUB_PORT)"
      run_bench "$row" "$target" cold "$OUT/runs.jsonl" || true
      for i in $(seq 1 "$WARMUPS"); do
        log "  warm-up $i (unrecorded)"
        run_bench "$row" "$target" "warmup$i" "$OUT/warmup.jsonl" || true
      done
      log "  warm"
      run_bench "$row" "$target" warm "$OUT/runs.jsonl" || true
    fi
    stop_hub
  done
done
END=$(date -u +%s)

{
  echo "# Quicksilver and nchan side by side — $(date -u +%F)$($SMOKE && echo ' (smoke run: short, small; not a measurement)' || true)"
  echo
  echo "Made by \`bench/scripts/compare.sh${ARGS:+ $ARGS}\` ($(date -u -d "@$START" +%H:%M)–$(date -u -d "@$END" +%H:%M) UTC, $(( (END - START) / 60 )) min)."
  echo "Hub commit \`$(git rev-parse --short HEAD 2>/dev/null || echo '?')\`$(git diff --quiet HEAD 2>/dev/null || echo ' (work tree changed)');"
  echo "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -g | awk '/^Mem:/{print $2}') GiB;"
  echo "$(java -version 2>&1 | head -1); nginx $(nginx -v 2>&1 | sed 's/.*nginx\///'), nchan $(dpkg-query -W -f '${Version}' libnginx-mod-nchan 2>/dev/null || echo '?')."
  echo "Load average before: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "- Hubs on CPUs \`$HUB_CPUS\` (\`taskset\`), load generator on CPUs \`$GEN_CPUS\` (\`--gen-cores $GEN_NCPU\`)."
  echo "- Quicksilver: \`java $BENCH_HUB_JVM_OPTS -jar target/quicksilver.jar\`, \`QS_ANONYMOUS=true QS_DEMO=false QS_LOG_LEVEL=WARN QS_HEARTBEAT=40s QS_WRITE_TIMEOUT=0\`."
  echo "- nchan: [\`bench/nchan/nginx.conf.in\`](../../../bench/nchan/nginx.conf.in) with \`worker_processes $HUB_NCPU\`; its CPU and memory are those of the master and all workers."
  echo "- Per row and target: a fresh hub; **cold** = the first run on it; then $WARMUPS unrecorded run(s) ([\`warmup.jsonl\`](warmup.jsonl)); **warm** = the next run on the same process."
  echo
  echo "| row | harness arguments (\`--protocol mercure\` or \`nchan\`; Quicksilver's idle rows add \`--hub-heap\`) |"
  echo "|---|---|"
  for r in "${ROW_LIST[@]}"; do echo "| $r | \`$(row_args "$r")\` |"; done
  echo
  java -cp "$BENCH_JAR" io.quicksilver.bench.CompareReport "$OUT/runs.jsonl"
  echo
  echo "JSON lines: [\`runs.jsonl\`](runs.jsonl); each run's summary: [\`logs/\`](logs/)."
} >"$OUT/README.md"
log "done in $(( (END - START) / 60 )) min: $OUT/README.md"
