#!/usr/bin/env bash
# Builds everything and runs every test (unit tests and the real-server integration tests).
# Picks a JDK >= 21 even when the default java is older; Maven comes from the wrapper.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/jdk.sh
echo "Using JDK at $JAVA_HOME"
exec ./mvnw -B -ntp verify "$@"
