#!/usr/bin/env bash
# Builds the pinned Go programs of tools/<name>/ once and prints the folder that holds them.
#   tools/<name>/go.mod, go.sum  the pins (a module of ours that requires the programs' modules)
#   tools/<name>/packages        the package paths to `go install`, one a line (# comments allowed)
#   tools/<name>/ldflags         optional: passed to -ldflags (e.g. a version stamp)
#   tools/<name>/overlay         optional: lines `<package> <file> <other file of that package>`, for a
#                                file a package embeds but its module zip lacks (made by a generate step
#                                upstream): the build vendors the modules and puts the other file there
#   tools/<name>/requirements.txt  instead of the Go files: a Python tool, every package pinned (==); it is
#                                installed with --no-deps from PyPI into a venv, <out>/venv (bin/ holds it)
# The result is cached in $ALERT_STREAM_TOOLS_CACHE (default ~/.cache/alert-stream-deploy/tools)
# under <name>-<hash>, the hash of every file in tools/<name>/ and of `go version`: a changed pin
# builds anew, an unchanged one is reused. Only the Go module proxy is used; nothing else is downloaded.
# `tools/build.sh --cached <name>` only finds it: exit 3, naming the command that builds it, when it is not
# built (for tests, which must never build a tool themselves: a cold build takes minutes).
#   tools/<name>/on-path         optional: `<version> <arguments>`: a `<name>` on PATH that prints exactly
#                                <version> when run with <arguments> is the pinned one, and is used as it is
#                                (its folder printed; nothing built). ALERT_STREAM_TOOLS_FROM_PATH=0 turns this off.
# Builds of one tool (same pins) wait for each other (flock on $cache/.<name>-<hash>.lock): the second finds
# the first one's result. On a terminal, `go install -v` lists the packages as they are compiled.
set -euo pipefail
cached_only=false
if [ "${1:-}" = "--cached" ]; then cached_only=true; shift; fi
name=${1:?usage: tools/build.sh [--cached] <name>}
dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/$name" && pwd)
if [ -f "$dir/on-path" ] && [ "${ALERT_STREAM_TOOLS_FROM_PATH:-1}" != 0 ] && found=$(command -v "$name" 2>/dev/null); then
  read -r pinned args < "$dir/on-path"
  # shellcheck disable=SC2086 # the arguments are words
  if [ "$("$found" $args 2>/dev/null | tr -d '\r' | head -n1)" = "$pinned" ]; then
    dirname "$found"
    exit 0
  fi
fi
key=$( (cd "$dir" && find . -type f ! -name '*.log' ! -name on-path | LC_ALL=C sort | xargs sha256sum; if [ -f "$dir/requirements.txt" ]; then python3 --version; else go version; fi) | sha256sum | cut -c1-16)
cache=${ALERT_STREAM_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/alert-stream-deploy/tools}
out=$cache/$name-$key
if [ ! -f "$out/.complete" ] && $cached_only; then
  echo "tools/build.sh: $name is not built (or its pins changed); build it first: bash tools/build.sh $name" >&2
  exit 3
fi
if [ ! -f "$out/.complete" ]; then
  mkdir -p "$cache"
  exec 9>"$cache/.$name-$key.lock"
  if ! flock -n 9; then
    echo "tools/build.sh: another build of $name is running; waiting for it" >&2
    flock 9
  fi
fi
if [ ! -f "$out/.complete" ] && [ -f "$dir/requirements.txt" ]; then
  echo "tools/build.sh: installing $name from PyPI (cached afterwards in $out)" >&2
  # A venv's scripts name its interpreter by absolute path, so it is made where it stays; .complete comes
  # last, so an interrupted install is redone from scratch.
  rm -rf "$out"
  mkdir -p "$out"
  trap 'rm -rf "$out"' EXIT
  python3 -m venv "$out/venv" >&2
  "$out/venv/bin/pip" install --quiet --disable-pip-version-check --no-input --timeout 60 --no-deps -r "$dir/requirements.txt" >&2
  touch "$out/.complete"
  trap - EXIT
fi
if [ ! -f "$out/.complete" ]; then
  tmp=$(mktemp -d "$cache/.$name-XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  ldflags=""
  [ -f "$dir/ldflags" ] && ldflags=$(tr '\n' ' ' < "$dir/ldflags")
  src=$dir mod=mod
  if [ -f "$dir/overlay" ]; then
    # Files beneath the module cache cannot be overlaid: build from a vendored copy instead.
    src=$(mktemp -d) mod=vendor
    trap 'rm -rf "$tmp" "$src"' EXIT
    cp -r "$dir/." "$src"
    (cd "$src" && go mod vendor -e) >&2
    grep -v '^\s*#' "$dir/overlay" | while read -r pkg file source; do
      [ -n "$pkg" ] || continue
      cp "$(cd "$dir" && GOFLAGS=-mod=mod go list -e -f '{{.Dir}}' "$pkg")/$source" "$src/vendor/$pkg/$file"
    done
  fi
  echo "tools/build.sh: building $name from Go modules, which takes minutes cold (cached afterwards in $out)" >&2
  verbose=()
  [ -t 2 ] && verbose=(-v)
  (cd "$src" && GOBIN="$tmp" GOFLAGS=-mod=$mod go install "${verbose[@]}" -trimpath -ldflags "$ldflags" $(grep -v '^\s*#' packages)) >&2
  [ "$src" = "$dir" ] || rm -rf "$src"
  touch "$tmp/.complete"
  rm -rf "$out"
  mv "$tmp" "$out"
  trap - EXIT
fi
echo "$out"
