#!/usr/bin/env bash
# Rebuilds bench/RESULTS.md from the fragments the benchmarks write to bench/results/.
set -euo pipefail
cd "$(dirname "$0")"
{
  echo "# Benchmark results"
  echo
  echo "Goal (from the issue): the mock server is never the bottleneck of a user's CI: at least"
  echo "**20,000 requests/s** for a small JSON fixture on a 2-core machine, and **ready in under a second**."
  echo "Each benchmark section below is replaced whenever its script runs. The profiling notes at the end are written by hand."
  echo "How to run the benchmarks is in [README.md](README.md)."
  for name in mock-throughput mock-startup; do
    [ -f "results/$name.md" ] || continue
    echo
    cat "results/$name.md"
  done
  for f in results/*.md; do
    [ -f "$f" ] || continue
    case "$(basename "$f" .md)" in mock-throughput|mock-startup) continue ;; esac
    echo
    cat "$f"
  done
} > RESULTS.md.tmp
mv RESULTS.md.tmp RESULTS.md
echo "Wrote bench/RESULTS.md" >&2
