# Sourced by the bench/*.sh scripts: repo root, a JDK >= 21, the mock-server jar, machine facts.
# shellcheck shell=bash
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
source scripts/jdk.sh
JAR=mock-server/target/mock-server.jar
OUT="$ROOT/bench/out"          # scratch: server logs, raw wrk output, JFR recordings (git-ignored)
mkdir -p "$OUT" "$ROOT/bench/results"

# Builds the jar only when it is missing (BENCH_REBUILD=1 forces a build).
ensure_jar() {
  if [ ! -f "$JAR" ] || [ "${BENCH_REBUILD:-0}" = 1 ]; then
    echo "Building $JAR ..." >&2
    ./mvnw -B -q -ntp -DskipTests package
  fi
  JAR_TIME=$(date -u -r "$JAR" '+%Y-%m-%d %H:%M:%S UTC')
}

# Warns when the jar changed while the benchmark ran (someone rebuilt it).
check_jar_unchanged() {
  if [ "$(date -u -r "$JAR" '+%Y-%m-%d %H:%M:%S UTC')" != "$JAR_TIME" ]; then
    echo "WARNING: $JAR was rebuilt during the benchmark; the numbers may mix two builds." >&2
    JAR_TIME="$JAR_TIME (rebuilt during the run: numbers may mix two builds)"
  fi
}

# A free TCP port on 127.0.0.1.
free_port() {
  local p
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
    return
  fi
  while :; do
    p=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}

# Markdown lines describing the machine, the JDK and the code that was measured.
# CODE_PATHS (default: the mock's modules) are the sources checked for uncommitted changes;
# JARS_NOTE replaces the "jar … built …" part (for benchmarks that run several jars).
machine_info() {
  local cpu mem jdk commit dirty
  cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
  mem=$(free -g | awk '/^Mem:/ {print $2}')
  jdk=$("$JAVA_HOME/bin/java" -version 2>&1 | head -2 | tail -1)
  commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
  dirty=""
  # shellcheck disable=SC2086
  if [ -n "$(git status --porcelain -- ${CODE_PATHS:-fixture-format mock-server pom.xml} 2>/dev/null)" ]; then
    dirty=" (working tree had uncommitted changes to the Java sources)"
  fi
  echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- Machine: $(nproc) cores (\`nproc\`), ${mem} GiB RAM (\`free -g\` total), CPU: ${cpu:-unknown}, $(uname -sr)"
  echo "- JDK: $jdk"
  echo "- Code: HEAD \`$commit\` at run time$dirty; ${JARS_NOTE:-jar \`$JAR\` built ${JAR_TIME:-unknown}}"
  echo "- Other work on the machine: CPU ${BUSY_BEFORE:-?}% busy in the 2 s before the run (load average ${LOAD_BEFORE:-?})${OTHER_NOTE:-}"
}

# Busy CPU jiffies and total jiffies of the whole machine (all processes, all containers), from /proc/stat.
machine_jiffies() { awk '/^cpu / {busy = $2 + $3 + $4 + $7 + $8 + $9; print busy, busy + $5 + $6}' /proc/stat; }

# Percent of the machine's CPU busy over SECONDS (default 2).
busy_percent() {
  local b1 t1 b2 t2
  read -r b1 t1 <<<"$(machine_jiffies)"; sleep "${1:-2}"; read -r b2 t2 <<<"$(machine_jiffies)"
  echo $(( 100 * (b2 - b1) / (t2 - t1 > 0 ? t2 - t1 : 1) ))
}

# Other work on the machine skews the numbers: wait up to QUIET_WAIT seconds (default 60) for the CPU
# to be under QUIET_BELOW percent busy (default 20); sets BUSY_BEFORE to the last reading.
wait_for_quiet() {
  local waited=0
  BUSY_BEFORE=$(busy_percent 2)
  while [ "$BUSY_BEFORE" -ge "${QUIET_BELOW:-20}" ] && [ "$waited" -lt "${QUIET_WAIT:-60}" ]; do
    echo "machine is ${BUSY_BEFORE}% busy with other work; waiting for it to calm down ..." >&2
    sleep 3; waited=$((waited + 5))
    BUSY_BEFORE=$(busy_percent 2)
  done
  LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
  echo "machine ${BUSY_BEFORE}% busy before the run" >&2
}

median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) exit; if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }   # nothing for no values
