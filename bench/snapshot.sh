#!/usr/bin/env bash
# Copies the built chat service with the engine and shared packages it runs on into $1, resolving
# every other package from this checkout's node_modules, so that `BENCH_SYSTEMS=webchat,webchat-base
# BENCH_BASE_DIR=$1` measures that build against the current one in the same run.
set -euo pipefail
dest=${1:?usage: bench/snapshot.sh <dir>}
root=$(cd "$(dirname "$0")/.." && pwd)
rm -rf "$dest"
mkdir -p "$dest/services/chat" "$dest/node_modules/@webchat"
cp -r "$root/services/chat/dist" "$root/services/chat/package.json" "$dest/services/chat/"
for pkg in engine shared service-kit; do
  [ -d "$root/packages/$pkg" ] || continue
  mkdir -p "$dest/node_modules/@webchat/$pkg"
  cp -r "$root/packages/$pkg/dist" "$root/packages/$pkg/package.json" "$dest/node_modules/@webchat/$pkg/"
done
for entry in "$root"/node_modules/*; do
  name=$(basename "$entry")
  if [[ "$name" == @* ]]; then
    [ "$name" = "@webchat" ] && continue
    mkdir -p "$dest/node_modules/$name"
    for scoped in "$entry"/*; do ln -s "$scoped" "$dest/node_modules/$name/$(basename "$scoped")"; done
  else
    ln -s "$entry" "$dest/node_modules/$name"
  fi
done
echo "snapshot of $(git -C "$root" rev-parse --short HEAD) (with the working tree's builds) in $dest"
