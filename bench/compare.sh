#!/usr/bin/env bash
# Tollgate side by side with the floor (nginx proxy_pass) and a peer (Portkey's open-source gateway), on
# loopback, with the mock server as the upstream (issue 7; issue 5's request-log goals too). One command:
#
#   bench/compare.sh            the full suite (about 35 min, 10 of them the memory soak)
#   bench/compare.sh --quick    a smoke run of every part with short durations (about 6 min)
#
# Parts (PARTS, default all, in this order):
#   latency  added latency one at a time and 64 at once (p50/p99) and throughput at 64, JSON answers:
#            direct (wrk -> mock), nginx, Tollgate (every feature on), Portkey; interleaved rounds, medians
#   streams  Groq-paced streams (2 ms between events, 500 tokens): added time to first token, distortion of
#            the gaps between events, bunching; direct, nginx, Tollgate (Portkey's streams fail on Node 20)
#   many     1,000 and 5,000 slow streams open at once through Tollgate and nginx: all complete; RSS per stream
#   memory   a fresh Tollgate: idle RSS, then a mixed load (JSON + streams) for MEMORY_SECONDS, then after
#   audit    request log: rows/s persisted into H2 (RequestLogBench, test scope) and N requests -> N rows
#            through the real proxy; proxy throughput with the request log on vs TOLLGATE_REQUEST_LOG=off
# Writes bench/results/compare.md, regenerates bench/RESULTS.md, exits 1 when a goal is missed or an answer
# failed. Everything listens on 127.0.0.1; every process started here is stopped on exit, Ctrl-C included.
#
# Knobs (environment; quick-mode defaults in brackets): see bench/README.md for the full list.
#   ROUNDS 3 [1]  C1_DURATION 8s [2s]  C64_DURATION 10s [3s]  WARMUP 20s [5s]
#   STREAMS 15 [4] streams per path per round   MANY_COUNTS "1000 5000" ["300 1000"]  MANY_TPS 2
#   MEMORY_SECONDS 600 [40]  MEMORY_JSON_RATE 1000  MEMORY_STREAMS 16  LOG_ROWS 200000 [50000]
#   PARTS "latency streams many memory audit"   BENCH_REBUILD=1   BENCH_NO_RESULTS=1
#   BENCH_FROM_HEAD=1  measure the jars of HEAD (built in bench/out/head), not the working tree's
set -euo pipefail
trap 'echo "compare.sh: failed at line $LINENO: $BASH_COMMAND" >&2' ERR
source "$(dirname "$0")/common.sh"

QUICK=${QUICK:-0}
for arg in "$@"; do
  case $arg in
    --quick) QUICK=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument $arg (try --help)" >&2; exit 2 ;;
  esac
done
q() { if [ "$QUICK" = 1 ]; then echo "$2"; else echo "$1"; fi; }   # q FULL QUICK
ROUNDS=${ROUNDS:-$(q 3 1)}
C1_DURATION=${C1_DURATION:-$(q 8s 2s)}
C64_DURATION=${C64_DURATION:-$(q 10s 3s)}
WARMUP=${WARMUP:-$(q 20s 5s)}
STREAMS=${STREAMS:-$(q 15 4)}
MANY_COUNTS=${MANY_COUNTS:-$(q "1000 5000" "300 1000")}
MANY_TPS=${MANY_TPS:-2}                  # slow streams: tokens (events) per second each (100 tokens: 50 s a stream)
MEMORY_SECONDS=${MEMORY_SECONDS:-$(q 600 40)}
MEMORY_JSON_RATE=${MEMORY_JSON_RATE:-1000}
MEMORY_STREAMS=${MEMORY_STREAMS:-16}
MEMORY_SLOPE_MAX=${MEMORY_SLOPE_MAX:-1}  # MB per minute over the second half of the load: above it is growth
LOG_ROWS=${LOG_ROWS:-$(q 200000 50000)}
PARTS=${PARTS:-latency streams many memory audit}
NGINX_WORKERS=${NGINX_WORKERS:-auto}
PORTKEY_VERSION=1.15.2
# Every feature on: a key with rate limits, quotas and a budget (high enough never to refuse), request log on.
KEY_LIMITS="--rpm 60000000000 --tpm 60000000000 --rpd 1000000000000 --tpd 1000000000000 --requests-per-month 1000000000000 --tokens-per-month 1000000000000 --budget-usd 1000000 --budget-period month"
STREAM_TOKENS=500                        # bench/fixture/stream/bench-long.json: 500 tokens
SLOW_TOKENS=100                          # bench/fixture/stream/bench-slow.json: 100 tokens
has_part() { [[ " $PARTS " == *" $1 "* ]]; }

# --- tools ---------------------------------------------------------------------------------------------------
NGINX=$(command -v nginx || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true)
missing=()
[ -n "$NGINX" ] || missing+=(nginx)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v ss >/dev/null 2>&1 || missing+=(iproute2)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} ..." >&2
  made_policy=0   # Debian's nginx starts a service on port 80 unless policy-rc.d says no
  if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && made_policy=1; fi
  rc=0
  { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"; } || rc=$?
  [ "$made_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
  [ "$rc" = 0 ] || { echo "installing ${missing[*]} failed" >&2; exit "$rc"; }
  NGINX=$(command -v nginx || echo /usr/sbin/nginx)
fi
node_version=$(node --version)
[ "${node_version%%.*}" = v20 ] || echo "NOTE: Node $node_version, not 20 (the issue compares Portkey on Node 20)" >&2
# Portkey's gateway, from npm, into bench/out (git-ignored); its install script (patch-package) is not needed to run it.
PORTKEY_DIR="$OUT/portkey"
PORTKEY_MAIN="$PORTKEY_DIR/node_modules/@portkey-ai/gateway/build/start-server.js"
if ! grep -q "\"version\": \"$PORTKEY_VERSION\"" "$PORTKEY_DIR/node_modules/@portkey-ai/gateway/package.json" 2>/dev/null; then
  echo "Installing @portkey-ai/gateway@$PORTKEY_VERSION into $PORTKEY_DIR ..." >&2
  mkdir -p "$PORTKEY_DIR"
  [ -f "$PORTKEY_DIR/package.json" ] || echo '{"name":"tollgate-bench-portkey","private":true}' > "$PORTKEY_DIR/package.json"
  npm install --prefix "$PORTKEY_DIR" --no-audit --no-fund --ignore-scripts --loglevel=error "@portkey-ai/gateway@$PORTKEY_VERSION" >&2
fi
ulimit -n "$(ulimit -Hn)"   # 5,000 streams: the client holds 5,000 sockets
[ "$(ulimit -n)" -ge 12000 ] || echo "NOTE: ulimit -n is $(ulimit -n); 5,000 streams need about 11,000 (proxy: client + upstream sockets)" >&2

# --- jars: built only when missing, then copied, so a rebuild during the run cannot touch them -------------------
PROXY_JAR=proxy/target/proxy.jar
if [ "${BENCH_FROM_HEAD:-0}" = 1 ]; then
  # The jars of the last commit, built in bench/out/head (git archive, Maven offline, no install): what is measured is exactly
  # a commit, whatever work in progress the working tree holds.
  head_commit=$(git rev-parse --short HEAD)
  if [ ! -f "$OUT/head/$head_commit.built" ]; then
    echo "Building the jars of HEAD ($head_commit) in $OUT/head ..." >&2
    rm -rf "$OUT/head"; mkdir -p "$OUT/head"
    git archive HEAD | tar -x -C "$OUT/head"
    (cd "$OUT/head" && ./mvnw -B -q -ntp -o -DskipTests package -pl fixture-format,mock-server,proxy) >&2
    touch "$OUT/head/$head_commit.built"
  fi
  JAR="$OUT/head/mock-server/target/mock-server.jar"; PROXY_JAR="$OUT/head/proxy/target/proxy.jar"
elif [ ! -f "$JAR" ] || [ ! -f "$PROXY_JAR" ] || [ "${BENCH_REBUILD:-0}" = 1 ]; then
  echo "Building the jars ..." >&2
  ./mvnw -B -q -ntp -o -DskipTests install -pl fixture-format,mock-server,proxy
fi
tmp=$(mktemp -d)
chmod 755 "$tmp"   # nginx's workers run as nobody and read under $tmp/nginx
mkdir -p "$tmp/jars" "$tmp/client" "$tmp/fixtures"
copy_jar() { # SRC DST: copies a jar that starts (a build next to the benchmark may be writing it: wait and retry)
  for _ in $(seq 1 30); do
    cp "$1" "$2" 2>/dev/null && "$JAVA_HOME/bin/java" -jar "$2" --version >/dev/null 2>&1 && return 0
    echo "$1 does not start (being rebuilt?); retrying in 5 s ..." >&2; sleep 5
  done
  echo "$1 does not start" >&2; exit 1
}
copy_jar "$JAR" "$tmp/jars/mock-server.jar"
copy_jar "$PROXY_JAR" "$tmp/jars/proxy.jar"
cp "$(dirname "$(dirname "$PROXY_JAR")")/jvm.options" "$tmp/jars/jvm.options"   # the JVM options the proxy ships with
JAR_TIME=$(date -u -r "$JAR" '+%Y-%m-%d %H:%M:%S UTC')
PROXY_JAR_TIME=$(date -u -r "$PROXY_JAR" '+%Y-%m-%d %H:%M:%S UTC')
JARS_NOTE="jars \`$PROXY_JAR\` built $PROXY_JAR_TIME and \`$JAR\` built $JAR_TIME (copied to a temp folder before the run)"
BUILD_DIR=$ROOT   # where the request-log benchmark compiles the proxy's test classes
[ "${BENCH_FROM_HEAD:-0}" = 1 ] && BUILD_DIR="$OUT/head" && CODE_PATHS="bench/out/head/.none" && JARS_NOTE="jars built from HEAD \`$head_commit\` itself (\`BENCH_FROM_HEAD=1\`: \`git archive\` into bench/out/head), not from the working tree"
CODE_PATHS="fixture-format mock-server proxy pom.xml"
read -r src_commit src_time <<<"$(git log -1 --format='%h %ct' -- $CODE_PATHS 2>/dev/null || true)"
if [ "${BENCH_FROM_HEAD:-0}" != 1 ] && [ -n "${src_time:-}" ] && [ "$src_time" -gt "$(date -r "$PROXY_JAR" +%s)" ]; then
  JARS_NOTE="$JARS_NOTE; **the proxy jar is older than the last commit to the sources** (\`$src_commit\`): \`BENCH_REBUILD=1\` measures HEAD"
fi
"$JAVA_HOME/bin/javac" -d "$tmp/client" "$ROOT/bench/StreamClient.java"
client() { "$JAVA_HOME/bin/java" -XX:+UseSerialGC -cp "$tmp/client" StreamClient "$@"; }
cp -r "$ROOT/bench/fixture/chat" "$ROOT/bench/fixture/stream" "$tmp/fixtures/"
cp "$ROOT/bench/fixture/request.json" "$ROOT/bench/fixture/stream-request.json" "$ROOT/bench/fixture/slow-request.json" "$tmp/"

RAW="$OUT/compare"
rm -rf "$RAW"; mkdir -p "$RAW"

# --- processes: every one started is recorded and stopped on exit ----------------------------------------------
PIDS=()
stop_pid() { # TERM, then KILL after 10 s
  local pid=$1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local i
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do stop_pid "${PIDS[$i]}"; done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_http() { # wait_http NAME PID URL: 1 when it exits or does not answer within 60 s
  for _ in $(seq 1 600); do
    curl -sf -o /dev/null --max-time 1 "$3" && return 0
    kill -0 "$2" 2>/dev/null || { echo "$1 exited; its log is in $OUT/compare.$1.log" >&2; tail -20 "$OUT/compare.$1.log" >&2 2>/dev/null; return 1; }
    sleep 0.1
  done
  echo "$1 did not answer $3 within 60 s" >&2; tail -5 "$OUT/compare.nginx-error.log" >&2 2>/dev/null; return 1
}

# start_mock NAME PACE -> sets MOCK_PID MOCK_PORT
start_mock() {
  local log="$OUT/compare.$1.log"
  "$JAVA_HOME/bin/java" -jar "$tmp/jars/mock-server.jar" --host 127.0.0.1 --port 0 --fixtures "$tmp/fixtures" \
    --pace "$2" --ttft 20 >"$log" 2>&1 &
  MOCK_PID=$!; PIDS+=("$MOCK_PID"); MOCK_PORT=""
  for _ in $(seq 1 1500); do
    MOCK_PORT=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$log" | head -1)
    [ -n "$MOCK_PORT" ] && break
    kill -0 "$MOCK_PID" 2>/dev/null || { cat "$log" >&2; echo "mock $1 exited" >&2; exit 1; }
    sleep 0.01
  done
  [ -n "$MOCK_PORT" ] || { echo "mock $1 did not start in 15 s" >&2; exit 1; }
}

# start_proxy NAME UPSTREAM_PORT [VAR=value ...] -> sets PROXY_PID PROXY_PORT PROXY_DB SECRET. A fresh H2 file, a client
# key with every limit set, the request log on (the default); stdout (one INFO line per request) to a file.
start_proxy() {
  local name=$1 upstream=$2; shift 2
  PROXY_DB="jdbc:h2:file:$tmp/db-$name/tollgate;AUTO_SERVER=TRUE"
  local key_out
  # shellcheck disable=SC2086
  key_out=$("$JAVA_HOME/bin/java" -Dh2.bindAddress=127.0.0.1 -jar "$tmp/jars/proxy.jar" keys create --name "bench-$name" \
      --db "$PROXY_DB" $KEY_LIMITS 2>&1) || { echo "$key_out" >&2; echo "keys create failed" >&2; exit 1; }
  SECRET=$(grep -o 'sk-tg-[A-Za-z0-9]*' <<<"$key_out" | head -1)
  [ -n "$SECRET" ] || { echo "$key_out" >&2; echo "no secret in the keys create output" >&2; exit 1; }
  PROXY_PORT=$(free_port)
  env "$@" TOLLGATE_PORT="$PROXY_PORT" TOLLGATE_HOST=127.0.0.1 TOLLGATE_UPSTREAM_URL="http://127.0.0.1:$upstream/v1" \
    GROQ_API_KEY=gsk_bench_dummy_key TOLLGATE_DB_URL="$PROXY_DB" \
    "$JAVA_HOME/bin/java" -Dh2.bindAddress=127.0.0.1 @"$tmp/jars/jvm.options" ${BENCH_PROXY_JAVA_OPTS:-} -jar "$tmp/jars/proxy.jar" \
    >"$OUT/compare.$name.log" 2>&1 &
  PROXY_PID=$!; PIDS+=("$PROXY_PID")
  wait_http "$name" "$PROXY_PID" "http://127.0.0.1:$PROXY_PORT/health" || exit 1
}

# Rows in a proxy's request_log, read over H2's auto-server while the proxy runs (with the password the proxy keeps beside the file).
log_rows() {
  local file=${1#jdbc:h2:file:}; file=${file%%;*}
  "$JAVA_HOME/bin/java" -Dh2.bindAddress=127.0.0.1 -cp "$tmp/jars/proxy.jar" org.h2.tools.Shell -url "$1" -user "" \
    -password "$(sed -n 's/^password=//p' "$file.credentials")" \
    -sql "select count(*) from request_log" 2>/dev/null | sed -n '2p' | tr -dc '0-9'
}

wait_for_quiet
started_at=$(date +%s)

# --- the servers shared by the parts ---------------------------------------------------------------------------
start_mock mock 500; mock_pid=$MOCK_PID; mock_port=$MOCK_PORT                 # Groq's pace: 500 tokens/s, JSON instant
start_mock mockslow "$MANY_TPS"; slow_pid=$MOCK_PID; slow_port=$MOCK_PORT      # slow streams
start_proxy proxy "$mock_port"; proxy_pid=$PROXY_PID; proxy_port=$PROXY_PORT; proxy_db=$PROXY_DB; secret=$SECRET
echo "mock: pid $mock_pid on :$mock_port; slow mock: pid $slow_pid on :$slow_port; Tollgate: pid $proxy_pid on :$proxy_port" >&2

mkdir -p "$tmp/nginx/temp"; chmod 777 "$tmp/nginx/temp"
nginx_port=$(free_port); nginx_slow_port=$(free_port)
nginx_server() { # PORT UPSTREAM_NAME
  cat <<NGINX
  server {
    listen 127.0.0.1:$1;
    keepalive_requests 1000000;
    location / {
      proxy_pass http://$2;
      proxy_http_version 1.1;          # keep-alive to the upstream needs HTTP/1.1 ...
      proxy_set_header Connection "";  # ... and no "Connection: close"
      proxy_buffering off;             # answers go on as they arrive, like Tollgate's
      proxy_read_timeout 300s;
    }
  }
NGINX
}
nginx_upstream() { # NAME PORT
  cat <<NGINX
  upstream $1 {
    server 127.0.0.1:$2;
    keepalive 64;               # idle keep-alive connections to the mock kept per worker
    keepalive_timeout 20s;      # below Jetty's 30 s idle timeout: never reuse a connection the mock closed
    keepalive_requests 1000000;
  }
NGINX
}
cat > "$tmp/nginx/nginx.conf" <<NGINX
worker_processes $NGINX_WORKERS;
worker_rlimit_nofile 20000;
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $OUT/compare.nginx-error.log warn;
events { worker_connections 16000; }
http {
  access_log off;
  client_body_temp_path $tmp/nginx/temp/body;
  proxy_temp_path $tmp/nginx/temp/proxy;
  fastcgi_temp_path $tmp/nginx/temp/fastcgi;
  uwsgi_temp_path $tmp/nginx/temp/uwsgi;
  scgi_temp_path $tmp/nginx/temp/scgi;
$(nginx_upstream mock "$mock_port")
$(nginx_upstream mockslow "$slow_port")
$(nginx_server "$nginx_port" mock)
$(nginx_server "$nginx_slow_port" mockslow)
}
NGINX
"$NGINX" -t -q -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -e "$OUT/compare.nginx-error.log" || { tail "$OUT/compare.nginx-error.log" >&2; exit 1; }
: >"$OUT/compare.nginx-error.log"
"$NGINX" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -e "$OUT/compare.nginx-error.log" >"$OUT/compare.nginx.log" 2>&1 &
nginx_pid=$!; PIDS+=("$nginx_pid")
nginx_version=$("$NGINX" -v 2>&1 | sed 's/^nginx version: //')
wait_http nginx "$nginx_pid" "http://127.0.0.1:$nginx_port/health" || exit 1
nginx_pids() { echo "$nginx_pid$( (pgrep -P "$nginx_pid" || true) | sed 's/^/,/' | tr -d '\n')"; }

portkey_port=$(free_port)
NODE_ENV=production node --require "$ROOT/bench/portkey-localhost.cjs" "$PORTKEY_MAIN" --port="$portkey_port" --headless \
  >"$OUT/compare.portkey.log" 2>&1 &
portkey_pid=$!; PIDS+=("$portkey_pid")
# Failed runs and answers are recorded in ERRORS and shown with the results, and the run goes on: a peer's (Portkey's
# timeouts, say) only there, Tollgate's also in FAILURES, which make the run exit 1.
ERRORS=(); GOALS=(); FAILURES=()
LAT_PATHS=(direct nginx proxy portkey)
drop_portkey() { ERRORS+=("Portkey: $1; left out of the rest of the run"); LAT_PATHS=(direct nginx proxy); }
wait_http portkey "$portkey_pid" "http://127.0.0.1:$portkey_port/" || drop_portkey "did not start (see bench/out/compare.portkey.log)"

# The same headers go to every path (Portkey needs them; the others pass them on or ignore them): the client key,
# and Portkey's provider and upstream.
HEADERS=("Authorization: Bearer $secret" "x-portkey-provider: openai" "x-portkey-custom-host: http://127.0.0.1:$mock_port/v1")
url_of() {
  case $1 in
    direct) echo "http://127.0.0.1:$mock_port/v1/chat/completions" ;;
    nginx) echo "http://127.0.0.1:$nginx_port/v1/chat/completions" ;;
    proxy) echo "http://127.0.0.1:$proxy_port/v1/chat/completions" ;;
    portkey) echo "http://127.0.0.1:$portkey_port/v1/chat/completions" ;;
  esac
}
post() { # post URL BODYFILE OUTFILE [extra curl args]: prints the HTTP status
  local url=$1 body=$2 outf=$3; shift 3
  local h=(); for x in "${HEADERS[@]}"; do h+=(-H "$x"); done
  curl -s -o "$outf" -w '%{http_code}' -m 30 -H 'content-type: application/json' "${h[@]}" "$@" --data-binary @"$body" "$url" || true
}

# Checks: every path answers the JSON fixture; Tollgate refuses a request without the key; the streams are whole.
for p in "${LAT_PATHS[@]}"; do
  status=$(post "$(url_of "$p")" "$tmp/request.json" "$tmp/answer-$p.json")
  if [ "$status" != 200 ] || ! grep -q 'chatcmpl-bench-0000' "$tmp/answer-$p.json" 2>/dev/null; then
    problem="HTTP $status: $(head -c 300 "$tmp/answer-$p.json" 2>/dev/null)"
    [ "$p" = portkey ] && { drop_portkey "the check request failed ($problem)"; continue; }
    echo "check failed on $p: $problem" >&2; exit 1
  fi
done
status=$(curl -s -o /dev/null -w '%{http_code}' -H 'content-type: application/json' --data-binary @"$tmp/request.json" "$(url_of proxy)")
[ "$status" = 401 ] || { echo "check failed: Tollgate answered $status without a key (expected 401)" >&2; exit 1; }
portkey_stream_status=$(post "$(url_of portkey)" "$tmp/stream-request.json" "$tmp/portkey-stream.txt")
portkey_stream_note="HTTP $portkey_stream_status: $(head -c 120 "$tmp/portkey-stream.txt" 2>/dev/null | tr -d '\n|')"
echo "Portkey on a streamed request: $portkey_stream_note" >&2

# Nothing started here may listen beyond 127.0.0.1 (Java shows IPv4 sockets as [::ffff:127.0.0.1]).
check_listeners() {
  local pids ours
  pids=$(for p in "${PIDS[@]}"; do echo "$p"; pgrep -P "$p" 2>/dev/null || true; done | paste -sd'|')
  ours=$(ss -Htlnp 2>/dev/null | grep -E "pid=($pids)," || true)
  if grep -vE '^\S+\s+\S+\s+\S+\s+(127\.0\.0\.1|\[::ffff:127\.0\.0\.1\]):' <<<"$ours" | grep -q .; then
    echo "$ours" >&2; echo "a process of the benchmark listens beyond 127.0.0.1" >&2; exit 1
  fi
  awk '{print $4}' <<<"$ours" | sort -u | paste -sd' '
}
listening=$(check_listeners)

# --- measuring helpers (as in proxy-latency.sh) ------------------------------------------------------------------
ticks=$(getconf CLK_TCK)
tree_ticks() { # CPU ticks (user + system) of PID and its direct children (nginx's workers)
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v root="$1" '{pid = $1; sub(/^[^(]*\(.*\) /, ""); if (pid == root || $2 == root) t += $12 + $13} END {print t + 0}'
}
field() { sed -n "s/.*[ ]$1=\([^ ]*\).*/\1/p" "$2" | head -1; }
hop_pid() { case $1 in direct) echo "" ;; nginx) echo "$nginx_pid" ;; proxy) echo "$proxy_pid" ;; portkey) echo "$portkey_pid" ;; *) echo "${HOP_PIDS[$1]:-}" ;; esac; }
declare -A HOP_PIDS

# run_wrk PATH URL CONNECTIONS DURATION OUTFILE [warmup]: one wrk run with CPU accounting. A measured run with a non-200
# answer or a socket error (tolerated in a warm-up), or one wrk could not make, is recorded in ERRORS, and Tollgate's
# and direct's in FAILURES too (a peer's, nginx's or Portkey's, do not fail the run); either way the run goes on.
run_wrk() {
  local path=$1 url=$2 conns=$3 duration=$4 out=$5 warm=${6:-} threads=1 hop hb=0 ha=0 mb ma wb wa rc=0
  [ "$conns" -gt 1 ] && threads=2
  hop=$(hop_pid "$path")
  [ -n "$hop" ] && hb=$(tree_ticks "$hop")
  mb=$(tree_ticks "$mock_pid"); read -r wb _ <<<"$(machine_jiffies)"
  TIMEFORMAT='%U %S'
  { time BENCH_BODY="$tmp/request.json" BENCH_HEADERS="$(printf '%s\n' "${HEADERS[@]}")" wrk -t"$threads" -c"$conns" \
      -d"$duration" --latency -s "$ROOT/bench/post-chat.lua" "$url" >"$out" 2>"$out.err" || rc=$? ; } 2>"$out.time"
  [ -n "$hop" ] && ha=$(tree_ticks "$hop")
  ma=$(tree_ticks "$mock_pid"); read -r wa _ <<<"$(machine_jiffies)"
  local secs requests what
  secs=$(awk -v us="$(field duration_us "$out")" 'BEGIN {printf "%.3f", us / 1e6}')
  requests=$(field requests "$out")
  if [ "$rc" != 0 ] || [ -z "$requests" ] || [ "$requests" = 0 ]; then
    what="wrk failed (exit $rc): $(head -c 200 "$out.err" | tr '\n' ' ')"
  else
    awk -v h=$((ha - hb)) -v m=$((ma - mb)) -v w=$((wa - wb)) -v t="$ticks" -v s="$secs" -v n="$requests" -v wrk="$(cat "$out.time")" 'BEGIN {
        split(wrk, c, " ")
        o = w / t / s - (h + m) / t / s - (c[1] + c[2]) / s
        printf "BENCH hop_cores=%.2f hop_us_per_req=%.1f mock_cores=%.2f wrk_cores=%.2f machine_cores=%.2f other_cores=%.2f\n",
          h / t / s, h / t * 1e6 / n, m / t / s, (c[1] + c[2]) / s, w / t / s, o < 0 ? 0 : o }' >>"$out"
    local bad sock st
    bad=$(field non200 "$out"); sock=$(field socket_errors "$out"); st=$(field status_errors "$out")
    [ -n "$warm" ] && [ "${sock:-x}" != 0 ] && echo "  (warm-up of $path at $conns: $sock socket errors, ignored)" >&2 && sock=0
    [ "${bad:-x}" = 0 ] && [ "${sock:-x}" = 0 ] && [ "${st:-x}" = 0 ] && return 0
    what="$bad non-200 answers of $requests ($(field first_non200 "$out")), $sock socket errors (connect $(field connect_errors "$out"), read $(field read_errors "$out"), write $(field write_errors "$out"), timeout $(field timeouts "$out"))"
  fi
  what="$path at $conns connections, $duration${warm:+ (warm-up)}, $(basename "$out" .txt): $what"
  echo "ERRORS: $what" >&2
  ERRORS+=("$what")
  case $path in nginx|portkey) ;; *) FAILURES+=("$what") ;; esac
}
quiet_again() { # before each round: wait (up to QUIET_WAIT s) while other work keeps the CPU busy
  local busy waited=0
  busy=$(busy_percent 1)
  while [ "$busy" -ge "${QUIET_BELOW:-20}" ] && [ "$waited" -lt "${QUIET_WAIT:-60}" ]; do
    echo "  machine ${busy}% busy with other work; waiting before the next round ..." >&2
    sleep 2; waited=$((waited + 3)); busy=$(busy_percent 1)
  done
}
med_of() { # med_of PREFIX PATH FIELD: median over the rounds' files PREFIX-rN-PATH.txt
  for r in $(seq 1 "$ROUNDS"); do field "$3" "$1-r$r-$2.txt"; done | median
}
all_of() { for r in $(seq 1 "$ROUNDS"); do field "$3" "$1-r$r-$2.txt"; done | paste -sd' ' | sed 's/ /, /g'; }
ms() { if [ -z "$1" ]; then echo "—"; else awk -v us="$1" 'BEGIN {printf "%.3f", us / 1000}'; fi; }
ratio() { [ -z "$1" ] || [ -z "$2" ] || awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}'; }
goal() { # goal TEXT MEASURED VALUE LIMIT OP: a row of the goals table; a miss is recorded (the script then exits 1)
  local v
  if [ -z "$3" ]; then v="**not measured**"; FAILURES+=("$1: not measured")
  elif awk -v v="$3" -v g="$4" "BEGIN {exit !(v $5 g)}"; then v=meets
  else v="**misses**"; FAILURES+=("$1"); fi
  GOALS+=("| $1 | $2 | $v |")
}
label() {
  case $1 in
    direct) echo "direct (client → mock)" ;; nginx) echo "nginx \`proxy_pass\`" ;; proxy) echo "**Tollgate** (every feature on)" ;;
    portkey) echo "Portkey gateway $PORTKEY_VERSION" ;; *) echo "$1" ;;
  esac
}

# ================================================================================================================
# Part 1 and 2: added latency and throughput, JSON answers
# ================================================================================================================
if has_part latency; then
  echo "== latency and throughput (JSON): ${LAT_PATHS[*]}" >&2
  for p in "${LAT_PATHS[@]}"; do
    w=3s; [ "$p" = proxy ] && w=$WARMUP; [ "$p" = portkey ] && w=$WARMUP
    run_wrk "$p" "$(url_of "$p")" 64 "$w" "$RAW/warmup-c64-$p.txt" warmup
  done
  for p in "${LAT_PATHS[@]}"; do run_wrk "$p" "$(url_of "$p")" 1 2s "$RAW/warmup-c1-$p.txt" warmup; done
  for r in $(seq 1 "$ROUNDS"); do
    quiet_again
    for c in 1 64; do
      d=$C1_DURATION; [ "$c" = 64 ] && d=$C64_DURATION
      line="round $r, $c at once:"
      for p in "${LAT_PATHS[@]}"; do
        # 1 s at 64 first, not measured: idle keep-alive connections (nginx's to the mock, Node's 5 s timeout) reopen
        # outside the measurement; the same for every path.
        [ "$c" = 64 ] && run_wrk "$p" "$(url_of "$p")" 64 1s "$RAW/pre-r$r-c64-$p.txt" warmup
        run_wrk "$p" "$(url_of "$p")" "$c" "$d" "$RAW/lat-c$c-r$r-$p.txt"
        line+=" $p $(field rps "$RAW/lat-c$c-r$r-$p.txt") req/s p50 $(field p50_us "$RAW/lat-c$c-r$r-$p.txt") µs;"
      done
      echo "$line" >&2
    done
  done
  lat() { med_of "$RAW/lat-c$1" "$2" "$3"; }   # CONNS PATH FIELD
  added() { local a; a=$(lat "$1" "$2" "$3"); [ -z "$a" ] || awk -v a="$a" -v b="$(lat "$1" direct "$3")" 'BEGIN {print a - b}'; }
  add_p50=$(added 1 proxy p50_us); add_p99=$(added 1 proxy p99_us)
  rps_direct=$(lat 64 direct rps); rps_nginx=$(lat 64 nginx rps); rps_proxy=$(lat 64 proxy rps); rps_portkey=$(lat 64 portkey rps)
  r_nginx=$(ratio "$rps_proxy" "$rps_nginx"); r_portkey=$(ratio "$rps_proxy" "$rps_portkey")
  goal "added p50 ≤ 0.3 ms, one at a time" "$(ms "$add_p50") ms" "$add_p50" 300 '<='
  goal "added p99 ≤ 1 ms, one at a time" "$(ms "$add_p99") ms" "$add_p99" 1000 '<='
  goal "throughput at 64 ≥ 0.5× nginx's" "${r_nginx}× ($rps_proxy vs $rps_nginx req/s)" "$r_nginx" 0.5 '>='
  goal "throughput at 64 ≥ 3× Portkey's" "${r_portkey}× ($rps_proxy vs $rps_portkey req/s)" "$r_portkey" 3 '>='
  LAT_SECTION=$(
    echo "### 1. Added latency over direct-to-mock (JSON answers)"
    echo
    echo "| Path | 1 at a time: p50 ms | p99 ms | added p50 ms | added p99 ms | 64 at once: p50 ms | p99 ms | added p50 ms | added p99 ms | p50 / p99 µs one at a time, each round |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    for p in "${LAT_PATHS[@]}"; do
      if [ "$p" = direct ]; then a1="—"; a2="—"; a3="—"; a4="—"
      else a1=$(ms "$(added 1 "$p" p50_us)"); a2=$(ms "$(added 1 "$p" p99_us)"); a3=$(ms "$(added 64 "$p" p50_us)"); a4=$(ms "$(added 64 "$p" p99_us)"); fi
      echo "| $(label "$p") | $(ms "$(lat 1 "$p" p50_us)") | $(ms "$(lat 1 "$p" p99_us)") | $a1 | $a2 | $(ms "$(lat 64 "$p" p50_us)") | $(ms "$(lat 64 "$p" p99_us)") | $a3 | $a4 | $(all_of "$RAW/lat-c1" "$p" p50_us) / $(all_of "$RAW/lat-c1" "$p" p99_us) |"
    done
    echo
    echo "### 2. Throughput at 64 at once"
    echo
    echo "| Path | req/s | × direct | hop CPU (cores) | hop CPU µs / request | mock CPU (cores) | wrk CPU (cores) | req/s in each round |"
    echo "|---|---:|---:|---:|---:|---:|---:|---|"
    for p in "${LAT_PATHS[@]}"; do
      hc="—"; hu="—"; [ "$p" != direct ] && { hc=$(lat 64 "$p" hop_cores); hu=$(lat 64 "$p" hop_us_per_req); }
      echo "| $(label "$p") | $(lat 64 "$p" rps) | $(ratio "$(lat 64 "$p" rps)" "$rps_direct") | $hc | $hu | $(lat 64 "$p" mock_cores) | $(lat 64 "$p" wrk_cores) | $(all_of "$RAW/lat-c64" "$p" rps) |"
    done
    echo
    echo "Tollgate / nginx: **${r_nginx}×**; Tollgate / Portkey: **${r_portkey}×**. Other work on the machine during the measured runs: at most"
    echo "$(for f in "$RAW"/lat-*.txt; do field other_cores "$f"; done | sort -n | tail -1) cores."
  )
fi

# ================================================================================================================
# Part 3: streams at Groq's pace
# ================================================================================================================
STREAM_PATHS=(direct nginx proxy)
if has_part streams; then
  echo "== streams at Groq's pace: ${STREAM_PATHS[*]} ($STREAMS streams per path per round)" >&2
  seq_run() { # PATH N OUT
    local h=(); for x in "${HEADERS[@]}"; do h+=("header=$x"); done
    client seq url="$(url_of "$1")" body="$tmp/stream-request.json" n="$2" tokens="$STREAM_TOKENS" out="$3" "${h[@]}" >"$3.summary" \
      || { cat "$3.summary" >&2; FAILURES+=("streams through $1 failed"); }
  }
  for p in "${STREAM_PATHS[@]}"; do seq_run "$p" 5 "$RAW/streams-warmup-$p.tsv"; done
  for r in $(seq 1 "$ROUNDS"); do
    quiet_again
    for p in "${STREAM_PATHS[@]}"; do seq_run "$p" "$STREAMS" "$RAW/streams-r$r-$p.tsv"; done
    echo "  round $r done" >&2
  done
  files() { ls "$RAW"/streams-r*-"$1".tsv | paste -sd,; }
  client stats ref=direct direct="$(files direct)" nginx="$(files nginx)" proxy="$(files proxy)" >"$RAW/streams-stats.txt"
  cat "$RAW/streams-stats.txt" >&2
  sfield() { grep "path=$1 " "$RAW/streams-stats.txt" | sed -n "s/.*[ ]$2=\([^ ]*\).*/\1/p"; }
  added_ttft=$(sfield proxy added_ttft_us)
  share() { awk -v a="$(sfield "$1" "$2")" -v b="$(sfield "$1" paced_gaps)" 'BEGIN {printf "%.2f", (b > 0 ? 100 * a / b : 0)}'; }
  goal "added time to first token ≤ 0.5 ms" "$(ms "$added_ttft") ms" "$added_ttft" 500 '<=' 
  bunch_proxy=$(share proxy short_gaps); bunch_nginx=$(share nginx short_gaps)
  bunch_limit=$(awk -v n="$bunch_nginx" 'BEGIN {printf "%.2f", n + 0.5}')
  goal "events never bunched: share of paced gaps shorter than ¼ of the upstream's ≤ nginx's + 0.5 points" "${bunch_proxy}% (nginx ${bunch_nginx}%)" "$bunch_proxy" "$bunch_limit" '<=' 
  for p in "${STREAM_PATHS[@]}"; do
    [ "$(sfield "$p" tokens_min)" = "$STREAM_TOKENS" ] && [ "$(sfield "$p" tokens_max)" = "$STREAM_TOKENS" ] || FAILURES+=("stream token counts on $p")
  done
  STREAM_SECTION=$(
    echo "### 3. Streams at Groq's pace (500 tokens, 2 ms between events)"
    echo
    echo "| Path | streams | time to first token p50 ms | added ms | gap distortion p50 µs | p99 µs | max µs | paced gaps | in the same read as the previous event | shorter than ¼ of the upstream gap | most token events in one read |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for p in "${STREAM_PATHS[@]}"; do
      a="—"; [ "$p" != direct ] && a=$(ms "$(sfield "$p" added_ttft_us)")
      echo "| $(label "$p") | $(sfield "$p" streams) | $(ms "$(sfield "$p" ttft_p50_us)") | $a | $(sfield "$p" dist_p50_us) | $(sfield "$p" dist_p99_us) | $(sfield "$p" dist_max_us) | $(sfield "$p" paced_gaps) | $(sfield "$p" same_read) ($(share "$p" same_read)%) | $(sfield "$p" short_gaps) ($(share "$p" short_gaps)%) | $(sfield "$p" max_tokens_per_read) |"
    done
    echo
    echo "Gap distortion: for each token event, |gap on this path − the median gap direct at the same event index| (direct's own row is"
    echo "the noise floor: the mock's timer and the client sharing 2 cores). Portkey is not in this table: on a streamed request it answers"
    echo "$portkey_stream_note (its known bug on Node 20)."
  )
fi

# ================================================================================================================
# Part 4: many slow streams at once
# ================================================================================================================
if has_part many; then
  echo "== many slow streams ($MANY_TPS events/s each, $SLOW_TOKENS tokens): $MANY_COUNTS" >&2
  MANY_ROWS=()
  many_run() { # NAME URL PIDS N OUT
    local h=(); for x in "${HEADERS[@]}"; do h+=("header=$x"); done
    client many url="$2" body="$tmp/slow-request.json" n="$4" tokens="$SLOW_TOKENS" conc=256 pids="$3" "${h[@]}" >"$5" 2>&1 \
      || { cat "$5" >&2; FAILURES+=("$4 streams through $1"); }
    cat "$5" >&2
  }
  for n in $MANY_COUNTS; do
    # A fresh Tollgate for each count, warmed up with 100 streams, so its idle RSS is the baseline.
    start_proxy "proxy-many-$n" "$slow_port"; mp=$PROXY_PID; mport=$PROXY_PORT
    HEADERS[0]="Authorization: Bearer $SECRET"
    many_run warmup "http://127.0.0.1:$mport/v1/chat/completions" "$mp" 100 "$RAW/many-warmup-$n.txt"
    quiet_again
    many_run "Tollgate" "http://127.0.0.1:$mport/v1/chat/completions" "$mp" "$n" "$RAW/many-$n-proxy.txt"
    stop_pid "$mp"
    quiet_again
    many_run "nginx" "http://127.0.0.1:$nginx_slow_port/v1/chat/completions" "$(nginx_pids)" "$n" "$RAW/many-$n-nginx.txt"
    HEADERS[0]="Authorization: Bearer $secret"
    for p in proxy nginx; do
      f="$RAW/many-$n-$p.txt"
      MANY_ROWS+=("| $n | $( [ "$p" = proxy ] && echo "**Tollgate**" || echo nginx) | $(field ok "$f") / $(field n "$f") | $(field failed "$f") | $(field max_open "$f") | $(field all_open_after_s "$f") s | $(( $(field idle_rss_kb "$f") / 1024 )) MB | $(( $(field all_open_rss_kb "$f") / 1024 )) MB | **$(field kb_per_stream "$f")** | $(( $(field after_rss_kb "$f") / 1024 )) MB |")
    done
    f="$RAW/many-$n-proxy.txt"
    all_ok=0; [ "$(field ok "$f")" = "$n" ] && [ "$(field max_open "$f")" = "$n" ] && all_ok=1
    goal "$n streams at once through Tollgate, all open together, all complete" "$(field ok "$f") of $n complete, $(field max_open "$f") open at once" "$all_ok" 1 '==' 
  done
  last_n=$(echo "$MANY_COUNTS" | awk '{print $NF}')
  kb=$(field kb_per_stream "$RAW/many-$last_n-proxy.txt"); [ "$kb" = "-1.0" ] && kb=""   # -1: never all open at once
  goal "$last_n streams at ≤ 100 KB of RSS each" "${kb:-not all open at once} KB" "$kb" 100 '<=' 
  MANY_SECTION=$(
    echo "### 4. Many slow streams at once ($SLOW_TOKENS tokens, $MANY_TPS events/s each: $((1000 / MANY_TPS)) ms between events)"
    echo
    echo "| streams | path | complete | failed | open at once (max) | all open after | RSS idle | RSS with all open | **KB per stream** | RSS 2 s after |"
    echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${MANY_ROWS[@]}"
    echo
    echo "RSS is VmRSS (nginx: master and workers summed), sampled every 50 ms while every stream was open; per stream = (highest"
    echo "sample with all open − idle) / streams. Each count gets a fresh Tollgate (the JVM options it ships with, \`proxy/jvm.options\`), warmed"
    echo "up with 100 streams; the client opens at most 256 streams at a time that have not yet had their first event."
  )
fi

# ================================================================================================================
# Part 5: memory over time under a mixed load
# ================================================================================================================
if has_part memory; then
  echo "== memory over $MEMORY_SECONDS s of mixed load (JSON $MEMORY_JSON_RATE/s + $MEMORY_STREAMS Groq-paced streams)" >&2
  start_proxy proxy-memory "$mock_port"; mem_pid=$PROXY_PID; mem_port=$PROXY_PORT
  # The live heap (used after a full GC) tells a leak from the JVM merely sizing its heap to the load.
  live_heap_mb() { "$JAVA_HOME/bin/jcmd" "$1" GC.run >/dev/null 2>&1; "$JAVA_HOME/bin/jcmd" "$1" GC.heap_info 2>/dev/null \
    | sed -n 's/.*committed \([0-9]*\)K, used \([0-9]*\)K.*/\2/p' | head -1 | awk '{printf "%.0f", $1 / 1024}'; }
  curl -s -o /dev/null -H 'content-type: application/json' -H "Authorization: Bearer $SECRET" --data-binary @"$tmp/request.json" \
    "http://127.0.0.1:$mem_port/v1/chat/completions"
  live_before=$(live_heap_mb "$mem_pid")
  h=("header=Authorization: Bearer $SECRET")
  client mixed json="http://127.0.0.1:$mem_port/v1/chat/completions" jsonbody="$tmp/request.json" rate="$MEMORY_JSON_RATE" \
    url="http://127.0.0.1:$mem_port/v1/chat/completions" body="$tmp/stream-request.json" streams="$MEMORY_STREAMS" \
    tokens="$STREAM_TOKENS" seconds="$MEMORY_SECONDS" idle=10 after=30 pids="$mem_pid" rss="$RAW/memory-rss.tsv" "${h[@]}" \
    >"$RAW/memory.txt" 2>&1 || FAILURES+=("memory: answers failed")
  cat "$RAW/memory.txt" >&2
  cp "$RAW/memory-rss.tsv" "$OUT/compare-memory-rss.tsv"
  live_after=$(live_heap_mb "$mem_pid")
  stop_pid "$mem_pid"
  f="$RAW/memory.txt"
  slope=$(field slope_mb_per_min "$f")
  goal "memory: no growth under load (RSS slope over the second half ≤ $MEMORY_SLOPE_MAX MB/min)" "$slope MB/min" "$slope" "$MEMORY_SLOPE_MAX" '<=' 
  mb() { awk -v k="$1" 'BEGIN {printf "%.0f", k / 1024}'; }
  MEMORY_SECTION=$(
    echo "### 5. Memory over time (a fresh Tollgate; $MEMORY_SECONDS s of JSON at $MEMORY_JSON_RATE/s plus $MEMORY_STREAMS Groq-paced streams kept open)"
    echo
    echo "| idle | during: first half p50 | second half p50 | max | slope, second half | 30 s after | JSON answers | streams | errors |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    echo "| $(mb "$(field idle_rss_kb "$f")") MB | $(mb "$(field first_half_p50_rss_kb "$f")") MB | $(mb "$(field second_half_p50_rss_kb "$f")") MB | $(mb "$(field during_max_rss_kb "$f")") MB | **$slope MB/min** | $(mb "$(field after_rss_kb "$f")") MB | $(field json_ok "$f") | $(field streams_ok "$f") | $(field errors "$f") |"
    echo
    echo "RSS sampled every second (\`bench/out/compare-memory-rss.tsv\`: phase, seconds, RSS KB, answers so far). Slope: least squares over the"
    echo "second half of the load. Live heap (used after a full GC, \`jcmd GC.run\` then \`GC.heap_info\`): **${live_before:-?} MB** after one request,"
    echo "**${live_after:-?} MB** after the load. RSS above the live heap is heap the JVM committed for the load (G1 with \`proxy/jvm.options\`, max heap ¼ of RAM here)."
  )
fi

# ================================================================================================================
# Part 6: the request log (issue 5)
# ================================================================================================================
if has_part audit; then
  echo "== request log" >&2
  # (a) rows/s persisted into an H2 file: RequestLogBench (test scope), when the test classes compile.
  bench_note=""
  if (cd "$BUILD_DIR" && ./mvnw -B -q -ntp -o -pl fixture-format,mock-server,proxy test-compile dependency:build-classpath \
       -Dmdep.outputFile="$tmp/test-cp.txt" -Dmdep.includeScope=test) >"$RAW/audit-build.txt" 2>&1 \
     && [ -f "$BUILD_DIR/proxy/target/test-classes/dev/tollgate/proxy/audit/RequestLogBench.class" ]; then
    cp -r "$BUILD_DIR/proxy/target/test-classes" "$tmp/test-classes"; cp -r "$BUILD_DIR/proxy/target/classes" "$tmp/main-classes"
    "$JAVA_HOME/bin/java" -cp "$tmp/test-classes:$tmp/main-classes:$(cat "$tmp/test-cp.txt")" dev.tollgate.proxy.audit.RequestLogBench \
      "$LOG_ROWS" 16 1000 >"$RAW/audit-bench.txt" 2>&1 || bench_note="RequestLogBench failed: $(tail -1 "$RAW/audit-bench.txt")"
  else
    bench_note="the proxy's test classes did not compile (someone's work in progress?): $(grep -m1 ERROR "$RAW/audit-build.txt" | cut -c1-200)"
  fi
  cat "$RAW/audit-bench.txt" 2>/dev/null >&2 || true
  rows_s=$(sed -n 's/.*, \([0-9,]*\) rows\/s persisted.*/\1/p' "$RAW/audit-bench.txt" 2>/dev/null | tr -d , | head -1)
  measured="$bench_note"; [ -n "$rows_s" ] && measured="$rows_s rows/s"
  goal "request log: ≥ 20,000 rows/s persisted (RequestLogBench)" "$measured" "$rows_s" 20000 '>=' 
  # (b) N requests through the real proxy make N rows; (c) throughput with the log on vs off, interleaved rounds.
  start_proxy proxy-logoff "$mock_port" TOLLGATE_REQUEST_LOG=off; off_pid=$PROXY_PID; off_port=$PROXY_PORT; off_db=$PROXY_DB
  HOP_PIDS[logon]=$proxy_pid; HOP_PIDS[logoff]=$off_pid
  rows_before=$(log_rows "$proxy_db")
  off_headers=("Authorization: Bearer $SECRET" "${HEADERS[@]:1}")
  saved_headers=("${HEADERS[@]}")
  for r in $(seq 1 "$ROUNDS"); do
    quiet_again
    if [ "$r" = 1 ]; then # the same warm-up for both (the first may already be warm from part 1)
      HEADERS=("${saved_headers[@]}"); run_wrk logon "$(url_of proxy)" 64 "$WARMUP" "$RAW/warm-audit-logon.txt" warmup
      HEADERS=("${off_headers[@]}"); run_wrk logoff "http://127.0.0.1:$off_port/v1/chat/completions" 64 "$WARMUP" "$RAW/warm-audit-logoff.txt" warmup
    fi
    HEADERS=("${saved_headers[@]}"); run_wrk logon "$(url_of proxy)" 64 1s "$RAW/pre-audit-r$r-logon.txt" warmup
    HEADERS=("${saved_headers[@]}"); run_wrk logon "$(url_of proxy)" 64 "$C64_DURATION" "$RAW/audit-r$r-logon.txt"
    HEADERS=("${off_headers[@]}"); run_wrk logoff "http://127.0.0.1:$off_port/v1/chat/completions" 64 1s "$RAW/pre-audit-r$r-logoff.txt" warmup
    run_wrk logoff "http://127.0.0.1:$off_port/v1/chat/completions" 64 "$C64_DURATION" "$RAW/audit-r$r-logoff.txt"
    echo "  round $r: log on $(field rps "$RAW/audit-r$r-logon.txt") req/s, off $(field rps "$RAW/audit-r$r-logoff.txt") req/s" >&2
  done
  HEADERS=("${saved_headers[@]}")
  sleep 2   # the writer flushes at least every TOLLGATE_LOG_FLUSH_MS
  rows_after=$(log_rows "$proxy_db"); off_rows=$(log_rows "$off_db")
  sent=0; for f in "$RAW"/audit-r*-logon.txt "$RAW"/pre-audit-r*-logon.txt "$RAW"/warm-audit-logon.txt; do n=$(field requests "$f"); sent=$((sent + ${n:-0})); done
  logged=$((rows_after - rows_before))
  on_rps=$(med_of "$RAW/audit" logon rps); off_rps=$(med_of "$RAW/audit" logoff rps)
  lr=$(ratio "$on_rps" "$off_rps")
  if [ "${off_rows:-1}" != 0 ]; then
    goal "throughput with the request log on ≥ 0.9× off" "\`TOLLGATE_REQUEST_LOG=off\` left the log on in this jar ($off_rows rows)" "" 0.9 '>='
  else
    goal "throughput with the request log on ≥ 0.9× off" "${lr}× ($on_rps vs $off_rps req/s)" "$lr" 0.9 '>='
  fi
  # wrk counts requests it completed; requests cut off at the end of a run can still have been logged: at most 64 per run.
  runs=$(ls "$RAW"/audit-r*-logon.txt "$RAW"/pre-audit-r*-logon.txt "$RAW"/warm-audit-logon.txt | wc -l)
  rows_ok=$(awk -v l="$logged" -v s="$sent" -v most=$((64 * runs)) 'BEGIN {print (l >= s && l <= s + most) ? 1 : 0}')
  goal "every request through Tollgate becomes a row" "$logged rows for $sent requests" "$rows_ok" 1 '==' 
  AUDIT_SECTION=$(
    echo "### 6. Request log (issue 5)"
    echo
    echo "- RequestLogBench (test scope; $LOG_ROWS rows from 16 virtual threads, batches of 1,000, into an H2 file):"
    echo "  $( [ -n "$rows_s" ] && sed -n 's/^request log bench: //p' "$RAW/audit-bench.txt" | head -1 || echo "$bench_note")"
    echo "- Through the real proxy at 64 at once: $logged rows in \`request_log\` for $sent requests answered (wrk's count; up to 64 per run"
    echo "  can be cut off at the end and still logged); the proxy answered $on_rps req/s, so the log kept up with that many rows/s."
    echo "- Throughput at 64 at once, $ROUNDS interleaved rounds (medians): log on **$on_rps** req/s (rounds: $(all_of "$RAW/audit" logon rps)),"
    echo "  \`TOLLGATE_REQUEST_LOG=off\` **$off_rps** req/s (rounds: $(all_of "$RAW/audit" logoff rps)): **${lr}×**. Rows in the off proxy's table: $off_rows."
  )
  stop_pid "$off_pid"
fi
finished_at=$(date +%s)
check_listeners >/dev/null

# ================================================================================================================
# Results
# ================================================================================================================
cmd="bench/compare.sh"; [ "$QUICK" = 1 ] && cmd="bench/compare.sh --quick"
[ "$PARTS" != "latency streams many memory audit" ] && cmd="PARTS=\"$PARTS\" $cmd"
[ "${BENCH_FROM_HEAD:-0}" = 1 ] && cmd="BENCH_FROM_HEAD=1 $cmd"
fragment=$(
  echo "## Side by side: Tollgate, nginx and Portkey on loopback$( [ "$QUICK" = 1 ] && echo " (quick run: short durations, not for comparison)")"
  echo
  machine_info
  echo "- Versions: $nginx_version (Debian's, \`worker_processes $NGINX_WORKERS\`), Portkey \`@portkey-ai/gateway\` $PORTKEY_VERSION on Node $node_version,"
  echo "  $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)."
  echo "- Upstream: the mock server (\`--pace 500 --ttft 20\`: JSON answers at once, streams at Groq's 2 ms per token; a second mock"
  echo "  with \`--pace $MANY_TPS\` for the slow streams), fixtures in \`bench/fixture/\`. Tollgate: \`java @proxy/jvm.options -jar proxy.jar\` (the options it ships with: $(grep -v "^#" "$tmp/jars/jvm.options" | tr -s "\n" " " | sed "s/ $//")),"
  echo "  a client key with every limit set (\`keys create $KEY_LIMITS\`), request log on, one INFO line per request to a file."
  echo "  nginx: \`proxy_pass\` with upstream keep-alive and \`proxy_buffering off\`. Portkey: \`x-portkey-provider: openai\`,"
  echo "  \`x-portkey-custom-host\` at the mock, forced onto 127.0.0.1 by \`bench/portkey-localhost.cjs\`. Every path gets the same headers."
  echo "- **2 cores shared**: the load generator (wrk, or \`bench/StreamClient.java\` for streams) runs on the same cores as the servers,"
  echo "  and takes CPU from them; every path uses the same client, so the comparison is fair, and the numbers are lower bounds."
  echo "- Rounds: $ROUNDS, interleaved (each round runs every path); values are medians over the rounds. One at a time: \`wrk -t1 -c1 -d$C1_DURATION\`;"
  echo "  64 at once: \`wrk -t2 -c64 -d$C64_DURATION\` after 1 s of the same load; warm-up $WARMUP for Tollgate and Portkey. Streams: $STREAMS per path per round."
  echo "- Listening (checked with \`ss\`): $listening; nothing beyond 127.0.0.1."
  echo
  echo "### Goals"
  echo
  echo "| Goal | measured | |"
  echo "|---|---:|---|"
  printf '%s\n' "${GOALS[@]}"
  echo
  if [ ${#ERRORS[@]} -gt 0 ]; then
    echo "### Errors recorded"
    echo
    echo "Runs with failed answers or socket errors (raw output in \`bench/out/compare/\`); their numbers stay in the medians above."
    echo "A peer's errors are reported here only; Tollgate's also fail the run."
    echo
    printf -- '- %s\n' "${ERRORS[@]}"
    echo
  fi
  for s in "${LAT_SECTION:-}" "${STREAM_SECTION:-}" "${MANY_SECTION:-}" "${MEMORY_SECTION:-}" "${AUDIT_SECTION:-}"; do
    [ -n "$s" ] && { echo "$s"; echo; }
  done
  echo "Reproduce (from the repository root): \`$cmd\` (this run: $(( (finished_at - started_at + 59) / 60 )) min). Raw output: \`bench/out/compare/\`,"
  echo "server logs: \`bench/out/compare.*.log\`."
)
echo >&2
echo "$fragment"
if [ "${BENCH_NO_RESULTS:-0}" != 1 ]; then
  echo "$fragment" > "$ROOT/bench/results/compare.md"
  "$ROOT/bench/write-results.sh"
fi
if [ ${#FAILURES[@]} -gt 0 ]; then
  echo "Goals missed or answers failed: $(printf '%s; ' "${FAILURES[@]}")" >&2
  exit 1
fi
