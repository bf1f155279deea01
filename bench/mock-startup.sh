#!/usr/bin/env bash
# Start time of the mock server with the default fixtures: from launching `java -jar` to the first
# successful GET /health (polled with curl every 10 ms). RUNS runs (default 5); reports the median,
# min and max, and the server's own "in N ms" (the time MockServer.start takes inside the JVM).
# Writes bench/results/mock-startup.md and regenerates bench/RESULTS.md.
#
# Knobs (environment): RUNS (5), BENCH_JAVA_OPTS (extra JVM flags), BENCH_REBUILD=1,
#   BENCH_NO_RESULTS=1 (print only, for experiments)
set -euo pipefail
source "$(dirname "$0")/common.sh"

RUNS=${RUNS:-5}
BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS:-}
ensure_jar
command -v curl >/dev/null 2>&1 || { apt-get update && apt-get install -y curl; }
wait_for_quiet

server_pid=""
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
trap stop_server EXIT

now_us() { local t=${EPOCHREALTIME/./}; echo "$t"; }   # bash 5: microseconds since the epoch

ready_ms=(); own_ms=(); fixtures=""
for run in $(seq 1 "$RUNS"); do
  port=$(free_port)
  log="$OUT/startup-$run.server.log"
  t0=$(now_us)
  # shellcheck disable=SC2086
  "$JAVA_HOME/bin/java" $BENCH_JAVA_OPTS -jar "$JAR" --host 127.0.0.1 --port "$port" --fixtures fixtures >"$log" 2>&1 &
  server_pid=$!
  ready=""
  while [ $(( $(now_us) - t0 )) -lt 20000000 ]; do
    if curl -sf -o /dev/null --max-time 1 "http://127.0.0.1:$port/health"; then ready=$(now_us); break; fi
    kill -0 "$server_pid" 2>/dev/null || { cat "$log" >&2; echo "server exited" >&2; exit 1; }
    sleep 0.01
  done
  [ -n "$ready" ] || { cat "$log" >&2; echo "no healthy answer within 20 s" >&2; exit 1; }
  ms=$(( (ready - t0) / 1000 ))
  # The "listening ... in N ms" line can land a moment after /health answers.
  for _ in $(seq 1 100); do grep -q 'listening on' "$log" && break; sleep 0.01; done
  own=$(sed -n 's/.*listening on .* in \([0-9][0-9]*\) ms.*/\1/p' "$log" | head -1)
  fixtures=$(sed -n 's/.*(\([0-9][0-9]*\) fixtures from.*/\1/p' "$log" | head -1)
  stop_server
  echo "run $run: healthy after $ms ms (server says: in ${own:-?} ms)" >&2
  ready_ms+=("$ms"); own_ms+=("${own:-0}")
done

stats() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {m = NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2; printf "%s %s %s", m, a[1], a[NR]}'; }
read -r r_med r_min r_max <<<"$(stats "${ready_ms[@]}")"
read -r o_med o_min o_max <<<"$(stats "${own_ms[@]}")"
verdict="meets"; failed=0
if [ "${r_med%.*}" -ge 1000 ]; then verdict="**misses**"; failed=1; fi

cmd="bench/mock-startup.sh"
[ -n "$BENCH_JAVA_OPTS" ] && cmd="BENCH_JAVA_OPTS=\"$BENCH_JAVA_OPTS\" $cmd"
check_jar_unchanged
fragment=$(
  echo "## Start time: default fixtures"
  echo
  machine_info
  echo "- Server: \`java ${BENCH_JAVA_OPTS:+$BENCH_JAVA_OPTS }-jar $JAR --host 127.0.0.1 --port <free port> --fixtures fixtures\` ($fixtures fixtures), default options."
  echo "- Measured: wall time from launching \`java\` to the first \`GET /health\` answered with 200 (curl every 10 ms, so up to"
  echo "  ~10 ms plus one curl start of polling granularity); $RUNS runs, a new JVM each, page cache warm after the first."
  echo "  \"Server's own\" is the \`in N ms\` the server prints: \`MockServer.start\` only (reading fixtures, Javalin/Jetty up),"
  echo "  without JVM start and class loading before \`main\`."
  echo
  echo "| Measure | median ms | min ms | max ms | all runs (ms) | goal < 1,000 ms |"
  echo "|---|---:|---:|---:|---|---|"
  echo "| launch → first healthy \`/health\` | **$r_med** | $r_min | $r_max | ${ready_ms[*]} | $verdict |"
  echo "| server's own \"in N ms\" | $o_med | $o_min | $o_max | ${own_ms[*]} | |"
  echo
  echo "Reproduce (from the repository root): \`$cmd\`. Server logs: \`bench/out/\`."
)
echo >&2
echo "$fragment"
if [ "${BENCH_NO_RESULTS:-0}" != 1 ]; then
  echo "$fragment" > "$ROOT/bench/results/mock-startup.md"
  "$ROOT/bench/write-results.sh"
fi
exit $failed
