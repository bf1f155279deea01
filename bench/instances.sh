#!/usr/bin/env bash
# Several proxies, one truth (issue 13): throughput and added latency at 64 at once, JSON answers, for one proxy
# on H2, one on PostgreSQL and three on one PostgreSQL (wrk against each of the three at once, 22 connections
# each), in the same run; then exactness under that load: a key with a daily quota, hammered through the three
# proxies, is served at most its quota. Writes bench/results/instances.md. About 2 min.
# A real PostgreSQL 15 is started from the project's test classpath (PostgresServer, zonky embedded-postgres).
# Knobs: DURATION (10s), QUOTA (2000).
set -uo pipefail
source "$(dirname "$0")/common.sh"
DURATION=${DURATION:-10s}; QUOTA=${QUOTA:-2000}
tmp=$(mktemp -d); pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; exec 7>&- 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM

./mvnw -B -q -ntp -DskipTests install >"$tmp/build.txt" 2>&1 || { echo "build failed: $(grep -m1 ERROR "$tmp/build.txt")" >&2; exit 1; }
./mvnw -B -q -ntp -o -pl proxy dependency:build-classpath -Dmdep.outputFile="$tmp/cp.txt" -Dmdep.includeScope=test >/dev/null 2>&1
PROXY_JAR=proxy/target/proxy.jar

# PostgreSQL: a coprocess whose stdin stays open (fd 7) while the benchmark runs.
mkfifo "$tmp/pg-in"
"$JAVA_HOME/bin/java" -cp "proxy/target/test-classes:proxy/target/classes:$(cat "$tmp/cp.txt")" dev.tollgate.proxy.PostgresServer \
  <"$tmp/pg-in" >"$tmp/pg.txt" 2>"$OUT/instances-pg.log" & pids+=($!)
exec 7>"$tmp/pg-in"
for _ in $(seq 300); do [ -s "$tmp/pg.txt" ] && break; sleep 0.1; done
read -r PG_URL PG_USER PG_PASSWORD <"$tmp/pg.txt" || { echo "PostgreSQL did not start: $(tail -3 "$OUT/instances-pg.log")" >&2; exit 1; }

mock_port=$(free_port)
mkdir -p "$tmp/fixtures" && cp -r bench/fixture/chat bench/fixture/stream "$tmp/fixtures/"
"$JAVA_HOME/bin/java" -jar "$JAR" --host 127.0.0.1 --port "$mock_port" --fixtures "$tmp/fixtures" --pace 500 --ttft 20 \
  >"$OUT/instances-mock.log" 2>&1 & pids+=($!)

# start_proxy NAME DB_URL [USER PASSWORD]: sets PORT
start_proxy() {
  PORT=$(free_port)
  env TOLLGATE_PORT="$PORT" TOLLGATE_HOST=127.0.0.1 TOLLGATE_UPSTREAM_URL="http://127.0.0.1:$mock_port/v1" \
    GROQ_API_KEY=gsk_bench_dummy_key TOLLGATE_DB_URL="$2" TOLLGATE_DB_USER="${3:-}" TOLLGATE_DB_PASSWORD="${4:-}" \
    "$JAVA_HOME/bin/java" @proxy/jvm.options -Dh2.bindAddress=127.0.0.1 -jar "$PROXY_JAR" >"$OUT/instances-$1.log" 2>&1 & pids+=($!)
  for _ in $(seq 300); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/health" && return 0; sleep 0.1; done
  echo "proxy $1 did not start: $(tail -3 "$OUT/instances-$1.log")" >&2; return 1
}
key() { # key DB_URL USER PASSWORD [limit options]: a client key's secret
  local url=$1 user=$2 password=$3; shift 3
  env TOLLGATE_DB_USER="$user" TOLLGATE_DB_PASSWORD="$password" "$JAVA_HOME/bin/java" -Dh2.bindAddress=127.0.0.1 \
    -jar "$PROXY_JAR" keys create --db "$url" --name bench "$@" 2>&1 | grep -o 'sk-tg-[A-Za-z0-9]*' | head -1
}
export BENCH_BODY="$ROOT/bench/fixture/request.json"
for _ in $(seq 100); do curl -fs -o /dev/null "http://127.0.0.1:$mock_port/health" && break; sleep 0.1; done
# load NAME SECRET CONNECTIONS PORT...: wrk on each port at once; prints "rps p50 p99 served non200 errors"
load() {
  local name=$1 secret=$2 c=$3; shift 3; local i=0 wpids=()
  for port in "$@"; do
    BENCH_AUTH="$secret" wrk -t1 -c"$c" -d"$DURATION" -s bench/post-chat.lua "http://127.0.0.1:$port" >"$OUT/instances-$name-$i.txt" 2>&1 & wpids+=($!)
    i=$((i + 1))
  done
  wait "${wpids[@]}"
  cat "$OUT/instances-$name-"*.txt | awk '
    /rps=/ { for (f = 1; f <= NF; f++) { split($f, kv, "="); if (kv[1] == "rps") rps += kv[2] } }
    /p50_ms=/ { for (f = 1; f <= NF; f++) { split($f, kv, "="); if (kv[1] == "p50_ms" && kv[2] > p50) p50 = kv[2]; if (kv[1] == "p99_ms" && kv[2] > p99) p99 = kv[2] } }
    /checked=/ { for (f = 1; f <= NF; f++) { split($f, kv, "="); if (kv[1] == "checked") n += kv[2]; if (kv[1] == "non200") bad += kv[2]; if (kv[1] == "socket_errors") err += kv[2] } }
    END { printf "%d %s %s %d %d %d\n", rps, p50, p99, n - bad, bad, err }'
}

H2_URL="jdbc:h2:file:$tmp/h2/tollgate;AUTO_SERVER=TRUE"; mkdir -p "$tmp/h2"
start_proxy h2 "$H2_URL" && h2_port=$PORT
h2_key=$(key "$H2_URL" "" "")
start_proxy pg1 "$PG_URL" "$PG_USER" "$PG_PASSWORD" && pg1=$PORT
start_proxy pg2 "$PG_URL" "$PG_USER" "$PG_PASSWORD" && pg2=$PORT
start_proxy pg3 "$PG_URL" "$PG_USER" "$PG_PASSWORD" && pg3=$PORT
pg_key=$(key "$PG_URL" "$PG_USER" "$PG_PASSWORD")
quota_key=$(key "$PG_URL" "$PG_USER" "$PG_PASSWORD" --rpd "$QUOTA")

DURATION=3s load warm-h2 "$h2_key" 64 "$h2_port" >/dev/null
DURATION=3s load warm-pg "$pg_key" 22 "$pg1" "$pg2" "$pg3" >/dev/null
read -r h2_rps h2_p50 h2_p99 _ _ h2_err < <(load h2 "$h2_key" 64 "$h2_port")
read -r pg_rps pg_p50 pg_p99 _ _ pg_err < <(load pg "$pg_key" 64 "$pg1")
read -r pg3_rps pg3_p50 pg3_p99 _ _ pg3_err < <(load pg3 "$pg_key" 22 "$pg1" "$pg2" "$pg3")
read -r _ _ _ q_served q_refused q_err < <(load quota "$quota_key" 22 "$pg1" "$pg2" "$pg3")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "—" }'; }
exact=$([ "${q_served:-0}" -le "$QUOTA" ] && echo "yes" || echo "**no: overrun by $((q_served - QUOTA))**")

CODE_PATHS="proxy/src"; JARS_NOTE="jars built from the working tree at the start"
{
  echo "## Several instances: H2, PostgreSQL, three proxies on one PostgreSQL"
  echo
  machine_info
  echo "- Upstream: the mock server (\`--pace 500 --ttft 20\`, JSON answers, \`bench/fixture\`); PostgreSQL 15 (zonky embedded-postgres) on"
  echo "  loopback; every process on the same 2 cores. wrk for $DURATION per line, 64 connections in all (22 per proxy for three)."
  echo
  echo "| setup | req/s | × one on H2 | p50 ms (worst proxy) | p99 ms (worst proxy) | socket errors |"
  echo "|---|---:|---:|---:|---:|---:|"
  echo "| one proxy, H2 | $h2_rps | 1.00 | $h2_p50 | $h2_p99 | $h2_err |"
  echo "| one proxy, PostgreSQL | $pg_rps | $(ratio "$pg_rps" "$h2_rps") | $pg_p50 | $pg_p99 | $pg_err |"
  echo "| three proxies, one PostgreSQL | $pg3_rps | $(ratio "$pg3_rps" "$h2_rps") | $pg3_p50 | $pg3_p99 | $pg3_err |"
  echo
  echo "Exactness under that load: a key with \`requests_per_day\` $QUOTA through the three proxies for $DURATION: **$q_served served**,"
  echo "$q_refused refused, $q_err socket errors; served ≤ quota: $exact."
  echo
  echo "Reproduce: \`bench/instances.sh\`. Raw output: \`bench/out/instances-*\`."
} >"$ROOT/bench/results/instances.md"
cat "$ROOT/bench/results/instances.md"
