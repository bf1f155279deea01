#!/usr/bin/env bash
# What admission costs in shared mode (several instances on one PostgreSQL, issue 13): a key far from its
# limits (admitted against the local lease) and near them (a top-up transaction per admission). Runs
# dev.tollgate.proxy.limits.LedgerPgBench (test scope; a real PostgreSQL 15 from the embedded-postgres
# test dependency) and writes bench/results/ledger-pg.md, then RESULTS.md.
set -euo pipefail
source "$(dirname "$0")/common.sh"
CODE_PATHS="proxy/src"
JARS_NOTE="test classes compiled from the working tree"
echo "Compiling the proxy's tests and resolving their classpath ..." >&2
./mvnw -B -q -ntp -pl fixture-format,mock-server,proxy -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/test-cp.txt -Dmdep.includeScope=test >/dev/null
CP="proxy/target/test-classes:proxy/target/classes:$(cat proxy/target/test-cp.txt)"
wait_for_quiet
"$JAVA_HOME/bin/java" -cp "$CP" dev.tollgate.proxy.limits.LedgerPgBench "${LEDGER_PG_REQUESTS:-20000}" 2>/dev/null \
  | tee "$OUT/ledger-pg.txt"
{
  echo "## Usage ledger on PostgreSQL (shared mode): admission + settlement, three instances on one database"
  echo
  machine_info
  echo "- What runs: three \`UsageLedger\`s in shared mode (each its own pool of 10 and instance id, as three proxies)"
  echo "  on one local PostgreSQL database; requests go round the three, \`admit\` then \`settle\`, flush every second."
  echo "  Far: every limit set, far from reached (each instance leases a slice of what remains). Near: a token quota"
  echo "  of 10,000 with 2,000 tokens reserved per request (1 billed): less than each instance's share of a request"
  echo "  remains, so every admission tops up (one transaction: 8 statements, 10 with a per-minute limit) and each"
  echo "  finished request gives its unspent lease back (one more transaction, off the request path)."
  echo
  echo "| run | output |"
  echo "|---|---|"
  grep -v '^PostgreSQL\|^warm-up' "$OUT/ledger-pg.txt" | while IFS= read -r line; do
    echo "| ${line%%:*} | ${line#*: } |"
  done
  echo
  echo "$(grep '^PostgreSQL' "$OUT/ledger-pg.txt"). Reproduce: \`bench/ledger-pg.sh\`."
} > bench/results/ledger-pg.md
bench/write-results.sh
