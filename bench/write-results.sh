#!/usr/bin/env bash
# Rebuilds bench/RESULTS.md from the fragments the benchmarks write to bench/results/.
set -euo pipefail
cd "$(dirname "$0")"
{
  echo "# Benchmark results"
  echo
  echo "Goals (from the issues):"
  echo "- the mock server is never the bottleneck of a user's CI: at least **20,000 requests/s** for a small JSON fixture on a"
  echo "  2-core machine, and **ready in under a second**;"
  echo "- the proxy adds little over calling the upstream directly: one request at a time, **added p50 ≤ 0.3 ms** and"
  echo "  **added p99 ≤ 1 ms**; 64 at once, **throughput ≥ 0.5× nginx's** (\`proxy_pass\`, measured in the same run) and **≥ 3×"
  echo "  Portkey's**; streams: **added time to first token ≤ 0.5 ms**, events never bunched; **5,000 open streams at ≤ 100 KB of"
  echo "  RSS each**; no memory growth under load (issue 7);"
  echo "- the request log persists **≥ 20,000 rows/s** and costs **at most 10%** of the proxy's throughput (issue 5)."
  echo
  echo "Each benchmark section below is replaced whenever its script runs. The profiling notes at the end are written by hand."
  echo "How to run the benchmarks is in [README.md](README.md)."
  for name in compare mock-throughput mock-startup proxy-latency; do
    [ -f "results/$name.md" ] || continue
    echo
    cat "results/$name.md"
  done
  for f in results/*.md; do
    [ -f "$f" ] || continue
    case "$(basename "$f" .md)" in compare|mock-throughput|mock-startup|proxy-latency) continue ;; esac
    echo
    cat "$f"
  done
} > RESULTS.md.tmp
mv RESULTS.md.tmp RESULTS.md
echo "Wrote bench/RESULTS.md" >&2
