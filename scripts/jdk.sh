# Sourced by run.sh, test.sh and .ci/run: points JAVA_HOME at a JDK >= 21.
# Order: an existing JAVA_HOME that is new enough, the `java` on PATH, then the JDKs under /usr/lib/jvm.
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
pick_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")" /usr/lib/jvm/* /opt/java/* ; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(java_major "$candidate")
    if [ "${major:-0}" -ge 21 ] 2>/dev/null; then echo "$candidate"; return 0; fi
  done
  return 1
}
if ! JAVA_HOME=$(pick_jdk); then
  echo "Tollgate needs a JDK 21 or newer. Install one (e.g. 'apt-get install openjdk-21-jdk' or Temurin 21/25)" >&2
  echo "and set JAVA_HOME to it." >&2
  exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
