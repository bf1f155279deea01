#!/usr/bin/env bash
# Builds (when needed) and starts the mock server on the default fixtures.
# Extra arguments go to the server, e.g. ./run.sh --port 0 --mode synthetic
set -euo pipefail
cd "$(dirname "$0")"
source scripts/jdk.sh
jar=mock-server/target/mock-server.jar
if [ ! -f "$jar" ] || [ -n "$(find fixture-format/src mock-server/src pom.xml */pom.xml -newer "$jar" -print -quit)" ]; then
  ./mvnw -B -q -ntp -DskipTests package
fi
exec "$JAVA_HOME/bin/java" -jar "$jar" --fixtures fixtures "$@"
