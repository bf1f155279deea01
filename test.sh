#!/usr/bin/env bash
# Builds everything and runs every test (unit tests and the real-server integration tests).
# Picks a JDK >= 21 even when the default java is older; Maven comes from the wrapper.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/jdk.sh
echo "Using JDK at $JAVA_HOME"
# Chromium and ChromeDriver for the dashboard's browser test; if they cannot be installed, that test fails and says how.
scripts/test-deps.sh || echo "test-deps failed: the browser test will fail" >&2
exec ./mvnw -B -ntp verify "$@"
