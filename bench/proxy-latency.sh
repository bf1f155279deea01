#!/usr/bin/env bash
# The proxy's added latency and throughput over calling the mock server directly, with nginx
# proxy_pass (Debian's nginx) measured in the same run as the floor of one HTTP hop.
#
# Three paths to the same mock server (one small JSON chat fixture, --pace instant):
#   direct  wrk -> mock
#   nginx   wrk -> nginx (proxy_pass, upstream keep-alive) -> mock
#   proxy   wrk -> Tollgate proxy (client key, request checks, limits, OkHttp, OpenAI shape) -> mock
# Loads: one request at a time (wrk -t1 -c1) and 64 at once (wrk -t2 -c64), after a warm-up.
# ROUNDS rounds, each running every load on every path (direct, nginx, proxy in that order);
# the tables show medians over the rounds, and "added" is a path's median minus direct's median.
# Every answer must be a 200 (the Lua script counts the others).
# Writes bench/results/proxy-latency.md and regenerates bench/RESULTS.md.
#
# Knobs (environment):
#   ROUNDS (3)  C1_DURATION (8s)  C64_DURATION (12s)  C64_THREADS (2)
#   WARMUP (20s: the proxy at 64 connections; the other paths get 3 s, then every path 2 s at 1)
#   NGINX_WORKERS (auto)        nginx worker_processes
#   BENCH_PROXY_LOG (file)      where the proxy's stdout (one INFO line per request) goes: "file"
#                               (bench/out/proxy-latency.proxy.log) or "null" (/dev/null)
#   BENCH_PROXY_JAVA_OPTS, BENCH_MOCK_JAVA_OPTS   extra JVM flags, e.g. a JFR recording
#   BENCH_REBUILD=1             rebuild the jars even if they exist
#   BENCH_KEY_LIMITS            limit options for the client key (keys create), e.g. "--rpm 1000000000"
#   BENCH_NO_RESULTS=1          print only, do not touch bench/results or RESULTS.md (for experiments)
set -euo pipefail
trap 'echo "proxy-latency.sh: failed at line $LINENO: $BASH_COMMAND" >&2' ERR
source "$(dirname "$0")/common.sh"

ROUNDS=${ROUNDS:-3}
C1_DURATION=${C1_DURATION:-8s}
C64_DURATION=${C64_DURATION:-12s}
C64_THREADS=${C64_THREADS:-2}
WARMUP=${WARMUP:-20s}
NGINX_WORKERS=${NGINX_WORKERS:-auto}
BENCH_PROXY_LOG=${BENCH_PROXY_LOG:-file}
BENCH_PROXY_JAVA_OPTS=${BENCH_PROXY_JAVA_OPTS:-}
BENCH_MOCK_JAVA_OPTS=${BENCH_MOCK_JAVA_OPTS:-}
PROXY_JAR=proxy/target/proxy.jar
PATHS=(direct nginx proxy)
case $BENCH_PROXY_LOG in file|null) ;; *) echo "BENCH_PROXY_LOG must be file or null" >&2; exit 2 ;; esac

# --- tools: installed only when missing -------------------------------------------------------------
NGINX=$(command -v nginx || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true)
missing=()
[ -n "$NGINX" ] || missing+=(nginx)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v ss >/dev/null 2>&1 || missing+=(iproute2)   # to check that nothing listens beyond 127.0.0.1
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} ..." >&2
  # Debian's nginx package starts its service on port 80 after installing; a policy-rc.d that says
  # "no" (exit 101) stops that. Containers often have one already; otherwise one is made for the install.
  made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && made_policy=1
  fi
  rc=0
  { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"; } || rc=$?
  [ "$made_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
  [ "$rc" = 0 ] || { echo "installing ${missing[*]} failed" >&2; exit "$rc"; }
  NGINX=$(command -v nginx || echo /usr/sbin/nginx)
fi

# --- jars: built only when missing, then copied, so a rebuild during the run cannot touch them -------
if [ ! -f "$JAR" ] || [ ! -f "$PROXY_JAR" ] || [ "${BENCH_REBUILD:-0}" = 1 ]; then
  echo "Building the jars ..." >&2
  ./mvnw -B -q -ntp -DskipTests package
fi
tmp=$(mktemp -d)
chmod 755 "$tmp"   # nginx's workers run as nobody and read under $tmp/nginx
mkdir -p "$tmp/jars"
cp "$JAR" "$tmp/jars/mock-server.jar"
cp "$PROXY_JAR" "$tmp/jars/proxy.jar"
JAR_TIME=$(date -u -r "$JAR" '+%Y-%m-%d %H:%M:%S UTC')
PROXY_JAR_TIME=$(date -u -r "$PROXY_JAR" '+%Y-%m-%d %H:%M:%S UTC')
JARS_NOTE="jars \`$PROXY_JAR\` built $PROXY_JAR_TIME and \`$JAR\` built $JAR_TIME (copied to a temp folder before the run)"
CODE_PATHS="fixture-format mock-server proxy pom.xml"
# A jar older than the last commit to the sources measures older code: say so in the results.
read -r src_commit src_time <<<"$(git log -1 --format='%h %ct' -- $CODE_PATHS 2>/dev/null || true)"
if [ -n "${src_time:-}" ] && [ "$src_time" -gt "$(date -r "$PROXY_JAR" +%s)" ]; then
  JARS_NOTE="$JARS_NOTE; **the proxy jar is older than the last commit to the sources** (\`$src_commit\`, $(date -u -d "@$src_time" '+%H:%M:%S UTC')): \`BENCH_REBUILD=1\` measures HEAD"
  echo "WARNING: $PROXY_JAR is older than commit $src_commit; BENCH_REBUILD=1 rebuilds it" >&2
fi

RAW="$OUT/proxy-latency"
rm -rf "$RAW"; mkdir -p "$RAW"
mock_log="$OUT/proxy-latency.mock.log"
proxy_log="$OUT/proxy-latency.proxy.log"
proxy_stdout=$proxy_log
[ "$BENCH_PROXY_LOG" = null ] && proxy_stdout=/dev/null

mock_pid=""; proxy_pid=""; nginx_pid=""
stop_pid() { # stop_pid PID: TERM, then KILL after 10 s
  local pid=$1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  stop_pid "$nginx_pid"   # TERM to nginx's master: a fast shutdown of its workers too
  stop_pid "$proxy_pid"
  stop_pid "$mock_pid"
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_for_quiet
started_at=$(date +%s)

# --- the fixture: the same small JSON chat exchange as mock-throughput.sh -----------------------------
mkdir -p "$tmp/fixtures"
cp -r "$ROOT/bench/fixture/chat" "$tmp/fixtures/"
cp "$ROOT/bench/fixture/request.json" "$tmp/request.json"

# --- the mock server ------------------------------------------------------------------------------------
# shellcheck disable=SC2086
"$JAVA_HOME/bin/java" $BENCH_MOCK_JAVA_OPTS -jar "$tmp/jars/mock-server.jar" --host 127.0.0.1 --port 0 \
  --fixtures "$tmp/fixtures" --pace instant >"$mock_log" 2>&1 &
mock_pid=$!
mock_port=""
for _ in $(seq 1 1500); do
  mock_port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$mock_log" | head -1)
  [ -n "$mock_port" ] && break
  kill -0 "$mock_pid" 2>/dev/null || { cat "$mock_log" >&2; echo "mock server exited" >&2; exit 1; }
  sleep 0.01
done
[ -n "$mock_port" ] || { cat "$mock_log" >&2; echo "mock server did not start in 15 s" >&2; exit 1; }
echo "mock server: pid $mock_pid on 127.0.0.1:$mock_port" >&2

# --- the proxy: a client key first (same H2 file), then the gateway --------------------------------------
# AUTO_SERVER=TRUE (the README's default URL) makes the first process that opens the file serve it over
# TCP for the others; H2 binds that server to all interfaces unless h2.bindAddress says otherwise.
H2_LOCAL="-Dh2.bindAddress=127.0.0.1"
db_url="jdbc:h2:file:$tmp/db/tollgate;AUTO_SERVER=TRUE"
# shellcheck disable=SC2086
key_out=$("$JAVA_HOME/bin/java" $H2_LOCAL -jar "$tmp/jars/proxy.jar" keys create --name bench --db "$db_url" ${BENCH_KEY_LIMITS:-} 2>&1) \
  || { echo "$key_out" >&2; echo "keys create failed" >&2; exit 1; }
secret=$(grep -o 'sk-tg-[A-Za-z0-9]*' <<<"$key_out" | head -1)
[ -n "$secret" ] || { echo "$key_out" >&2; echo "no sk-tg-… secret in the keys create output" >&2; exit 1; }
proxy_port=$(free_port)
# shellcheck disable=SC2086
TOLLGATE_PORT=$proxy_port TOLLGATE_HOST=127.0.0.1 TOLLGATE_UPSTREAM_URL="http://127.0.0.1:$mock_port/v1" \
  GROQ_API_KEY=gsk_bench_dummy_key TOLLGATE_DB_URL="$db_url" \
  "$JAVA_HOME/bin/java" $H2_LOCAL @"$ROOT/proxy/jvm.options" $BENCH_PROXY_JAVA_OPTS -jar "$tmp/jars/proxy.jar" >"$proxy_stdout" 2>"$proxy_log.err" &
proxy_pid=$!

# --- nginx: our own instance and config, in the foreground of a background job ------------------------------
mkdir -p "$tmp/nginx/temp"
chmod 777 "$tmp/nginx/temp"
nginx_port=$(free_port)
cat > "$tmp/nginx/nginx.conf" <<NGINX
# worker_processes $NGINX_WORKERS: "auto" is one worker per core, so nginx may use every core, as the proxy may.
worker_processes $NGINX_WORKERS;
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $tmp/nginx/temp/body;
  proxy_temp_path $tmp/nginx/temp/proxy;
  fastcgi_temp_path $tmp/nginx/temp/fastcgi;
  uwsgi_temp_path $tmp/nginx/temp/uwsgi;
  scgi_temp_path $tmp/nginx/temp/scgi;
  upstream mock {
    server 127.0.0.1:$mock_port;
    keepalive 64;              # idle keep-alive connections to the mock kept per worker
    keepalive_timeout 20s;     # below Jetty's 30 s idle timeout, so nginx never reuses a connection the mock closed
    keepalive_requests 1000000; # not the default 1000: no closing and reopening (the proxy and the mock never do)
  }
  server {
    listen 127.0.0.1:$nginx_port;
    keepalive_requests 1000000;  # the same for wrk's connections
    location / {
      proxy_pass http://mock;
      proxy_http_version 1.1;          # keep-alive to the upstream needs HTTP/1.1 ...
      proxy_set_header Connection "";  # ... and no "Connection: close"
      proxy_buffering off;             # answers go on as they arrive, like the proxy's
    }
  }
}
NGINX
"$NGINX" -t -q -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/error.log" \
  || { cat "$tmp/nginx/error.log" >&2; exit 1; }
"$NGINX" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/error.log" >"$OUT/proxy-latency.nginx.log" 2>&1 &
nginx_pid=$!
nginx_version=$("$NGINX" -v 2>&1 | sed 's/^nginx version: //')

# --- wait until everything answers ----------------------------------------------------------------------
wait_http() { # wait_http NAME PID URL
  for _ in $(seq 1 300); do
    curl -sf -o /dev/null --max-time 1 "$3" && return 0
    kill -0 "$2" 2>/dev/null || { echo "$1 exited" >&2; cat "$proxy_log.err" "$tmp/nginx/error.log" 2>/dev/null | tail -20 >&2; exit 1; }
    sleep 0.1
  done
  echo "$1 did not answer $3 within 30 s" >&2; exit 1
}
wait_http proxy "$proxy_pid" "http://127.0.0.1:$proxy_port/health"
wait_http nginx "$nginx_pid" "http://127.0.0.1:$nginx_port/health"
echo "proxy: pid $proxy_pid on 127.0.0.1:$proxy_port; nginx $nginx_version: pid $nginx_pid on 127.0.0.1:$nginx_port ($NGINX_WORKERS workers)" >&2

url_of() {
  case $1 in
    direct) echo "http://127.0.0.1:$mock_port/v1/chat/completions" ;;
    nginx)  echo "http://127.0.0.1:$nginx_port/v1/chat/completions" ;;
    proxy)  echo "http://127.0.0.1:$proxy_port/v1/chat/completions" ;;
  esac
}

# Every path answers the fixture with a 200; the proxy refuses a request without the key (so its 200s are
# authenticated ones, not a fast path).
for p in "${PATHS[@]}"; do
  status=$(curl -s -o "$tmp/answer-$p.json" -w '%{http_code}' -H 'content-type: application/json' \
    -H "Authorization: Bearer $secret" --data-binary @"$tmp/request.json" "$(url_of "$p")")
  if [ "$status" != 200 ] || ! grep -q 'chatcmpl-bench-0000' "$tmp/answer-$p.json"; then
    echo "sanity check failed on $p: HTTP $status: $(head -c 300 "$tmp/answer-$p.json")" >&2; exit 1
  fi
done
status=$(curl -s -o /dev/null -w '%{http_code}' -H 'content-type: application/json' --data-binary @"$tmp/request.json" "$(url_of proxy)")
[ "$status" = 401 ] || { echo "sanity check failed: the proxy answered $status without a key (expected 401)" >&2; exit 1; }
echo "answers: direct $(wc -c <"$tmp/answer-direct.json") bytes, nginx $(wc -c <"$tmp/answer-nginx.json") bytes, proxy $(wc -c <"$tmp/answer-proxy.json") bytes (OpenAI-shaped)" >&2

# Nothing we started may listen beyond 127.0.0.1 (Java's dual-stack sockets show it as [::ffff:127.0.0.1]).
our_pids="$mock_pid|$proxy_pid|$nginx_pid$( (pgrep -P "$nginx_pid" || true) | sed 's/^/|/' | tr -d '\n')"
ours=$(ss -Htlnp 2>/dev/null | grep -E "pid=($our_pids)," || true)
if grep -vE '^\S+\s+\S+\s+\S+\s+(127\.0\.0\.1|\[::ffff:127\.0\.0\.1\]):' <<<"$ours" | grep -q .; then
  echo "$ours" >&2; echo "a process of the benchmark listens beyond 127.0.0.1" >&2; exit 1
fi
listening=$(awk '{print $4}' <<<"$ours" | sort -u | tr '\n' ' ' | sed 's/ $//')

# --- measuring ----------------------------------------------------------------------------------------------
ticks=$(getconf CLK_TCK)
tree_ticks() { # CPU ticks (user + system) of PID and its direct children (nginx's workers)
  # (processes of other work may end between the glob and the read: not an error)
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v root="$1" '{pid = $1; sub(/^[^(]*\(.*\) /, ""); if (pid == root || $2 == root) t += $12 + $13} END {print t + 0}'
}
# Connection attempts the kernel dropped because a listening socket's accept queue was full (system-wide counter).
# Jetty (mock and proxy) listens with Java's default backlog of 50, so 64 connections opened at once can overflow it;
# the dropped SYNs are retried after 1 s.
listen_overflows() {
  awk '/^TcpExt:/ {if (!h) {for (i = 1; i <= NF; i++) n[i] = $i; h = 1} else {for (i = 1; i <= NF; i++) if (n[i] == "ListenOverflows") print $i}}' /proc/net/netstat
}
hop_pid() { case $1 in direct) echo "" ;; nginx) echo "$nginx_pid" ;; proxy) echo "$proxy_pid" ;; esac; }
field() { sed -n "s/.*[ ]$1=\([^ ]*\).*/\1/p" "$2" | head -1; }

# run_wrk PATH CONNECTIONS DURATION OUTFILE [warmup]: one wrk run, CPU accounting appended; fails on any
# non-200 answer, and on socket errors (timeouts) except in a warm-up (a cold JVM on a busy machine can be slow).
run_wrk() {
  local path=$1 conns=$2 duration=$3 out=$4 warm=${5:-} threads=1 hop hb ha mb ma wb wa lb la
  [ "$conns" -gt 1 ] && threads=$C64_THREADS
  hop=$(hop_pid "$path")
  hb=0; [ -n "$hop" ] && hb=$(tree_ticks "$hop")
  mb=$(tree_ticks "$mock_pid"); read -r wb _ <<<"$(machine_jiffies)"; lb=$(listen_overflows)
  TIMEFORMAT='%U %S'
  { time BENCH_BODY="$tmp/request.json" BENCH_AUTH="$secret" wrk -t"$threads" -c"$conns" -d"$duration" --latency \
      -s "$ROOT/bench/post-chat.lua" "$(url_of "$path")" >"$out" ; } 2>"$out.time"
  ha=0; [ -n "$hop" ] && ha=$(tree_ticks "$hop")
  ma=$(tree_ticks "$mock_pid"); read -r wa _ <<<"$(machine_jiffies)"; la=$(listen_overflows)
  local secs requests
  secs=$(awk -v us="$(field duration_us "$out")" 'BEGIN {printf "%.3f", us / 1e6}')
  requests=$(field requests "$out")
  awk -v h=$((ha - hb)) -v m=$((ma - mb)) -v w=$((wa - wb)) -v t="$ticks" -v s="$secs" -v n="$requests" -v wrk="$(cat "$out.time")" -v lo=$((la - lb)) 'BEGIN {
      split(wrk, c, " ")
      o = w / t / s - (h + m) / t / s - (c[1] + c[2]) / s
      printf "BENCH hop_cores=%.2f hop_us_per_req=%.1f mock_cores=%.2f mock_us_per_req=%.1f wrk_cores=%.2f machine_cores=%.2f other_cores=%.2f listen_overflows=%d\n",
        h / t / s, h / t * 1e6 / n, m / t / s, m / t * 1e6 / n, (c[1] + c[2]) / s, w / t / s, o < 0 ? 0 : o, lo }' >>"$out"
  local bad sock st
  bad=$(field non200 "$out"); sock=$(field socket_errors "$out"); st=$(field status_errors "$out")
  [ -n "$warm" ] && [ "${sock:-x}" != 0 ] && echo "  (warm-up of $path at $conns: $sock socket errors, ignored)" >&2 && sock=0
  if [ "${bad:-x}" != 0 ] || [ "${sock:-x}" != 0 ] || [ "${st:-x}" != 0 ]; then
    cat "$out" >&2
    echo "INVALID: $path at $conns connections: $bad non-200 answers, $sock socket errors ($(field first_non200 "$out"))" >&2
    exit 1
  fi
}

echo "warm-up ..." >&2
for p in direct nginx; do run_wrk "$p" 64 3s "$RAW/warmup-c64-$p.txt" warmup; done
run_wrk proxy 64 "$WARMUP" "$RAW/warmup-c64-proxy.txt" warmup
echo "  proxy at 64 after $WARMUP: $(field rps "$RAW/warmup-c64-proxy.txt") req/s" >&2
for p in "${PATHS[@]}"; do run_wrk "$p" 1 2s "$RAW/warmup-c1-$p.txt" warmup; done

# Before each round (our processes idle): wait again, up to QUIET_WAIT s, while other work keeps the CPU busy.
quiet_again() {
  local busy waited=0
  busy=$(busy_percent 1)
  while [ "$busy" -ge "${QUIET_BELOW:-20}" ] && [ "$waited" -lt "${QUIET_WAIT:-60}" ]; do
    echo "  machine ${busy}% busy with other work; waiting before the next round ..." >&2
    sleep 2; waited=$((waited + 3)); busy=$(busy_percent 1)
  done
}

for r in $(seq 1 "$ROUNDS"); do
  quiet_again
  for c in 1 64; do
    d=$C1_DURATION; [ "$c" = 64 ] && d=$C64_DURATION
    line="round $r, $c at once:"
    for p in "${PATHS[@]}"; do
      f="$RAW/r$r-c$c-$p.txt"
      # 1 s at 64 first, not measured: nginx closes idle upstream connections after 20 s, and reopening 64 at once
      # overflows the mock's accept queue (1 s stalls inside the measured latencies); the same for every path.
      [ "$c" = 64 ] && run_wrk "$p" 64 1s "$RAW/pre-r$r-c64-$p.txt" warmup
      run_wrk "$p" "$c" "$d" "$f"
      line+=" $p $(field rps "$f") req/s p50 $(field p50_us "$f") µs p99 $(field p99_us "$f") µs;"
    done
    echo "$line" >&2
  done
done
finished_at=$(date +%s)
# CPU the rest of the machine used during each measured run (/proc/stat busy time minus mock, hop and wrk;
# includes kernel time for loopback TCP not charged to a process): the numbers are only as good as this is low.
other_max=$(for f in "$RAW"/r*.txt; do field other_cores "$f"; done | sort -n | tail -1)
other_med=$(for f in "$RAW"/r*.txt; do field other_cores "$f"; done | median)
proxy_alive=yes; kill -0 "$proxy_pid" 2>/dev/null || proxy_alive=no
log_lines=$( [ "$BENCH_PROXY_LOG" = file ] && grep -c 'request id=' "$proxy_log" || echo "n/a (stdout to /dev/null)")

# --- results ----------------------------------------------------------------------------------------------
rfile() { echo "$RAW/r$1-c$2-$3.txt"; }                                        # ROUND CONNS PATH
med() { for r in $(seq 1 "$ROUNDS"); do field "$3" "$(rfile "$r" "$1" "$2")"; done | median; }   # CONNS PATH FIELD
all() { for r in $(seq 1 "$ROUNDS"); do field "$3" "$(rfile "$r" "$1" "$2")"; done | tr '\n' ' ' | sed 's/ $//; s/ /, /g'; }
added() { # CONNS PATH FIELD: median over rounds for PATH minus median over rounds for direct
  awk -v a="$(med "$1" "$2" "$3")" -v b="$(med "$1" direct "$3")" 'BEGIN {print a - b}'
}
ms() { awk -v us="$1" 'BEGIN {printf "%.3f", us / 1000}'; }
ms2() { awk -v us="$1" 'BEGIN {printf "%.2f", us / 1000}'; }
label() { case $1 in direct) echo "direct: wrk → mock" ;; nginx) echo "nginx: wrk → nginx → mock" ;; proxy) echo "**proxy**: wrk → Tollgate → mock" ;; esac; }

add_p50=$(added 1 proxy p50_us); add_p99=$(added 1 proxy p99_us)
rps_proxy=$(med 64 proxy rps); rps_nginx=$(med 64 nginx rps)
ratio=$(awk -v a="$rps_proxy" -v b="$rps_nginx" 'BEGIN {printf "%.2f", a / b}')
failed=0
verdict() { if awk -v v="$1" -v g="$2" "BEGIN {exit !(v $3 g)}"; then echo meets; else echo "**misses**"; fi; }
v_p50=$(verdict "$add_p50" 300 '<='); v_p99=$(verdict "$add_p99" 1000 '<='); v_ratio=$(verdict "$ratio" 0.5 '>=')
case "$v_p50 $v_p99 $v_ratio" in *misses*) failed=1 ;; esac   # the script exits 1 when a goal is missed
nginx_ratio=$(awk -v a="$rps_nginx" -v b="$(med 64 direct rps)" 'BEGIN {printf "%.2f", a / b}')

cmd="bench/proxy-latency.sh"
[ "$BENCH_PROXY_LOG" != file ] && cmd="BENCH_PROXY_LOG=$BENCH_PROXY_LOG $cmd"
[ "$NGINX_WORKERS" != auto ] && cmd="NGINX_WORKERS=$NGINX_WORKERS $cmd"
[ -n "$BENCH_PROXY_JAVA_OPTS" ] && cmd="BENCH_PROXY_JAVA_OPTS=\"$BENCH_PROXY_JAVA_OPTS\" $cmd"
[ -n "$BENCH_MOCK_JAVA_OPTS" ] && cmd="BENCH_MOCK_JAVA_OPTS=\"$BENCH_MOCK_JAVA_OPTS\" $cmd"
log_where="stdout redirected to a file (\`bench/out/proxy-latency.proxy.log\`, $log_lines request lines)"
[ "$BENCH_PROXY_LOG" = null ] && log_where="stdout redirected to /dev/null"
workers_note="$NGINX_WORKERS"; [ "$NGINX_WORKERS" = auto ] && workers_note="auto, i.e. $(nproc) on this machine"

fragment=$(
  echo "## Proxy: added latency over calling the mock directly, with nginx as the floor of one hop"
  echo
  machine_info
  echo "- Paths, all on 127.0.0.1, all to the same mock server (\`--pace instant\`, one fixture: request $(wc -c <"$tmp/request.json") bytes,"
  echo "  answer $(wc -c <"$tmp/answer-direct.json") bytes; $(wc -c <"$tmp/answer-proxy.json") bytes after the proxy's OpenAI shaping):"
  echo "  - direct: \`wrk → mock\`"
  echo "  - nginx: \`wrk → nginx → mock\`, $nginx_version (Debian's), \`proxy_pass\` to an \`upstream\` with \`keepalive 64\`,"
  echo "    \`proxy_http_version 1.1\`, \`proxy_set_header Connection \"\"\`, \`proxy_buffering off\`, \`keepalive_requests 1000000\` (both sides),"
  echo "    \`access_log off\`, \`worker_processes\` $workers_note"
  echo "  - proxy: \`wrk → Tollgate proxy → mock\` (\`java @proxy/jvm.options ${BENCH_PROXY_JAVA_OPTS:+$BENCH_PROXY_JAVA_OPTS }-jar $PROXY_JAR\`, the JVM options it ships with,"
  echo "    \`TOLLGATE_UPSTREAM_URL\` at the mock, a client key from \`keys create\` in an H2 file with \`AUTO_SERVER=TRUE\`;"
  echo "    its per-request INFO log line on $log_where)"
  echo "- Load: \`wrk --latency -s bench/post-chat.lua\` POSTing the fixture's request with the client key (\`BENCH_AUTH\`; every path gets"
  echo "  the header). **One at a time**: \`-t1 -c1 -d$C1_DURATION\`. **64 at once**: \`-t$C64_THREADS -c64 -d$C64_DURATION\`."
  echo "  Warm-up first ($WARMUP of the proxy at 64 connections, 3 s of the others, then 2 s of each at 1). Then $ROUNDS rounds; each runs"
  echo "  direct, nginx, proxy one at a time, then the same at 64. Values are **medians over the rounds**; \"added\" is a path's median minus"
  echo "  direct's median. wrk records each latency in whole microseconds, so the latencies are exact to 1 µs; the p99s still move a lot"
  echo "  from round to round (a few stalls per thousand requests on a shared 2-core machine), which is why every round is shown."
  echo "  Every answer was checked to be a 200 (the Lua script counts the others; any non-200 or socket error fails the run)."
  echo "  wrk, the mock, nginx and the proxy share the $(nproc) cores."
  echo "- Sockets the benchmark's processes listened on (checked with \`ss\`): $listening; nothing beyond 127.0.0.1."
  echo
  echo "### One request at a time (\`wrk -t1 -c1\`)"
  echo
  echo "| Path | p50 ms | p99 ms | p99.9 ms | req/s | added p50 ms | added p99 ms | p50 / p99 µs in each round |"
  echo "|---|---:|---:|---:|---:|---:|---:|---|"
  for p in "${PATHS[@]}"; do
    if [ "$p" = direct ]; then a50="—"; a99="—"; else a50=$(ms "$(added 1 "$p" p50_us)"); a99=$(ms "$(added 1 "$p" p99_us)"); fi
    [ "$p" = proxy ] && { a50="**$a50**"; a99="**$a99**"; }
    echo "| $(label "$p") | $(ms "$(med 1 "$p" p50_us)") | $(ms "$(med 1 "$p" p99_us)") | $(ms "$(med 1 "$p" p999_us)") | $(med 1 "$p" rps) | $a50 | $a99 | $(all 1 "$p" p50_us) / $(all 1 "$p" p99_us) |"
  done
  echo
  echo "### 64 at once (\`wrk -t$C64_THREADS -c64\`)"
  echo
  echo "| Path | req/s | p50 ms | p99 ms | added p50 ms | added p99 ms | hop CPU (cores) | hop CPU µs / request | mock CPU (cores) | wrk CPU (cores) | machine busy (cores) | req/s in each round | accept-queue overflows in each round |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"
  for p in "${PATHS[@]}"; do
    if [ "$p" = direct ]; then a50="—"; a99="—"; hc="—"; hu="—"
    else a50=$(ms2 "$(added 64 "$p" p50_us)"); a99=$(ms2 "$(added 64 "$p" p99_us)"); hc=$(med 64 "$p" hop_cores); hu=$(med 64 "$p" hop_us_per_req); fi
    rps=$(med 64 "$p" rps); [ "$p" = proxy ] && rps="**$rps**"
    echo "| $(label "$p") | $rps | $(ms2 "$(med 64 "$p" p50_us)") | $(ms2 "$(med 64 "$p" p99_us)") | $a50 | $a99 | $hc | $hu | $(med 64 "$p" mock_cores) | $(med 64 "$p" wrk_cores) | $(med 64 "$p" machine_cores) | $(all 64 "$p" rps) | $(all 64 "$p" listen_overflows) |"
  done
  echo
  echo "\"hop\" is nginx (master and workers) or the proxy; \"machine busy\" is all CPU use in /proc/stat during the run (the rest is kernel"
  echo "time for loopback TCP and other work). nginx reaches $nginx_ratio× the direct rate at 64. A negative \"added\" p99 means the path's"
  echo "median p99 came out below direct's: the p99s vary more from round to round than one hop costs. Accept-queue overflows are"
  echo "connection attempts the kernel dropped (\`ListenOverflows\` in /proc/net/netstat, machine-wide) because a listening socket's queue"
  echo "was full; Jetty (mock and proxy) listens with a backlog of 50, so wrk opening 64 connections at once can overflow it, and those"
  echo "connections start 1 s late. Each measured run at 64 follows 1 s of the same load, not measured, so nginx's connections to the mock are open."
  echo "Other work on the machine during the measured runs (machine busy minus mock, hop and wrk): median $other_med cores, at most $other_max."
  if awk -v o="$other_max" 'BEGIN {exit !(o > 0.25)}'; then
    echo "**Other work used more than a quarter of a core during some runs: those numbers are disturbed; rerun on a quiet machine.**"
  fi
  echo
  echo "### Goals"
  echo
  echo "| Goal (from the issue) | measured | |"
  echo "|---|---:|---|"
  echo "| added p50 ≤ 0.3 ms, one at a time | $(ms "$add_p50") ms | $v_p50 |"
  echo "| added p99 ≤ 1 ms, one at a time | $(ms "$add_p99") ms | $v_p99 |"
  echo "| throughput at 64 at once ≥ 0.5× nginx's | $ratio× ($rps_proxy vs $rps_nginx req/s) | $v_ratio |"
  echo
  echo "Reproduce (from the repository root): \`$cmd\` (about $(( finished_at - started_at + 5 )) s, plus up to ${QUIET_WAIT:-60} s waiting for a quiet"
  echo "machine; installs nginx and wrk with apt-get if missing). Raw wrk output per run: \`bench/out/proxy-latency/\`; logs: \`bench/out/proxy-latency.*\`."
  [ "$proxy_alive" = yes ] || echo "**The proxy was no longer running at the end of the run.**"
)
echo >&2
echo "$fragment"
if [ "${BENCH_NO_RESULTS:-0}" != 1 ]; then
  echo "$fragment" > "$ROOT/bench/results/proxy-latency.md"
  "$ROOT/bench/write-results.sh"
fi
exit $failed
