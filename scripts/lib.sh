# Shared shell helpers for ./jlvs and the project scripts. Sourced, never run.
# shellcheck shell=bash

JLVS_ROOT=${JLVS_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}

export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"

die() { echo "jlvs: $*" >&2; exit 1; }

# java_major DIR -> prints the feature version of the JDK in DIR (e.g. 25), or nothing
java_major() {
  local rel="$1/release"
  [ -x "$1/bin/java" ] || return 0
  if [ -f "$rel" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$rel"
  else
    "$1/bin/java" -version 2>&1 | sed -n '1s/.*version "\([0-9]*\).*/\1/p'
  fi
}

# find_java25: sets JAVA_HOME to a JDK >= 25 (JAVA_HOME first, then /usr/lib/jvm), or fails with the reason.
find_java25() {
  local cand major
  for cand in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -n "$cand" ] && [ -d "$cand" ] || continue
    major=$(java_major "$cand")
    if [ -n "$major" ] && [ "$major" -ge 25 ] && [ -x "$cand/bin/javac" ]; then
      export JAVA_HOME="$cand"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  die "no JDK 25 or newer found (looked at JAVA_HOME='${JAVA_HOME:-}' and /usr/lib/jvm/*).
Install one (e.g. Temurin 25 under /usr/lib/jvm) or point JAVA_HOME at it."
}

# install_deps: installs the Debian packages jlvs's build and tests need, when missing and when root.
JLVS_APT_PACKAGES=(maven iproute2 nftables curl socat nginx-light wrk bc iputils-ping ethtool)
install_deps() {
  local missing=() p
  for p in "${JLVS_APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "jlvs: not root, so not installing: ${missing[*]} (tests that need them will skip and say so)" >&2
    return 0
  fi
  echo "jlvs: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || echo "jlvs: apt-get update failed; trying to install anyway" >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || echo "jlvs: could not install some of: ${missing[*]} (tests that need them will skip and say so)" >&2
  # nginx must not keep running on the host: the tests start their own instances in namespaces.
  if command -v systemctl >/dev/null 2>&1; then systemctl disable --now nginx >/dev/null 2>&1 || true; fi
  pkill -x nginx >/dev/null 2>&1 || true
}

mvn_cmd() {
  command -v mvn >/dev/null 2>&1 || die "maven (mvn) is not installed: run ./jlvs demo as root once, or apt-get install maven"
  mvn -B -q -Dstyle.color=never "$@"
}

LAUNCHER_JAR_GLOB="$JLVS_ROOT/jlvs-daemon/target/jlvs-daemon-*.jar"

build() {
  find_java25
  echo "jlvs: building with $JAVA_HOME" >&2
  (cd "$JLVS_ROOT" && mvn_cmd -DskipTests install) || die "build failed"
}

ensure_built() {
  find_java25
  # shellcheck disable=SC2086
  if ! ls $LAUNCHER_JAR_GLOB >/dev/null 2>&1; then build; fi
}

# jlvs_classpath: the launcher jar and its libraries (built on demand)
jlvs_classpath() {
  ensure_built >&2
  local jar
  # shellcheck disable=SC2086
  jar=$(ls $LAUNCHER_JAR_GLOB | head -n 1)
  echo "$jar:$JLVS_ROOT/jlvs-daemon/target/lib/*"
}

# jlvs_java_opts [daemon]: JVM options; commands start fast with C1 only, the daemon gets the full JIT
jlvs_java_opts() {
  if [ "${1:-}" = daemon ]; then
    echo "--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xshare:auto"
  else
    echo "--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto"
  fi
}

run_java_main() {
  local cp opts
  cp=$(jlvs_classpath)
  opts=$(jlvs_java_opts "${1:-}")
  # shellcheck disable=SC2086
  exec "$JAVA_HOME/bin/java" $opts -cp "$cp" io.jlvs.daemon.JlvsMain "$@"
}
