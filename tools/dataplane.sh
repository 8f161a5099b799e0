#!/usr/bin/env bash
# Fetches what the data-plane tier (npm run test:dataplane) runs, once, and prints the folder that holds it.
#   tools/dataplane.sh [--cached] kafka <version>  Apache Kafka's broker, tools and Java client at <version>
#                                                  (the environment's kafka.version), from tools/dataplane/pom.xml:
#                                                  kafka_2.13 and kafka-clients with every transitive version as
#                                                  Kafka's own poms pin it, copied to <folder>/libs by Maven
#   tools/dataplane.sh [--cached] python           a virtualenv with tools/dataplane/requirements.txt (every
#                                                  version pinned: lsst-alert-packet and its dependencies)
# Cached in $ALERT_STREAM_TOOLS_CACHE (default ~/.cache/alert-stream-deploy/tools) under dataplane-kafka-<version>-<hash>
# or dataplane-python-<hash>: the hash of the pins and of the java or python version, so a changed pin fetches
# anew and an unchanged one is reused. Maven Central and PyPI only, through mvn and pip.
# --cached only finds it: exit 3, naming the command that fetches it, when it is not there.
set -euo pipefail
cached_only=false
if [ "${1:-}" = "--cached" ]; then cached_only=true; shift; fi
what=${1:?usage: tools/dataplane.sh [--cached] kafka <version> | python}
dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/dataplane" && pwd)
cache=${ALERT_STREAM_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/alert-stream-deploy/tools}
case $what in
  kafka)
    version=${2:?usage: tools/dataplane.sh [--cached] kafka <version>}
    [[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "tools/dataplane.sh: not a Kafka version: $version" >&2; exit 2; }
    key=$( (set -e; sha256sum < "$dir/pom.xml"; echo "$version"; java -version 2>&1) | sha256sum | cut -c1-16)
    out=$cache/dataplane-kafka-$version-$key
    ;;
  python)
    key=$( (set -e; sha256sum < "$dir/requirements.txt"; python3 --version 2>&1) | sha256sum | cut -c1-16)
    out=$cache/dataplane-python-$key
    ;;
  *) echo "tools/dataplane.sh: kafka <version> or python, not $what" >&2; exit 2 ;;
esac
if [ ! -f "$out/.complete" ] && $cached_only; then
  echo "tools/dataplane.sh: $what ${version:-} is not fetched (or its pins changed); fetch it first: bash tools/dataplane.sh $what ${version:-}" >&2
  exit 3
fi
if [ ! -f "$out/.complete" ]; then
  mkdir -p "$cache"
  tmp=$(mktemp -d "$cache/.dataplane-$what-XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  echo "tools/dataplane.sh: fetching $what ${version:-} (cached afterwards in $out)" >&2
  if [ "$what" = kafka ]; then
    mvn -B -q -f "$dir/pom.xml" -Dkafka.version="$version" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$tmp/libs" >&2
    ls "$tmp/libs/kafka_2.13-$version.jar" "$tmp/libs/kafka-clients-$version.jar" > /dev/null
  else
    # A virtualenv's scripts name their interpreter by path: it is made where it stays, and is only
    # complete (.complete) once every pin is installed.
    rm -rf "$out" && mkdir -p "$out"
    python3 -m venv "$out/venv" >&2
    "$out/venv/bin/pip" install -q --disable-pip-version-check --no-deps -r "$dir/requirements.txt" >&2
  fi
  if [ "$what" = kafka ]; then
    touch "$tmp/.complete"
    rm -rf "$out"
    mv "$tmp" "$out"
  else
    touch "$out/.complete"
    rm -rf "$tmp"
  fi
  trap - EXIT
fi
echo "$out"
