#!/usr/bin/env bash
# The cost of admission plus settlement on the proxy's hot path (issue goal: <= 20 µs per request with
# 64 concurrent requests on one key). Runs dev.tollgate.proxy.limits.LedgerBench (test scope) and writes
# bench/results/ledger.md, then RESULTS.md.
set -euo pipefail
source "$(dirname "$0")/common.sh"
CODE_PATHS="proxy/src"
JARS_NOTE="test classes compiled from the working tree"
echo "Compiling the proxy's tests and resolving their classpath ..." >&2
./mvnw -B -q -ntp -pl fixture-format,mock-server,proxy -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/test-cp.txt -Dmdep.includeScope=test >/dev/null
CP="proxy/target/test-classes:proxy/target/classes:$(cat proxy/target/test-cp.txt)"
wait_for_quiet
run() { "$JAVA_HOME/bin/java" -cp "$CP" dev.tollgate.proxy.limits.LedgerBench 64 200000 "$1" | tee "$OUT/ledger-$1.txt"; }
run platform
run virtual
{
  echo "## Usage ledger: admission + settlement per request, 64 threads on one key"
  echo
  machine_info
  echo "- What runs: \`UsageLedger.admit\` then \`settle\` for one key with every limit set (per-minute buckets, day and month"
  echo "  quotas, a budget), 64 threads × 200,000 requests, after a JIT warm-up; in memory, as on the proxy's hot path."
  echo "  \"per request\" is wall time / requests (the throughput cost); latency includes waiting for the key's lock."
  echo
  echo "| threads | output |"
  echo "|---|---|"
  for kind in platform virtual; do
    echo "| $kind | $(grep -v '^(' "$OUT/ledger-$kind.txt" | tr '\n' ';' | sed 's/|/\\|/g') |"
  done
  echo
  echo "Goal: ≤ 20 µs per request. Reproduce: \`bench/ledger.sh\`."
} > bench/results/ledger.md
bench/write-results.sh
