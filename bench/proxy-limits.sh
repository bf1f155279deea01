#!/usr/bin/env bash
# The proxy's throughput with per-key limits off and on (issue 4): bench/proxy-latency.sh twice, the
# second time with a client key that has every limit set (high enough never to refuse, so every check
# runs on every request). Writes bench/results/proxy-limits.md and regenerates RESULTS.md. About 8 min.
set -euo pipefail
source "$(dirname "$0")/common.sh"
LIMITS="--rpm 60000000000 --tpm 60000000000 --rpd 1000000000000 --tpd 1000000000000 --requests-per-month 1000000000000 --tokens-per-month 1000000000000 --budget-usd 1000000 --budget-period month"
run() { BENCH_NO_RESULTS=1 BENCH_KEY_LIMITS="$2" "$ROOT/bench/proxy-latency.sh" 2>&1 | tee "$OUT/proxy-limits-$1.txt" || true; }
BENCH_REBUILD=${BENCH_REBUILD:-1} run off ""
BENCH_REBUILD=0 run on "$LIMITS"
row() { grep -F '| **proxy**: wrk → Tollgate → mock |' "$OUT/proxy-limits-$1.txt" | sed -n "$2p"; }
JARS_NOTE="jars rebuilt from the working tree at the start"
CODE_PATHS="proxy/src"
wait_for_quiet >/dev/null 2>&1 || true
{
  echo "## Proxy throughput with per-key limits off and on"
  echo
  machine_info
  echo "- Each line is a full \`bench/proxy-latency.sh\` run (3 rounds, medians): \"off\" with a key without limits, \"on\" with a key"
  echo "  that has every limit set (\`$LIMITS\`), high enough never to refuse."
  echo
  echo "| limits | one at a time: p50 ms, p99 ms, p99.9 ms, req/s, added p50, added p99, rounds |"
  echo "|---|---|"
  echo "| off | $(row off 1 | cut -d'|' -f3-9 | tr -s ' ') |"
  echo "| on | $(row on 1 | cut -d'|' -f3-9 | tr -s ' ') |"
  echo
  echo "| limits | 64 at once: req/s, p50 ms, p99 ms, added p50, added p99, proxy CPU (cores), µs CPU / request |"
  echo "|---|---|"
  echo "| off | $(row off 2 | cut -d'|' -f3-9 | tr -s ' ') |"
  echo "| on | $(row on 2 | cut -d'|' -f3-9 | tr -s ' ') |"
  echo
  echo "Reproduce: \`bench/proxy-limits.sh\`. Raw output: \`bench/out/proxy-limits-{off,on}.txt\`."
} > "$ROOT/bench/results/proxy-limits.md"
"$ROOT/bench/write-results.sh"
