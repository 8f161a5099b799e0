#!/usr/bin/env bash
# Builds the pinned Go programs of tools/<name>/ once and prints the folder that holds them.
#   tools/<name>/go.mod, go.sum  the pins (a module of ours that requires the programs' modules)
#   tools/<name>/packages        the package paths to `go install`, one a line (# comments allowed)
#   tools/<name>/ldflags         optional: passed to -ldflags (e.g. a version stamp)
# The result is cached in $ALERT_STREAM_TOOLS_CACHE (default ~/.cache/alert-stream-deploy/tools)
# under <name>-<hash>, the hash of every file in tools/<name>/ and of `go version`: a changed pin
# builds anew, an unchanged one is reused. Only the Go module proxy is used; nothing else is downloaded.
set -euo pipefail
name=${1:?usage: tools/build.sh <name>}
dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/$name" && pwd)
key=$( (cd "$dir" && find . -type f ! -name '*.log' | LC_ALL=C sort | xargs sha256sum; go version) | sha256sum | cut -c1-16)
cache=${ALERT_STREAM_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/alert-stream-deploy/tools}
out=$cache/$name-$key
if [ ! -f "$out/.complete" ]; then
  mkdir -p "$cache"
  tmp=$(mktemp -d "$cache/.$name-XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  ldflags=""
  [ -f "$dir/ldflags" ] && ldflags=$(tr '\n' ' ' < "$dir/ldflags")
  echo "tools/build.sh: building $name (cached afterwards in $out)" >&2
  (cd "$dir" && GOBIN="$tmp" GOFLAGS=-mod=mod go install -trimpath -ldflags "$ldflags" $(grep -v '^\s*#' packages)) >&2
  touch "$tmp/.complete"
  rm -rf "$out"
  mv "$tmp" "$out"
  trap - EXIT
fi
echo "$out"
