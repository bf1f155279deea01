#!/usr/bin/env bash
# Throughput of the mock server for one small JSON chat fixture, measured with wrk.
# Runs two configurations, each on a fresh server: the default journal (1000 entries, what users run)
# and --journal-size 0. Each: warm-up, then a measured run; every answer must be a 200.
# Writes bench/results/mock-throughput.md and regenerates bench/RESULTS.md.
#
# Knobs (environment): WARMUP (10s) DURATION (20s) THREADS (2) CONNECTIONS (64)
#   BENCH_JAVA_OPTS  extra JVM flags for the server, e.g. "-XX:+UseParallelGC"
#   BENCH_CHECK=0    leave out wrk's per-response status check (wrk's own non-2xx count remains)
#   BENCH_CONFIGS    which runs, default "default journal0"
#   BENCH_REBUILD=1  rebuild the jar even if it exists
#   BENCH_NO_RESULTS=1  print only, do not touch bench/results or RESULTS.md (for experiments)
set -euo pipefail
source "$(dirname "$0")/common.sh"

WARMUP=${WARMUP:-10s}
DURATION=${DURATION:-20s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS:-}
BENCH_CONFIGS=${BENCH_CONFIGS:-default journal0}

if ! command -v wrk >/dev/null 2>&1; then
  echo "Installing wrk ..." >&2
  apt-get update && apt-get install -y wrk
fi
ensure_jar
wait_for_quiet

tmp=$(mktemp -d)
server_pid=""
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
trap 'stop_server; rm -rf "$tmp"' EXIT

# A small fixture: the shape of fixtures/chat/basic-reasoning.json with a short answer (~700 bytes).
mkdir -p "$tmp/fixtures"
cp -r "$ROOT/bench/fixture/chat" "$tmp/fixtures/"
cp "$ROOT/bench/fixture/request.json" "$tmp/request.json"

ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# start_server LOG ARGS... : starts the server, sets server_pid and port.
start_server() {
  local log=$1; shift
  # shellcheck disable=SC2086
  "$JAVA_HOME/bin/java" $BENCH_JAVA_OPTS -jar "$JAR" --host 127.0.0.1 --port 0 --fixtures "$tmp/fixtures" --pace instant "$@" >"$log" 2>&1 &
  server_pid=$!
  port=""
  for _ in $(seq 1 1500); do
    port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$log" | head -1)
    [ -n "$port" ] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$log" >&2; echo "server exited" >&2; exit 1; }
    sleep 0.01
  done
  [ -n "$port" ] || { cat "$log" >&2; echo "server did not start in 15 s" >&2; exit 1; }
}

run_wrk() { # run_wrk DURATION OUTFILE
  local t0 t1
  TIMEFORMAT='%U %S'
  { time BENCH_BODY="$tmp/request.json" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$1" --latency -s "$ROOT/bench/post-chat.lua" \
      "http://127.0.0.1:$port/v1/chat/completions" >"$2" ; } 2>"$2.time"
}

field() { sed -n "s/.*[ ]$1=\([^ ]*\).*/\1/p" "$2" | head -1; }

rows=()
failed=0
for config in $BENCH_CONFIGS; do
  case $config in
    default)  args=();                    label="default journal (--journal-size 1000)" ;;
    journal0) args=(--journal-size 0);    label="--journal-size 0" ;;
    *) echo "unknown config $config" >&2; exit 2 ;;
  esac
  log="$OUT/throughput-$config.server.log"
  start_server "$log" "${args[@]}"
  echo "== $label: server pid $server_pid on port $port ($(grep -o 'in [0-9]* ms' "$log"))" >&2

  # The answer must be the fixture's, not an error.
  status=$(curl -s -o "$tmp/answer.json" -w '%{http_code}' -H 'content-type: application/json' \
    --data-binary @"$tmp/request.json" "http://127.0.0.1:$port/v1/chat/completions")
  if [ "$status" != 200 ] || ! grep -q 'chatcmpl-bench-0000' "$tmp/answer.json"; then
    echo "sanity check failed: HTTP $status: $(head -c 300 "$tmp/answer.json")" >&2; exit 1
  fi
  echo "   answer: HTTP 200, $(wc -c <"$tmp/answer.json") bytes" >&2

  run_wrk "$WARMUP" "$OUT/throughput-$config.warmup.txt"
  echo "   warm-up: $(field rps "$OUT/throughput-$config.warmup.txt") req/s" >&2

  before=$(cpu_ticks "$server_pid"); read -r mbefore _ <<<"$(machine_jiffies)"
  run_wrk "$DURATION" "$OUT/throughput-$config.txt"
  after=$(cpu_ticks "$server_pid"); read -r mafter _ <<<"$(machine_jiffies)"
  stop_server

  f="$OUT/throughput-$config.txt"
  cat "$f" >&2
  secs=$(awk -v us="$(field duration_us "$f")" 'BEGIN {printf "%.3f", us / 1e6}')
  server_cores=$(awk -v d="$((after - before))" -v t="$ticks" -v s="$secs" 'BEGIN {printf "%.2f", d / t / s}')
  wrk_cores=$(awk -v s="$secs" '{printf "%.2f", ($1 + $2) / s}' "$f.time")
  machine_cores=$(awk -v d="$((mafter - mbefore))" -v t="$ticks" -v s="$secs" 'BEGIN {printf "%.2f", d / t / s}')
  other_cores=$(awk -v m="$machine_cores" -v a="$server_cores" -v b="$wrk_cores" 'BEGIN {o = m - a - b; printf "%.2f", o < 0 ? 0 : o}')
  rps=$(field rps "$f")
  non200=$(field non200 "$f"); checked=$(field checked "$f")
  status_errors=$(field status_errors "$f"); socket_errors=$(field socket_errors "$f")
  if [ "${BENCH_CHECK:-1}" = 0 ]; then check="not checked per response; wrk non-2xx: $status_errors"; else check="$non200 of $checked"; fi
  verdict="meets"
  if [ "$rps" -lt 20000 ]; then verdict="**misses**"; failed=1; fi
  if [ "${non200:-0}" != 0 ] || [ "$status_errors" != 0 ] || [ "$socket_errors" != 0 ]; then
    verdict="**invalid** (errors)"; failed=1
  fi
  rows+=("| $label | **$rps** | $(field p50_ms "$f") | $(field p99_ms "$f") | $(field max_ms "$f") | $check | $socket_errors | $server_cores | $wrk_cores | $other_cores | $verdict |")
done

cmd="bench/mock-throughput.sh"
[ -n "$BENCH_JAVA_OPTS" ] && cmd="BENCH_JAVA_OPTS=\"$BENCH_JAVA_OPTS\" $cmd"
[ "${BENCH_CHECK:-1}" = 0 ] && cmd="BENCH_CHECK=0 $cmd"
check_jar_unchanged
fragment=$(
  echo "## Throughput: one small JSON chat fixture"
  echo
  machine_info
  echo "- Server: \`java ${BENCH_JAVA_OPTS:+$BENCH_JAVA_OPTS }-jar $JAR --host 127.0.0.1 --port 0 --fixtures <tmp> --pace instant\` with one fixture"
  echo "  (request $(wc -c <"$tmp/request.json") bytes, answer $(wc -c <"$tmp/answer.json") bytes of JSON), a fresh server per row."
  echo "- Load: \`wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency -s bench/post-chat.lua\` (POST /v1/chat/completions) after a $WARMUP warm-up"
  echo "  on the same server. wrk and the server share the machine's $(nproc) cores, so wrk's own CPU is taken from the server."
  echo "  \"Other work\" is CPU the rest of the machine used during the measured run (busy time in /proc/stat minus server and wrk;"
  echo "  includes kernel time for loopback TCP not charged to either process)."
  echo
  echo "| Configuration | Requests/s | p50 ms | p99 ms | max ms | non-200 answers | socket errors | server CPU (cores) | wrk CPU (cores) | other work (cores) | goal ≥ 20,000 req/s |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "Reproduce (from the repository root): \`$cmd\` (about $(( (${WARMUP%s} + ${DURATION%s}) * $(wc -w <<<"$BENCH_CONFIGS") + 5 )) s)."
  echo "Raw wrk output and server logs: \`bench/out/\`."
)
echo >&2
echo "$fragment"
if [ "${BENCH_NO_RESULTS:-0}" != 1 ]; then
  echo "$fragment" > "$ROOT/bench/results/mock-throughput.md"
  "$ROOT/bench/write-results.sh"
fi
exit $failed
