#!/usr/bin/env bash
# Builds (when needed) and starts the Tollgate proxy on http://127.0.0.1:8080/v1.
# With no GROQ_API_KEY it runs offline, in front of an embedded mock server serving fixtures/.
# Configuration comes from TOLLGATE_* environment variables (see README.md).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/jdk.sh
jar=proxy/target/proxy.jar
if [ ! -f "$jar" ] || [ -n "$(find fixture-format/src mock-server/src proxy/src pom.xml ./*/pom.xml -newer "$jar" -print -quit)" ]; then
  echo "Building Tollgate (first run: Maven downloads its dependencies)..."
  ./mvnw -B -q -ntp -DskipTests package
fi
# shellcheck disable=SC2086  # TOLLGATE_JAVA_OPTS is a list of options
exec "$JAVA_HOME/bin/java" @proxy/jvm.options ${TOLLGATE_JAVA_OPTS:-} -jar "$jar" "$@"
